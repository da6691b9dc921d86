/* api_openapi_maps.c - the part of the "/api" document for the exported maps
 * (api_scenario_maps.c): posters, comparison sheets, share images and GeoPackage bundles,
 * with their parameters. Registered by api_openapi.c like the statistics and scenario
 * parts. */
#include "http/server/api_openapi_int.h"

#include <stdbool.h>
#include <string.h>

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

/* What the document says about a map route of the table (routes.c), by its operationId. */
struct map_doc {
    const char *operation_id, *summary_en, *summary_th, *media_type;
};

static const struct map_doc docs[] = {
    {"getScenariosComparePng", "Scenarios side by side (PNG)", "เปรียบเทียบฉากทัศน์ (PNG)",
     "image/png"},
    {"getScenariosComparePdf", "Scenarios side by side (PDF)", "เปรียบเทียบฉากทัศน์ (PDF)",
     "application/pdf"},
    {"getScenarioGeoPackage",
     "The scenario as a GeoPackage: its layers clipped to its extent, its visible sketches "
     "in a points, a lines and a polygons table (with the kind titles) styled for QGIS "
     "(layer_styles), and a 'scenario' metadata table",
     "ฉากทัศน์เป็นไฟล์ GeoPackage: ชั้นข้อมูลตัดตามขอบเขต ภาพร่างที่เผยแพร่แยกเป็นตารางจุด "
     "เส้น และพื้นที่ (พร้อมชื่อประเภท) มีรูปแบบการแสดงผลสำหรับ QGIS (layer_styles) "
     "และตารางข้อมูลฉากทัศน์",
     "application/geopackage+sqlite3"},
    {"getScenarioMapPng", "Scenario poster (PNG)", "โปสเตอร์ฉากทัศน์ (PNG)", "image/png"},
    {"getScenarioMapPdf", "Scenario poster (PDF)", "โปสเตอร์ฉากทัศน์ (PDF)", "application/pdf"},
    {"getScenarioMapSvg", "Scenario poster (SVG)", "โปสเตอร์ฉากทัศน์ (SVG)", "image/svg+xml"},
    {"getScenarioShareImage", "Share image of a scenario for social media",
     "ภาพฉากทัศน์สำหรับแชร์บนโซเชียลมีเดีย", "image/png"},
    {"getFeaturedStatisticShareImage",
     "Share image of a featured statistic: its choropleth with the key of its classes and "
     "units (no data hatched), the headline number, the highest and lowest areas, a caveat, "
     "the data years, the computed date, the sources with licences and the link",
     "ภาพสถิติเด่นสำหรับแชร์: แผนที่ระดับสีพร้อมคำอธิบายช่วงชั้นและหน่วย (ไม่มีข้อมูลแสดงเป็นลายเส้น) "
     "ตัวเลขสำคัญ พื้นที่สูงสุดและต่ำสุด ข้อควรระวัง ปีของข้อมูล วันที่คำนวณ ที่มาพร้อมสัญญาอนุญาต และลิงก์",
     "image/png"},
    {"getFeaturedStatisticShareSvg", "The featured statistic's share image as SVG",
     "ภาพสถิติเด่นสำหรับแชร์ (SVG)", "image/svg+xml"},
    {"getFeaturedStatisticSharePdf",
     "The featured statistic's share image as PDF (its text can be copied)",
     "ภาพสถิติเด่นสำหรับแชร์ (PDF คัดลอกข้อความได้)", "application/pdf"},
    {"getStatisticShareImage",
     "Share image of any statistic: the parameters of /stats (it needs by), with size and "
     "lang; the same contents as a featured statistic's",
     "ภาพสำหรับแชร์ของสถิติใดก็ได้: ใช้พารามิเตอร์เดียวกับ /stats (ต้องมี by) พร้อม size และ lang", "image/png"},
    {"getStatisticShareSvg", "Share image of any statistic as SVG", "ภาพสำหรับแชร์ของสถิติใดก็ได้ (SVG)",
     "image/svg+xml"},
    {"getStatisticSharePdf", "Share image of any statistic as PDF", "ภาพสำหรับแชร์ของสถิติใดก็ได้ (PDF)",
     "application/pdf"},
};

#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static json_t *responses(const struct map_doc *d, const char *pattern, enum http_lang lang)
{
    json_t *ok = json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description",
                           tr(lang, d->summary_en, d->summary_th), "content", d->media_type,
                           "schema", "type", "string", "format", "binary");
    return openapi_read_responses(ok, pattern, "NotFound");
}

json_t *openapi_maps_operation(const struct api_route *route, enum http_lang lang)
{
    const struct map_doc *d = openapi_doc_of(docs, N_DOCS, sizeof(docs[0]), route->operation_id);
    return d == NULL
               ? NULL
               : openapi_summary_operation(d->operation_id, tr(lang, d->summary_en, d->summary_th),
                                           responses(d, route->pattern, lang));
}
