/* import_layer.c - the feature loop: OGR feature -> checked, reprojected WKB plus typed
 * attribute values -> one prepared insert. Streams: memory does not grow with the layer. */
#include "import/import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <jansson.h>

#include "base/alloc.h"
#include "import/gdal_errors.h"
#include "import/geom_check.h"

/* Report progress every this many features (a clock read per feature would cost more). */
#define IMPORT_PROGRESS_EVERY 8192
/* Room for a store error message plus context. */
#define IMPORT_REASON_CAP (ERR_MSG_CAP + 128)

struct field_map {
    struct store_field *fields; /* names and types as stored */
    int *source_index;          /* OGR field index of each stored field */
    OGRFieldType *ogr_type;
    size_t n;
    char **scratch; /* per-field text made for this feature (dates, lists) */
    int64_t *n_be;  /* per field: Buddhist-era dates converted to the Common Era */
};

/* Thai dates count years from 543 BCE: 2566 BE is 2023 CE. Years in this range are far
 * from any date city data holds in the Common Era, so they are taken as Buddhist era. */
#define IMPORT_BE_MIN_YEAR 2400
#define IMPORT_BE_MAX_YEAR 2700
#define IMPORT_BE_OFFSET 543

void import_note(char **notes, size_t *n, const char *fmt, ...)
{
    if (*n >= IMPORT_MAX_NOTES) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char line[600];
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    notes[(*n)++] = xstrdup(line);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum store_type store_type_of(OGRFieldType t)
{
    switch (t) {
    case OFTInteger:
    case OFTInteger64:
        return STORE_INTEGER;
    case OFTReal:
        return STORE_REAL;
    case OFTBinary:
        return STORE_BLOB;
    default:
        return STORE_TEXT; /* strings, dates (ISO 8601), lists (JSON arrays) */
    }
}

static const char *source_type_name(OGRFieldDefnH fd)
{
    if (OGR_Fld_GetSubType(fd) == OFSTBoolean) {
        return "Boolean";
    }
    return OGR_GetFieldTypeName(OGR_Fld_GetType(fd));
}

static int name_taken(const struct field_map *m, size_t n, const char *name)
{
    if (strcasecmp(name, "fid") == 0 || strcasecmp(name, "geom") == 0) {
        return 1; /* our own columns */
    }
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(m->fields[i].name, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Column names keep the source's spelling; SQLite compares them case-insensitively, so
 * clashes ("Name" and "NAME", or a field called "fid") get a numbered suffix. */
static void map_fields(OGRFeatureDefnH defn, const struct columns *cols, struct field_map *m,
                       struct import_layer_report *rep)
{
    int n = OGR_FD_GetFieldCount(defn);
    m->fields = xcalloc((size_t)n, sizeof(*m->fields));
    m->source_index = xcalloc((size_t)n, sizeof(int));
    m->ogr_type = xcalloc((size_t)n, sizeof(OGRFieldType));
    m->scratch = xcalloc((size_t)n, sizeof(char *));
    m->n_be = xcalloc((size_t)n, sizeof(int64_t));
    for (int i = 0; i < n; i++) {
        if (cols->skip[i]) {
            continue;
        }
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        const char *src = OGR_Fld_GetNameRef(fd);
        int from = cols->text_from[i] >= 0 ? cols->text_from[i] : i;
        OGRFieldType type = from != i ? OFTString : OGR_Fld_GetType(fd);
        char *name =
            (src[0] != '\0' && CPLIsUTF8(src, -1)) ? xstrdup(src) : xasprintf("field_%d", i + 1);
        for (int k = 2; name_taken(m, m->n, name); k++) {
            char *base = xstrdup(src[0] != '\0' && CPLIsUTF8(src, -1) ? src : "field");
            free(name);
            name = xasprintf("%s_%d", base, k);
            free(base);
        }
        struct store_field *f = &m->fields[m->n];
        f->name = name;
        f->type = store_type_of(type);
        f->source_type = from != i ? "String" : source_type_name(fd);
        if (strcmp(name, src) != 0) {
            f->source_name = CPLIsUTF8(src, -1) ? src : "(not UTF-8)";
            import_note(rep->warnings, &rep->n_warnings, "field '%s' stored as '%s'",
                        f->source_name, name);
        }
        m->source_index[m->n] = from;
        m->ogr_type[m->n] = type;
        m->n++;
    }
}

static void field_map_clear(struct field_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free((char *)m->fields[i].name);
        free(m->scratch[i]);
    }
    free(m->fields);
    free(m->source_index);
    free(m->ogr_type);
    free(m->scratch);
    free(m->n_be);
}

static char *format_datetime(OGRFeatureH f, int idx, OGRFieldType type, int64_t *n_be)
{
    int y, mo, d, h, mi, tz;
    float sec;
    OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &mo, &d, &h, &mi, &sec, &tz);
    if (type != OFTTime && y >= IMPORT_BE_MIN_YEAR && y <= IMPORT_BE_MAX_YEAR) {
        y -= IMPORT_BE_OFFSET;
        (*n_be)++;
    }
    if (type == OFTDate) {
        return xasprintf("%04d-%02d-%02d", y, mo, d);
    }
    char secs[16];
    if (sec == (float)(int)sec) {
        snprintf(secs, sizeof(secs), "%02d", (int)sec);
    } else {
        snprintf(secs, sizeof(secs), "%06.3f", (double)sec);
    }
    char zone[24] = "";
    if (tz == 100) {
        snprintf(zone, sizeof(zone), "Z");
    } else if (tz > 1) {
        int minutes = (tz - 100) * 15;
        snprintf(zone, sizeof(zone), "%c%02d:%02d", minutes < 0 ? '-' : '+', abs(minutes) / 60,
                 abs(minutes) % 60);
    }
    if (type == OFTTime) {
        return xasprintf("%02d:%02d:%s", h, mi, secs);
    }
    return xasprintf("%04d-%02d-%02dT%02d:%02d:%s%s", y, mo, d, h, mi, secs, zone);
}

static char *format_list(OGRFeatureH f, int idx, OGRFieldType type)
{
    json_t *arr = json_array();
    int n = 0;
    if (type == OFTIntegerList) {
        const int *v = OGR_F_GetFieldAsIntegerList(f, idx, &n);
        for (int i = 0; i < n; i++) {
            json_array_append_new(arr, json_integer(v[i]));
        }
    } else if (type == OFTInteger64List) {
        const GIntBig *v = OGR_F_GetFieldAsInteger64List(f, idx, &n);
        for (int i = 0; i < n; i++) {
            json_array_append_new(arr, json_integer((json_int_t)v[i]));
        }
    } else if (type == OFTRealList) {
        const double *v = OGR_F_GetFieldAsDoubleList(f, idx, &n);
        for (int i = 0; i < n; i++) {
            json_array_append_new(arr, json_real(v[i]));
        }
    } else {
        char **v = OGR_F_GetFieldAsStringList(f, idx);
        for (int i = 0; v != NULL && v[i] != NULL; i++) {
            json_array_append_new(arr, json_string(v[i]));
        }
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return text;
}

/* Fills values from f; on a value we cannot store, writes reason and returns -1. */
static int read_values(OGRFeatureH f, struct field_map *m, struct store_value *values, char *reason,
                       size_t cap)
{
    for (size_t i = 0; i < m->n; i++) {
        int idx = m->source_index[i];
        struct store_value *v = &values[i];
        memset(v, 0, sizeof(*v));
        free(m->scratch[i]);
        m->scratch[i] = NULL;
        if (!OGR_F_IsFieldSetAndNotNull(f, idx)) {
            v->is_null = true;
            continue;
        }
        switch (m->ogr_type[i]) {
        case OFTInteger:
        case OFTInteger64:
            v->i = OGR_F_GetFieldAsInteger64(f, idx);
            break;
        case OFTReal:
            v->d = OGR_F_GetFieldAsDouble(f, idx);
            break;
        case OFTBinary: {
            int len = 0;
            v->ptr = (const char *)OGR_F_GetFieldAsBinary(f, idx, &len);
            v->len = (size_t)len;
            break;
        }
        case OFTDate:
        case OFTTime:
        case OFTDateTime:
            m->scratch[i] = format_datetime(f, idx, m->ogr_type[i], &m->n_be[i]);
            break;
        case OFTIntegerList:
        case OFTInteger64List:
        case OFTRealList:
        case OFTStringList:
            m->scratch[i] = format_list(f, idx, m->ogr_type[i]);
            break;
        default:
            v->ptr = OGR_F_GetFieldAsString(f, idx);
            v->len = strlen(v->ptr);
            if (!CPLIsUTF8(v->ptr, (int)v->len)) {
                snprintf(reason, cap,
                         "field '%s' is not valid UTF-8 text (is the encoding right? use "
                         "--encoding)",
                         m->fields[i].name);
                return -1;
            }
            break;
        }
        if (m->scratch[i] != NULL) {
            v->ptr = m->scratch[i];
            v->len = strlen(m->scratch[i]);
        }
    }
    return 0;
}

struct loop_state {
    struct field_map map;
    struct store_value *values;
    unsigned char *wkb;
    size_t wkb_cap;
    int has_extent;
    OGREnvelope extent;
    int64_t n_of_type[8]; /* stored geometries per flat WKB type 1..7 */
};

#define IMPORT_MAX_SAMPLES 3

/* Keeps the first few non-ASCII text values as decoded, so that a dry run shows whether
 * the encoding chosen for the file reads its Thai text right. */
static void keep_samples(const struct field_map *m, const struct store_value *values,
                         struct import_layer_report *rep)
{
    for (size_t i = 0; i < m->n && rep->n_samples < IMPORT_MAX_SAMPLES; i++) {
        const struct store_value *v = &values[i];
        if (m->fields[i].type != STORE_TEXT || v->is_null || v->ptr == NULL) {
            continue;
        }
        int has_high = 0;
        for (size_t k = 0; k < v->len && !has_high; k++) {
            has_high = (unsigned char)v->ptr[k] >= 0x80;
        }
        if (has_high) {
            import_note(rep->samples, &rep->n_samples, "%s = %.*s", m->fields[i].name,
                        (int)(v->len < 120 ? v->len : 120), v->ptr);
        }
    }
}

static void reject(struct import_layer_report *rep, int64_t n, GIntBig fid, const char *reason)
{
    rep->n_rejected++;
    import_note(rep->rejects, &rep->n_rejects, "feature %lld (source fid %lld): %s", (long long)n,
                (long long)fid, reason);
}

static void extent_add(struct loop_state *ls, const OGREnvelope *env)
{
    OGREnvelope *x = &ls->extent;
    if (!ls->has_extent) {
        *x = *env;
        ls->has_extent = 1;
        return;
    }
    x->MinX = env->MinX < x->MinX ? env->MinX : x->MinX;
    x->MinY = env->MinY < x->MinY ? env->MinY : x->MinY;
    x->MaxX = env->MaxX > x->MaxX ? env->MaxX : x->MaxX;
    x->MaxY = env->MaxY > x->MaxY ? env->MaxY : x->MaxY;
}

/* Writes g as little-endian ISO WKB into the loop's reusable buffer; returns its length. */
static size_t export_wkb(struct loop_state *ls, OGRGeometryH g)
{
    size_t need = (size_t)OGR_G_WkbSize(g);
    if (need > ls->wkb_cap) {
        ls->wkb = xreallocarray(ls->wkb, need, 1);
        ls->wkb_cap = need;
    }
    OGR_G_ExportToIsoWkb(g, wkbNDR, ls->wkb);
    return need;
}

/* Checks, repairs and reprojects the feature's geometry; *wkb_len 0 means no geometry.
 * Returns -1 (with reason) when the feature must be rejected. */
static int prepare_geometry(OGRFeatureH f, const struct layer_plan *plan, struct loop_state *ls,
                            struct import_layer_report *rep, size_t *wkb_len, char *reason)
{
    *wkb_len = 0;
    OGRGeometryH g = NULL;
    bool unreadable = false;
    bool is_explained = false; /* a table row without geometry, with reason */
    if (plan->cols->x >= 0) {
        g = columns_point(plan->cols, f, &unreadable, reason, IMPORT_REASON_CAP);
        is_explained = g == NULL;
    } else {
        g = OGR_F_StealGeometry(f);
        if (g == NULL && plan->cols->geom_text >= 0) {
            unreadable = columns_geometry_text_problem(plan->cols, f, reason, IMPORT_REASON_CAP);
            is_explained = true;
        }
    }
    if (is_explained) {
        /* Kept without geometry, like a row of a table without coordinates; --strict
         * fails the layer on the unreadable ones (import_layer). */
        rep->n_without_geometry++;
        rep->n_unreadable_geometry += unreadable;
        import_note(rep->warnings, &rep->n_warnings, "row %lld: %s", (long long)rep->n_read,
                    reason);
        return 0;
    }
    enum geom_verdict verdict = geom_check(&g, reason, IMPORT_REASON_CAP);
    int rc = 0;
    if (verdict == GEOM_REJECTED) {
        rc = -1;
    } else if (verdict == GEOM_EMPTY) {
        rep->n_without_geometry++;
    } else {
        if (verdict == GEOM_REPAIRED) {
            rep->n_repaired++;
            import_note(rep->warnings, &rep->n_warnings, "feature %lld: %s", (long long)rep->n_read,
                        reason);
        }
        struct err e;
        OGREnvelope env = {0};
        if (reproject_geometry(plan->rp, g, &e) != ERR_OK) {
            snprintf(reason, IMPORT_REASON_CAP, "%s", e.msg);
            rc = -1;
        } else {
            OGR_G_GetEnvelope(g, &env);
            rc = geom_check_lonlat_range(&env, reason, IMPORT_REASON_CAP) ? 0 : -1;
        }
        if (rc == 0) {
            extent_add(ls, &env);
            *wkb_len = export_wkb(ls, g);
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
            ls->n_of_type[t >= 1 && t <= 7 ? t : 0]++;
        }
    }
    if (g != NULL) {
        OGR_G_DestroyGeometry(g);
    }
    return rc;
}

/* Reads every feature; returns ERR_OK or the error that stopped reading. */
static int feature_loop(struct store_layer_writer *w, OGRLayerH layer,
                        const struct layer_plan *plan, struct loop_state *ls,
                        struct import_layer_report *rep, struct err *err)
{
    int64_t total = OGR_L_GetFeatureCount(layer, FALSE);
    char reason[IMPORT_REASON_CAP];
    struct gdal_errors ge;
    int rc = ERR_OK;
    OGR_L_ResetReading(layer);
    gdal_errors_begin(&ge);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        rep->n_read++;
        if (ge.n_failures > 0) {
            OGR_F_Destroy(f);
            break;
        }
        size_t wkb_len = 0;
        int bad = plan->rp != NULL ? prepare_geometry(f, plan, ls, rep, &wkb_len, reason) : 0;
        if (bad == 0) {
            bad = read_values(f, &ls->map, ls->values, reason, sizeof(reason));
        }
        if (bad != 0) {
            reject(rep, rep->n_read, OGR_F_GetFID(f), reason);
        } else {
            rep->n_imported++;
            keep_samples(&ls->map, ls->values, rep);
            if (w != NULL) {
                rc = store_layer_add(w, ls->values, wkb_len > 0 ? ls->wkb : NULL, wkb_len, err);
            }
        }
        OGR_F_Destroy(f);
        if (rc != ERR_OK) {
            break;
        }
        if (plan->opts->progress != NULL && rep->n_read % IMPORT_PROGRESS_EVERY == 0) {
            plan->opts->progress(plan->opts->progress_ctx, plan->id, rep->n_read, total);
        }
    }
    gdal_errors_end(&ge);
    if (rc == ERR_OK && ge.n_failures > 0) {
        rc = err_set(err, ERR_INVALID, "reading stopped near feature %lld: %s",
                     (long long)rep->n_read + 1, ge.first_failure);
    }
    for (int i = 0; i < ge.n_kept; i++) {
        import_note(rep->warnings, &rep->n_warnings, "GDAL: %s", ge.warnings[i]);
    }
    if (plan->opts->progress != NULL) {
        plan->opts->progress(plan->opts->progress_ctx, plan->id, rep->n_read, rep->n_read);
    }
    return rc;
}

/* Says when single parts will be stored as multi (store_layer_finish promotes a layer of
 * one kind in single and multi parts), in a dry run too. */
static void note_promotion(const struct loop_state *ls, struct import_layer_report *rep)
{
    static const char *const names[] = {"", "Point", "LineString", "Polygon"};
    int n_types = 0;
    for (int t = 1; t <= 7; t++) {
        n_types += ls->n_of_type[t] > 0;
    }
    for (int single = 1; single <= 3; single++) {
        if (n_types == 2 && ls->n_of_type[single] > 0 && ls->n_of_type[single + 3] > 0) {
            import_note(rep->warnings, &rep->n_warnings,
                        "%lld single %ss stored as Multi%s, like the layer's other %lld",
                        (long long)ls->n_of_type[single], names[single], names[single],
                        (long long)ls->n_of_type[single + 3]);
        }
    }
}

static void note_be_dates(const struct field_map *m, struct import_layer_report *rep)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->n_be[i] > 0) {
            import_note(rep->warnings, &rep->n_warnings,
                        "field '%s': %lld Buddhist-era dates (years %d-%d) converted to the "
                        "Common Era (minus %d years)",
                        m->fields[i].name, (long long)m->n_be[i], IMPORT_BE_MIN_YEAR,
                        IMPORT_BE_MAX_YEAR, IMPORT_BE_OFFSET);
        }
    }
}

