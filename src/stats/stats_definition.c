/* stats_definition.c - one paragraph that says what a statistic counted, how and in which
 * unit, with the layers' titles: what a page editor quotes under a number so that nobody
 * has to guess what it means. Written in English and in Thai (for the reader's language),
 * sentence for sentence the same. */
#include "stats/stats_int.h"

#include <stdlib.h>

#include "base/alloc.h"
#include "base/buf.h"

static const char *title(const struct store_layer *l)
{
    return l->title_en != NULL ? l->title_en : l->id;
}

static const char *title_th(const struct store_layer *l)
{
    return l->title_th != NULL ? l->title_th : title(l);
}

static const char *unit_words(enum stats_unit u)
{
    switch (u) {
    case STATS_UNIT_M:
        return "metres";
    case STATS_UNIT_KM:
        return "kilometres";
    case STATS_UNIT_M2:
        return "square metres";
    case STATS_UNIT_KM2:
        return "square kilometres";
    case STATS_UNIT_HA:
        return "hectares";
    default:
        return "";
    }
}

static int write_what(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                      struct err *err)
{
    const char *layer = title(p->layer);
    const char *where = p->by != NULL ? " whose point lies in each area" : "";
    switch (s->metric) {
    case STATS_COUNT:
        return buf_printf(b, err, "Number of features of \"%s\"%s", layer, where);
    case STATS_LENGTH:
    case STATS_AREA:
        return buf_printf(b, err,
                          "Total %s in %s of the %s of \"%s\"%s, measured on the WGS84 "
                          "ellipsoid",
                          s->metric == STATS_LENGTH ? "length" : "area", unit_words(s->unit),
                          s->metric == STATS_LENGTH ? "lines" : "polygons", layer,
                          p->by != NULL ? " inside each area (each feature clipped to the area)"
                                        : "");
    case STATS_NEAREST:
        return buf_printf(b, err,
                          "Distance in %s from each feature of \"%s\" to the nearest "
                          "feature of \"%s\"%s (geodesic, WGS84); per area the mean (value), "
                          "median and maximum of the features%s",
                          unit_words(s->unit), layer, title(p->to),
                          s->to_filter != NULL ? " matching the filter below" : "", where);
    default:
        return buf_printf(b, err,
                          "The %s of field \"%s\" over the features of \"%s\"%s "
                          "(features without a value are left out)",
                          stats_metric_name(s->metric), s->field, layer, where);
    }
}

static int write_details(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                         struct err *err)
{
    int rc = ERR_OK;
    if (p->by != NULL) {
        rc = buf_printf(b, err, "; the areas are the polygons of \"%s\"%s", title(p->by),
                        s->by_filter != NULL ? " matching by-filter" : "");
    }
    if (rc == ERR_OK && (s->filter != NULL || s->n_props > 0)) {
        rc = buf_printf(b, err, "; only features matching the filter in the query are counted");
    }
    if (rc == ERR_OK && s->to_filter != NULL) {
        rc = buf_printf(b, err, "; the features searched match: %s", s->to_filter);
    }
    if (rc == ERR_OK && s->has_beyond) {
        rc = buf_printf(b, err, "; share_beyond is the share of features farther than %g %s",
                        s->beyond, unit_words(s->unit));
    }
    if (rc == ERR_OK && s->group != NULL) {
        rc = buf_printf(b, err, "; grouped by field \"%s\"", s->group);
    }
    if (rc == ERR_OK && s->time != NULL) {
        rc = buf_printf(b, err, "; by %s of field \"%s\"", stats_interval_name(s->interval),
                        s->time);
    }
    if (rc == ERR_OK && p->by != NULL && s->metric != STATS_LENGTH && s->metric != STATS_AREA) {
        rc = buf_printf(b, err,
                        ". A feature counts in the one area holding its point (a point "
                        "on surface for lines and polygons), the first by id on a shared border");
    }
    if (rc == ERR_OK && s->population != NULL) {
        rc = buf_printf(b, err, ". Per-capita values are per %g residents", s->per);
    }
    return rc == ERR_OK ? buf_append_str(b, ".", err) : rc;
}

/* Thai */

static const char *unit_words_th(enum stats_unit u)
{
    static const char *const words[] = {"",          "เมตร",         "กิโลเมตร",
                                        "ตารางเมตร", "ตารางกิโลเมตร", "เฮกตาร์"};
    return words[u];
}

static const char *metric_th(enum stats_metric m)
{
    static const char *const words[] = {"จำนวน",  "ความยาว", "พื้นที่",      "ผลรวม",  "ค่าเฉลี่ย",
                                        "ค่าต่ำสุด", "ค่าสูงสุด",  "ค่ามัธยฐาน", "ระยะทาง"};
    return words[m];
}

