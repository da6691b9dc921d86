/* import_summary.c - see import_summary.h. */
#include "cli/import_summary.h"

#include <stdint.h>
#include <string.h>

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void crs_text(const struct import_layer_report *l, char *out, size_t cap)
{
    if (l->crs_from != NULL) {
        snprintf(out, cap, "%s -> EPSG:4326", l->crs_from);
    } else {
        snprintf(out, cap, "%s", l->error != NULL ? "-" : "(table, no geometry)");
    }
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* Columns are as wide as their longest value, so long ids and CRS notes stay aligned. */
static void print_table(FILE *out, const struct import_report *r)
{
    int id_w = 5, crs_w = 3, enc_w = 8;
    char crs[160];
    for (size_t i = 0; i < r->n_layers; i++) {
        const struct import_layer_report *l = &r->layers[i];
        crs_text(l, crs, sizeof(crs));
        id_w = max_int(id_w, (int)strlen(l->id ? l->id : "?"));
        crs_w = max_int(crs_w, (int)strlen(crs));
        enc_w = max_int(enc_w, (int)strlen(l->encoding ? l->encoding : "-"));
    }
    fprintf(out, "%-*s %10s %9s %9s  %-*s  %-*s %8s\n", id_w, "layer", "features", "rejected",
            "repaired", crs_w, "CRS", enc_w, "encoding", "seconds");
    for (size_t i = 0; i < r->n_layers; i++) {
        const struct import_layer_report *l = &r->layers[i];
        crs_text(l, crs, sizeof(crs));
        fprintf(out, "%-*s %10lld %9lld %9lld  %-*s  %-*s %8.2f%s\n", id_w, l->id ? l->id : "?",
                (long long)l->n_imported, (long long)l->n_rejected, (long long)l->n_repaired, crs_w,
                crs, enc_w, l->encoding ? l->encoding : "-", l->seconds,
                l->error ? "  FAILED" : (l->is_unchanged ? "  unchanged: kept as it is" : ""));
    }
}

static void print_details(FILE *out, const struct import_report *r)
{
    for (size_t i = 0; i < r->n_layers; i++) {
        const struct import_layer_report *l = &r->layers[i];
        const char *name = l->id ? l->id : l->display_path;
        if (l->error != NULL) {
            fprintf(out, "\n%s: FAILED: %s (layer %s): %s\n", name, l->display_path,
                    l->source_layer ? l->source_layer : "-", l->error);
        }
        if (l->n_rejects > 0) {
            fprintf(out, "\n%s: %lld rejected %s in %s (layer %s)%s:\n", name,
                    (long long)l->n_rejected, plural((size_t)l->n_rejected, "feature", "features"),
                    l->display_path, l->source_layer,
                    (int64_t)l->n_rejects < l->n_rejected ? ", the first ones" : "");
            for (size_t k = 0; k < l->n_rejects; k++) {
                fprintf(out, "  %s\n", l->rejects[k]);
            }
        }
        if (l->n_warnings > 0) {
            fprintf(out, "\n%s: notes on %s (layer %s):\n", name, l->display_path,
                    l->source_layer ? l->source_layer : "-");
            for (size_t k = 0; k < l->n_warnings; k++) {
                fprintf(out, "  %s\n", l->warnings[k]);
            }
        }
        if (l->n_samples > 0 && l->encoding != NULL) {
            fprintf(out, "\n%s: text as decoded (%s):\n", name,
                    l->encoding ? l->encoding : "UTF-8");
            for (size_t k = 0; k < l->n_samples; k++) {
                fprintf(out, "  %s\n", l->samples[k]);
            }
        }
        if (l->n_without_geometry > 0) {
            fprintf(out, "\n%s: %lld features have no geometry (kept without one)", name,
                    (long long)l->n_without_geometry);
            if (l->n_unreadable_geometry > 0) {
                fprintf(out, ", %lld of them from a cell that cannot be read",
                        (long long)l->n_unreadable_geometry);
            }
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < r->n_notes; i++) {
        fprintf(out, "%snote: %s\n", i == 0 ? "\n" : "", r->notes[i]);
    }
    for (size_t i = 0; i < r->n_errors; i++) {
        fprintf(out, "\nerror: %s\n", r->errors[i]);
    }
}

void import_summary_print(FILE *out, const struct import_report *r, const char *db_path,
                          double seconds)
{
    if (r->n_layers > 0) {
        print_table(out, r);
    }
    print_details(out, r);
    int64_t features = 0, rejected = 0;
    size_t failed = 0;
    for (size_t i = 0; i < r->n_layers; i++) {
        features += r->layers[i].n_imported;
        rejected += r->layers[i].n_rejected;
        failed += r->layers[i].error != NULL;
    }
    failed += r->n_errors;
    fputc('\n', out);
    if (r->dry_run) {
        fprintf(out,
                "check: %zu %s, %lld features would be imported, %lld rejected; %zu %s. "
                "Nothing was written.\n",
                r->n_layers, plural(r->n_layers, "layer", "layers"), (long long)features,
                (long long)rejected, failed, plural(failed, "problem", "problems"));
    } else if (r->committed) {
        fprintf(out, "Imported %zu %s (%lld features, %lld rejected) into %s in %.1f s.\n",
                r->n_layers, plural(r->n_layers, "layer", "layers"), (long long)features,
                (long long)rejected, db_path, seconds);
    } else {
        failed = failed > 0 ? failed : 1;
        fprintf(out, "Import failed (%zu %s): nothing was changed in %s.\n", failed,
                plural(failed, "problem", "problems"), db_path);
    }
}