static void fill_meta(struct store_layer_meta *m, const struct layer_plan *plan,
                      const struct loop_state *ls, const struct import_layer_report *rep)
{
    const struct import_meta *im = plan->meta;
    memset(m, 0, sizeof(*m));
    m->id = plan->id;
    m->title_en = im->title_en;
    m->title_th = im->title_th;
    m->description_en = im->description_en;
    m->description_th = im->description_th;
    m->theme = im->theme;
    m->source = im->source;
    m->source_url = im->source_url;
    m->license = im->license;
    m->attribution = im->attribution;
    m->catalog_json = im->catalog_json;
    m->name_column = plan->name_column;
    m->source_path = plan->source_path;
    m->source_layer = plan->source_layer;
    m->source_format = plan->format;
    m->source_crs = plan->source_crs;
    m->source_encoding = plan->encoding;
    m->source_checksum = plan->checksum;
    m->rejected_count = rep->n_rejected;
    m->has_extent = ls->has_extent;
    m->min_lon = ls->extent.MinX;
    m->min_lat = ls->extent.MinY;
    m->max_lon = ls->extent.MaxX;
    m->max_lat = ls->extent.MaxY;
}

/* The geometry type the store records: the one flat type seen, "GEOMETRY" when mixed or
 * none, NULL for a table (see geometry_type_code in store_layers.c). */
