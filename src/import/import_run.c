/* import_run.c - runs import jobs in one transaction: expands each source into files,
 * opens them with the right options (encoding, CSV coordinates), plans each layer (id,
 * CRS, checksum) and hands it to import_layer(). */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/parse.h"
#include "base/path.h"
#include "import/checksum.h"
#include "import/columns.h"
#include "import/encoding.h"
#include "import/far_check.h"
#include "import/gdal_errors.h"
#include "import/import_int.h"
#include "import/reproject.h"
#include "import/shapefile.h"
#include "import/source_files.h"
#include "import/text_recode.h"
#include "import/translit.h"

/* Column names GDAL reads as WKT geometry in CSV files: its own default, QGIS's export
 * ("wkt_geom") and the names other tools write. Coordinate columns are columns.c's. */
#define IMPORT_CSV_GEOM_NAMES "WKT,wkt_geom,geometry,geom,the_geom"

/* GDAL messages raised outside a gdal_errors capture go to our log (visible with debug
 * logging) instead of being printed raw to the user; every call whose failure matters
 * captures its own messages and reports them with file and layer. */
static void CPL_STDCALL log_stray_gdal_message(CPLErr level, CPLErrorNum num, const char *msg)
{
    (void)num;
    if (level != CE_Debug) {
        log_debug("GDAL: %s", msg);
    }
}

void import_init(void)
{
    GDALAllRegister();
    CPLSetErrorHandler(log_stray_gdal_message);
}

void import_shutdown(void)
{
    GDALDestroyDriverManager();
    OSRCleanup();
    proj_cleanup();
}

/* One opened file of a job, with what was decided while opening it. */
struct opened_file {
    GDALDatasetH ds;
    const struct source_file *file;
    char format[64];
    char encoding[96]; /* empty when the format fixes the encoding */
    int is_csv;
    int n_wanted;              /* layers to import: the one --layer names, or every non-empty one */
    struct text_recode recode; /* a CSV's UTF-8 copy, when it was in another encoding */
    char checksum[CHECKSUM_HEX_LEN + 1];
};

struct run {
    struct store *st;
    const struct import_options *opts;
    struct import_report *report;
    struct err first; /* the first failure, returned by import_run */
    char **ids;       /* ids written in this run, to catch two layers claiming one id */
    size_t n_ids;
};

