/* import_summary_json.c - an import report as JSON (see import_summary.h). */
#include "cli/import_summary.h"

#include <stdint.h>

#include <jansson.h>

static json_t *text_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *string_list(char *const *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, json_string(items[i]));
    }
    return arr;
}

static json_t *layer_json(const struct import_layer_report *l)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", text_or_null(l->id));
    json_object_set_new(o, "source", text_or_null(l->display_path));
    json_object_set_new(o, "source_layer", text_or_null(l->source_layer));
    json_object_set_new(o, "format", text_or_null(l->format));
    json_object_set_new(o, "crs_from", text_or_null(l->crs_from));
    json_object_set_new(o, "encoding", text_or_null(l->encoding));
    const char *counts[] = {"features", "rejected", "repaired", "without_geometry",
                            "unreadable_geometry"};
    const int64_t values[] = {l->n_imported, l->n_rejected, l->n_repaired, l->n_without_geometry,
                              l->n_unreadable_geometry};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        json_object_set_new(o, counts[i], json_integer(values[i]));
    }
    json_object_set_new(o, "unchanged", json_boolean(l->is_unchanged));
    json_object_set_new(o, "error", text_or_null(l->error));
    json_object_set_new(o, "rejects", string_list(l->rejects, l->n_rejects));
    json_object_set_new(o, "notes", string_list(l->warnings, l->n_warnings));
    json_object_set_new(o, "samples", string_list(l->samples, l->n_samples));
    json_object_set_new(o, "extent",
                        l->has_extent
                            ? json_pack("[f,f,f,f]", l->min_lon, l->min_lat, l->max_lon, l->max_lat)
                            : json_null());
    return o;
}

void import_summary_print_json(FILE *out, const struct import_report *r, const char *db_path)
{
    json_t *layers = json_array();
    for (size_t i = 0; i < r->n_layers; i++) {
        json_array_append_new(layers, layer_json(&r->layers[i]));
    }
    json_t *o =
        json_pack("{s:b, s:b, s:o, s:o, s:o, s:o}", "dry_run", r->dry_run, "committed",
                  r->committed, "database", text_or_null(db_path), "layers", layers, "notes",
                  string_list(r->notes, r->n_notes), "errors", string_list(r->errors, r->n_errors));
    json_dumpf(o, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(o);
}
