/* api_openapi_tiles.c - the tiles part of "/api": the operations of the OGC API - Tiles
 * routes of the route table (api_tiles.c, api_tilesets.c), with their path parameters, the
 * vector tile media type, the version parameter v and the header saying how many
 * features a tile left out. */
#include "http/server/api_openapi_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers/api_tiles_int.h"
#include "http/transport/response.h"
#include "tiles/tile_math.h"

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

enum tiles_doc_kind {
    DOC_LIST,
    DOC_TILESET,
    DOC_TILEJSON,
    DOC_TILE,
    DOC_MATRIX_SETS,
    DOC_MATRIX_SET
};

/* What the document says about a tiles route of the table (routes.c), by its operationId. */
struct tiles_doc {
    const char *operation_id;
    enum tiles_doc_kind kind;
    const char *summary_en, *summary_th;
};

static const struct tiles_doc docs[] = {
    {"getCollectionTileSetsList", DOC_LIST, "The vector tilesets of a collection",
     "ชุดไทล์เวกเตอร์ของชั้นข้อมูล"},
    {"getCollectionTileSet", DOC_TILESET, "A collection's tileset metadata",
     "ข้อมูลกำกับชุดไทล์ของชั้นข้อมูล"},
    {"getCollectionTileJson", DOC_TILEJSON, "A collection's tileset as TileJSON 3.0.0",
     "ชุดไทล์ของชั้นข้อมูลในรูปแบบ TileJSON 3.0.0"},
    {"getCollectionVectorTile", DOC_TILE, "A Mapbox Vector Tile of a collection",
     "ไทล์เวกเตอร์ (Mapbox Vector Tile) ของชั้นข้อมูล"},
    {"getBaseMapTileSetsList", DOC_LIST,
     "The base map's tilesets (the city profile's orientation layers)",
     "ชุดไทล์ของแผนที่ฐาน (ชั้นข้อมูลหลักของเมือง)"},
    {"getBaseMapTileSet", DOC_TILESET, "The base map's tileset metadata",
     "ข้อมูลกำกับชุดไทล์ของแผนที่ฐาน"},
    {"getBaseMapTileJson", DOC_TILEJSON, "The base map as TileJSON 3.0.0",
     "แผนที่ฐานในรูปแบบ TileJSON 3.0.0"},
    {"getBaseMapVectorTile", DOC_TILE,
     "A Mapbox Vector Tile of the base map, one layer per collection",
     "ไทล์เวกเตอร์ของแผนที่ฐาน หนึ่งชั้นต่อหนึ่งชั้นข้อมูล"},
    {"getTileMatrixSetsList", DOC_MATRIX_SETS, "The tile matrix sets offered",
     "ระบบตารางไทล์ที่ให้บริการ"},
    {"getTileMatrixSet", DOC_MATRIX_SET, "The definition of a tile matrix set",
     "นิยามของระบบตารางไทล์"},
};

#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static json_t *path_param(const char *name, const char *description, json_t *schema)
{
    return json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", "path", "required", true,
                     "description", description, "schema", schema);
}

static json_t *integer_range(json_int_t min, json_int_t max)
{
    return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", min, "maximum", max);
}

void openapi_tiles_components(json_t *components, enum http_lang lang)
{
    json_t *params = json_object_get(components, "parameters");
    json_object_set_new(params, "tileMatrixSetId",
                        path_param("tileMatrixSetId",
                                   tr(lang, "The tile matrix set: " TILE_MATRIX_SET_ID " only.",
                                      "ระบบตารางไทล์: " TILE_MATRIX_SET_ID " เท่านั้น"),
                                   openapi_constant(TILE_MATRIX_SET_ID)));
    json_int_t last = ((json_int_t)1 << TILE_MAX_ZOOM) - 1;
    json_object_set_new(params, "tileMatrix",
                        path_param("tileMatrix",
                                   tr(lang, "The zoom level (tile matrix); outside 0-22 is 404.",
                                      "ระดับการย่อขยาย (tile matrix) นอกช่วง 0-22 ได้ 404"),
                                   integer_range(0, TILE_MAX_ZOOM)));
    json_object_set_new(
        params, "tileRow",
        path_param("tileRow",
                   tr(lang, "The row, 0 at the north, below 2^tileMatrix (else 404).",
                      "แถว เริ่ม 0 ทางทิศเหนือ น้อยกว่า 2^tileMatrix (มิฉะนั้น 404)"),
                   integer_range(0, last)));
    json_object_set_new(params, "tileCol",
                        path_param("tileCol",
                                   tr(lang,
                                      "The column, 0 at the antimeridian, below 2^tileMatrix "
                                      "(else 404).",
                                      "คอลัมน์ เริ่ม 0 ที่เส้นแบ่งวันสากล น้อยกว่า 2^tileMatrix "
                                      "(มิฉะนั้น 404)"),
                                   integer_range(0, last)));
}

static json_t *tile_ok(enum http_lang lang)
{
    json_t *headers = json_pack(
        "{s:{s:s, s:o}, s:{s:s, s:o}}", API_TILE_DROPPED_HEADER, "description",
        tr(lang,
           "Per layer, how many features meeting the tile and its buffer it left out "
           "(thinned by density to keep the tile under 500 kB, or smaller than the tile's "
           "grid): \"layer-id=N, other-id=M\".",
           "จำนวนรายการต่อชั้นที่ไม่ได้ใส่ในไทล์ (ลดความหนาแน่นเพื่อให้ไทล์ไม่เกิน 500 kB "
           "หรือเล็กกว่าช่องตารางของไทล์): \"layer-id=N, other-id=M\""),
        "schema", openapi_typed("string"), "ETag", "description",
        tr(lang, "Names the tile and the versions of its layers.", "ระบุไทล์และรุ่นของชั้นข้อมูล"),
        "schema", openapi_typed("string"));
    return json_pack("{s:s, s:o, s:{s:{s:{s:s, s:s}}}}", "description",
                     tr(lang, "A Mapbox Vector Tile 2.1", "ไทล์เวกเตอร์ Mapbox Vector Tile 2.1"),
                     "headers", headers, "content", API_TILE_TYPE, "schema", "type", "string",
                     "format", "binary");
}

static json_t *responses(const struct tiles_doc *doc, const char *pattern, enum http_lang lang)
{
    json_t *ok = NULL;
    if (doc->kind == DOC_TILE) {
        ok = tile_ok(lang);
    } else {
        const char *type =
            doc->kind == DOC_TILEJSON ? "application/vnd.mapbox.tile+json" : RESPONSE_TYPE_JSON;
        ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", tr(lang, "The document", "เอกสาร"),
                       "content", type, "schema", "type", "object");
    }
    return openapi_read_responses(ok, pattern, "NotFound");
}

json_t *openapi_tiles_operation(const struct api_route *route, enum http_lang lang)
{
    const struct tiles_doc *d = openapi_doc_of(docs, N_DOCS, sizeof(docs[0]), route->operation_id);
    return d == NULL
               ? NULL
               : openapi_summary_operation(d->operation_id, tr(lang, d->summary_en, d->summary_th),
                                           responses(d, route->pattern, lang));
}