static void fail(struct run *r, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct run *r, enum err_code code, const char *fmt, ...)
{
    char msg[ERR_MSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct import_report *rep = r->report;
    rep->errors = xreallocarray(rep->errors, rep->n_errors + 1, sizeof(char *));
    rep->errors[rep->n_errors++] = xstrdup(msg);
    if (r->first.code == ERR_OK) {
        err_set(&r->first, code, "%s", msg);
    }
}

/* Adds msg (taken: made with xasprintf) to the report's notes. */
static void add_note(struct run *r, char *msg)
{
    struct import_report *rep = r->report;
    rep->notes = xreallocarray(rep->notes, rep->n_notes + 1, sizeof(char *));
    rep->notes[rep->n_notes++] = msg;
}

static void layer_failed(struct run *r, struct import_layer_report *lr, const struct err *e)
{
    char msg[3 * ERR_MSG_CAP];
    snprintf(msg, sizeof(msg), "%s (layer %s): %s", lr->display_path,
             lr->source_layer ? lr->source_layer : "-", e->msg);
    lr->error = xstrdup(e->msg);
    if (r->first.code == ERR_OK) {
        err_set(&r->first, e->code, "%s", msg);
    }
}

static void csv_options(char ***opts)
{
    *opts = CSLSetNameValue(*opts, "GEOM_POSSIBLE_NAMES", IMPORT_CSV_GEOM_NAMES);
    /* The geometry text stays a field too, so that a cell GDAL could not parse is
     * reported with its row and why (columns.c) instead of silently losing its geometry. */
    *opts = CSLSetNameValue(*opts, "KEEP_GEOM_COLUMNS", "YES");
    *opts = CSLSetNameValue(*opts, "AUTODETECT_TYPE", "YES");
    /* Type detection reads this much of the file: enough for real tables, bounded for
     * huge ones. The untyped twins let columns.c keep codes with leading zeros as text. */
    *opts = CSLSetNameValue(*opts, "AUTODETECT_SIZE_LIMIT", "1000000");
    *opts = CSLSetNameValue(*opts, "KEEP_SOURCE_COLUMNS", "YES");
    *opts = CSLSetNameValue(*opts, "EMPTY_STRING_AS_NULL", "YES");
}

/* Hashes the files whose bytes make up the dataset: the archive itself for a file in a
 * zip (files of one archive come one after another, so `previous` lets them share one
 * pass over it), the user's file for a re-encoded CSV (GDAL read a copy), otherwise every
 * file GDAL read (.shp, .dbf, .prj, ...). */
static int file_checksum(struct opened_file *of, const struct opened_file *previous,
                         struct err *err)
{
    const struct source_file *f = of->file;
    if (f->archive_path != NULL) {
        if (previous != NULL && previous->checksum[0] != '\0' &&
            previous->file->archive_path != NULL &&
            strcmp(previous->file->archive_path, f->archive_path) == 0) {
            memcpy(of->checksum, previous->checksum, CHECKSUM_HEX_LEN + 1);
            return ERR_OK;
        }
        const char *paths[] = {f->archive_path};
        return checksum_files(paths, 1, of->checksum, err);
    }
    char **list = of->recode.mem_path == NULL ? GDALGetFileList(of->ds) : NULL;
    int n = CSLCount(list);
    if (n > 1) {
        qsort(list, (size_t)n, sizeof(char *), path_compare);
    }
    int rc = n > 0 ? checksum_files((const char *const *)list, (size_t)n, of->checksum, err)
                   : checksum_files((const char *const[]){f->gdal_path}, 1, of->checksum, err);
    CSLDestroy(list);
    return rc;
}

/* Shapefiles: checks the sidecars agree and decides the DBF's encoding. */
static int shapefile_options(const struct source_file *f, const struct catalog_hints *h,
                             struct encoding_choice *enc, char ***opts, struct err *err)
{
    struct shapefile_info info;
    int rc = shapefile_inspect(f->gdal_path, f->display_path, &info, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = encoding_for_shapefile(f->gdal_path, &info, h != NULL ? h->encoding : NULL, enc, err);
    if (rc != ERR_OK) {
        return err_prefix(err, "%s", f->display_path);
    }
    if (enc->name[0] != '\0') {
        *opts = CSLSetNameValue(*opts, "ENCODING", enc->name);
    }
    return ERR_OK;
}

/* CSV: the coordinate columns, and a UTF-8 copy when the file is in another encoding. */
static int csv_prepare(const struct source_file *f, const struct catalog_hints *h,
                       struct opened_file *of, char ***opts, struct err *err)
{
    of->is_csv = 1;
    csv_options(opts);
    int rc = text_recode_prepare(f->gdal_path, f->display_path, h != NULL ? h->encoding : NULL,
                                 &of->recode, err);
    if (rc == ERR_OK &&
        (of->recode.mem_path != NULL || of->recode.enc.origin == ENCODING_FROM_USER)) {
        encoding_describe(&of->recode.enc, of->encoding, sizeof(of->encoding));
    }
    return rc;
}

static int open_file(const struct source_file *f, const struct catalog_hints *h,
                     const struct opened_file *previous, struct opened_file *of, struct err *err)
{
    memset(of, 0, sizeof(*of));
    of->file = f;
    struct gdal_errors ge;
    gdal_errors_begin(&ge);
    GDALDriverH drv = GDALIdentifyDriverEx(f->gdal_path, GDAL_OF_VECTOR, NULL, NULL);
    gdal_errors_end(&ge);
    if (drv == NULL) {
        return err_set(err, ERR_INVALID,
                       "%s: not a vector format GDAL can read (unsupported format or corrupt file)",
                       f->display_path);
    }
    snprintf(of->format, sizeof(of->format), "%s", GDALGetDriverShortName(drv));
    char **opts = NULL;
    int is_shapefile = strcmp(of->format, "ESRI Shapefile") == 0;
    struct encoding_choice enc;
    int rc = ERR_OK;
    if (is_shapefile) {
        rc = shapefile_options(f, h, &enc, &opts, err);
    } else if (strcmp(of->format, "CSV") == 0) {
        rc = csv_prepare(f, h, of, &opts, err);
    }
    if (rc != ERR_OK) {
        CSLDestroy(opts);
        return rc;
    }
    const char *drivers[] = {of->format, NULL};
    int in_zip = f->archive_path != NULL;
    gdal_errors_begin(&ge);
    const char *path = of->recode.mem_path != NULL ? of->recode.mem_path : f->gdal_path;
    of->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, (const char *const *)opts,
                        NULL);
    gdal_errors_end(&ge);
    CSLDestroy(opts);
    if (of->ds == NULL) {
        return err_set(err, ERR_INVALID, "%s: cannot open as %s: %s%s", f->display_path, of->format,
                       ge.n_failures ? ge.first_failure : "unreadable or corrupt",
                       in_zip ? " (the zip archive looks corrupt)" : "");
    }
    if (ge.n_failures > 0) {
        return err_set(err, ERR_INVALID, "%s: %s%s", f->display_path, ge.first_failure,
                       in_zip ? " (the zip archive looks corrupt)" : "");
    }
    if (is_shapefile) {
        /* A declared encoding (.cpg, DBF header) was left to GDAL: report what it used. */
        OGRLayerH l = GDALDatasetGetLayer(of->ds, 0);
        const char *used =
            l != NULL ? GDALGetMetadataItem((GDALMajorObjectH)l, "SOURCE_ENCODING", "SHAPEFILE")
                      : NULL;
        if (enc.name[0] == '\0' && used != NULL) {
            snprintf(enc.name, sizeof(enc.name), "%s", used);
        }
        encoding_describe(&enc, of->encoding, sizeof(of->encoding));
    }
    return file_checksum(of, previous, err);
}

/* Thai names are romanised first ("ถนน 2566" -> "thnn-2566"), so they make readable ids
 * that differ where the names differ. */
static void append_slug(char *out, size_t cap, const char *text)
{
    char latin[4 * PARSE_SLUG_MAX_LEN];
    char slug[PARSE_SLUG_MAX_LEN + 1];
    if (!translit_to_ascii(text, latin, sizeof(latin)) ||
        !parse_make_slug(latin, slug, sizeof(slug))) {
        return;
    }
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s%s", len > 0 ? "-" : "", slug);
}

/* Ids: --id when the job has one layer; otherwise derived from file and layer names. */
static int derive_id(const char *given, const struct source_files *sf, const struct opened_file *of,
                     const char *layer_name, int n_file_layers, size_t n_job_layers, char *out,
                     size_t cap, struct err *err)
{
    out[0] = '\0';
    if (given != NULL) {
        snprintf(out, cap, "%s", given);
        if (n_job_layers == 1) {
            return ERR_OK;
        }
    } else if (n_job_layers == 1 || !sf->is_container) {
        append_slug(out, cap, sf->named_stem);
    }
    if (n_job_layers > 1) {
        if (sf->is_container) {
            append_slug(out, cap, of->file->stem);
        }
        if (n_file_layers > 1 || !sf->is_container) {
            append_slug(out, cap, layer_name);
        }
    }
    if (strlen(out) > PARSE_SLUG_MAX_LEN) {
        out[PARSE_SLUG_MAX_LEN] = '\0';
    }
    size_t len = strlen(out);
    while (len > 0 && out[len - 1] == '-') {
        out[--len] = '\0';
    }
    if (!parse_is_slug(out)) {
        return err_set(err, ERR_INVALID,
                       "cannot make a layer id from '%s' (layer %s); give one with --id "
                       "(a-z, 0-9 and '-')",
                       of->file->display_path, layer_name);
    }
    return ERR_OK;
}

static bool id_claimed(const struct run *r, const char *id)
{
    for (size_t i = 0; i < r->n_ids; i++) {
        if (strcmp(r->ids[i], id) == 0) {
            return true;
        }
    }
    return false;
}

/* Two layers of one import may not share an id. A given id is the user's to fix; a
 * derived one gets the first free "-2", "-3", ... suffix, with a note saying so. */
static int claim_id(struct run *r, bool is_derived, const char *display, char *id, size_t cap,
                    struct err *err)
{
    if (id_claimed(r, id) && !is_derived) {
        return err_set(err, ERR_INVALID,
                       "two layers in this import would both be called '%s'; give distinct "
                       "ids",
                       id);
    }
    if (id_claimed(r, id)) {
        char base[PARSE_SLUG_MAX_LEN + 1];
        snprintf(base, sizeof(base), "%.*s", PARSE_SLUG_MAX_LEN - 4, id);
        for (int k = 2; id_claimed(r, id) && k < 1000; k++) {
            snprintf(id, cap, "%s-%d", base, k);
        }
        add_note(r, xasprintf("%s: its layer id is '%s', since another layer of this import "
                              "was already called '%s'",
                              display, id, base));
    }
    r->ids = xreallocarray(r->ids, r->n_ids + 1, sizeof(char *));
    r->ids[r->n_ids++] = xstrdup(id);
    return ERR_OK;
}

/* The advice for a layer without CRS follows its numbers: coordinates within -180..180 and
 * -90..90 are degrees (following a UTM hint there put points at 94.5°E, 0°N). */
static int missing_crs(OGRLayerH layer, struct err *err)
{
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, TRUE) == OGRERR_NONE && env.MinX >= -180.0 &&
        env.MaxX <= 180.0 && env.MinY >= -90.0 && env.MaxY <= 90.0) {
        return err_set(err, ERR_INVALID,
                       "has no coordinate reference system (a shapefile without .prj?); its "
                       "coordinates (%.4f, %.4f .. %.4f, %.4f) look like longitude/latitude: "
                       "give --s-srs EPSG:4326 (WGS 84)",
                       env.MinX, env.MinY, env.MaxX, env.MaxY);
    }
    return err_set(err, ERR_INVALID,
                   "has no coordinate reference system (a shapefile without .prj?); give it "
                   "with --s-srs, e.g. --s-srs EPSG:32647 (WGS 84 / UTM 47N) or --s-srs "
                   "EPSG:24047 (Indian 1975 / UTM 47N)");
}

