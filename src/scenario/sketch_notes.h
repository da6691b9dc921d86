/* sketch_notes.h - a scenario's visible sketches as the people's words on its outputs: the
 * numbered notes of a poster (render.h struct render_note: number, kind title in the
 * sheet's language, group, note, author, kind colour, geometry) and the count of sketches
 * per kind for statistics lines and comparison sheets.
 *
 * Which sketches are public is decided in one place, sketch_visible_filter: a sketch layer
 * with a "status" field shows only its 'visible' rows (pending and hidden ones are kept for
 * facilitators but never printed); a layer without one holds only public sketches.
 *
 * Threads: one snapshot, one thread, as the store requires. */
#ifndef CITYATLAS_SCENARIO_SKETCH_NOTES_H
#define CITYATLAS_SCENARIO_SKETCH_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "render/render.h"
#include "scenario/scenario_doc.h"
#include "store/store_read.h"

struct cql2_node;

/* The filter that keeps a sketch layer's public sketches into *out (free with cql2_free):
 * NULL (every row) for a layer without a "status" field. */
int sketch_visible_filter(const struct store_layer *layer, struct cql2_node **out,
                          struct err *err) WARN_UNUSED;

struct sketch_notes {
    struct render_note *notes; /* n, numbered 1..n in sketch id order */
    size_t n;
    /* counts[k]: visible sketches of doc->kinds[k]; counts[n_kinds]: of a kind the document
     * no longer defines. */
    int64_t *counts;
    size_t n_kinds;
    void *rows; /* owned copies behind notes */
};

/* Reads layer's visible sketches (every one: at most STORE_SCENARIO_MAX_SKETCHES) in sketch
 * id order. Kind titles and colours come from doc in the language (is_thai); the author
 * from a "created_by" field when the layer has one. Store failures keep their codes; *out
 * is empty on failure. Free with sketch_notes_clear. */
int sketch_notes_read(struct store_read *rd, const struct store_layer *layer,
                      const struct scenario_doc *doc, bool is_thai, struct sketch_notes *out,
                      struct err *err) WARN_UNUSED;
void sketch_notes_clear(struct sketch_notes *notes); /* a zeroed one is fine */

#endif
