/* stats_output.h - a struct stats_result as text: JSON (every value with its definition,
 * sources and freshness), GeoJSON (the boundaries with the statistics as properties, class
 * breaks and colours for a choropleth), CSV (one row per cell, for spreadsheets) and an
 * aligned table for terminals (`cityatlas stats`). Pure: no I/O, no store access.
 *
 * Numbers: counts as integers; other values rounded to what their unit can honestly show
 * (STATS_OUTPUT_DECIMALS), the same digits in every format, so a value read from the CSV
 * equals the one in the JSON. Missing values are JSON null / empty CSV cells, each with the
 * reason next to it. */
#ifndef CITYATLAS_STATS_STATS_OUTPUT_H
#define CITYATLAS_STATS_STATS_OUTPUT_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"
#include "stats/stats.h"

/* Decimals written for values, per-km², per-capita values and shares. */
#define STATS_OUTPUT_DECIMALS 4

/* What a featured statistic adds on top (all may be NULL). */
struct stats_heading {
    const char *id;
    const char *title_en, *title_th;
    const char *question_en, *question_th;
    const char *note_en, *note_th;
};

/* Options of one rendering. */
struct stats_output {
    bool is_thai;                        /* titles and names in Thai where there is a choice */
    const struct stats_heading *heading; /* or NULL */
    const char *links_json;              /* a JSON array written as "links", or NULL */
    const char *place_en, *place_th;     /* the city's name for the caption, or NULL */
    const char *link;                    /* the short link in the caption, or NULL */
};

int stats_write_json(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                     struct err *err) WARN_UNUSED;
int stats_write_geojson(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                        struct err *err) WARN_UNUSED;
int stats_write_csv(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                    struct err *err) WARN_UNUSED;
/* The media type of stats_write_xlsx's answer. */
#define STATS_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* A workbook (libxlsxwriter) for spreadsheets: a sheet "statistic" with the CSV's columns
 * as typed cells (numbers as numbers, Thai text as is) and a sheet "about" with the
 * title, headline, definition, caveat, years, sources and caption in the chosen language. */
int stats_write_xlsx(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                     struct err *err) WARN_UNUSED;
/* Columns padded by display width (Thai combining marks take no column), then the
 * definition, sources and notes as lines under the table. */
int stats_write_table(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                      struct err *err) WARN_UNUSED;

#endif