/* Decides the CRS of a layer with geometry and builds its reprojection; crs receives how
 * the source CRS is reported, e.g. "EPSG:24047" or "EPSG:32647 (given)". */
static int plan_crs(OGRLayerH layer, bool is_table, const struct catalog_hints *h,
                    struct reproject **rp, char *crs, size_t cap, struct err *err)
{
    OGRSpatialReferenceH given = NULL;
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    const char *how = NULL;
    int rc = ERR_OK;
    if (h != NULL && h->s_srs != NULL) {
        rc = reproject_parse_crs(h->s_srs, &given, err);
        srs = given;
        how = "given";
    } else if (srs == NULL && is_table) {
        /* Coordinates in lon/lat-named columns are WGS 84 by every convention we know. */
        rc = reproject_parse_crs("EPSG:4326", &given, err);
        srs = given;
        how = "assumed for lon/lat columns";
    } else if (srs == NULL) {
        rc = missing_crs(layer, err);
    }
    if (rc == ERR_OK) {
        rc = reproject_new(srs, rp, err);
    }
    if (rc == ERR_OK) {
        const char *name = reproject_source_name(*rp);
        if (how != NULL) {
            snprintf(crs, cap, "%s (%s)", name, how);
        } else {
            snprintf(crs, cap, "%s", name);
        }
    }
    if (given != NULL) {
        OSRDestroySpatialReference(given);
    }
    return rc;
}

