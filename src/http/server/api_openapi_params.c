/* api_openapi_params.c - the query parameters of the route table (routes.c) as
 * components/parameters of "/api": name, schema (type, bounds, default, values) made from
 * the table's definition, the one the server checks requests against (route.c), and the
 * description written here, once per parameter. Path parameters, whose schemas are the
 * data's (collections, statistics, tile matrices), are described by the files of their
 * routes. */
#include "http/server/api_openapi_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/transport/api_common.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

/* What /api says about a query parameter of the table, by its component. */
struct param_doc {
    const char *component, *en, *th;
};

static const struct param_doc docs[] = {
    /* Formats and languages */
    {"f",
     "The format of the response: json (the default) or html. Without f, the Accept header "
     "decides.",
     "รูปแบบของคำตอบ: json (ค่าเริ่มต้น) หรือ html ถ้าไม่ระบุ f จะเลือกตามส่วนหัว Accept"},
    {"f-features",
     "The format of the response: json (GeoJSON, the default; geojson is accepted too), html, "
     "or csv (the properties, with the geometry as WKT). Without f, the Accept header decides.",
     "รูปแบบของคำตอบ: json (GeoJSON เป็นค่าเริ่มต้น ใช้ geojson ได้เช่นกัน) "
     "html หรือ csv (ค่าคุณสมบัติ พร้อมรูปทรงเรขาคณิตแบบ WKT) ถ้าไม่ระบุ f "
     "จะเลือกตามส่วนหัว Accept"},
    {"f-stats",
     "The format: json (every value with its definition, sources and freshness; the "
     "default), geojson (the boundaries with the values, class and colour as "
     "properties, for a choropleth map), csv (one line per row, for spreadsheets; "
     "UTF-8 with a byte order mark) or xlsx (the same rows as a workbook, with a "
     "sheet saying what they mean). Without f, an Accept header naming "
     "application/geo+json or text/csv decides.",
     "รูปแบบของคำตอบ: json (ทุกค่าพร้อมนิยาม แหล่งที่มา และความใหม่ของข้อมูล "
     "เป็นค่าเริ่มต้น) geojson (ขอบเขตพร้อมค่า ช่วงชั้น และสีเป็นคุณสมบัติ สำหรับ"
     "แผนที่ choropleth) csv (หนึ่งบรรทัดต่อแถว สำหรับโปรแกรมตารางคำนวณ UTF-8 มี BOM) "
     "หรือ xlsx (แถวเดียวกันเป็นสมุดงาน พร้อมแผ่นงานอธิบายความหมาย) ถ้าไม่ระบุ "
     "f จะเลือกตามส่วนหัว Accept ที่ระบุ application/geo+json หรือ text/csv"},
    {"f-featured",
     "The format: json, geojson, csv or xlsx, as for /stats, or html (the statistic's web "
     "page with its share image and definition). Without f, the Accept header decides.",
     "รูปแบบของคำตอบ: json geojson csv หรือ xlsx เช่นเดียวกับ /stats หรือ html "
     "(หน้าเว็บของสถิติพร้อมภาพสำหรับแชร์และนิยาม) ถ้าไม่ระบุ f จะเลือกตามส่วนหัว Accept"},
    {"f-json", "The format: json only.", "รูปแบบของคำตอบ: json เท่านั้น"},
    {"lang",
     "The language of titles, descriptions and web pages: en or th. Without lang, the "
     "Accept-Language header decides, then English.",
     "ภาษาของชื่อ คำอธิบาย และหน้าเว็บ: en (อังกฤษ) หรือ th (ไทย) ถ้าไม่ระบุ "
     "lang จะเลือกตามส่วนหัว Accept-Language แล้วจึงใช้ภาษาอังกฤษ"},
    {"mapLang", "Language of the map's texts (Thai unless asked otherwise).",
     "ภาษาของข้อความบนแผนที่ (ค่าเริ่มต้นภาษาไทย)"},
    /* Items */
    {"limit", NULL, NULL}, /* limit_description: the numbers are the server's */
    {"offset", "How many matching features to skip before the first one returned.",
     "จำนวนรายการที่ตรงเงื่อนไขซึ่งข้ามไปก่อนรายการแรกของคำตอบ"},
    {"bbox",
     "Only features whose geometry intersects this box: min x, min y, max x, max y in "
     "bbox-crs (longitude and latitude by default). Six numbers add heights, which are "
     "ignored.",
     "เฉพาะรายการที่รูปทรงตัดกับกรอบนี้: x ต่ำสุด, y ต่ำสุด, x สูงสุด, y สูงสุด "
     "ในระบบพิกัดตาม bbox-crs (ค่าเริ่มต้นคือลองจิจูดและละติจูด) ถ้าให้ 6 ค่า "
     "ค่าความสูงจะไม่ถูกใช้"},
    {"bbox-crs", "The coordinate reference system of bbox (EPSG:n works too).",
     "ระบบพิกัดอ้างอิงของ bbox (เขียนแบบ EPSG:n ได้)"},
    {"crs",
     "The coordinate reference system of the returned geometries (EPSG:n works too); the "
     "Content-Crs header names it.",
     "ระบบพิกัดอ้างอิงของรูปทรงในคำตอบ (เขียนแบบ EPSG:n ได้) "
     "ส่วนหัว Content-Crs บอกว่าใช้ระบบใด"},
    {"filter-crs", "The coordinate reference system of geometries in filter: CRS84 only.",
     "ระบบพิกัดของรูปทรงใน filter: รองรับเฉพาะ CRS84"},
    {"datetime",
     "Only features whose time (the first Date or DateTime property, see the collection's "
     "temporal extent) meets this instant or interval, plus features without a time. RFC "
     "3339: an instant 2019-02-18T00:00:00Z, a date 2019-02-18 (the whole day), a closed "
     "interval a/b or an open one ../b, a/.. (an empty end is open too). Times compare as "
     "instants (time zones and fractions of seconds are taken into account).",
     "เฉพาะรายการที่เวลา (คุณสมบัติแบบ Date หรือ DateTime ตัวแรก ดูช่วงเวลาของชุดข้อมูล) "
     "ตรงกับเวลาหรือช่วงเวลานี้ รวมทั้งรายการที่ไม่มีเวลา ตาม RFC 3339: เวลาเดียว "
     "2019-02-18T00:00:00Z วันที่ 2019-02-18 (ทั้งวัน) ช่วงปิด a/b หรือช่วงเปิด ../b, "
     "a/.. (ปลายที่ว่างก็เป็นช่วงเปิด) เปรียบเทียบเป็นเวลาจริง (คำนึงถึงเขตเวลาและเศษวินาที)"},
    {"skipGeometry", "true: the features come without their geometry.",
     "true: ส่งรายการข้อมูลโดยไม่มีรูปทรงเรขาคณิต"},
    {"zoom",
     "Simplify geometries to about one pixel at this web-map zoom level, and round "
     "coordinates to match: smaller answers for maps.",
     "ลดรายละเอียดรูปทรงให้เหลือประมาณหนึ่งพิกเซลที่ระดับซูมแผนที่เว็บนี้ "
     "และปัดพิกัดให้เข้ากัน ทำให้คำตอบเล็กลงสำหรับแผนที่"},
    {"precision",
     "Decimals of coordinates: by default 7 for degrees (about 1 cm) and 2 for metres.",
     "จำนวนทศนิยมของพิกัด: ค่าเริ่มต้น 7 สำหรับองศา (ราว 1 ซม.) และ 2 สำหรับเมตร"},
    {"properties", "The properties to return, comma-separated (all when not given).",
     "ชื่อคุณสมบัติที่ต้องการ คั่นด้วยจุลภาค (ถ้าไม่ระบุจะได้ทั้งหมด)"},
    {"sortby",
     "Sort order: up to 8 property names, comma-separated, each after + (ascending, the "
     "default; %2B in a URL) or - (descending).",
     "ลำดับการเรียง: ชื่อคุณสมบัติไม่เกิน 8 ชื่อ คั่นด้วยจุลภาค นำหน้าด้วย + "
     "(น้อยไปมาก เป็นค่าเริ่มต้น ในลิงก์เขียนเป็น %2B) หรือ - (มากไปน้อย)"},
    {"filter",
     "A CQL2 text filter on the queryable properties (see the queryables of the "
     "collection), e.g. height > 10 AND name_en LIKE 'Wat%'.",
     "ตัวกรองแบบ CQL2 text บนคุณสมบัติที่ใช้ค้นหาได้ (ดู queryables "
     "ของชุดข้อมูล) เช่น height > 10 AND name_en LIKE 'Wat%'"},
    {"filter-lang", "The language of filter: cql2-text (cql-text is accepted as its older name).",
     "ภาษาของ filter: cql2-text (รับชื่อเดิม cql-text ด้วย)"},
    {"styleCollections",
     "Only these collections, comma-separated, in this order, each with its style inline "
     "(style): one request for the styles of a map's first view.",
     "เฉพาะชุดข้อมูลเหล่านี้ คั่นด้วยจุลภาค ตามลำดับที่ระบุ พร้อมรูปแบบการแสดงผลในตัว (style) "
     "ขอรูปแบบของแผนที่มุมมองแรกได้ในคำขอเดียว"},
    /* Exported maps */
    {"mapLayout",
     "sheet: the poster (title, narrative, map with legend, scale bar and north arrow, "
     "statistics, sources, date, QR code); map: the map alone over the whole page, to embed "
     "in other documents.",
     "sheet: โปสเตอร์ (ชื่อเรื่อง คำบรรยาย แผนที่พร้อมคำอธิบายสัญลักษณ์ "
     "มาตราส่วนและทิศเหนือ สถิติ แหล่งข้อมูล วันที่ คิวอาร์โค้ด); map: "
     "แผนที่อย่างเดียวเต็มหน้า สำหรับใส่ในเอกสารอื่น"},
    {"paper", "Paper size of the poster (ISO 216).", "ขนาดกระดาษของโปสเตอร์ (ISO 216)"},
    {"orientation", "Paper orientation.", "แนวกระดาษ"},
    {"width",
     "A page of this many pixels (PNG) or points (PDF, SVG) wide instead of a paper size; "
     "needs height.",
     "ความกว้างของหน้าเป็นพิกเซล (PNG) หรือพอยต์ (PDF, SVG) แทนขนาดกระดาษ "
     "ต้องระบุ height ด้วย"},
    {"height", "The page's height, with width.", "ความสูงของหน้า ใช้คู่กับ width"},
    {"dpi", "Pixels per inch of a PNG on paper.", "จำนวนพิกเซลต่อนิ้วของ PNG บนขนาดกระดาษ"},
    {"shareSize", "Size of the share image, in pixels.", "ขนาดของภาพสำหรับแชร์ เป็นพิกเซล"},
    {"compareIds", "2 to 4 distinct scenario ids, separated by commas.",
     "รหัสฉากทัศน์ 2 ถึง 4 รายการที่ไม่ซ้ำกัน คั่นด้วยจุลภาค"},
    /* Tiles and workshop feeds */
    {"tileVersion",
     "The version token of the tileset's layers, as the tileset's links carry it: a tile "
     "asked for with the current token may be cached for a year.",
     "รหัสรุ่นของชั้นข้อมูลตามลิงก์ของชุดไทล์ ไทล์ที่ขอด้วยรหัสปัจจุบันเก็บไว้ได้หนึ่งปี"},
    {"historyAfter", "Only entries after this id (next_after of the last page).",
     "เฉพาะรายการหลังรหัสนี้ (ค่า next_after ของหน้าก่อน)"},
    {"historyLimit", "The most entries in one answer.", "จำนวนรายการมากที่สุดในหนึ่งคำตอบ"},
    {"changesLimit", "The most entries in one answer.", "จำนวนรายการมากที่สุดในหนึ่งคำตอบ"},
    {"historySketch", "Only the entries of this sketch (its sketch_id).",
     "เฉพาะรายการของภาพร่างนี้ (ค่า sketch_id)"},
    {"liveSession", "A participation session of the scenario: the stream ends when it closes.",
     "รอบการมีส่วนร่วมของฉากทัศน์: สตรีมจะจบเมื่อรอบนั้นปิด"},
};

