/* api_openapi_scenarios.c - the scenarios part of "/api": the operations of /scenarios,
 * /scenarios/{scenarioId} and the sketch routes (api_scenarios.c, api_sketches.c), the
 * bearer security scheme the writes need, the schemas of a scenario document and of a
 * sketch, and the refusals only writes get (401, 403, 409, 413, 415). The limits quoted
 * are the parsers' own constants (scenario_doc.h, sketch_geojson.h). */
#include "http/server/api_openapi_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/handlers/api_auth.h"
#include "http/transport/response.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_geojson.h"
#include "store/store_workshop.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

/* Components */

static json_t *text_pair_schema(int max_len)
{
    json_t *text =
        json_pack("{s:s, s:i, s:i}", "type", "string", "minLength", 1, "maxLength", max_len);
    static const char *const required[] = {"th", "en", NULL};
    return openapi_object_schema(required,
                                 json_pack("{s:o, s:o}", "th", json_deep_copy(text), "en", text));
}

static json_t *slug_schema(int max_len)
{
    return json_pack("{s:s, s:s, s:i}", "type", "string", "pattern", "^[a-z0-9-]+$", "maxLength",
                     max_len);
}

static json_t *scenario_schema(void)
{
    static const char *const required[] = {"id", "title", "narrative", NULL};
    static const char *const layer_required[] = {"collection", NULL};
    static const char *const kind_required[] = {"id", "title", "color", NULL};
    json_t *layer = openapi_object_schema(
        layer_required, json_pack("{s:o, s:o, s:o, s:o}", "collection", slug_schema(63), "title",
                                  text_pair_schema(SCENARIO_TITLE_MAX), "filter",
                                  openapi_typed("string"), "style", openapi_typed("object")));
    json_t *kind = openapi_object_schema(
        kind_required, json_pack("{s:o, s:o, s:{s:s, s:s}}", "id", slug_schema(48), "title",
                                 text_pair_schema(SCENARIO_TITLE_MAX), "color", "type", "string",
                                 "pattern", "^#[0-9a-fA-F]{6}$"));
    json_t *extent = json_pack("{s:s, s:o, s:i, s:i}", "type", "array", "items",
                               openapi_typed("number"), "minItems", 4, "maxItems", 4);
    json_t *props = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", slug_schema(SCENARIO_ID_MAX), "title",
        text_pair_schema(SCENARIO_TITLE_MAX), "narrative", text_pair_schema(SCENARIO_NARRATIVE_MAX),
        "example", openapi_typed("boolean"), "extent", extent, "layers",
        json_pack("{s:s, s:o, s:i}", "type", "array", "items", layer, "maxItems",
                  SCENARIO_MAX_LAYERS),
        "statistics",
        json_pack("{s:s, s:o, s:i}", "type", "array", "items", openapi_typed("string"), "maxItems",
                  SCENARIO_MAX_STATISTICS),
        "sketch_kinds",
        json_pack("{s:s, s:o, s:i, s:i}", "type", "array", "items", kind, "minItems", 1, "maxItems",
                  SCENARIO_MAX_KINDS));
    /* What the server adds when it answers (ignored in a request body it would refuse:
     * the document takes only the keys above). */
    json_object_set_new(props, "sketch_count", openapi_typed("integer"));
    json_object_set_new(props, "created_at",
                        json_pack("{s:s, s:s}", "type", "string", "format", "date-time"));
    json_object_set_new(props, "updated_at",
                        json_pack("{s:s, s:s}", "type", "string", "format", "date-time"));
    json_object_set_new(props, "links", openapi_ref("schemas", "links"));
    return openapi_object_schema(required, props);
}