/* Appends ", name" (or just "name" first) to a fixed buffer, cutting at its end; used to
 * list what the user could have meant in messages. */
static void list_append(char *list, size_t cap, const char *name)
{
    size_t len = strlen(list);
    snprintf(list + len, cap - len, "%s%s", len > 0 ? ", " : "", name);
}

static int check_name_column(OGRLayerH layer, const char *name, struct err *err)
{
    if (name == NULL) {
        return ERR_OK;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    if (OGR_FD_GetFieldIndex(defn, name) >= 0) {
        return ERR_OK;
    }
    char fields[300] = "";
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        list_append(fields, sizeof(fields), OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    }
    return err_set(err, ERR_INVALID, "name column '%s' is not a field of this layer (fields: %s)",
                   name, fields);
}

static struct import_layer_report *new_layer_report(struct run *r, const struct opened_file *of,
                                                    OGRLayerH layer)
{
    struct import_report *rep = r->report;
    rep->layers = xreallocarray(rep->layers, rep->n_layers + 1, sizeof(*rep->layers));
    struct import_layer_report *lr = &rep->layers[rep->n_layers++];
    memset(lr, 0, sizeof(*lr));
    lr->display_path = xstrdup(of->file->display_path);
    lr->source_layer = xstrdup(OGR_L_GetName(layer));
    lr->format = xstrdup(of->format);
    lr->encoding = of->encoding[0] ? xstrdup(of->encoding) : NULL;
    return lr;
}

/* part: NULL for the whole layer, else the geometry family its attribute filter keeps
 * ("points", "lines", "polygons"), appended to the id. */
static void import_one_layer(struct run *r, const struct import_job *job,
                             const struct source_files *sf, const struct opened_file *of,
                             OGRLayerH layer, size_t n_job_layers, const char *part)
{
    struct import_layer_report *lr = new_layer_report(r, of, layer);
    const struct catalog_hints *h = job->hints;
    struct err e;
    err_clear(&e);
    char id[PARSE_SLUG_MAX_LEN + 8];
    char crs[160] = "";
    struct reproject *rp = NULL;
    int rc = derive_id(job->id, sf, of, OGR_L_GetName(layer), of->n_wanted, n_job_layers, id,
                       sizeof(id), &e);
    if (rc == ERR_OK && part != NULL) {
        size_t len = strlen(id);
        size_t keep = len + 1 + strlen(part) > PARSE_SLUG_MAX_LEN
                          ? PARSE_SLUG_MAX_LEN - 1 - strlen(part)
                          : len;
        snprintf(id + keep, sizeof(id) - keep, "-%s", part);
    }
    if (rc == ERR_OK) {
        rc = claim_id(r, job->id == NULL, of->file->display_path, id, sizeof(id), &e);
        lr->id = xstrdup(id);
    }
    struct columns cols;
    if (rc == ERR_OK) {
        rc = columns_plan(layer, h, of->is_csv, &cols, &e);
    } else {
        memset(&cols, 0, sizeof(cols));
    }
    if (rc == ERR_OK && (OGR_L_GetGeomType(layer) != wkbNone || cols.x >= 0)) {
        rc = plan_crs(layer, of->is_csv || cols.x >= 0, h, &rp, crs, sizeof(crs), &e);
        if (rc == ERR_OK) {
            lr->crs_from = xstrdup(crs);
        }
    }
    if (rc == ERR_OK) {
        rc = check_name_column(layer, h != NULL ? h->name_column : NULL, &e);
    }
    if (rc == ERR_OK && r->st == NULL && r->opts->check_db != NULL) {
        rc = store_layer_claim_check(r->opts->check_db, id, of->file->gdal_path,
                                     OGR_L_GetName(layer), r->opts->allow_replace, &e);
    }
    if (rc == ERR_OK && r->st != NULL && r->opts->skip_unchanged) {
        rc = store_layer_unchanged(r->st, id, OGR_L_GetName(layer), of->checksum,
                                   job->meta.catalog_json, &lr->is_unchanged, &e);
    }
    if (rc == ERR_OK && !lr->is_unchanged) {
        struct layer_plan plan = {
            .id = id,
            .source_path = of->file->gdal_path,
            .source_layer = OGR_L_GetName(layer),
            .format = of->format,
            .checksum = of->checksum,
            .encoding = of->encoding[0] ? of->encoding : NULL,
            .source_crs = rp != NULL ? crs : NULL,
            .name_column = h != NULL ? h->name_column : NULL,
            .rp = rp,
            .cols = &cols,
            .meta = &job->meta,
            .opts = r->opts,
        };
        rc = import_layer(r->st, layer, &plan, lr, &e);
    }
    if (rc != ERR_OK) {
        layer_failed(r, lr, &e);
    }
    columns_clear(&cols);
    reproject_free(rp);
}

/* The geometry families --split-types separates, as OGR SQL filters on OGR_GEOMETRY. */
static const char *const type_parts[][2] = {
    {"points", "OGR_GEOMETRY IN ('POINT','MULTIPOINT')"},
    {"lines", "OGR_GEOMETRY IN ('LINESTRING','MULTILINESTRING')"},
    {"polygons", "OGR_GEOMETRY IN ('POLYGON','MULTIPOLYGON')"},
};

/* With split_types, a layer holding more than one family of geometry (points, lines,
 * polygons) becomes one layer per family; otherwise the layer is imported whole. */
static void import_layer_parts(struct run *r, const struct import_job *job,
                               const struct source_files *sf, const struct opened_file *of,
                               OGRLayerH layer, size_t n_job_layers)
{
    bool present[3] = {false, false, false};
    int n_present = 0;
    for (int k = 0; r->opts->split_types && k < 3; k++) {
        OGR_L_SetAttributeFilter(layer, type_parts[k][1]);
        present[k] = OGR_L_GetFeatureCount(layer, TRUE) > 0;
        n_present += present[k];
    }
    OGR_L_SetAttributeFilter(layer, NULL);
    if (n_present < 2) {
        import_one_layer(r, job, sf, of, layer, n_job_layers, NULL);
        return;
    }
    for (int k = 0; k < 3; k++) {
        if (present[k]) {
            OGR_L_SetAttributeFilter(layer, type_parts[k][1]);
            import_one_layer(r, job, sf, of, layer, n_job_layers, type_parts[k][0]);
        }
    }
    OGR_L_SetAttributeFilter(layer, NULL);
}

static OGRLayerH find_layer(GDALDatasetH ds, const char *name, struct err *err, const char *display)
{
    OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
    if (l != NULL) {
        return l;
    }
    char names[300] = "";
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++) {
        list_append(names, sizeof(names), OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    }
    err_set(err, ERR_NOT_FOUND, "%s: no layer named '%s' (layers: %s)", display, name, names);
    return NULL;
}

/* Standard layers a format always declares (GPX's routes, tracks, ...) are often empty: in
 * a file of several layers an empty one is skipped rather than failing the file. A file of
 * one layer keeps the error, since then the whole file is empty. */
static int is_wanted(GDALDatasetH ds, OGRLayerH layer, const char *only)
{
    if (only != NULL) {
        return strcmp(OGR_L_GetName(layer), only) == 0;
    }
    return GDALDatasetGetLayerCount(ds) == 1 || OGR_L_GetFeatureCount(layer, TRUE) != 0;
}

/* Opens every file of the job and counts the layers to import; returns 0 on failure. */
static int open_job_files(struct run *r, const struct import_job *job,
                          const struct source_files *sf, struct opened_file *files,
                          size_t *n_job_layers)
{
    const char *only = job->hints != NULL ? job->hints->layer : NULL;
    struct err e;
    err_clear(&e);
    int ok = 1;
    for (size_t i = 0; i < sf->n; i++) {
        if (open_file(&sf->files[i], job->hints, i > 0 ? &files[i - 1] : NULL, &files[i], &e) !=
            ERR_OK) {
            fail(r, e.code, "%s", e.msg);
            ok = 0;
            continue;
        }
        GDALDatasetH ds = files[i].ds;
        if (only != NULL && find_layer(ds, only, &e, sf->files[i].display_path) == NULL) {
            continue;
        }
        for (int l = 0; l < GDALDatasetGetLayerCount(ds); l++) {
            files[i].n_wanted += is_wanted(ds, GDALDatasetGetLayer(ds, l), only);
        }
        *n_job_layers += (size_t)files[i].n_wanted;
    }
    if (ok && *n_job_layers == 0) {
        fail(r, only ? ERR_NOT_FOUND : ERR_INVALID, "%s",
             only ? e.msg : "no layers to import (every layer is empty)");
        ok = 0;
    }
    return ok;
}

static void run_job(struct run *r, const struct import_job *job)
{
    struct source_files sf;
    struct err e;
    if (source_files_expand(job->source, &sf, &e) != ERR_OK) {
        fail(r, e.code, "%s", e.msg);
        return;
    }
    struct opened_file *files = xcalloc(sf.n, sizeof(*files));
    const char *only = job->hints != NULL ? job->hints->layer : NULL;
    size_t n_job_layers = 0;
    int ok = open_job_files(r, job, &sf, files, &n_job_layers);
    for (size_t i = 0; ok && i < sf.n; i++) {
        GDALDatasetH ds = files[i].ds;
        for (int l = 0; l < GDALDatasetGetLayerCount(ds); l++) {
            OGRLayerH layer = GDALDatasetGetLayer(ds, l);
            if (is_wanted(ds, layer, only)) {
                import_layer_parts(r, job, &sf, &files[i], layer, n_job_layers);
            } else if (only == NULL) {
                add_note(r, xasprintf("%s: layer '%s' is empty; skipped", sf.files[i].display_path,
                                      OGR_L_GetName(layer)));
            }
        }
    }
    for (size_t i = 0; i < sf.n; i++) {
        if (files[i].ds != NULL) {
            GDALClose(files[i].ds);
        }
        text_recode_clear(&files[i].recode);
    }
    free(files);
    source_files_clear(&sf);
}

int import_run(struct store *st, const struct import_job *jobs, size_t n_jobs,
               const struct import_options *opts, struct import_report *report, struct err *err)
{
    memset(report, 0, sizeof(*report));
    report->dry_run = st == NULL;
    struct run r = {.st = st, .opts = opts, .report = report};
    err_clear(&r.first);
    struct far_check far;
    far_check_begin(&far, st != NULL ? st : opts->check_db, opts->city_for_extent);
    if (st != NULL) {
        int rc = store_import_begin(st, err);
        if (rc != ERR_OK) {
            far_check_clear(&far);
            return rc;
        }
    }
    for (size_t i = 0; i < n_jobs; i++) {
        run_job(&r, &jobs[i]);
    }
    far_check_report(&far, report);
    far_check_clear(&far);
    if (st != NULL && opts->replace_featured && r.first.code == ERR_OK) {
        struct err e;
        if (store_featured_replace(st, opts->featured, opts->n_featured, &e) != ERR_OK ||
            (opts->city_json != NULL && store_city_replace(st, opts->city_json, &e) != ERR_OK)) {
            fail(&r, e.code, "%s", e.msg);
        }
    }
    for (size_t i = 0; i < r.n_ids; i++) {
        free(r.ids[i]);
    }
    free(r.ids);
    if (r.first.code != ERR_OK) {
        if (st != NULL) {
            store_import_rollback(st);
        }
        *err = r.first;
        return r.first.code;
    }
    if (st != NULL) {
        int rc = store_import_commit(st, err);
        if (rc != ERR_OK) {
            /* In the report too, so that the summary says why (a full disk at commit). */
            fail(&r, err->code, "%s", err->msg);
            return rc;
        }
        report->committed = true;
    }
    return ERR_OK;
}

void import_report_clear(struct import_report *r)
{
    for (size_t i = 0; i < r->n_layers; i++) {
        struct import_layer_report *lr = &r->layers[i];
        free(lr->id);
        free(lr->display_path);
        free(lr->source_layer);
        free(lr->format);
        free(lr->crs_from);
        free(lr->encoding);
        free(lr->error);
        free(lr->geometry_type);
        for (size_t k = 0; k < lr->n_fields; k++) {
            free(lr->fields[k].name);
            free(lr->fields[k].source_type);
        }
        free(lr->fields);
        for (size_t k = 0; k < lr->n_rejects; k++) {
            free(lr->rejects[k]);
        }
        for (size_t k = 0; k < lr->n_warnings; k++) {
            free(lr->warnings[k]);
        }
        for (size_t k = 0; k < lr->n_samples; k++) {
            free(lr->samples[k]);
        }
    }
    free(r->layers);
    for (size_t i = 0; i < r->n_errors; i++) {
        free(r->errors[i]);
    }
    free(r->errors);
    for (size_t i = 0; i < r->n_notes; i++) {
        free(r->notes[i]);
    }
    free(r->notes);
    memset(r, 0, sizeof(*r));
}
