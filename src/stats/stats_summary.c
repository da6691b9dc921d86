/* stats_summary.c - a statistic's headline, extremes, caveat, years, credit line and
 * caption in Thai and English (stats_summary.h). The headline never shows a number of
 * another column than the one the statistic is about: a per-capita statistic whose
 * city-wide figure is missing says which areas are highest and lowest instead of showing
 * the raw count. */
#include "stats/stats_summary.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "stats/stats_output_int.h"

/* Characters of the caveat: one line under an image. */
#define SUMMARY_CAVEAT_CHARS 120
/* The Buddhist era is the Gregorian year plus this. */
#define BUDDHIST_ERA_OFFSET 543

static void text_set(struct stats_text *t, char *en, char *th)
{
    free(t->en);
    free(t->th);
    t->en = en;
    t->th = th;
}

/* Appends a piece (owned, freed here) to *t: the texts here are a few lines long. */
static void add(char **t, char *piece)
{
    char *joined = xasprintf("%s%s", *t, piece);
    free(*t);
    free(piece);
    *t = joined;
}

static void text_clear(struct stats_text *t)
{
    text_set(t, NULL, NULL);
}

static const struct stats_source *source_of(const struct stats_result *r, const char *role)
{
    for (size_t i = 0; i < r->n_sources; i++) {
        if (strcmp(r->sources[i].role, role) == 0) {
            return &r->sources[i];
        }
    }
    return NULL;
}

static const char *source_title(const struct stats_source *s, bool is_thai)
{
    if (s == NULL) {
        return "";
    }
    const char *t = is_thai && s->title_th != NULL ? s->title_th : s->title_en;
    return t != NULL ? t : s->id;
}

static const char *area_label(const struct stats_area *a)
{
    return a->name != NULL ? a->name : a->code != NULL ? a->code : "?";
}

/* Title */

static char *what_text(const struct stats_result *r, bool th)
{
    const char *layer = source_title(source_of(r, "layer"), th);
    const char *field = r->spec.field != NULL ? r->spec.field : "";
    switch (r->spec.metric) {
    case STATS_COUNT:
        return xasprintf(th ? "จำนวน%s" : "Number of %s", layer);
    case STATS_LENGTH:
        return xasprintf(th ? "ความยาวของ%s" : "Length of %s", layer);
    case STATS_AREA:
        return xasprintf(th ? "พื้นที่ของ%s" : "Area of %s", layer);
    case STATS_NEAREST:
        return xasprintf(th ? "ระยะทางจาก%sถึง%sที่ใกล้ที่สุด" : "Distance from %s to the nearest %s",
                         layer, source_title(source_of(r, "to"), th));
    default:
        break;
    }
    static const char *const en_words[] = {"",     "",       "",        "Sum",
                                           "Mean", "Lowest", "Highest", "Median"};
    static const char *const th_words[] = {"",       "",       "",       "ผลรวม",
                                           "ค่าเฉลี่ย", "ค่าต่ำสุด", "ค่าสูงสุด", "ค่ามัธยฐาน"};
    return xasprintf(th ? "%s %s ของ%s" : "%s %s of %s", (th ? th_words : en_words)[r->spec.metric],
                     field, layer);
}

static char *made_title(const struct stats_result *r, bool th)
{
    char *what = what_text(r, th);
    char *unit =
        r->classify_column != STATS_COL_VALUE ? stats_column_unit(r, r->classify_column, th) : NULL;
    const struct stats_source *by = source_of(r, "by");
    char *title = xasprintf("%s%s%s%s%s", what, unit != NULL ? " " : "", unit != NULL ? unit : "",
                            by != NULL ? (th ? " แยกตาม" : " by ") : "",
                            by != NULL ? source_title(by, th) : "");
    free(what);
    free(unit);
    return title;
}

static void make_title(const struct stats_result *r, const struct stats_heading *h,
                       struct stats_text *out)
{
    const char *en = h != NULL ? (h->title_en != NULL ? h->title_en : h->title_th) : NULL;
    const char *th = h != NULL ? (h->title_th != NULL ? h->title_th : h->title_en) : NULL;
    text_set(out, en != NULL ? xstrdup(en) : made_title(r, false),
             th != NULL ? xstrdup(th) : made_title(r, true));
}

/* Headline and extremes */

static void find_extremes(const struct stats_result *r, struct stats_summary *s)
{
    for (size_t i = 0; i < r->n_areas; i++) {
        double v = 0;
        const char *why_en, *why_th;
        if (!stats_area_classified(r, i, &v, &why_en, &why_th)) {
            s->n_no_data++;
            continue;
        }
        if (!s->highest.has || v > s->highest.value) {
            s->highest = (struct stats_extreme){true, i, v};
        }
        if (!s->lowest.has || v < s->lowest.value) {
            s->lowest = (struct stats_extreme){true, i, v};
        }
    }
}

