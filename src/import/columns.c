/* columns.c - see columns.h. */
#include "import/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "base/utf8.h"

/* Column names taken as x/longitude and y/latitude when the user names none; compared
 * without case. Thai spreadsheets spell longitude two ways. */
static const char *const x_names[] = {"lon", "lng",     "long",   "longitude", "x_lon",
                                      "x",   "easting", "ลองจิจูด", "ลองติจูด",    NULL};
static const char *const y_names[] = {"lat", "latitude", "y_lat", "y", "northing", "ละติจูด", NULL};
/* Rows read to look for leading zeros: plenty for real tables, bounded for huge ones. */
#define COLUMNS_SCAN_ROWS 200000

static int find_field(OGRFeatureDefnH defn, const char *given, const char *const *names)
{
    int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; i++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        if (given != NULL && strcmp(name, given) == 0) {
            return i;
        }
        for (size_t k = 0; given == NULL && names[k] != NULL; k++) {
            if (strcasecmp(name, names[k]) == 0) {
                return i;
            }
        }
    }
    return -1;
}

static int missing_column(OGRFeatureDefnH defn, const char *name, struct err *err)
{
    char fields[300] = "";
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        size_t len = strlen(fields);
        snprintf(fields + len, sizeof(fields) - len, "%s%s", len > 0 ? ", " : "",
                 OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    }
    return err_set(err, ERR_INVALID,
                   "coordinate column '%s' is not a field of this layer "
                   "(fields: %s)",
                   name, fields);
}

static int find_coordinates(OGRLayerH layer, const struct catalog_hints *h, struct columns *c,
                            struct err *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const char *xg = h != NULL ? h->x_column : NULL;
    const char *yg = h != NULL ? h->y_column : NULL;
    c->x = find_field(defn, xg, x_names);
    c->y = find_field(defn, yg, y_names);
    if (xg != NULL && c->x < 0) {
        return missing_column(defn, xg, err);
    }
    if (yg != NULL && c->y < 0) {
        return missing_column(defn, yg, err);
    }
    if (c->x < 0 || c->y < 0 || c->x == c->y) {
        c->x = c->y = -1; /* a plain table */
        return ERR_OK;
    }
    c->skip[c->x] = c->skip[c->y] = true;
    return ERR_OK;
}

/* "0101", "-01": a number to GDAL, but a code whose zeros matter. */
static bool has_leading_zero(const char *s)
{
    s += (*s == '-' || *s == '+');
    return s[0] == '0' && s[1] >= '0' && s[1] <= '9';
}

/* Pairs each typed column with its untyped twin; keeps the twin's text where any value
 * has a leading zero. */
static void plan_twins(OGRLayerH layer, struct columns *c)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int *twin = xcalloc((size_t)c->n, sizeof(int));
    bool any = false;
    for (int i = 0; i < c->n; i++) {
        char *name = xasprintf("%s%s", OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)),
                               COLUMNS_TWIN_SUFFIX);
        twin[i] = OGR_FD_GetFieldIndex(defn, name);
        free(name);
        if (twin[i] >= 0) {
            c->skip[twin[i]] = true;
            any = true;
        }
    }
    OGRFeatureH f;
    long rows = 0;
    OGR_L_ResetReading(layer);
    while (any && rows++ < COLUMNS_SCAN_ROWS && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        for (int i = 0; i < c->n; i++) {
            if (twin[i] >= 0 && c->text_from[i] < 0 && OGR_F_IsFieldSetAndNotNull(f, twin[i]) &&
                has_leading_zero(OGR_F_GetFieldAsString(f, twin[i]))) {
                c->text_from[i] = twin[i];
            }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(layer);
    free(twin);
}

/* The CSV column the layer's geometry was parsed from: GDAL names the geometry field after
 * it ("wkt_geom"), except for a column called WKT, which it always reads and leaves the
 * geometry field unnamed. */
static void find_geometry_text(OGRLayerH layer, struct columns *c)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    if (OGR_FD_GetGeomFieldCount(defn) != 1) {
        return;
    }
    const char *name = OGR_GFld_GetNameRef(OGR_FD_GetGeomFieldDefn(defn, 0));
    int idx = OGR_FD_GetFieldIndex(defn, name != NULL && name[0] != '\0' ? name : "WKT");
    if (idx >= 0 && OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, idx)) == OFTString) {
        c->geom_text = idx;
        c->skip[idx] = true;
    }
}

