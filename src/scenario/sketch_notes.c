/* sketch_notes.c - a scenario's visible sketches read for the outputs: numbered notes with
 * their kind titles, and counts per kind. */
#include "scenario/sketch_notes.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cql2/cql2.h"
#include "store/store_scenario.h"

int sketch_visible_filter(const struct store_layer *layer, struct cql2_node **out, struct err *err)
{
    *out = NULL;
    if (store_layer_field_index(layer, "status") < 0) {
        return ERR_OK;
    }
    return cql2_parse("status = 'visible'", out, err);
}

/* The fields read, in this order; a missing one reads as NULL. */
enum { F_KIND, F_GROUP, F_NOTE, F_AUTHOR, N_FIELDS };
static const char *const field_names[N_FIELDS] = {"kind", "group_name", "note", "created_by"};

/* One sketch's texts and geometry, copied out of the cursor's row. */
struct note_row {
    char *texts[N_FIELDS];
    unsigned char *geom;
};

static char *text_of(const struct store_feature *f, const long *slot, int field)
{
    if (slot[field] < 0) {
        return NULL;
    }
    const struct store_value *v = &f->values[slot[field]];
    return v->is_null || v->type != STORE_TEXT ? NULL : xstrndup(v->ptr, v->len);
}

static const char *pick(bool is_thai, const char *th, const char *en)
{
    const char *first = is_thai ? th : en;
    return first != NULL && first[0] != '\0' ? first : (is_thai ? en : th);
}

/* Fills note i from row i: the kind's title and colour, and counts it. */
static void fill_note(struct sketch_notes *out, size_t i, const struct scenario_doc *doc,
                      bool is_thai, size_t geom_len)
{
    struct note_row *row = &((struct note_row *)out->rows)[i];
    const char *kind_id = row->texts[F_KIND];
    const struct scenario_kind *kind = kind_id != NULL ? scenario_doc_kind(doc, kind_id) : NULL;
    size_t k = kind != NULL ? (size_t)(kind - doc->kinds) : doc->n_kinds;
    out->counts[k]++;
    out->notes[i] = (struct render_note){
        .number = (long)i + 1,
        .kind = kind != NULL ? pick(is_thai, kind->title.th, kind->title.en) : kind_id,
        .group = row->texts[F_GROUP],
        .text = row->texts[F_NOTE],
        .author = row->texts[F_AUTHOR],
        .color = kind != NULL ? kind->color : NULL,
        .geom = row->geom,
        .geom_len = geom_len,
    };
}

int sketch_notes_read(struct store_read *rd, const struct store_layer *layer,
                      const struct scenario_doc *doc, bool is_thai, struct sketch_notes *out,
                      struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->n_kinds = doc->n_kinds;
    out->counts = xcalloc(doc->n_kinds + 1, sizeof(*out->counts));
    size_t props[N_FIELDS];
    long slot[N_FIELDS];
    size_t n_props = 0;
    for (int f = 0; f < N_FIELDS; f++) {
        long index = store_layer_field_index(layer, field_names[f]);
        slot[f] = index >= 0 ? (long)n_props : -1;
        if (index >= 0) {
            props[n_props++] = (size_t)index;
        }
    }
    struct cql2_node *visible = NULL;
    int rc = sketch_visible_filter(layer, &visible, err);
    struct store_query q = {.layer = layer,
                            .filter = visible,
                            .properties = props,
                            .n_properties = n_props,
                            .limit = STORE_LIMIT_ALL,
                            .out_srid = 4326};
    struct store_cursor *cur = NULL;
    if (rc == ERR_OK) {
        rc = store_features_open(rd, &q, &cur, err);
    }
    size_t cap = 0;
    size_t *geom_lens = NULL;
    const struct store_feature *f = NULL;
    while (rc == ERR_OK && (rc = store_cursor_next(cur, &f, err)) == 1) {
        if (out->n == cap) {
            cap = cap > 0 ? 2 * cap : 64;
            out->rows = xreallocarray(out->rows, cap, sizeof(struct note_row));
            geom_lens = xreallocarray(geom_lens, cap, sizeof(size_t));
        }
        struct note_row *row = &((struct note_row *)out->rows)[out->n];
        for (int k = 0; k < N_FIELDS; k++) {
            row->texts[k] = text_of(f, slot, k);
        }
        row->geom = NULL;
        if (f->geom != NULL) {
            row->geom = xmalloc(f->geom_len);
            memcpy(row->geom, f->geom, f->geom_len);
        }
        geom_lens[out->n++] = f->geom != NULL ? f->geom_len : 0;
        rc = ERR_OK;
    }
    store_cursor_close(cur);
    cql2_free(visible);
    if (rc < 0) {
        free(geom_lens);
        sketch_notes_clear(out);
        return rc;
    }
    out->notes = xcalloc(out->n + 1, sizeof(*out->notes));
    for (size_t i = 0; i < out->n; i++) {
        fill_note(out, i, doc, is_thai, geom_lens[i]);
    }
    free(geom_lens);
    return ERR_OK;
}

void sketch_notes_clear(struct sketch_notes *notes)
{
    struct note_row *rows = notes->rows;
    for (size_t i = 0; rows != NULL && i < notes->n; i++) {
        for (int k = 0; k < N_FIELDS; k++) {
            free(rows[i].texts[k]);
        }
        free(rows[i].geom);
    }
    free(rows);
    free(notes->notes);
    free(notes->counts);
    memset(notes, 0, sizeof(*notes));
}