char *stats_summary_extremes_text(const struct stats_result *r, const struct stats_summary *s,
                                  bool th)
{
    if (!s->highest.has) {
        return xstrdup(th ? "ไม่มีข้อมูล" : "No data");
    }
    char *hi = stats_value_with_unit(r, s->column, s->highest.value, th);
    char *lo = stats_value_with_unit(r, s->column, s->lowest.value, th);
    char *text = xasprintf(th ? "สูงสุด %s %s · ต่ำสุด %s %s" : "Highest: %s %s · lowest: %s %s",
                           area_label(&r->areas[s->highest.area]), hi,
                           area_label(&r->areas[s->lowest.area]), lo);
    free(hi);
    free(lo);
    return text;
}

static void make_headline(const struct stats_result *r, struct stats_summary *s)
{
    const struct stats_cell *total = stats_output_total(r);
    double v = 0;
    s->has_value = total != NULL && stats_column_value(total, s->column, &v) && isfinite(v);
    s->value = s->has_value ? v : 0;
    if (s->has_value) {
        text_set(&s->headline, stats_value_with_unit(r, s->column, v, false),
                 stats_value_with_unit(r, s->column, v, true));
    } else {
        text_set(&s->headline, stats_summary_extremes_text(r, s, false),
                 stats_summary_extremes_text(r, s, true));
    }
}

/* Caveat */

/* text up to its first sentence's end, or cut at a space before SUMMARY_CAVEAT_CHARS
 * characters with an ellipsis. */
static char *short_line(const char *text)
{
    const char *stop = strstr(text, ". ");
    size_t chars = 0, last_space = 0, i = 0;
    for (; text[i] != '\0'; i++) {
        if (stop != NULL && text + i == stop) {
            return xstrndup(text, i + 1);
        }
        if (((unsigned char)text[i] & 0xC0) == 0x80) {
            continue;
        }
        if (text[i] == ' ') {
            last_space = i;
        }
        if (++chars > SUMMARY_CAVEAT_CHARS) {
            size_t cut = last_space > 0 ? last_space : i;
            while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ',')) {
                cut--;
            }
            return xasprintf("%.*s…", (int)cut, text);
        }
    }
    return xstrdup(text);
}

static char *made_caveat(const struct stats_result *r, const struct stats_summary *s, bool th)
{
    if (s->n_no_data > 0 && s->column == STATS_COL_PER_CAPITA) {
        return xasprintf(th ? "%zu จาก %zu พื้นที่ไม่มีข้อมูลประชากร จึงแสดงเป็น \"ไม่มีข้อมูล\""
                            : "%zu of %zu areas have no population figure: shown as no data",
                         s->n_no_data, r->n_areas);
    }
    if (r->n_unassigned > 0) {
        return xasprintf(th ? "%lld รายการอยู่นอกทุกพื้นที่และไม่ถูกนับ"
                            : "%lld features lie outside every area and are not counted",
                         (long long)r->n_unassigned);
    }
    return NULL;
}

static void make_caveat(const struct stats_result *r, const struct stats_heading *h,
                        struct stats_summary *s)
{
    const char *en = h != NULL ? h->note_en : NULL;
    const char *th = h != NULL ? h->note_th : NULL;
    text_set(&s->caveat, en != NULL ? short_line(en) : made_caveat(r, s, false),
             th != NULL ? short_line(th) : made_caveat(r, s, true));
}

/* Years */

static void year_range(int min, int max, bool th, char *out, size_t cap)
{
    int shift = th ? BUDDHIST_ERA_OFFSET : 0;
    if (min == max) {
        snprintf(out, cap, "%d", min + shift);
    } else {
        snprintf(out, cap, "%d–%d", min + shift, max + shift);
    }
}

static char *years_text(const struct stats_result *r, const struct stats_summary *s, bool th)
{
    char data[32] = "", pop[32] = "";
    if (s->data_year_min > 0) {
        year_range(s->data_year_min, s->data_year_max, th, data, sizeof(data));
    }
    if (r->population_year_min > 0) {
        year_range(r->population_year_min, r->population_year_max, th, pop, sizeof(pop));
    }
    char *t = xstrdup("");
    if (data[0] != '\0') {
        add(&t, xasprintf(th ? "ข้อมูล ณ ปี %s" : "data as of %s", data));
    }
    if (pop[0] != '\0') {
        add(&t, xasprintf("%s%s%s", t[0] != '\0' ? ", " : "",
                          th ? "ประชากรปี " : "population figures of ", pop));
    }
    return t;
}