#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

/* "The most features ... from 1 to <max>; <default> when not given ..." */
static char *page_size_description(const struct http_app *app, enum http_lang lang)
{
    return xasprintf(
        "%s%lld%s%lld%s",
        tr(lang, "The most features in one response: from 1 to ",
           "จำนวนรายการมากที่สุดในหนึ่งคำตอบ: ตั้งแต่ 1 ถึง "),
        (long long)app->max_limit, tr(lang, "; ", " ถ้าไม่ระบุจะใช้ "), (long long)app->default_limit,
        tr(lang,
           " when not given. A larger limit is no error: the page holds the maximum, and the "
           "next link leads to the rest.",
           " ถ้าขอมากกว่าค่าสูงสุดจะได้เท่าค่าสูงสุด (ไม่ถือเป็นข้อผิดพลาด) ส่วนที่เหลือดูได้จากลิงก์ next"));
}

static json_t *crs_schema(bool is_crs84_only)
{
    const char *uris[8];
    size_t n = 0;
    for (size_t i = 0; i < api_n_crs && n < 8 && !(is_crs84_only && i > 0); i++) {
        uris[n++] = api_crs_list[i].uri;
    }
    json_t *schema = openapi_string_enum(uris, n, API_CRS84);
    json_object_set_new(schema, "format", json_string("uri"));
    return schema;
}