static char *layer_geometry_type(const struct layer_plan *plan, const struct loop_state *ls)
{
    static const char *const names[8] = {
        "GEOMETRY",   "POINT",           "LINESTRING",   "POLYGON",
        "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"};
    if (plan->rp == NULL) {
        return NULL;
    }
    int one = 0;
    for (int t = 1; t < 8; t++) {
        if (ls->n_of_type[t] > 0) {
            one = one == 0 ? t : -1;
        }
    }
    return xstrdup(names[one > 0 ? one : 0]);
}

/* Keeps the layer's schema in the report (what a dry run checks statistics against). */
static void report_schema(const struct layer_plan *plan, const struct loop_state *ls,
                          struct import_layer_report *rep)
{
    rep->geometry_type = layer_geometry_type(plan, ls);
    rep->fields = xcalloc(ls->map.n + 1, sizeof(*rep->fields));
    for (size_t i = 0; i < ls->map.n; i++) {
        const struct store_field *f = &ls->map.fields[i];
        rep->fields[i].name = xstrdup(f->name);
        rep->fields[i].type = f->type;
        rep->fields[i].source_type = f->source_type != NULL ? xstrdup(f->source_type) : NULL;
    }
    rep->n_fields = ls->map.n;
}

int import_layer(struct store *st, OGRLayerH layer, const struct layer_plan *plan,
                 struct import_layer_report *rep, struct err *err)
{
    double started = now_seconds();
    struct loop_state ls;
    memset(&ls, 0, sizeof(ls));
    map_fields(OGR_L_GetLayerDefn(layer), plan->cols, &ls.map, rep);
    ls.values = xcalloc(ls.map.n + 1, sizeof(*ls.values));
    struct store_layer_writer *w = NULL;
    int rc = ERR_OK;
    if (st != NULL) {
        rc = store_layer_begin(st, plan->id, plan->source_path, plan->source_layer,
                               plan->opts->allow_replace || plan->opts->append, ls.map.fields,
                               ls.map.n, plan->rp != NULL, &w, err);
    }
    if (rc == ERR_OK && w != NULL && plan->opts->append) {
        rc = store_layer_append_previous(w, err);
    }
    if (rc == ERR_OK) {
        rc = feature_loop(w, layer, plan, &ls, rep, err);
    }
    if (rc == ERR_OK && rep->n_read == 0) {
        rc = err_set(err, ERR_INVALID, "the layer has no features; nothing to import");
    }
    if (rc == ERR_OK && rep->n_imported == 0) {
        rc = err_set(err, ERR_INVALID, "every feature was rejected (%lld)",
                     (long long)rep->n_rejected);
    }
    if (rc == ERR_OK && plan->opts->strict && rep->n_rejected > 0) {
        rc = err_set(err, ERR_INVALID, "%lld %s rejected and --strict was given",
                     (long long)rep->n_rejected, rep->n_rejected == 1 ? "feature" : "features");
    }
    if (rc == ERR_OK && plan->opts->strict && rep->n_unreadable_geometry > 0) {
        rc = err_set(err, ERR_INVALID,
                     "%lld %s a geometry cell that cannot be read (see the notes: row and "
                     "reason) and --strict was given",
                     (long long)rep->n_unreadable_geometry,
                     rep->n_unreadable_geometry == 1 ? "row has" : "rows have");
    }
    rep->seconds = now_seconds() - started;
    if (rc == ERR_OK) {
        note_promotion(&ls, rep);
        note_be_dates(&ls.map, rep);
        report_schema(plan, &ls, rep);
        rep->has_extent = ls.has_extent;
        rep->min_lon = ls.extent.MinX;
        rep->min_lat = ls.extent.MinY;
        rep->max_lon = ls.extent.MaxX;
        rep->max_lat = ls.extent.MaxY;
    }
    if (rc == ERR_OK && w != NULL) {
        struct store_layer_meta meta;
        fill_meta(&meta, plan, &ls, rep);
        meta.import_seconds = rep->seconds;
        rc = store_layer_finish(w, &meta, err);
        rep->seconds = now_seconds() - started;
    }
    store_layer_writer_free(w);
    field_map_clear(&ls.map);
    free(ls.values);
    free(ls.wkb);
    return rc;
}