int columns_plan(OGRLayerH layer, const struct catalog_hints *h, bool has_geometry_text,
                 struct columns *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->x = out->y = out->geom_text = -1;
    out->n = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer));
    out->skip = xcalloc((size_t)out->n + 1, sizeof(bool));
    out->text_from = xcalloc((size_t)out->n + 1, sizeof(int));
    for (int i = 0; i < out->n; i++) {
        out->text_from[i] = -1;
    }
    plan_twins(layer, out);
    if (OGR_L_GetGeomType(layer) != wkbNone) {
        if (has_geometry_text) {
            find_geometry_text(layer, out);
        }
        return ERR_OK;
    }
    return find_coordinates(layer, h, out, err);
}

void columns_clear(struct columns *c)
{
    free(c->skip);
    free(c->text_from);
    memset(c, 0, sizeof(*c));
    c->x = c->y = c->geom_text = -1;
}

static bool read_coordinate(OGRFeatureH f, int idx, double *v, bool *unreadable, char *reason,
                            size_t cap)
{
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, idx);
    const char *name = OGR_Fld_GetNameRef(fd);
    if (!OGR_F_IsFieldSetAndNotNull(f, idx)) {
        snprintf(reason, cap, "no point: '%s' is empty", name);
        return false;
    }
    OGRFieldType t = OGR_Fld_GetType(fd);
    if (t == OFTReal || t == OFTInteger || t == OFTInteger64) {
        *v = OGR_F_GetFieldAsDouble(f, idx);
        return true;
    }
    const char *text = OGR_F_GetFieldAsString(f, idx);
    struct err e;
    if (text[0] == '\0' || parse_double(text, name, v, &e) != ERR_OK) {
        snprintf(reason, cap, "no point: '%s' is '%s', not a number", name,
                 utf8_excerpt(text, 60).text);
        *unreadable = text[0] != '\0';
        return false;
    }
    return true;
}

OGRGeometryH columns_point(const struct columns *c, OGRFeatureH f, bool *unreadable, char *reason,
                           size_t cap)
{
    double x = 0, y = 0;
    *unreadable = false;
    if (!read_coordinate(f, c->x, &x, unreadable, reason, cap) ||
        !read_coordinate(f, c->y, &y, unreadable, reason, cap)) {
        return NULL;
    }
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, x, y);
    return g;
}

/* What OGR's WKT reader says about text, in words. */
static const char *wkt_problem(const char *text)
{
    char *cursor = (char *)text; /* OGR advances it; the text is not changed */
    OGRGeometryH g = NULL;
    OGRErr rc = OGR_G_CreateFromWkt(&cursor, NULL, &g);
    if (g != NULL) {
        OGR_G_DestroyGeometry(g);
    }
    switch (rc) {
    case OGRERR_NONE:
        return "GDAL's CSV reader made no geometry of it";
    case OGRERR_NOT_ENOUGH_DATA:
        return "it ends too early";
    case OGRERR_UNSUPPORTED_GEOMETRY_TYPE:
        return "it does not start with a geometry type (POINT, LINESTRING, POLYGON, ...)";
    default:
        return "it is not well-formed (brackets, commas or numbers)";
    }
}

bool columns_geometry_text_problem(const struct columns *c, OGRFeatureH f, char *reason, size_t cap)
{
    const char *name = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, c->geom_text));
    const char *text =
        OGR_F_IsFieldSetAndNotNull(f, c->geom_text) ? OGR_F_GetFieldAsString(f, c->geom_text) : "";
    if (text[0] == '\0') {
        snprintf(reason, cap, "no geometry: '%s' is empty", name);
        return false;
    }
    snprintf(reason, cap, "no geometry: '%s' is '%s', not WKT: %s", name,
             utf8_excerpt(text, 60).text, wkt_problem(text));
    return true;
}