static json_t *sketch_schema(void)
{
    static const char *const required[] = {"type", "geometry", "properties", NULL};
    static const char *const props_required[] = {"kind", NULL};
    json_t *properties = openapi_object_schema(
        props_required,
        json_pack("{s:o, s:{s:s, s:i}, s:{s:s, s:i}, s:{s:s, s:i}}", "kind", slug_schema(48),
                  "note", "type", "string", "maxLength", SKETCH_NOTE_MAX, "group", "type", "string",
                  "maxLength", SKETCH_GROUP_MAX, "group_name", "type", "string", "maxLength",
                  SKETCH_GROUP_MAX));
    return openapi_object_schema(
        required, json_pack("{s:o, s:o, s:o, s:o}", "type", openapi_constant("Feature"), "id",
                            openapi_typed("integer"), "geometry",
                            openapi_ref("schemas", "geometryGeoJSON"), "properties", properties));
}

static void add_schemas(json_t *schemas)
{
    static const char *const list_required[] = {"scenarios", "links", NULL};
    static const char *const fc_required[] = {"type", "features", NULL};
    json_object_set_new(schemas, "scenario", scenario_schema());
    json_object_set_new(
        schemas, "scenarioList",
        openapi_object_schema(list_required,
                              json_pack("{s:o, s:o, s:o}", "title", openapi_typed("string"),
                                        "scenarios",
                                        openapi_array_of(openapi_ref("schemas", "scenario")),
                                        "links", openapi_ref("schemas", "links"))));
    json_object_set_new(schemas, "sketch", sketch_schema());
    json_t *features =
        json_pack("{s:s, s:o, s:i, s:i}", "type", "array", "items",
                  openapi_ref("schemas", "sketch"), "minItems", 1, "maxItems", SKETCH_MAX_FEATURES);
    json_t *collection = openapi_object_schema(
        fc_required, json_pack("{s:o, s:o}", "type", openapi_constant("FeatureCollection"),
                               "features", features));
    json_object_set_new(
        schemas, "sketches",
        json_pack("{s:[o, o]}", "oneOf", openapi_ref("schemas", "sketch"), collection));
}

static json_t *error_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:o}}}", "description", description, "content",
                     RESPONSE_TYPE_JSON, "schema", openapi_ref("schemas", "exception"));
}

/* The 401 (openapi_fixed.json) shows the challenge the server sends. */
static void add_challenge_example(json_t *responses)
{
    json_t *schema = json_object_get(
        json_object_get(json_object_get(json_object_get(responses, "Unauthorized"), "headers"),
                        "WWW-Authenticate"),
        "schema");
    json_object_set_new(schema, "example", json_string(API_AUTH_CHALLENGE));
}

static json_t *path_param(const char *name, const char *description, json_t *schema)
{
    return json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", "path", "required", 1,
                     "description", description, "schema", schema);
}

void openapi_scenarios_components(json_t *components, enum http_lang lang)
{
    json_t *params = json_object_get(components, "parameters");
    json_object_set_new(params, "scenarioId",
                        path_param("scenarioId",
                                   tr(lang, "The id of a scenario; /scenarios lists them.",
                                      "รหัสของฉากทัศน์ ดูรายการได้ที่ /scenarios"),
                                   slug_schema(SCENARIO_ID_MAX)));
    json_object_set_new(
        params, "sketchId",
        path_param("featureId",
                   tr(lang,
                      "The id of a sketch: its sketch_id, the id of its feature in the "
                      "scenario's sketch collection.",
                      "รหัสของภาพร่าง: ค่า sketch_id ซึ่งเป็นรหัสของรายการในชุดข้อมูลภาพร่าง"
                      "ของฉากทัศน์"),
                   openapi_param_schema(api_route_param_of("sketchId"), NULL)));
    json_object_set_new(
        params, "sessionId",
        path_param("featureId",
                   tr(lang, "The id of a participation session.", "รหัสของรอบการมีส่วนร่วม"),
                   openapi_param_schema(api_route_param_of("sessionId"), NULL)));
    json_object_set_new(
        params, "joinCode",
        path_param("code",
                   tr(lang, "A session's join code (6 letters and digits).",
                      "รหัสเข้าร่วม 6 ตัวอักษรของรอบการมีส่วนร่วม"),
                   json_pack("{s:s, s:i, s:i}", "type", "string", "minLength", 6, "maxLength", 6)));
    add_schemas(json_object_get(components, "schemas"));
    add_challenge_example(json_object_get(components, "responses"));
}

