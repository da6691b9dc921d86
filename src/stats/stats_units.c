/* stats_units.c - a statistic's columns as readers see them: each column's unit in Thai
 * and English, numbers with grouped digits and as many decimals as their size deserves,
 * class ranges with units, and why a row has no value. */
#include "stats/stats_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/number_text.h"
#include "stats/stats_output_int.h"

bool stats_column_value(const struct stats_cell *c, enum stats_column col, double *v)
{
    switch (col) {
    case STATS_COL_PER_KM2:
        *v = c->per_km2;
        return c->has_per_km2;
    case STATS_COL_PER_CAPITA:
        *v = c->per_capita;
        return c->has_per_capita;
    case STATS_COL_SHARE:
        *v = c->share;
        return c->has_share;
    case STATS_COL_VALUE:
        break;
    }
    *v = c->value;
    return c->has_value;
}

/* The value column's own unit: lengths and areas, counted features, or none (a field). */
static const char *value_unit(const struct stats_result *r, bool is_thai)
{
    static const char *const th[] = {NULL, "ม.", "กม.", "ตร.ม.", "ตร.กม.", "เฮกตาร์"};
    static const char *const en[] = {NULL, "m", "km", "m²", "km²", "ha"};
    if (r->spec.metric == STATS_COUNT) {
        return is_thai ? "แห่ง" : "features";
    }
    return (is_thai ? th : en)[r->spec.unit];
}

char *stats_column_unit(const struct stats_result *r, enum stats_column col, bool is_thai)
{
    /* A count per km² is "per km²", not "features per km²": the number says how many. */
    const char *unit = r->spec.metric == STATS_COUNT ? NULL : value_unit(r, is_thai);
    const char *sep = unit != NULL ? " " : "";
    bool is_additive = stats_metric_is_additive(r->spec.metric);
    char per[48];
    switch (col) {
    case STATS_COL_PER_KM2:
        return is_additive ? xasprintf("%s%s%s", unit != NULL ? unit : "", sep,
                                       is_thai ? "ต่อ ตร.กม." : "per km²")
                           : NULL;
    case STATS_COL_PER_CAPITA:
        if (!is_additive || !r->has_population) {
            return NULL;
        }
        number_text_grouped(r->spec.per, 0, per, sizeof(per));
        return xasprintf(is_thai ? "%s%sต่อประชากร %s คน" : "%s%sper %s residents",
                         unit != NULL ? unit : "", sep, per);
    case STATS_COL_SHARE:
        return is_additive ? xstrdup(is_thai ? "% ของทั้งหมด" : "% of the total") : NULL;
    case STATS_COL_VALUE:
        break;
    }
    unit = value_unit(r, is_thai);
    return unit != NULL ? xstrdup(unit) : NULL;
}

/* Decimals for v: whole counts; otherwise 3 significant digits, at most 3 decimals. */
static int decimals_for(const struct stats_result *r, enum stats_column col, double v)
{
    if (col == STATS_COL_VALUE && r->spec.metric == STATS_COUNT) {
        return 0;
    }
    double a = fabs(v);
    return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

void stats_value_text(const struct stats_result *r, enum stats_column col, double v, char *out,
                      size_t cap)
{
    double shown = col == STATS_COL_SHARE ? v * 100 : v;
    number_text_grouped(shown, decimals_for(r, col, shown), out, cap);
}

char *stats_value_with_unit(const struct stats_result *r, enum stats_column col, double v,
                            bool is_thai)
{
    char number[64];
    stats_value_text(r, col, v, number, sizeof(number));
    char *unit = stats_column_unit(r, col, is_thai);
    bool is_percent = unit != NULL && unit[0] == '%';
    char *text =
        unit != NULL ? xasprintf("%s%s%s", number, is_percent ? "" : " ", unit) : xstrdup(number);
    free(unit);
    return text;
}

char *stats_class_label(const struct stats_result *r, int k, bool is_thai)
{
    enum stats_column col = r->classify_column;
    char lo[64], hi[64];
    stats_value_text(r, col, r->breaks[k], lo, sizeof(lo));
    stats_value_text(r, col, r->breaks[k + 1], hi, sizeof(hi));
    char *unit = stats_column_unit(r, col, is_thai);
    bool is_percent = unit != NULL && unit[0] == '%';
    const char *sep = unit == NULL ? "" : is_percent ? "" : " ";
    char *text = strcmp(lo, hi) == 0
                     ? xasprintf("%s%s%s", lo, sep, unit != NULL ? unit : "")
                     : xasprintf("%s – %s%s%s", lo, hi, sep, unit != NULL ? unit : "");
    free(unit);
    return text;
}

bool stats_row_classified(const struct stats_result *r, const struct stats_row *row, double *v,
                          const char **why_en, const char **why_th)
{
    *why_en = *why_th = NULL;
    if (stats_column_value(&row->cell, r->classify_column, v) && isfinite(*v)) {
        return true;
    }
    switch (r->classify_column) {
    case STATS_COL_PER_CAPITA:
        *why_en = stats_output_note(row) != NULL ? stats_output_note(row)
                                                 : "no population figure for this area";
        *why_th = "ไม่มีข้อมูลประชากรของพื้นที่นี้ จึงคำนวณต่อประชากรไม่ได้";
        break;
    case STATS_COL_PER_KM2:
        *why_en = "the area has no size to divide by";
        *why_th = "ไม่มีขนาดพื้นที่ให้หาร";
        break;
    default:
        *why_en = row->cell.n == 0 ? "no features in this area to compute it from"
                                   : "no feature here has a value";
        *why_th = row->cell.n == 0 ? "ไม่มีข้อมูลในพื้นที่นี้ให้คำนวณ" : "ไม่มีรายการใดมีค่า";
        break;
    }
    return false;
}

bool stats_area_classified(const struct stats_result *r, size_t area, double *v,
                           const char **why_en, const char **why_th)
{
    struct stats_row row;
    stats_output_area_row(r, area, &row);
    return stats_row_classified(r, &row, v, why_en, why_th);
}