static void make_years(const struct stats_result *r, struct stats_summary *s)
{
    for (size_t i = 0; i < r->n_sources; i++) {
        const char *at = r->sources[i].imported_at;
        int year = at != NULL && strlen(at) >= 4 ? atoi(at) : 0;
        if (year > 0) {
            s->data_year_min =
                s->data_year_min == 0 || year < s->data_year_min ? year : s->data_year_min;
            s->data_year_max = year > s->data_year_max ? year : s->data_year_max;
        }
    }
    text_set(&s->years, years_text(r, s, false), years_text(r, s, true));
}

/* Credit */

static bool contains_nocase(const char *haystack, const char *needle)
{
    if (haystack == NULL) {
        return false;
    }
    size_t n = strlen(needle);
    for (const char *p = haystack; *p != '\0'; p++) {
        if (strncasecmp(p, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

/* OpenStreetMap data, known by its licence (ODbL) or by its attribution or source naming
 * OpenStreetMap: the registry's metadata, whatever the layer is called. */
static bool is_osm(const struct stats_source *s)
{
    return (s->license != NULL && strncasecmp(s->license, "ODbL", 4) == 0) ||
           contains_nocase(s->attribution, "openstreetmap") ||
           contains_nocase(s->source, "openstreetmap") ||
           contains_nocase(s->source_url, "openstreetmap.org");
}

static const char osm_credit[] = "© OpenStreetMap contributors";

static char *credit_text(const struct stats_result *r, bool uses_osm, bool th)
{
    char *t = xstrdup("");
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct stats_source *s = &r->sources[i];
        const char *who = s->attribution != NULL ? s->attribution : source_title(s, th);
        bool is_repeat = false;
        for (size_t j = 0; j < i && !is_repeat; j++) {
            const struct stats_source *o = &r->sources[j];
            const char *other = o->attribution != NULL ? o->attribution : source_title(o, th);
            is_repeat = strcmp(other, who) == 0;
        }
        if (is_repeat) {
            continue;
        }
        add(&t, xasprintf("%s%s", t[0] != '\0' ? "; " : "", who));
        if (s->license != NULL && !contains_nocase(who, s->license)) {
            add(&t, xasprintf(th ? " (สัญญาอนุญาต %s)" : " (licence %s)", s->license));
        }
    }
    bool needs_osm = uses_osm && strstr(t, osm_credit) == NULL;
    char *line = xasprintf("%s%s%s%s", th ? "ที่มา: " : "Sources: ", needs_osm ? osm_credit : "",
                           needs_osm && t[0] != '\0' ? "; " : "", t);
    free(t);
    return line;
}

/* Caption */

static char *caption_text(const struct stats_summary *s, const struct stats_summary_context *c,
                          bool th)
{
    const char *place = th ? (c->place_th != NULL ? c->place_th : c->place_en) : c->place_en;
    const struct stats_text *title = &s->title, *head = &s->headline, *years = &s->years;
    char *t = xasprintf("%s: %s\n", th ? title->th : title->en, th ? head->th : head->en);
    const char *when = th ? years->th : years->en;
    if (place != NULL || when[0] != '\0') {
        add(&t, xasprintf("%s%s%s\n", place != NULL ? place : "",
                          place != NULL && when[0] != '\0' ? " · " : "", when));
    }
    const char *caveat = th ? s->caveat.th : s->caveat.en;
    if (caveat != NULL) {
        add(&t, xasprintf("%s%s\n", th ? "หมายเหตุ: " : "Note: ", caveat));
    }
    add(&t, xstrdup(th ? s->credit.th : s->credit.en));
    if (c->link != NULL) {
        add(&t, xasprintf("\n%s", c->link));
    }
    return t;
}

void stats_summary_make(const struct stats_result *r, const struct stats_summary_context *ctx,
                        struct stats_summary *out)
{
    static const struct stats_summary_context none = {0};
    const struct stats_summary_context *c = ctx != NULL ? ctx : &none;
    memset(out, 0, sizeof(*out));
    out->column = r->classify_column;
    make_title(r, c->heading, &out->title);
    find_extremes(r, out);
    make_headline(r, out);
    make_caveat(r, c->heading, out);
    make_years(r, out);
    for (size_t i = 0; i < r->n_sources; i++) {
        out->uses_osm = out->uses_osm || is_osm(&r->sources[i]);
    }
    text_set(&out->credit, credit_text(r, out->uses_osm, false),
             credit_text(r, out->uses_osm, true));
    text_set(&out->caption, caption_text(out, c, false), caption_text(out, c, true));
}

void stats_summary_clear(struct stats_summary *s)
{
    struct stats_text *texts[] = {&s->title, &s->headline, &s->caveat,
                                  &s->years, &s->credit,   &s->caption};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        text_clear(texts[i]);
    }
    memset(s, 0, sizeof(*s));
}
