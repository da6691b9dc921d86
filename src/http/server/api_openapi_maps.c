/* api_openapi_maps.c - the part of the "/api" document for the exported maps
 * (api_scenario_maps.c): posters, comparison sheets, share images and GeoPackage bundles,
 * with their parameters. Registered by api_openapi.c like the statistics and scenario
 * parts. */
#include "http/server/api_openapi_int.h"

#include <stdbool.h>
#include <string.h>

#include "render/render.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

static json_t *int_schema(int min, int max)
{
    return json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", min, "maximum", max);
}

void openapi_maps_components(json_t *components, enum http_lang lang)
{
    static const char *const papers[] = {"A4", "A3", "A1"};
    static const char *const orientations[] = {"landscape", "portrait"};
    static const char *const sizes[] = {"1200x630", "1080x1080", "1080x1350"};
    static const char *const langs[] = {"th", "en"};
    static const char *const layouts[] = {"sheet", "map"};
    json_t *p = json_object_get(components, "parameters");
    json_object_set_new(
        p, "mapLayout",
        openapi_query_param("layout",
                            tr(lang,
                               "sheet: the poster (title, narrative, map with legend, scale bar "
                               "and north arrow, statistics, sources, date, QR code); map: the "
                               "map alone over the whole page, to embed in other documents.",
                               "sheet: โปสเตอร์ (ชื่อเรื่อง คำบรรยาย แผนที่พร้อมคำอธิบายสัญลักษณ์ "
                               "มาตราส่วนและทิศเหนือ สถิติ แหล่งข้อมูล วันที่ คิวอาร์โค้ด); map: "
                               "แผนที่อย่างเดียวเต็มหน้า สำหรับใส่ในเอกสารอื่น"),
                            openapi_string_enum(layouts, 2, "sheet")));
    json_object_set_new(p, "paper",
                        openapi_query_param("paper",
                                            tr(lang, "Paper size of the poster (ISO 216).",
                                               "ขนาดกระดาษของโปสเตอร์ (ISO 216)"),
                                            openapi_string_enum(papers, 3, "A3")));
    json_object_set_new(p, "orientation",
                        openapi_query_param("orientation",
                                            tr(lang, "Paper orientation.", "แนวกระดาษ"),
                                            openapi_string_enum(orientations, 2, "landscape")));
    json_object_set_new(
        p, "width",
        openapi_query_param("width",
                            tr(lang,
                               "A page of this many pixels (PNG) or points (PDF, SVG) wide "
                               "instead of a paper size; needs height.",
                               "ความกว้างของหน้าเป็นพิกเซล (PNG) หรือพอยต์ (PDF, SVG) แทนขนาดกระดาษ "
                               "ต้องระบุ height ด้วย"),
                            int_schema(1, RENDER_MAX_SIDE_PX)));
    json_object_set_new(
        p, "height",
        openapi_query_param("height",
                            tr(lang, "The page's height, with width.", "ความสูงของหน้า ใช้คู่กับ width"),
                            int_schema(1, RENDER_MAX_SIDE_PX)));
    json_object_set_new(
        p, "dpi",
        openapi_query_param("dpi",
                            tr(lang, "Pixels per inch of a PNG on paper (default 150).",
                               "จำนวนพิกเซลต่อนิ้วของ PNG บนขนาดกระดาษ (ค่าเริ่มต้น 150)"),
                            json_pack("{s:s, s:f, s:f}", "type", "number", "minimum",
                                      RENDER_MIN_DPI, "maximum", RENDER_MAX_DPI)));
    json_object_set_new(p, "shareSize",
                        openapi_query_param("size",
                                            tr(lang, "Size of the share image, in pixels.",
                                               "ขนาดของภาพสำหรับแชร์ เป็นพิกเซล"),
                                            openapi_string_enum(sizes, 3, "1200x630")));
    json_object_set_new(p, "mapLang",
                        openapi_query_param("lang",
                                            tr(lang,
                                               "Language of the map's texts (Thai unless "
                                               "asked otherwise).",
                                               "ภาษาของข้อความบนแผนที่ (ค่าเริ่มต้นภาษาไทย)"),
                                            openapi_string_enum(langs, 2, "th")));
    json_t *ids = openapi_query_param("ids",
                                      tr(lang, "2 to 4 distinct scenario ids, separated by commas.",
                                         "รหัสฉากทัศน์ 2 ถึง 4 รายการที่ไม่ซ้ำกัน คั่นด้วยจุลภาค"),
                                      openapi_typed("string"));
    json_object_set_new(ids, "required", json_true());
    json_object_set_new(p, "compareIds", ids);
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
    for (size_t i = 0; i < N_DOCS; i++) {
        if (strcmp(docs[i].operation_id, route->operation_id) == 0) {
            return json_pack("{s:s, s:s, s:o}", "operationId", docs[i].operation_id, "summary",
                             tr(lang, docs[i].summary_en, docs[i].summary_th), "responses",
                             responses(&docs[i], route->pattern, lang));
        }
    }
    return NULL;
}