/* bbox: four numbers, or six with heights. */
static json_t *bbox_schema(void)
{
    json_t *four = json_pack("{s:i, s:i}", "minItems", 4, "maxItems", 4);
    json_t *six = json_pack("{s:i, s:i}", "minItems", 6, "maxItems", 6);
    json_t *schema = openapi_array_of(openapi_typed("number"));
    json_object_set_new(schema, "oneOf", json_pack("[o, o]", four, six));
    return schema;
}

/* A whole number: a maximum of INT64_MAX is no bound but the width of the number. */
static json_t *integer_schema(const struct route_param *p, const struct http_app *app)
{
    json_t *schema = openapi_typed("integer");
    int64_t max = route_param_max(p, app), fallback = 0;
    if (max == INT64_MAX) {
        json_object_set_new(schema, "format", json_string("int64"));
    }
    json_object_set_new(schema, "minimum", json_integer(p->min));
    if (max != INT64_MAX) {
        json_object_set_new(schema, "maximum", json_integer(max));
    }
    if (route_param_default_int(p, app, &fallback)) {
        json_object_set_new(schema, "default", json_integer(fallback));
    }
    return schema;
}

json_t *openapi_param_schema(const struct route_param *p, const struct http_app *app)
{
    size_t n = 0;
    switch (p->type) {
    case ROUTE_TYPE_INTEGER:
        return integer_schema(p, app);
    case ROUTE_TYPE_NUMBER: {
        json_t *schema = json_pack("{s:s, s:f, s:f}", "type", "number", "minimum", p->min_number,
                                   "maximum", p->max_number);
        if (p->fallback != NULL) {
            json_object_set_new(schema, "default", json_real(strtod(p->fallback, NULL)));
        }
        return schema;
    }
    case ROUTE_TYPE_BOOLEAN:
        return json_pack("{s:s, s:b}", "type", "boolean", "default",
                         p->fallback != NULL && strcmp(p->fallback, "true") == 0);
    case ROUTE_TYPE_ENUM:
        while (p->values[n] != NULL) {
            n++;
        }
        return openapi_string_enum(p->values, n, p->fallback);
    case ROUTE_TYPE_LIST:
        return openapi_array_of(openapi_typed("string"));
    case ROUTE_TYPE_BBOX:
        return bbox_schema();
    case ROUTE_TYPE_CRS:
    case ROUTE_TYPE_CRS84:
        return crs_schema(p->type == ROUTE_TYPE_CRS84);
    default:
        return openapi_typed("string");
    }
}

void openapi_table_params(json_t *params, const struct http_app *app, enum http_lang lang)
{
    for (size_t i = 0; i < N_DOCS; i++) {
        const struct route_param *p = api_route_param_of(docs[i].component);
        if (p == NULL || p->in != ROUTE_PARAM_QUERY) {
            continue; /* a parameter no route takes any more is not offered */
        }
        char *text = (p->flags & ROUTE_PARAM_PAGE_SIZE) ? page_size_description(app, lang)
                                                        : xstrdup(tr(lang, docs[i].en, docs[i].th));
        json_t *param = openapi_query_param(p->name, text, openapi_param_schema(p, app));
        if (p->flags & ROUTE_PARAM_REQUIRED) {
            json_object_set_new(param, "required", json_true());
        }
        json_object_set_new(params, docs[i].component, param);
        free(text);
    }
}