/* Paths */

enum op_kind { OP_READ, OP_WRITE_BODY, OP_WRITE };

/* What the document says about a scenario route of the table (routes.c), by its
 * operationId. */
struct op_doc {
    const char *operation_id;
    const char *summary_en, *summary_th;
    const char *description_en, *description_th;
    enum op_kind kind;
    const char *status;      /* of success */
    const char *schema;      /* of the success body in components/schemas, or NULL */
    const char *media_type;  /* of the success body */
    const char *body_schema; /* of the request body, or NULL */
};

static const struct op_doc op_docs[] = {
    {"getScenarios", "Scenarios", "ฉากทัศน์",
     "The workshop scenarios: for each its id, Thai and English title, whether it is a bundled "
     "example, its map extent, how many sketches it has and links to it and its sketches.",
     "ฉากทัศน์ของเวทีประชาคม แต่ละรายการมีรหัส ชื่อภาษาไทยและอังกฤษ เป็นตัวอย่างที่มากับระบบหรือไม่ "
     "ขอบเขตแผนที่ จำนวนภาพร่าง และลิงก์ไปยังฉากทัศน์และภาพร่าง",
     OP_READ, "200", "scenarioList", RESPONSE_TYPE_JSON, NULL},
    {"createScenario", "Create a scenario", "สร้างฉากทัศน์",
     "Stores a new scenario document (its id must be free: 409 otherwise) and its empty sketch "
     "layer. The layers and featured statistics it names must exist. Needs a facilitator token.",
     "บันทึกเอกสารฉากทัศน์ใหม่ (รหัสต้องยังไม่มีผู้ใช้ ไม่เช่นนั้นได้ 409) พร้อมชั้นข้อมูลภาพร่างเปล่า "
     "ชั้นข้อมูลและสถิติเด่นที่อ้างถึงต้องมีอยู่จริง ต้องใช้โทเค็นของผู้ดำเนินการ",
     OP_WRITE_BODY, "201", "scenario", RESPONSE_TYPE_JSON, "scenario"},
    {"getScenario", "Scenario", "ฉากทัศน์หนึ่งรายการ",
     "One scenario document: titles, narrative, layers with their filters and style overrides, "
     "extent, featured statistics and sketch kinds, with its sketch count and links.",
     "เอกสารฉากทัศน์หนึ่งรายการ: ชื่อ เรื่องเล่า ชั้นข้อมูลพร้อมตัวกรองและรูปแบบที่ปรับ ขอบเขต "
     "สถิติเด่น และชนิดของภาพร่าง พร้อมจำนวนภาพร่างและลิงก์",
     OP_READ, "200", "scenario", RESPONSE_TYPE_JSON, NULL},
    {"replaceScenario", "Replace a scenario", "แทนที่ฉากทัศน์",
     "Replaces the document of an existing scenario; its sketches stay. The body's id, when "
     "given, must be the one in the path. Needs a facilitator token.",
     "แทนที่เอกสารของฉากทัศน์ที่มีอยู่ ภาพร่างยังอยู่ครบ รหัสในเนื้อหา (ถ้ามี) ต้องตรงกับในเส้นทาง "
     "ต้องใช้โทเค็นของผู้ดำเนินการ",
     OP_WRITE_BODY, "200", "scenario", RESPONSE_TYPE_JSON, "scenario"},
    {"deleteScenario", "Delete a scenario", "ลบฉากทัศน์",
     "Deletes the scenario and its sketch layer. Needs a facilitator token.",
     "ลบฉากทัศน์และชั้นข้อมูลภาพร่างของฉากทัศน์นั้น ต้องใช้โทเค็นของผู้ดำเนินการ", OP_WRITE, "204", NULL, NULL,
     NULL},
    {"getSketches", "Sketches", "ภาพร่าง",
     "The scenario's sketches as GeoJSON: the same features, parameters and formats as "
     "/collections/scenario-{scenarioId}-sketches/items (CSV starts with a UTF-8 byte order "
     "mark, for spreadsheets). GIS clients that take one geometry type per layer (QGIS) find "
     "them by shape too, as the collections scenario-{scenarioId}-sketches-points, -lines "
     "and -polygons.",
     "ภาพร่างของฉากทัศน์ในรูปแบบ GeoJSON: รายการ พารามิเตอร์ และรูปแบบเดียวกับ "
     "/collections/scenario-{scenarioId}-sketches/items (CSV ขึ้นต้นด้วย UTF-8 BOM "
     "สำหรับโปรแกรมตารางคำนวณ) โปรแกรม GIS ที่รับรูปทรงชนิดเดียวต่อชั้น (เช่น QGIS) "
     "ใช้ชุดข้อมูล scenario-{scenarioId}-sketches-points, -lines และ -polygons ได้",
     OP_READ, "200", "featureCollectionGeoJSON", RESPONSE_TYPE_GEOJSON, NULL},
    {"addSketches", "Add sketches", "เพิ่มภาพร่าง",
     "Adds a GeoJSON Feature, or a FeatureCollection of up to 500 (all or none), as sketches: "
     "points, lines or polygons inside the city, each valid and of at most 5000 positions, "
     "with a kind of the scenario, a note and a group. Answers the created features with "
     "their ids; Location names the first. Needs a facilitator token.",
     "เพิ่ม GeoJSON Feature หรือ FeatureCollection ไม่เกิน 500 รายการ (เพิ่มทั้งหมดหรือไม่เพิ่มเลย) "
     "เป็นภาพร่าง: จุด เส้น หรือรูปหลายเหลี่ยมในเขตเมือง รูปทรงถูกต้องและมีไม่เกิน 5000 จุด "
     "พร้อมชนิดตามที่ฉากทัศน์กำหนด บันทึก และกลุ่ม ตอบกลับรายการที่สร้างพร้อมรหัส "
     "ส่วนหัว Location ชี้ไปยังรายการแรก ต้องใช้โทเค็นของผู้ดำเนินการ",
     OP_WRITE_BODY, "201", "sketches", RESPONSE_TYPE_GEOJSON, "sketches"},
    {"getSketch", "Sketch", "ภาพร่างหนึ่งรายการ", "One sketch as a GeoJSON Feature.",
     "ภาพร่างหนึ่งรายการในรูปแบบ GeoJSON Feature", OP_READ, "200", "featureGeoJSON",
     RESPONSE_TYPE_GEOJSON, NULL},
    {"replaceSketch", "Replace a sketch", "แทนที่ภาพร่าง",
     "Replaces a sketch's geometry, kind, note and group (a move or an edit); its id and "
     "creation time stay. Needs a facilitator token.",
     "แทนที่รูปทรง ชนิด บันทึก และกลุ่มของภาพร่าง (ย้ายหรือแก้ไข) รหัสและเวลาที่สร้างคงเดิม "
     "ต้องใช้โทเค็นของผู้ดำเนินการ",
     OP_WRITE_BODY, "200", "sketch", RESPONSE_TYPE_GEOJSON, "sketch"},
    {"deleteSketch", "Delete a sketch", "ลบภาพร่าง",
     "Deletes one sketch. Needs a facilitator token.", "ลบภาพร่างหนึ่งรายการ ต้องใช้โทเค็นของผู้ดำเนินการ",
     OP_WRITE, "204", NULL, NULL, NULL},
    /* Workshops (issue 12) */
    {"approveSketch", "Approve a sketch", "อนุมัติภาพร่าง",
     "Makes a pending sketch (from a moderated session) visible. Needs a facilitator token of "
     "the scenario.",
     "ทำให้ภาพร่างที่รออนุมัติ (จากรอบแบบมีผู้ตรวจ) แสดงต่อสาธารณะ ต้องใช้โทเค็นผู้ดำเนินการของฉากทัศน์นี้", OP_WRITE,
     "200", "sketch", RESPONSE_TYPE_GEOJSON, NULL},
    {"hideSketch", "Hide a sketch", "ซ่อนภาพร่าง",
     "Hides a sketch: kept with its history, not shown, exported or printed.",
     "ซ่อนภาพร่าง: ยังเก็บไว้พร้อมประวัติ แต่ไม่แสดง ไม่ส่งออก และไม่พิมพ์", OP_WRITE, "200", "sketch",
     RESPONSE_TYPE_GEOJSON, NULL},
    {"unhideSketch", "Show a hidden sketch again", "เลิกซ่อนภาพร่าง",
     "Makes a hidden sketch visible again.", "ทำให้ภาพร่างที่ซ่อนไว้แสดงอีกครั้ง", OP_WRITE, "200", "sketch",
     RESPONSE_TYPE_GEOJSON, NULL},
    {"restoreSketch", "Restore a sketch from its history", "คืนค่าภาพร่างจากประวัติ",
     "Makes the sketch what history entry history_id recorded: side 'before' (the default) "
     "undoes that change, 'after' redoes it. A deleted sketch comes back with its id.",
     "ทำให้ภาพร่างเป็นอย่างที่บันทึกในประวัติรายการ history_id: side 'before' (ค่าเริ่มต้น) "
     "คือย้อนการเปลี่ยนแปลงนั้น 'after' คือทำซ้ำ ภาพร่างที่ถูกลบกลับมาด้วยรหัสเดิม",
     OP_WRITE_BODY, "200", "sketch", RESPONSE_TYPE_GEOJSON, "restoreRequest"},
    {"getSketchHistory", "Sketch history", "ประวัติภาพร่าง",
     "Every change of the scenario's sketches, oldest first: action, who, when, the feature "
     "before and after. Parameters after, limit (1 to 500) and sketch. Needs a facilitator "
     "token of the scenario.",
     "การเปลี่ยนแปลงทุกครั้งของภาพร่างในฉากทัศน์ เรียงจากเก่าไปใหม่: การกระทำ ผู้ทำ เวลา "
     "และรายการก่อนและหลัง ต้องใช้โทเค็นผู้ดำเนินการของฉากทัศน์นี้",
     OP_READ, "200", "history", RESPONSE_TYPE_JSON, NULL},
    {"getSketchChanges", "Changes of visible sketches", "การเปลี่ยนแปลงของภาพร่างที่แสดงอยู่",
     "What the public sees change, after history id 'after': created, updated or deleted "
     "sketches with their features; poll it with the last 'last' (projectors, phones).",
     "สิ่งที่สาธารณะเห็นเปลี่ยนไปหลังประวัติรายการ 'after': ภาพร่างที่เพิ่ม แก้ไข หรือลบ "
     "เรียกซ้ำโดยส่งค่า 'last' ล่าสุด (สำหรับจอโปรเจกเตอร์และโทรศัพท์)",
     OP_READ, "200", "changes", RESPONSE_TYPE_JSON, NULL},
    {"streamSketchChanges", "Changes of visible sketches, live", "การเปลี่ยนแปลงของภาพร่างแบบสด",
     "The changes feed as Server-Sent Events (text/event-stream): one event per change, its "
     "id the history id and its data the change's JSON, a comment every 15 s at most. "
     "Resumes after Last-Event-ID (or 'after'); with 'session' it ends with an event 'end' "
     "when that session closes (410 once closed). 503 with Retry-After past the server's "
     "cap of live streams.",
     "การเปลี่ยนแปลงแบบ Server-Sent Events (text/event-stream): หนึ่งเหตุการณ์ต่อการเปลี่ยนแปลง "
     "รหัสเหตุการณ์คือรหัสประวัติ ข้อมูลเป็น JSON เดียวกับ /changes ต่อจาก Last-Event-ID (หรือ "
     "'after') ถ้าระบุ 'session' จะจบด้วยเหตุการณ์ 'end' เมื่อรอบนั้นปิด ตอบ 503 พร้อม "
     "Retry-After เมื่อมีผู้ฟังครบตามที่เซิร์ฟเวอร์กำหนด",
     OP_READ, "200", NULL, RESPONSE_TYPE_EVENT_STREAM, NULL},
    {"getSessions", "Participation sessions", "รอบการมีส่วนร่วม",
     "The scenario's sessions, newest first. Needs a facilitator token.",
     "รอบการมีส่วนร่วมของฉากทัศน์ เรียงจากใหม่ไปเก่า ต้องใช้โทเค็นผู้ดำเนินการ", OP_READ, "200", "sessionList",
     RESPONSE_TYPE_JSON, NULL},
    {"openSession", "Open a participation session", "เปิดรอบการมีส่วนร่วม",
     "Opens a session: a join code, link and QR code, an end (minutes or ends_at), a mode "
     "(live: sketches show at once; moderated: after approval) and the groups participants "
     "pick from. Needs a facilitator token of the scenario.",
     "เปิดรอบการมีส่วนร่วม: รหัสเข้าร่วม ลิงก์ และคิวอาร์โค้ด เวลาสิ้นสุด โหมด (live: "
     "ภาพร่างแสดงทันที moderated: แสดงหลังอนุมัติ) และกลุ่มให้ผู้เข้าร่วมเลือก",
     OP_WRITE_BODY, "201", "session", RESPONSE_TYPE_JSON, "sessionRequest"},
    {"closeSession", "Close a session", "ปิดรอบการมีส่วนร่วม",
     "Stops joins and participants' writes at once.", "หยุดการเข้าร่วมและการแก้ไขของผู้เข้าร่วมทันที",
     OP_WRITE, "200", "session", RESPONSE_TYPE_JSON, NULL},
    {"getJoinInfo", "A session by its join code", "ข้อมูลรอบจากรหัสเข้าร่วม",
     "The scenario, mode, end, groups and whether the session is open (public).",
     "ฉากทัศน์ โหมด เวลาสิ้นสุด กลุ่ม และสถานะเปิดของรอบ (สาธารณะ)", OP_READ, "200", "joinInfo",
     RESPONSE_TYPE_JSON, NULL},
    {"joinSession", "Join a session", "เข้าร่วมรอบ",
     "Joins an open session with an optional display name and group: the answer's credential "
     "(cap_..., shown once) writes sketches of that scenario while the session is open, and "
     "edits or deletes only its own. 403 once the session is closed; 429 past the join rate.",
     "เข้าร่วมรอบที่เปิดอยู่ พร้อมชื่อที่แสดงและกลุ่ม (ไม่บังคับ): รหัสผู้เข้าร่วม (cap_... "
     "แสดงครั้งเดียว) ใช้เพิ่มภาพร่างในฉากทัศน์นั้นระหว่างที่รอบเปิด และแก้ไขหรือลบได้เฉพาะของตนเอง",
     OP_WRITE_BODY, "201", "joined", RESPONSE_TYPE_JSON, "joinRequest"},
    {"getJoinQr", "Join QR code", "คิวอาร์โค้ดสำหรับเข้าร่วม",
     "A QR code of the session's join link, as SVG.", "คิวอาร์โค้ดของลิงก์เข้าร่วม ในรูปแบบ SVG", OP_READ,
     "200", NULL, "image/svg+xml", NULL},
};