static int write_what_th(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                         struct err *err)
{
    const char *layer = title_th(p->layer);
    const char *where = p->by != NULL ? "ที่จุดตั้งอยู่ในแต่ละพื้นที่" : "";
    switch (s->metric) {
    case STATS_COUNT:
        return buf_printf(b, err, "จำนวนรายการของ \"%s\"%s", layer, where);
    case STATS_LENGTH:
    case STATS_AREA:
        return buf_printf(b, err, "%sรวมเป็น%sของ%sใน \"%s\"%s วัดบนทรงรี WGS84", metric_th(s->metric),
                          unit_words_th(s->unit), s->metric == STATS_LENGTH ? "เส้น" : "รูปปิด", layer,
                          p->by != NULL ? " ส่วนที่อยู่ภายในแต่ละพื้นที่ (ตัดแต่ละรายการตามขอบพื้นที่)" : "");
    case STATS_NEAREST:
        return buf_printf(b, err,
                          "ระยะทางเป็น%sจากแต่ละรายการของ \"%s\" ถึงรายการที่ใกล้ที่สุดของ \"%s\"%s "
                          "(ระยะทางเส้นตรงบนทรงรี WGS84) ในแต่ละพื้นที่แสดงค่าเฉลี่ย (value) "
                          "มัธยฐาน และค่าสูงสุดของรายการ%s",
                          unit_words_th(s->unit), layer, title_th(p->to),
                          s->to_filter != NULL ? " ที่ตรงตามตัวกรองด้านล่าง" : "", where);
    default:
        return buf_printf(b, err, "%sของช่อง \"%s\" ของรายการใน \"%s\"%s (ไม่นับรายการที่ไม่มีค่า)",
                          metric_th(s->metric), s->field, layer, where);
    }
}

static int write_details_th(struct buf *b, const struct stats_spec *s, const struct stats_plan *p,
                            struct err *err)
{
    int rc = ERR_OK;
    if (p->by != NULL) {
        rc = buf_printf(b, err, " พื้นที่คือรูปปิดของ \"%s\"%s", title_th(p->by),
                        s->by_filter != NULL ? " ที่ตรงตาม by-filter" : "");
    }
    if (rc == ERR_OK && (s->filter != NULL || s->n_props > 0)) {
        rc = buf_printf(b, err, " นับเฉพาะรายการที่ตรงตามตัวกรองในคำขอ");
    }
    if (rc == ERR_OK && s->to_filter != NULL) {
        rc = buf_printf(b, err, " รายการที่ค้นหาตรงตาม: %s", s->to_filter);
    }
    if (rc == ERR_OK && s->has_beyond) {
        rc = buf_printf(b, err, " share_beyond คือสัดส่วนของรายการที่อยู่ไกลกว่า %g %s", s->beyond,
                        unit_words_th(s->unit));
    }
    if (rc == ERR_OK && s->group != NULL) {
        rc = buf_printf(b, err, " แยกกลุ่มตามช่อง \"%s\"", s->group);
    }
    if (rc == ERR_OK && s->time != NULL) {
        rc = buf_printf(b, err, " แยกตาม%sของช่อง \"%s\"",
                        s->interval == STATS_INTERVAL_DAY     ? "วัน"
                        : s->interval == STATS_INTERVAL_MONTH ? "เดือน"
                                                              : "ปี",
                        s->time);
    }
    if (rc == ERR_OK && p->by != NULL && s->metric != STATS_LENGTH && s->metric != STATS_AREA) {
        rc = buf_printf(b, err,
                        " แต่ละรายการนับในพื้นที่เดียวที่มีจุดของรายการนั้น (เส้นและรูปปิดใช้จุดบนพื้นผิว) "
                        "ถ้าจุดอยู่บนขอบที่ใช้ร่วมกันจะนับในพื้นที่ที่มีรหัสน้อยกว่า");
    }
    if (rc == ERR_OK && s->population != NULL) {
        rc = buf_printf(b, err, " ค่าต่อประชากรคิดต่อประชากร %g คน", s->per);
    }
    return rc;
}

char *stats_definition(const struct stats_spec *spec, const struct stats_plan *plan, bool is_thai)
{
    struct buf b;
    buf_init(&b, 64 * 1024);
    struct err err = {0};
    /* a cut paragraph is still readable */
    if (is_thai) {
        if (write_what_th(&b, spec, plan, &err) == ERR_OK) {
            (void)write_details_th(&b, spec, plan, &err);
        }
    } else if (write_what(&b, spec, plan, &err) == ERR_OK) {
        (void)write_details(&b, spec, plan, &err);
    }
    char *text = buf_take(&b);
    return text != NULL ? text : xstrdup("");
}
