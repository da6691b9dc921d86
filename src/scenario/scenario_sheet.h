/* scenario_sheet.h - a stored scenario as the renderer's neutral description of a sheet
 * (render.h): its layers with their styles (the layer's style with the scenario's override
 * merged in, as the web map's mergeStyle does) and CQL2 filters, its visible sketches drawn
 * on top coloured by kind and numbered with their notes (sketch_notes.h), its featured
 * statistics and its sketch counts per kind as statistics lines and a headline, every
 * layer drawn credited as a source, the date, and the link for the QR code.
 *
 * Shared by the HTTP map handlers (which take statistics from the server's cache) and
 * `cityatlas export` (which computes them). Knows scenarios, styles and statistics; draws
 * nothing itself.
 *
 * Threads: a sheet is built from one snapshot by one thread, as the store requires. */
#ifndef CITYATLAS_SCENARIO_SCENARIO_SHEET_H
#define CITYATLAS_SCENARIO_SCENARIO_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"
#include "render/render.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_notes.h"
#include "stats/stats.h"
#include "store/store_read.h"
#include "store/store_scenario.h"

struct style_set;

/* Where featured statistics come from: the server's cache, or a computation per call. */
struct scenario_stats_provider {
    /* Sets *out to the result of featured statistic f in rd's snapshot and *handle to what
     * release needs to let it go. Errors as stats_run (ERR_INVALID for a statistic the
     * database no longer supports). */
    int (*get)(void *ctx, struct store_read *rd, const struct store_featured *f,
               const struct stats_result **out, void **handle, struct err *err);
    void (*release)(void *ctx, void *handle);
    void *ctx;
};

/* Computes each statistic with stats_run, without a cache: for the command line. */
extern const struct scenario_stats_provider scenario_stats_direct;

/* Runs featured statistic f in rd's snapshot into a new result (stats_result_free), as
 * /stats/featured/{id} would compute it. */
int scenario_stats_run_featured(struct store_read *rd, const struct store_featured *f,
                                struct stats_result **out, struct err *err) WARN_UNUSED;

/* The headline of a result as readers see it (stats_summary.h): the statistic's own
 * number in the column its choropleth classifies with its unit, e.g. "42.7" and "km", or
 * "1,234" and "per km²"; when no single number summarises it (a per-capita value with
 * areas missing a population), *value names the highest and lowest areas and *unit is
 * NULL, never a raw count. Both are freed with free(). False (both NULL) when no area
 * has a value. */
bool scenario_stats_headline(const struct stats_result *r, bool is_thai, char **value, char **unit);

/* Units longer than this many characters go under a headline number, not beside it: a
 * share image's headline is one line in large type. */
#define SCENARIO_HEADLINE_UNIT_CHARS 4

/* The headline text for value and unit ("42.7 km"; a long unit such as "per 10,000
 * residents" moves into *label, before about: "per 10,000 residents · Hospitals ...").
 * Both returned strings are freed with free(). */
char *scenario_stats_headline_text(const char *value, const char *unit, const char *about,
                                   char **label);

struct scenario_sheet_options {
    const struct style_set *styles; /* NULL: every layer gets its default style */
    bool is_thai;                   /* the sheet's language */
    const char *base_url; /* the QR code's link is <base_url>/map/#scn=<id>&lang=; NULL: none */
    const char *date;     /* ISO 8601 date printed; NULL: today (UTC) */
    bool without_stats;   /* leave the statistics out (a map only) */
    const struct scenario_stats_provider *stats; /* NULL: scenario_stats_direct */
};

/* A built sheet: `sheet` points into the rest, which the struct owns. */
struct scenario_sheet {
    struct render_sheet sheet;
    struct scenario_doc doc;       /* the parsed document */
    struct store_scenario stored;  /* the store's row (sketch layer id, times) */
    struct render_layer *layers;   /* styles and filters owned */
    struct cql2_node **filters;    /* n_layers, NULL where a layer has none */
    struct render_source *sources; /* strings borrowed from the snapshot */
    struct render_stat_line *stats;
    struct sketch_notes notes; /* the visible sketches numbered on the poster */
    char **texts;              /* every string the statistics lines, headline and link use */
    size_t n_texts;
    char date[32];
};

/* The city's name in the language, for a sheet's footer (struct render_sheet.place):
 * borrowed from the snapshot, NULL when the database has no city profile. */
const char *scenario_sheet_place(const struct store_read *rd, bool is_thai);

/* Builds the sheet of scenario id in rd's snapshot. ERR_NOT_FOUND naming the scenario when
 * there is none; ERR_INVALID when its stored document no longer passes scenario_doc (the
 * message names the JSON path) or a filter no longer fits its layer (naming the layer);
 * a layer or featured statistic the document names that the snapshot lacks is left out
 * with a warning in the log, so one deleted layer does not stop the poster. Store and
 * statistics failures keep their codes. *out is empty on failure; free with
 * scenario_sheet_clear. The snapshot must outlive the sheet. */
int scenario_sheet_build(struct store_read *rd, const char *id,
                         const struct scenario_sheet_options *o, struct scenario_sheet *out,
                         struct err *err) WARN_UNUSED;
void scenario_sheet_clear(struct scenario_sheet *s); /* a cleared or zeroed sheet is fine */

/* The scenario's layer style: base (a style document, borrowed) with each property of
 * override's "paint" and "layout" set on the style layers of the matching type (fill-* on
 * fill layers, line-* on line, circle-* on circle, text-* on symbol). New reference. */
json_t *scenario_sheet_merge_style(const json_t *base, const json_t *override);

/* The style of a sketch layer: polygons filled, lines and points drawn in the colour of
 * their kind (a match on "kind" over the document's sketch kinds, so the legend lists
 * them, titled by metadata "cityatlas:labels"), grey for a kind the document does not
 * define; symbols unlike the layers' (dashed lines over a white casing, ringed discs). New
 * reference. */
json_t *scenario_sheet_sketch_style(const struct scenario_doc *doc, const char *layer_id);

/* A number as readers see it: thousands separated by commas, at most `decimals` decimals
 * (trailing zeros dropped), e.g. 12345.678 -> "12,345.68". Writes into out (cap >= 48). */
void scenario_sheet_number(double v, int decimals, char *out, size_t cap);

#endif