#define N_OP_DOCS (sizeof(op_docs) / sizeof(op_docs[0]))

static json_t *success(const struct op_doc *op, enum http_lang lang)
{
    json_t *ok = json_pack("{s:s}", "description", tr(lang, op->summary_en, op->summary_th));
    if (op->schema != NULL) {
        json_object_set_new(
            ok, "content",
            json_pack("{s:{s:o}}", op->media_type, "schema", openapi_ref("schemas", op->schema)));
    }
    if (strcmp(op->status, "201") == 0) {
        json_object_set_new(ok, "headers",
                            json_pack("{s:{s:s, s:{s:s}}}", "Location", "description",
                                      tr(lang, "The URL of what was created.", "URL ของสิ่งที่สร้างขึ้น"),
                                      "schema", "type", "string"));
    }
    return ok;
}

static json_t *op_responses(const struct op_doc *op, const char *pattern, enum http_lang lang)
{
    bool has_id = strchr(pattern, '{') != NULL;
    json_t *r = json_object();
    json_object_set_new(r, op->status, success(op, lang));
    if (op->kind == OP_READ) {
        json_object_set_new(r, "304", openapi_ref("responses", "NotModified"));
        json_object_set_new(r, "400", openapi_ref("responses", "InvalidParameter"));
    } else {
        json_object_set_new(r, "400", openapi_ref("responses", "InvalidBody"));
        json_object_set_new(r, "401", openapi_ref("responses", "Unauthorized"));
        json_object_set_new(r, "403", openapi_ref("responses", "Forbidden"));
    }
    if (has_id) {
        json_object_set_new(r, "404", openapi_ref("responses", "ScenarioNotFound"));
    }
    json_object_set_new(r, "405", openapi_ref("responses", "MethodNotAllowed"));
    if (strcmp(op->operation_id, "createScenario") == 0) {
        json_object_set_new(r, "409", openapi_ref("responses", "ScenarioExists"));
    }
    if (op->kind == OP_WRITE_BODY) {
        json_object_set_new(r, "413", openapi_ref("responses", "BodyTooLarge"));
        json_object_set_new(r, "415", openapi_ref("responses", "UnsupportedMediaType"));
    }
    bool is_sketch_write =
        op->kind != OP_READ && strncmp(pattern, "/scenarios/{scenarioId}/sketches", 32) == 0;
    if (is_sketch_write) {
        json_object_set_new(
            r, "412",
            error_response(tr(lang,
                              "If-Match is not the sketch's ETag: someone changed it; 'current' "
                              "holds it as it is now. Nothing changed.",
                              "If-Match ไม่ตรงกับ ETag ของภาพร่าง: มีผู้แก้ไขไปแล้ว 'current' "
                              "คือฉบับปัจจุบัน ไม่มีสิ่งใดเปลี่ยนแปลง")));
        json_object_set_new(r, "428",
                            error_response(tr(lang, "A participant's edit needs If-Match.",
                                              "การแก้ไขของผู้เข้าร่วมต้องส่ง If-Match")));
    }
    if (is_sketch_write || strcmp(op->operation_id, "joinSession") == 0) {
        json_object_set_new(
            r, "429",
            error_response(tr(lang,
                              "Too many writes or joins in a short time: Retry-After says when "
                              "to try again.",
                              "ส่งถี่เกินไป ส่วนหัว Retry-After บอกว่าเมื่อใดลองใหม่ได้")));
    }
    openapi_add_request_limits(r);
    json_object_set_new(r, "500", openapi_ref("responses", "ServerError"));
    json_object_set_new(r, "503", openapi_ref("responses", "ServiceUnavailable"));
    return r;
}

static json_t *operation(const struct op_doc *op, const char *pattern, enum http_lang lang)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "operationId", op->operation_id, "summary",
                          tr(lang, op->summary_en, op->summary_th), "description",
                          tr(lang, op->description_en, op->description_th), "responses",
                          op_responses(op, pattern, lang));
    if (op->kind != OP_READ && strcmp(op->operation_id, "joinSession") != 0) {
        json_object_set_new(o, "security", json_pack("[{s:[]}]", "facilitatorToken"));
    }
    if (op->body_schema != NULL) {
        json_t *schema = openapi_ref("schemas", op->body_schema);
        json_object_set_new(o, "requestBody",
                            json_pack("{s:b, s:{s:{s:O}, s:{s:o}}}", "required", 1, "content",
                                      RESPONSE_TYPE_JSON, "schema", schema, RESPONSE_TYPE_GEOJSON,
                                      "schema", schema));
    }
    return o;
}

json_t *openapi_scenarios_operation(const struct api_route *route, enum http_lang lang)
{
    for (size_t i = 0; i < N_OP_DOCS; i++) {
        if (strcmp(op_docs[i].operation_id, route->operation_id) == 0) {
            return operation(&op_docs[i], route->pattern, lang);
        }
    }
    return NULL;
}
