/* items_writer.c - features as GeoJSON objects and CSV lines. */
#include "http/documents/items_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/csv_text.h"
#include "encode/json_text.h"
#include "encode/number_text.h"

static const char *field_name(const struct store_layer *layer, const size_t *properties, size_t i)
{
    return layer->fields[properties != NULL ? properties[i] : i].name;
}

static int json_value(struct buf *out, const struct store_value *v, struct err *err)
{
    if (v->is_null) {
        return buf_append(out, "null", 4, err);
    }
    switch (v->type) {
    case STORE_INTEGER:
        return json_text_append_int(out, v->i, err);
    case STORE_REAL:
        return json_text_append_real(out, v->d, err);
    case STORE_TEXT:
        return json_text_append_string(out, v->ptr, v->len, err);
    case STORE_BLOB:
        break;
    }
    /* Binary values have no JSON form; the schema document says so. */
    return buf_append(out, "null", 4, err);
}

/* A stored geometry that does not decode is damage in the database, not the client's
 * fault (the encoders say ERR_INVALID): the feature's output so far (from start) is taken
 * back and ERR_DB names the layer and the fid. */
static int damaged_geometry(struct buf *out, size_t start, const struct store_layer *layer,
                            const struct store_feature *row, struct err *err)
{
    buf_truncate(out, start);
    err_prefix(err, "damaged database: layer '%s' feature %lld has a geometry that does not decode",
               layer->id, (long long)row->fid);
    err->code = ERR_DB;
    return ERR_DB;
}

/* A page's keys are small: the cap only guards against a bug. */
#define ITEMS_KEYS_CAP (16u * 1024 * 1024)

int items_writer_keys_init(struct items_writer_keys *keys, const struct store_layer *layer,
                           const size_t *properties, size_t n, struct err *err)
{
    buf_init(&keys->text, ITEMS_KEYS_CAP);
    keys->ends = xcalloc(n > 0 ? n : 1, sizeof(*keys->ends));
    keys->n = n;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const char *name = field_name(layer, properties, i);
        if (i > 0) {
            rc = buf_append(&keys->text, ",", 1, err);
        }
        if (rc == ERR_OK) {
            rc = json_text_append_string(&keys->text, name, strlen(name), err);
        }
        if (rc == ERR_OK) {
            rc = buf_append(&keys->text, ":", 1, err);
        }
        keys->ends[i] = keys->text.len;
    }
    if (rc != ERR_OK) {
        items_writer_keys_clear(keys);
    }
    return rc;
}

void items_writer_keys_clear(struct items_writer_keys *keys)
{
    buf_clear(&keys->text);
    free(keys->ends);
    keys->ends = NULL;
    keys->n = 0;
}

int items_writer_geojson(struct buf *out, const struct store_layer *layer,
                         const struct items_writer_keys *keys, const struct store_feature *row,
                         const struct geom_format *fmt, bool is_open, struct err *err)
{
    if (row->n_values != keys->n) {
        return err_set(err, ERR_INTERNAL, "a row of %zu values for %zu keys", row->n_values,
                       keys->n);
    }
    size_t start = out->len;
    int rc = buf_append_str(out, "{\"type\":\"Feature\",\"id\":", err);
    if (rc == ERR_OK) {
        rc = json_text_append_int(out, row->fid, err);
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(out, ",\"geometry\":", err);
    }
    if (rc == ERR_OK) {
        rc = row->geom != NULL ? geom_text_append_geojson(out, row->geom, row->geom_len, fmt, err)
                               : buf_append(out, "null", 4, err);
        if (rc == ERR_INVALID) {
            return damaged_geometry(out, start, layer, row, err);
        }
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(out, ",\"properties\":{", err);
    }
    for (size_t i = 0; rc == ERR_OK && i < row->n_values; i++) {
        size_t key_start = i > 0 ? keys->ends[i - 1] : 0;
        rc = buf_append(out, keys->text.data + key_start, keys->ends[i] - key_start, err);
        if (rc == ERR_OK) {
            rc = json_value(out, &row->values[i], err);
        }
    }
    if (rc == ERR_OK) {
        rc = buf_append_str(out, is_open ? "}" : "}}", err);
    }
    return rc;
}

int items_writer_csv_header(struct buf *out, const struct store_layer *layer,
                            const size_t *properties, size_t n_values, bool with_geometry,
                            struct err *err)
{
    int rc = buf_append_str(out, CSV_TEXT_BOM "fid", err);
    for (size_t i = 0; rc == ERR_OK && i < n_values; i++) {
        const char *name = field_name(layer, properties, i);
        rc = buf_append(out, ",", 1, err);
        if (rc == ERR_OK) {
            rc = csv_text_append_field(out, name, strlen(name), err);
        }
    }
    if (rc == ERR_OK && with_geometry) {
        rc = buf_append_str(out, ",wkt", err);
    }
    return rc == ERR_OK ? buf_append(out, "\r\n", 2, err) : rc;
}

static int csv_value(struct buf *out, const struct store_value *v, struct err *err)
{
    char num[NUMBER_TEXT_REAL_CAP > NUMBER_TEXT_INT_CAP ? NUMBER_TEXT_REAL_CAP
                                                        : NUMBER_TEXT_INT_CAP];
    if (v->is_null || v->type == STORE_BLOB) {
        return ERR_OK; /* an empty field */
    }
    switch (v->type) {
    case STORE_INTEGER:
        return buf_append(out, num, number_text_int64(v->i, num), err);
    case STORE_REAL:
        return buf_append(out, num, number_text_real(v->d, num), err);
    default:
        return csv_text_append_field(out, v->ptr, v->len, err);
    }
}

int items_writer_csv_row(struct buf *out, const struct store_layer *layer,
                         const struct store_feature *row, bool with_geometry,
                         const struct geom_format *fmt, struct err *err)
{
    size_t start = out->len;
    char num[NUMBER_TEXT_INT_CAP];
    int rc = buf_append(out, num, number_text_int64(row->fid, num), err);
    for (size_t i = 0; rc == ERR_OK && i < row->n_values; i++) {
        rc = buf_append(out, ",", 1, err);
        if (rc == ERR_OK) {
            rc = csv_value(out, &row->values[i], err);
        }
    }
    if (rc == ERR_OK && with_geometry) {
        rc = buf_append(out, ",", 1, err);
        if (rc == ERR_OK && row->geom != NULL) {
            /* WKT has commas and spaces: always quoted. */
            rc = buf_append(out, "\"", 1, err);
            if (rc == ERR_OK) {
                rc = geom_text_append_wkt(out, row->geom, row->geom_len, fmt, err);
                if (rc == ERR_INVALID) {
                    return damaged_geometry(out, start, layer, row, err);
                }
            }
            if (rc == ERR_OK) {
                rc = buf_append(out, "\"", 1, err);
            }
        }
    }
    return rc == ERR_OK ? buf_append(out, "\r\n", 2, err) : rc;
}
