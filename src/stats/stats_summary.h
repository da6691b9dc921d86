/* stats_summary.h - what a reader needs to trust a statistic at a glance, in Thai and
 * English: the unit of every column, the headline (the statistic's own number with its
 * unit, or, when no single number summarises it, the highest and lowest areas), the class
 * ranges with units, why an area has no value ("no data", never 0), a one-line caveat, the
 * data years, the source line with licences (crediting OpenStreetMap's contributors when
 * a source is OSM data) and a ready-to-post caption. The JSON documents, the share images
 * and the share pages all take their texts from here, so they say the same thing.
 *
 * Pure: no I/O; reads an immutable stats_result. */
#ifndef CITYATLAS_STATS_STATS_SUMMARY_H
#define CITYATLAS_STATS_STATS_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stats.h"
#include "stats/stats_output.h"

/* A text in both languages; both NULL when there is none. Owned by what holds it. */
struct stats_text {
    char *en, *th;
};

struct stats_extreme {
    bool has;
    size_t area; /* index into the result's areas */
    double value;
};

struct stats_summary {
    enum stats_column column;             /* the classified column the headline shows */
    struct stats_text title;              /* the heading's, else made from the spec */
    bool has_value;                       /* the statistic's own number (of all areas) */
    double value;                         /* in the column's raw terms (a share is 0..1) */
    struct stats_text headline;           /* "3.1 per 10,000 residents", or highest/lowest */
    struct stats_extreme highest, lowest; /* over the areas with a value */
    size_t n_no_data;                     /* areas without a value in the column */
    struct stats_text caveat;             /* one short line, or none */
    int data_year_min, data_year_max;     /* years the sources were imported; 0: unknown */
    struct stats_text years;              /* "data as of 2026, population 2023" */
    struct stats_text credit;             /* "Sources: ...": attributions and licences */
    bool uses_osm;                        /* a source is OpenStreetMap data */
    struct stats_text caption;            /* ready to post */
};

/* What the summary is about beyond the result; every member may be NULL. */
struct stats_summary_context {
    const struct stats_heading *heading; /* a featured statistic's title, note, ... */
    const char *place_en, *place_th;     /* the city's name */
    const char *link;                    /* the short link a post carries */
};

void stats_summary_make(const struct stats_result *r, const struct stats_summary_context *ctx,
                        struct stats_summary *out);
void stats_summary_clear(struct stats_summary *s); /* a zeroed one is fine */

/* Columns and their units (stats_units.c) */

/* The cell's value in column col (a share as 0..1); false when it has none. */
bool stats_column_value(const struct stats_cell *c, enum stats_column col, double *v);
/* The unit of col for r ("per 10,000 residents", "km per km²", "%", "features"), or NULL
 * when it has none (a plain field's value) or r has no such column. Caller frees. */
char *stats_column_unit(const struct stats_result *r, enum stats_column col, bool is_thai);
/* v of col as readers see it: grouped digits, decimals for its size, a share in percent,
 * into out (cap >= 48). */
void stats_value_text(const struct stats_result *r, enum stats_column col, double v, char *out,
                      size_t cap);
/* "3.1 per 10,000 residents": the number and its unit. Caller frees. */
char *stats_value_with_unit(const struct stats_result *r, enum stats_column col, double v,
                            bool is_thai);
/* Class k (0..r->n_classes-1) of r as "0.4 – 1.2 per 10,000 residents" ("1.2 per ..." when
 * its ends read the same). Caller frees. */
char *stats_class_label(const struct stats_result *r, int k, bool is_thai);
/* The row's value in r's classified column; false when it has none, with the reason in
 * both languages (static or borrowed from r). stats_output_int.h has struct stats_row. */
struct stats_row;
bool stats_row_classified(const struct stats_result *r, const struct stats_row *row, double *v,
                          const char **why_en, const char **why_th);
/* The same for area i (all groups and periods): a missing population is no data, never 0. */
bool stats_area_classified(const struct stats_result *r, size_t area, double *v,
                           const char **why_en, const char **why_th);
/* "Highest: A 9.2 per 10,000 residents · lowest: B 0.4 per 10,000 residents" ("No data"
 * without values), as the summary's headline says when no single number does. Caller
 * frees. */
char *stats_summary_extremes_text(const struct stats_result *r, const struct stats_summary *s,
                                  bool is_thai);

#endif
