/* test_encode.c - encode/: SpatiaLite geometry BLOBs as GeoJSON and WKT, number
 * formatting, JSON, CSV and HTML text. Geometry BLOBs come from a real SpatiaLite
 * (in-memory database); the few shapes SpatiaLite cannot write (empty geometries,
 * big-endian and corrupt blobs) are built byte by byte. */
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "base/buf.h"
#include "base/err.h"
#include "encode/csv_text.h"
#include "encode/geom_blob.h"
#include "encode/geom_text.h"
#include "encode/html_text.h"
#include "encode/json_text.h"
#include "encode/nfc_text.h"
#include "encode/number_text.h"

#include "unit_support.c"

#define BUF_CAP (64u << 20)

/* Shared SpatiaLite connection */

static sqlite3 *g_db;
static void *g_cache;

static int open_spatialite(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK) {
        return -1;
    }
    g_cache = spatialite_alloc_connection();
    spatialite_init_ex(g_db, g_cache, 0);
    return 0;
}

static int close_spatialite(void **state)
{
    (void)state;
    sqlite3_close(g_db);
    spatialite_cleanup_ex(g_cache);
    return 0;
}

/* Runs a one-value SELECT with an optional parameter (a BLOB, or text when is_text) and
 * returns a copy of the value, NUL-terminated (free with free()), or NULL for SQL NULL. */
static unsigned char *sql_value(const char *sql, const void *param, size_t param_len, bool is_text,
                                size_t *len)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(g_db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(g_db));
    }
    if (param != NULL) {
        if (is_text) {
            sqlite3_bind_text(stmt, 1, param, (int)param_len, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_blob(stmt, 1, param, (int)param_len, SQLITE_TRANSIENT);
        }
    }
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    unsigned char *copy = NULL;
    if (sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
        const void *data = sqlite3_column_blob(stmt, 0);
        size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
        copy = malloc(n + 1);
        assert_non_null(copy);
        memcpy(copy, data, n);
        copy[n] = '\0';
        if (len != NULL) {
            *len = n;
        }
    }
    sqlite3_finalize(stmt);
    return copy;
}

/* The BLOB of SELECT sql (free with free()); fails the test when it is NULL. */
static unsigned char *sql_blob(const char *sql, size_t *len)
{
    unsigned char *blob = sql_value(sql, NULL, 0, false, len);
    if (blob == NULL) {
        fail_msg("%s returned NULL", sql);
    }
    return blob;
}

static void sql_exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(g_db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
}

/* Encoding helpers */

static char *geojson_of(const unsigned char *blob, size_t len, int precision, bool swap_axes)
{
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    struct geom_format fmt = {.precision = precision, .swap_axes = swap_axes};
    if (geom_text_append_geojson(&b, blob, len, &fmt, &e) != ERR_OK) {
        fail_msg("geojson: %s", e.msg);
    }
    return buf_take(&b);
}

static char *wkt_of(const unsigned char *blob, size_t len, int precision)
{
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    struct geom_format fmt = {.precision = precision, .swap_axes = false};
    if (geom_text_append_wkt(&b, blob, len, &fmt, &e) != ERR_OK) {
        fail_msg("wkt: %s", e.msg);
    }
    return buf_take(&b);
}

/* Seeded xorshift: the random tests repeat exactly */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static int rng_int(struct rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static double rng_double(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

/* Empties a buf but keeps its memory for the next round. */
static void empty_buf(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

/* Builds blobs byte by byte in either byte order */

struct blob_builder {
    unsigned char data[1024];
    size_t len;
    bool is_big_endian;
};

static void put_bytes(struct blob_builder *bb, const void *p, size_t n)
{
    assert_true(bb->len + n <= sizeof(bb->data));
    const unsigned char *bytes = p;
    for (size_t i = 0; i < n; i++) { /* the host is little-endian (x86-64, aarch64) */
        bb->data[bb->len + i] = bb->is_big_endian ? bytes[n - 1 - i] : bytes[i];
    }
    bb->len += n;
}

static void put_u8(struct blob_builder *bb, unsigned char v)
{
    bb->data[bb->len++] = v;
}

static void put_i32(struct blob_builder *bb, int32_t v)
{
    put_bytes(bb, &v, sizeof(v));
}

static void put_f64(struct blob_builder *bb, double v)
{
    put_bytes(bb, &v, sizeof(v));
}

static void begin_blob(struct blob_builder *bb, bool is_big_endian, int32_t class_code)
{
    bb->len = 0;
    bb->is_big_endian = is_big_endian;
    put_u8(bb, 0x00);
    put_u8(bb, is_big_endian ? 0x00 : 0x01);
    put_i32(bb, 4326);
    put_f64(bb, 0);
    put_f64(bb, 0);
    put_f64(bb, 1);
    put_f64(bb, 1);
    put_u8(bb, 0x7C);
    put_i32(bb, class_code);
}

static void put_entity(struct blob_builder *bb, int32_t class_code)
{
    put_u8(bb, 0x69);
    put_i32(bb, class_code);
}

static void put_triangle_ring(struct blob_builder *bb)
{
    static const double XY[] = {0, 0, 1, 0, 1, 1, 0, 0};
    put_i32(bb, 4);
    for (size_t i = 0; i < 8; i++) {
        put_f64(bb, XY[i]);
    }
}

/* Runs both writers on a built blob and checks their text. */
static void check_built(const struct blob_builder *bb, const char *geojson, const char *wkt)
{
    char *got = geojson_of(bb->data, bb->len, 6, false);
    assert_string_equal(got, geojson);
    free(got);
    got = wkt_of(bb->data, bb->len, 6);
    assert_string_equal(got, wkt);
    free(got);
}

/* Geometry: expected text */

struct expected_text {
    const char *wkt_in;
    const char *geojson;
    const char *wkt;
};

static const struct expected_text KINDS[] = {
    {"POINT(98.9853 18.7883)", "{\"type\":\"Point\",\"coordinates\":[98.9853,18.7883]}",
     "POINT (98.9853 18.7883)"},
    {"LINESTRING(0 0, 1.5 2.25, -3 4)",
     "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1.5,2.25],[-3,4]]}",
     "LINESTRING (0 0, 1.5 2.25, -3 4)"},
    {"POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 2 2))",
     "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
     "[[2,2],[2,3],[3,3],[2,2]]]}",
     "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 2 2))"},
    {"MULTIPOINT(1 2, 3 4)", "{\"type\":\"MultiPoint\",\"coordinates\":[[1,2],[3,4]]}",
     "MULTIPOINT ((1 2), (3 4))"},
    {"MULTILINESTRING((0 0, 1 1), (2 2, 3 3, 4 4))",
     "{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]],[[2,2],[3,3],[4,4]]]}",
     "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3, 4 4))"},
    {"MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.8 5.1, 5.8 5.7, "
     "5.2 5.1)))",
     "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
     "[[[5,5],[6,5],[6,6],[5,5]],[[5.2,5.1],[5.8,5.1],[5.8,5.7],[5.2,5.1]]]]}",
     "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.8 5.1, 5.8 5.7, "
     "5.2 5.1)))"},
    {"GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1), POLYGON((0 0, 1 0, 1 1, 0 0)))",
     "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]},"
     "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]},"
     "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}]}",
     "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POLYGON ((0 0, 1 0, 1 1, 0 0)))"},
};

static unsigned char *blob_from_wkt(const char *wkt, size_t *len)
{
    char sql[1024];
    snprintf(sql, sizeof(sql), "SELECT GeomFromText('%s', 4326)", wkt);
    return sql_blob(sql, len);
}

static void every_kind_is_written_as_expected_geojson_and_wkt(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(KINDS) / sizeof(KINDS[0]); i++) {
        size_t len;
        unsigned char *blob = blob_from_wkt(KINDS[i].wkt_in, &len);
        char *got = geojson_of(blob, len, 6, false);
        assert_string_equal(got, KINDS[i].geojson);
        free(got);
        got = wkt_of(blob, len, 6);
        assert_string_equal(got, KINDS[i].wkt);
        free(got);
        free(blob);
    }
}

static void z_and_m_are_dropped(void **state)
{
    (void)state;
    static const char *const SQL[] = {
        "SELECT GeomFromText('POINT Z(1 2 3)', 4326)",
        "SELECT GeomFromText('POINT M(1 2 4)', 4326)",
        "SELECT GeomFromText('POINT ZM(1 2 3 4)', 4326)",
        "SELECT CastToXYZ(GeomFromText('POINT(1 2)', 4326))",
        "SELECT CastToXYM(GeomFromText('POINT(1 2)', 4326))",
        "SELECT CastToXYZM(GeomFromText('POINT(1 2)', 4326))",
    };
    static const enum geom_blob_dims DIMS[] = {GEOM_BLOB_XYZ, GEOM_BLOB_XYM, GEOM_BLOB_XYZM,
                                               GEOM_BLOB_XYZ, GEOM_BLOB_XYM, GEOM_BLOB_XYZM};
    for (size_t i = 0; i < sizeof(SQL) / sizeof(SQL[0]); i++) {
        size_t len;
        unsigned char *blob = sql_blob(SQL[i], &len);
        struct geom_blob_header h;
        struct err e;
        assert_int_equal(geom_blob_header(blob, len, &h, &e), ERR_OK);
        assert_int_equal(h.dims, DIMS[i]);
        char *got = geojson_of(blob, len, 6, false);
        assert_string_equal(got, "{\"type\":\"Point\",\"coordinates\":[1,2]}");
        free(got);
        got = wkt_of(blob, len, 6);
        assert_string_equal(got, "POINT (1 2)");
        free(got);
        free(blob);
    }
    size_t len;
    unsigned char *blob = sql_blob("SELECT CastToXYZM(GeomFromText('MULTIPOLYGON(((0 0, 1 0, "
                                   "1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))', 4326))",
                                   &len);
    char *got = wkt_of(blob, len, 6);
    assert_string_equal(got, "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))");
    free(got);
    free(blob);
}

static void swapped_axes_write_latitude_first(void **state)
{
    (void)state;
    size_t len;
    unsigned char *blob = blob_from_wkt("LINESTRING(98.98 18.78, 99.1 18.9)", &len);
    char *got = geojson_of(blob, len, 6, true);
    assert_string_equal(got,
                        "{\"type\":\"LineString\",\"coordinates\":[[18.78,98.98],[18.9,99.1]]}");
    free(got);
    free(blob);
}

static void precision_rounds_coordinates(void **state)
{
    (void)state;
    size_t len;
    unsigned char *blob = blob_from_wkt("POINT(98.123456789 -18.987654321)", &len);
    char *got = geojson_of(blob, len, 3, false);
    assert_string_equal(got, "{\"type\":\"Point\",\"coordinates\":[98.123,-18.988]}");
    free(got);
    got = geojson_of(blob, len, 0, false);
    assert_string_equal(got, "{\"type\":\"Point\",\"coordinates\":[98,-19]}");
    free(got);
    got = geojson_of(blob, len, 9, false);
    assert_string_equal(got, "{\"type\":\"Point\",\"coordinates\":[98.123456789,-18.987654321]}");
    free(got);
    got = geojson_of(blob, len, 15, false); /* as printf: the double's own digits show */
    assert_string_equal(
        got, "{\"type\":\"Point\",\"coordinates\":[98.123456789000002,-18.987654321000001]}");
    free(got);
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    struct geom_format fmt = {.precision = 16};
    assert_int_equal(geom_text_append_geojson(&b, blob, len, &fmt, &e), ERR_INVALID);
    fmt.precision = -1;
    assert_int_equal(geom_text_append_wkt(&b, blob, len, &fmt, &e), ERR_INVALID);
    assert_int_equal(b.len, 0);
    buf_clear(&b);
    free(blob);
}

static void header_reports_class_srid_and_mbr(void **state)
{
    (void)state;
    size_t len;
    unsigned char *blob = sql_blob("SELECT GeomFromText('MULTIPOLYGON(((98.9 18.7, 99.1 18.7, "
                                   "99.1 18.9, 98.9 18.7)))', 4326)",
                                   &len);
    struct geom_blob_header h;
    struct err e;
    assert_int_equal(geom_blob_header(blob, len, &h, &e), ERR_OK);
    assert_int_equal(h.kind, GEOM_BLOB_MULTIPOLYGON);
    assert_int_equal(h.dims, GEOM_BLOB_XY);
    assert_false(h.is_compressed);
    assert_int_equal(h.srid, 4326);
    assert_true(h.min_x == 98.9 && h.min_y == 18.7 && h.max_x == 99.1 && h.max_y == 18.9);
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT MbrMinX(?1), MbrMinY(?1), MbrMaxX(?1), "
                                        "MbrMaxY(?1)",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(stmt, 1, blob, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_true(sqlite3_column_double(stmt, 0) == h.min_x);
    assert_true(sqlite3_column_double(stmt, 1) == h.min_y);
    assert_true(sqlite3_column_double(stmt, 2) == h.max_x);
    assert_true(sqlite3_column_double(stmt, 3) == h.max_y);
    sqlite3_finalize(stmt);
    free(blob);
    blob = sql_blob("SELECT GeomFromText('POINT(1 2)', 3857)", &len);
    assert_int_equal(geom_blob_header(blob, len, &h, &e), ERR_OK);
    assert_int_equal(h.srid, 3857);
    assert_int_equal(h.kind, GEOM_BLOB_POINT);
    assert_true(h.min_x == 1 && h.max_x == 1 && h.min_y == 2 && h.max_y == 2);
    free(blob);
}

static void tiny_points_are_read(void **state)
{
    (void)state;
    sql_exec("SELECT EnableTinyPoint()");
    size_t len;
    size_t len_z;
    unsigned char *blob = sql_blob("SELECT MakePoint(98.5, 18.25, 4326)", &len);
    unsigned char *blob_z = sql_blob("SELECT MakePointZ(1.5, 2.5, 3.5, 4326)", &len_z);
    sql_exec("SELECT DisableTinyPoint()");
    assert_int_equal(blob[1], 0x81); /* SpatiaLite did write a TinyPoint */
    assert_int_equal(len, 24);
    assert_int_equal(len_z, 32);
    struct geom_blob_header h;
    struct err e;
    assert_int_equal(geom_blob_header(blob, 24, &h, &e), ERR_OK);
    assert_int_equal(h.kind, GEOM_BLOB_POINT);
    assert_int_equal(h.srid, 4326);
    assert_true(h.min_x == 98.5 && h.max_x == 98.5 && h.min_y == 18.25 && h.max_y == 18.25);
    char *got = geojson_of(blob, 24, 6, false);
    assert_string_equal(got, "{\"type\":\"Point\",\"coordinates\":[98.5,18.25]}");
    free(got);
    got = wkt_of(blob_z, len_z, 6);
    assert_string_equal(got, "POINT (1.5 2.5)");
    free(got);
    assert_int_equal(geom_blob_header(blob, 23, &h, &e), ERR_INVALID);
    free(blob);
    free(blob_z);
}

/* Builds both byte orders of the same shapes: the text must not depend on byte order. */
static void big_endian_blobs_read_like_little_endian_ones(void **state)
{
    (void)state;
    struct blob_builder bb;
    for (int big = 0; big <= 1; big++) {
        begin_blob(&bb, big, 1);
        put_f64(&bb, 98.5);
        put_f64(&bb, -18.25);
        put_u8(&bb, 0xFE);
        check_built(&bb, "{\"type\":\"Point\",\"coordinates\":[98.5,-18.25]}",
                    "POINT (98.5 -18.25)");
        begin_blob(&bb, big, 6);
        put_i32(&bb, 1);
        put_entity(&bb, 3);
        put_i32(&bb, 1);
        put_triangle_ring(&bb);
        put_u8(&bb, 0xFE);
        check_built(&bb,
                    "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}",
                    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))");
        struct geom_blob_header h;
        struct err e;
        assert_int_equal(geom_blob_header(bb.data, bb.len, &h, &e), ERR_OK);
        assert_int_equal(h.srid, 4326);
        assert_true(h.max_x == 1 && h.max_y == 1);
    }
}

/* SpatiaLite refuses to store empty geometries (GeomFromText gives NULL), but a blob may
 * still hold empty lists: each one must come out as valid text. */
static void empty_geometries_give_valid_text(void **state)
{
    (void)state;
    unsigned char *none =
        sql_value("SELECT GeomFromText('GEOMETRYCOLLECTION EMPTY')", NULL, 0, false, NULL);
    assert_null(none);
    struct blob_builder bb;
    begin_blob(&bb, false, 7);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    check_built(&bb, "{\"type\":\"GeometryCollection\",\"geometries\":[]}",
                "GEOMETRYCOLLECTION EMPTY");
    begin_blob(&bb, false, 6);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    check_built(&bb, "{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "MULTIPOLYGON EMPTY");
    begin_blob(&bb, false, 2);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    check_built(&bb, "{\"type\":\"LineString\",\"coordinates\":[]}", "LINESTRING EMPTY");
    begin_blob(&bb, false, 3);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    check_built(&bb, "{\"type\":\"Polygon\",\"coordinates\":[]}", "POLYGON EMPTY");
    begin_blob(&bb, false, 6); /* an empty polygon beside a real one */
    put_i32(&bb, 2);
    put_entity(&bb, 3);
    put_i32(&bb, 0);
    put_entity(&bb, 3);
    put_i32(&bb, 1);
    put_triangle_ring(&bb);
    put_u8(&bb, 0xFE);
    check_built(&bb, "{\"type\":\"MultiPolygon\",\"coordinates\":[[],[[[0,0],[1,0],[1,1],[0,0]]]]}",
                "MULTIPOLYGON (EMPTY, ((0 0, 1 0, 1 1, 0 0)))");
    begin_blob(&bb, false, 7); /* a collection holding an empty linestring */
    put_i32(&bb, 1);
    put_entity(&bb, 2);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    check_built(&bb,
                "{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"LineString\","
                "\"coordinates\":[]}]}",
                "GEOMETRYCOLLECTION (LINESTRING EMPTY)");
}

/* Corrupt blobs: each is rejected with ERR_INVALID and the buf keeps its content. */
static void expect_invalid(const struct blob_builder *bb, const char *msg_part)
{
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    assert_int_equal(buf_append_str(&b, "kept", &e), ERR_OK);
    struct geom_format fmt = {.precision = 6};
    e.msg[0] = '\0';
    assert_int_equal(geom_text_append_geojson(&b, bb->data, bb->len, &fmt, &e), ERR_INVALID);
    if (strstr(e.msg, msg_part) == NULL) {
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
    }
    assert_int_equal(geom_text_append_wkt(&b, bb->data, bb->len, &fmt, &e), ERR_INVALID);
    assert_string_equal(b.data, "kept");
    assert_int_equal(b.len, 4);
    buf_clear(&b);
}

static void blobs_with_wrong_classes_or_counts_are_rejected(void **state)
{
    (void)state;
    struct blob_builder bb;
    begin_blob(&bb, false, 8); /* no class 8 */
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "unsupported class 8");
    begin_blob(&bb, false, 1000001); /* compressed points do not exist */
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "unsupported class");
    begin_blob(&bb, false, 7); /* a collection inside a collection */
    put_i32(&bb, 1);
    put_entity(&bb, 7);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "cannot be a member");
    begin_blob(&bb, false, 4); /* a MULTIPOINT holding a line */
    put_i32(&bb, 1);
    put_entity(&bb, 2);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "cannot be a member");
    begin_blob(&bb, false, 4); /* an XYZ point in an XY MULTIPOINT */
    put_i32(&bb, 1);
    put_entity(&bb, 1001);
    put_f64(&bb, 1);
    put_f64(&bb, 2);
    put_f64(&bb, 3);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "cannot be a member");
    begin_blob(&bb, false, 5); /* a huge member count */
    put_i32(&bb, 0x7fffffff);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "cannot fit");
    begin_blob(&bb, false, 2); /* a negative point count */
    put_i32(&bb, -1);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "cannot fit");
    begin_blob(&bb, false, 1); /* bytes after the geometry */
    put_f64(&bb, 1);
    put_f64(&bb, 2);
    put_f64(&bb, 3);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "follow the geometry");
}

static void blobs_with_broken_markers_are_rejected(void **state)
{
    (void)state;
    struct blob_builder bb;
    begin_blob(&bb, false, 6); /* a member without its marker */
    put_i32(&bb, 1);
    put_u8(&bb, 0x00);
    put_i32(&bb, 3);
    put_i32(&bb, 0);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "marker");
    begin_blob(&bb, false, 1); /* NaN cannot be written */
    put_f64(&bb, NAN);
    put_f64(&bb, 2);
    put_u8(&bb, 0xFE);
    expect_invalid(&bb, "not a number");
    begin_blob(&bb, false, 1); /* no end marker */
    put_f64(&bb, 1);
    put_f64(&bb, 2);
    put_u8(&bb, 0xFF);
    expect_invalid(&bb, "end marker");
    bb.data[bb.len - 1] = 0xFE;
    bb.data[1] = 0x02; /* unknown byte order */
    expect_invalid(&bb, "byte order");
    bb.data[1] = 0x01;
    bb.data[38] = 0x00; /* no MBR marker */
    expect_invalid(&bb, "MBR");
    bb.data[38] = 0x7C;
    bb.data[0] = 0x01; /* no start marker */
    expect_invalid(&bb, "start marker");
    expect_invalid(&(struct blob_builder){.len = 0}, "start marker");
}

/* Every prefix of a valid blob is invalid, and random damage never crashes or leaves a
 * half-written geometry; what succeeds still parses as JSON. */
static void check_damage(const unsigned char *blob, size_t len, struct rng *r)
{
    struct buf b;
    struct err e;
    struct geom_format fmt = {.precision = 7};
    buf_init(&b, BUF_CAP);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    for (size_t n = 0; n < len; n++) {
        unsigned char *prefix = malloc(n > 0 ? n : 1); /* exactly n bytes: ASan sees over-reads */
        assert_non_null(prefix);
        memcpy(prefix, blob, n);
        assert_int_equal(geom_text_append_geojson(&b, prefix, n, &fmt, &e), ERR_INVALID);
        assert_int_equal(geom_text_append_wkt(&b, prefix, n, &fmt, &e), ERR_INVALID);
        assert_int_equal(b.len, 0);
        free(prefix);
    }
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, blob, len);
        int n_flips = 1 + round % 3;
        for (int i = 0; i < n_flips; i++) {
            uint64_t x = rng_next(r);
            copy[x % len] ^= (unsigned char)(1u << (x >> 40) % 8);
        }
        int rc = geom_text_append_geojson(&b, copy, len, &fmt, &e);
        if (rc == ERR_OK) {
            json_error_t jerr;
            json_t *parsed = json_loads(b.data, JSON_DECODE_INT_AS_REAL, &jerr);
            if (parsed == NULL) {
                fail_msg("invalid JSON from a damaged blob: %s: %s", jerr.text, b.data);
            }
            json_decref(parsed);
        } else {
            assert_int_equal(rc, ERR_INVALID);
            assert_int_equal(b.len, 0);
        }
        empty_buf(&b);
        rc = geom_text_append_wkt(&b, copy, len, &fmt, &e);
        assert_true(rc == ERR_OK || (rc == ERR_INVALID && b.len == 0));
        empty_buf(&b);
    }
    free(copy);
    buf_clear(&b);
}

static void truncated_and_damaged_blobs_fail_cleanly(void **state)
{
    (void)state;
    static const char *const SQL[] = {
        "SELECT GeomFromText('POINT(1 2)', 4326)",
        "SELECT GeomFromText('LINESTRING ZM(0 0 1 2, 1 1 3 4, 2 0 5 6)', 4326)",
        "SELECT GeomFromText('MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), "
        "(5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)))', 4326)",
        "SELECT GeomFromText('GEOMETRYCOLLECTION Z(POINT Z(1 2 3), LINESTRING Z(0 0 1, 1 1 2), "
        "POLYGON Z((0 0 1, 1 0 1, 1 1 1, 0 0 1)))', 4326)",
        "SELECT GeomFromText('MULTIPOINT M(1 2 3, 4 5 6)', 4326)",
        "SELECT CompressGeometry(GeomFromText('MULTILINESTRING((0 0, 1 1, 2 2.5, 3 3), "
        "(9 9, 8 8, 7 7))', 4326))",
        "SELECT CompressGeometry(GeomFromText('POLYGON Z((0 0 1, 1 0 2, 1 1 3, 0.5 1.5 3, 0 0 "
        "1))', 4326))",
    };
    struct rng r = {0x9E3779B97F4A7C15ull};
    for (size_t i = 0; i < sizeof(SQL) / sizeof(SQL[0]); i++) {
        size_t len;
        unsigned char *blob = sql_blob(SQL[i], &len);
        check_damage(blob, len, &r);
        free(blob);
    }
    sql_exec("SELECT EnableTinyPoint()");
    size_t len;
    unsigned char *tiny = sql_blob("SELECT MakePointZM(1, 2, 3, 4, 4326)", &len);
    sql_exec("SELECT DisableTinyPoint()");
    check_damage(tiny, len, &r);
    free(tiny);
}

static void output_past_the_cap_fails_and_keeps_the_buf(void **state)
{
    (void)state;
    size_t len;
    unsigned char *blob = blob_from_wkt("LINESTRING(0 0, 1 1, 2 2, 3 3, 4 4, 5 5)", &len);
    struct buf b;
    struct err e;
    struct geom_format fmt = {.precision = 6};
    buf_init(&b, 30);
    assert_int_equal(buf_append_str(&b, "abc", &e), ERR_OK);
    assert_int_equal(geom_text_append_geojson(&b, blob, len, &fmt, &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "abc");
    assert_int_equal(geom_text_append_wkt(&b, blob, len, &fmt, &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "abc");
    buf_clear(&b);
    free(blob);
}

/* Random geometries against SpatiaLite's own writers */

static const char *const DIM_TAGS[] = {"", " Z", " M", " ZM"};

/* Appends one position: coordinates with 3 decimals, so the text reads back exactly. */
static void wkt_position(struct buf *w, struct rng *r, int dims, double x, double y)
{
    struct err e;
    assert_int_equal(buf_printf(w, &e, "%.3f %.3f", x, y), ERR_OK);
    int n_extra = dims == 3 ? 2 : dims > 0 ? 1 : 0;
    for (int i = 0; i < n_extra; i++) {
        assert_int_equal(buf_printf(w, &e, " %d", rng_int(r, -100, 100)), ERR_OK);
    }
}

static double rng_coord(struct rng *r, int range)
{
    return rng_int(r, -range * 1000, range * 1000) / 1000.0;
}

static void wkt_points(struct buf *w, struct rng *r, int dims, int n, bool is_ring)
{
    struct err e;
    double x0 = rng_coord(r, 180);
    double y0 = rng_coord(r, 90);
    assert_int_equal(buf_append_str(w, "(", &e), ERR_OK);
    for (int i = 0; i < n; i++) {
        bool is_last_of_ring = is_ring && i == n - 1;
        double x = is_last_of_ring || i == 0 ? x0 : x0 + rng_coord(r, 1);
        double y = is_last_of_ring || i == 0 ? y0 : y0 + rng_coord(r, 1);
        assert_int_equal(buf_append_str(w, i > 0 ? ", " : "", &e), ERR_OK);
        wkt_position(w, r, dims, x, y);
    }
    assert_int_equal(buf_append_str(w, ")", &e), ERR_OK);
}

static void wkt_body(struct buf *w, struct rng *r, int kind, int dims)
{
    struct err e;
    if (kind == 1) {
        wkt_points(w, r, dims, 1, false);
    } else if (kind == 2) {
        wkt_points(w, r, dims, rng_int(r, 2, 40), false);
    } else if (kind == 3) {
        int n_rings = rng_int(r, 1, 3);
        assert_int_equal(buf_append_str(w, "(", &e), ERR_OK);
        for (int i = 0; i < n_rings; i++) {
            assert_int_equal(buf_append_str(w, i > 0 ? ", " : "", &e), ERR_OK);
            wkt_points(w, r, dims, rng_int(r, 4, 30), true);
        }
        assert_int_equal(buf_append_str(w, ")", &e), ERR_OK);
    } else {
        int n_parts = rng_int(r, 1, 4);
        assert_int_equal(buf_append_str(w, "(", &e), ERR_OK);
        for (int i = 0; i < n_parts; i++) {
            assert_int_equal(buf_append_str(w, i > 0 ? ", " : "", &e), ERR_OK);
            wkt_body(w, r, kind - 3, dims);
        }
        assert_int_equal(buf_append_str(w, ")", &e), ERR_OK);
    }
}

static void random_wkt(struct buf *w, struct rng *r, int kind, int dims)
{
    static const char *const NAMES[] = {
        "",           "POINT",           "LINESTRING",   "POLYGON",
        "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"};
    struct err e;
    assert_int_equal(buf_printf(w, &e, "%s%s", NAMES[kind], DIM_TAGS[dims]), ERR_OK);
    if (kind != 7) {
        wkt_body(w, r, kind, dims);
        return;
    }
    int n_members = rng_int(r, 1, 4);
    assert_int_equal(buf_append_str(w, "(", &e), ERR_OK);
    for (int i = 0; i < n_members; i++) {
        assert_int_equal(buf_append_str(w, i > 0 ? ", " : "", &e), ERR_OK);
        random_wkt(w, r, rng_int(r, 1, 3), dims);
    }
    assert_int_equal(buf_append_str(w, ")", &e), ERR_OK);
}

/* Compares GeoJSON geometries: same types and nesting, positions equal in x and y to a
 * relative 1e-12 (theirs may carry a Z). */
static void compare_geojson(json_t *mine, json_t *theirs, const char *context)
{
    if (json_is_number(mine)) {
        assert_true(json_is_number(theirs));
        double a = json_number_value(mine);
        double b = json_number_value(theirs);
        if (fabs(a - b) > 1e-12 * fmax(1.0, fabs(b))) {
            fail_msg("%.17g != %.17g in %s", a, b, context);
        }
    } else if (json_is_string(mine)) {
        assert_string_equal(json_string_value(mine), json_string_value(theirs));
    } else if (json_is_object(mine)) {
        assert_true(json_is_object(theirs));
        assert_int_equal(json_object_size(mine), json_object_size(theirs));
        const char *key;
        json_t *value;
        json_object_foreach(mine, key, value)
        {
            compare_geojson(value, json_object_get(theirs, key), context);
        }
    } else {
        assert_true(json_is_array(mine) && json_is_array(theirs));
        size_t n = json_array_size(mine);
        bool is_position = n == 2 && json_is_number(json_array_get(mine, 0));
        if (!is_position) {
            assert_int_equal(n, json_array_size(theirs));
        }
        for (size_t i = 0; i < n; i++) {
            compare_geojson(json_array_get(mine, i), json_array_get(theirs, i), context);
        }
    }
}

static json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (v == NULL) {
        fail_msg("not JSON (%s): %s", jerr.text, text);
    }
    return v;
}

/* One random geometry: GeoJSON against AsGeoJSON; WKT read back by SpatiaLite gives the
 * same blob as the geometry reduced to XY. */
static void check_random_geometry(struct rng *r, struct buf *w)
{
    w->len = 0;
    random_wkt(w, r, rng_int(r, 1, 7), rng_int(r, 0, 3));
    const char *sql = rng_int(r, 0, 3) == 0 ? "SELECT CompressGeometry(GeomFromText(?, 4326))"
                                            : "SELECT GeomFromText(?, 4326)";
    size_t len;
    unsigned char *blob = sql_value(sql, w->data, w->len, true, &len);
    if (blob == NULL) {
        fail_msg("SpatiaLite refused %s", w->data);
    }
    char *mine = geojson_of(blob, len, 15, false);
    unsigned char *theirs = sql_value("SELECT AsGeoJSON(?)", blob, len, false, NULL);
    json_t *a = parse_json(mine);
    json_t *b = parse_json((const char *)theirs);
    compare_geojson(a, b, w->data);
    json_decref(a);
    json_decref(b);
    free(theirs);
    free(mine);

    char *wkt = wkt_of(blob, len, 15);
    size_t back_len;
    size_t flat_len;
    unsigned char *back =
        sql_value("SELECT GeomFromText(?, 4326)", wkt, strlen(wkt), true, &back_len);
    unsigned char *flat = sql_value("SELECT CastToXY(?)", blob, len, false, &flat_len);
    assert_non_null(back);
    if (strstr(sql, "Compress") == NULL) { /* float deltas need more digits than 15 */
        assert_int_equal(back_len, flat_len);
        if (memcmp(back, flat, back_len) != 0) {
            fail_msg("WKT did not read back: %s from %s", wkt, w->data);
        }
    }
    free(back);
    free(flat);
    free(wkt);
    free(blob);
}

/* How many random geometries: each of the 28 pairs of kind and dimension about 14 times.
 * More cost more than they find: the suite runs this under AddressSanitizer, where each
 * of SpatiaLite's WKT parses (two per geometry) takes about 15 ms, because its parser
 * allocates a large block per call that ASan maps and poisons, then poisons again on
 * free (1,500 geometries were 45 s of the suite's CPU). */
#define RANDOM_GEOMETRIES 400

static void random_geometries_match_spatialite(void **state)
{
    (void)state;
    struct rng r = {0x2545F4914F6CDD1Dull};
    struct buf w;
    buf_init(&w, BUF_CAP);
    for (int i = 0; i < RANDOM_GEOMETRIES; i++) {
        check_random_geometry(&r, &w);
    }
    buf_clear(&w);
}

/* Numbers */

/* printf("%.*f") with the fixed format's trimming: no trailing zeros, no "-0". */
static void reference_fixed(double v, int precision, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%.*f", precision, v);
    if (strchr(out, '.') != NULL) {
        while (out[n - 1] == '0') {
            n--;
        }
        if (out[n - 1] == '.') {
            n--;
        }
    }
    out[n] = '\0';
    if (strcmp(out, "-0") == 0) {
        strcpy(out, "0");
    }
}

static void check_fixed(double v, int precision)
{
    char mine[NUMBER_TEXT_FIXED_CAP];
    char ref[NUMBER_TEXT_FIXED_CAP];
    size_t n = number_text_fixed(v, precision, mine);
    reference_fixed(v, precision, ref, sizeof(ref));
    if (strcmp(mine, ref) != 0 || n != strlen(ref)) {
        fail_msg("%a at %d: got %s, printf says %s", v, precision, mine, ref);
    }
}

static void fixed_numbers_match_printf(void **state)
{
    (void)state;
    struct rng r = {0xD1B54A32D192ED03ull};
    for (int i = 0; i < 500000; i++) { /* any finite double: half pass 2^64, printf's slow side */
        uint64_t bits = rng_next(&r);
        double v;
        memcpy(&v, &bits, sizeof(v));
        if (isfinite(v)) {
            check_fixed(v, rng_int(&r, 0, 15));
        }
    }
    for (int i = 0; i < 1500000; i++) { /* coordinates */
        check_fixed((rng_double(&r) - 0.5) * 360, rng_int(&r, 0, 15));
    }
    for (int i = 0; i < 300000; i++) { /* dyadic values: exact ties at some precisions */
        double v = (double)rng_int(&r, -2000000, 2000000) / (double)(1u << rng_int(&r, 0, 20));
        check_fixed(v, rng_int(&r, 0, 15));
    }
    for (int i = 0; i < 200000; i++) { /* every scale up to where snprintf takes over */
        double v = ldexp(rng_double(&r) + 0.5, rng_int(&r, -80, 80));
        check_fixed(i % 2 ? v : -v, rng_int(&r, 0, 15));
    }
}

static void fixed_numbers_edge_cases(void **state)
{
    (void)state;
    char out[NUMBER_TEXT_FIXED_CAP];
    assert_int_equal(number_text_fixed(-0.0, 6, out), 1);
    assert_string_equal(out, "0");
    number_text_fixed(-0.0000001, 6, out);
    assert_string_equal(out, "0");
    number_text_fixed(0.5, 0, out);
    assert_string_equal(out, "0");
    number_text_fixed(1.5, 0, out);
    assert_string_equal(out, "2");
    number_text_fixed(2.5, 0, out);
    assert_string_equal(out, "2");
    number_text_fixed(0.125, 2, out);
    assert_string_equal(out, "0.12");
    number_text_fixed(100, 0, out);
    assert_string_equal(out, "100");
    number_text_fixed(-100.5, 3, out);
    assert_string_equal(out, "-100.5");
    number_text_fixed(0.000001, 6, out);
    assert_string_equal(out, "0.000001");
    number_text_fixed(9.9999999, 6, out);
    assert_string_equal(out, "10");
    number_text_fixed(1e20, 2, out);
    assert_string_equal(out, "100000000000000000000");
    assert_int_equal(number_text_fixed(-DBL_MAX, 15, out), 1 + 309);
    assert_int_equal(number_text_fixed(NAN, 6, out), 0);
    assert_string_equal(out, "");
    assert_int_equal(number_text_fixed(-INFINITY, 6, out), 0);
    check_fixed(DBL_MIN, 15);
    check_fixed(4.9e-324, 15);
}

/* The reference the fast path must match: the shortest of %.15g, %.16g, %.17g that reads
 * back. */
static void reference_real(double v, char *out, size_t cap)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(out, cap, "%.*g", digits, v);
        if (strtod(out, NULL) == v) {
            return;
        }
    }
}

static void check_real(double v)
{
    char mine[NUMBER_TEXT_REAL_CAP];
    char ref[64];
    size_t n = number_text_real(v, mine);
    reference_real(v, ref, sizeof(ref));
    if (strcmp(mine, ref) != 0 || n != strlen(ref)) {
        fail_msg("%a: got %s, expected %s", v, mine, ref);
    }
    assert_true(strtod(mine, NULL) == v);
}

static void reals_are_shortest_round_trip(void **state)
{
    (void)state;
    struct rng r = {0x94D049BB133111EBull};
    for (int i = 0; i < 300000; i++) {
        uint64_t bits = rng_next(&r);
        double v;
        memcpy(&v, &bits, sizeof(v));
        if (isfinite(v)) {
            check_real(v);
        }
    }
    for (int i = 0; i < 500000; i++) { /* two decimals, as most attribute values */
        check_real(rng_int(&r, -100000000, 100000000) / 100.0);
    }
    for (int i = 0; i < 300000; i++) {
        check_real(ldexp(rng_double(&r) + 0.5, rng_int(&r, -20, 55)));
    }
    for (int p = -6; p <= 17; p++) { /* where %g changes notation and digits carry */
        double power = pow(10, p);
        double near[] = {power,
                         nextafter(power, 0),
                         nextafter(power, INFINITY),
                         power * (1 - 1e-15),
                         power * (1 - 4e-16),
                         power * 0.99999999999999994};
        for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
            check_real(near[i]);
            check_real(-near[i]);
        }
    }
    char out[NUMBER_TEXT_REAL_CAP];
    static const struct {
        double v;
        const char *text;
    } CASES[] = {
        {0.1, "0.1"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1e20, "1e+20"},
        {12.34, "12.34"},
        {-0.0, "-0"},
        {0.0, "0"},
        {1e-5, "1e-05"},
        {0.0001, "0.0001"},
        {123456789012345.0, "123456789012345"},
        {1e15, "1e+15"},
        {999999999999999.9, "999999999999999.9"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        number_text_real(CASES[i].v, out);
        assert_string_equal(out, CASES[i].text);
    }
    assert_int_equal(number_text_real(NAN, out), 0);
    assert_int_equal(number_text_real(INFINITY, out), 0);
}

static void int64_text_covers_the_range(void **state)
{
    (void)state;
    char out[NUMBER_TEXT_INT_CAP];
    assert_int_equal(number_text_int64(INT64_MIN, out), 20);
    assert_string_equal(out, "-9223372036854775808");
    number_text_int64(INT64_MAX, out);
    assert_string_equal(out, "9223372036854775807");
    number_text_int64(0, out);
    assert_string_equal(out, "0");
    number_text_int64(-7, out);
    assert_string_equal(out, "-7");
    struct rng r = {12345};
    for (int i = 0; i < 100000; i++) {
        int64_t v = (int64_t)rng_next(&r) >> rng_int(&r, 0, 63);
        char ref[32];
        snprintf(ref, sizeof(ref), "%lld", (long long)v);
        number_text_int64(v, out);
        assert_string_equal(out, ref);
    }
}

/* CPU time of this thread: on a shared machine, wall time mostly measures the others. */
static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Not a timed assertion (machines are shared): prints the speeds so a regression shows. */
static void formatting_speed_is_reported(void **state)
{
    (void)state;
    enum { N = 1000000 };
    char out[NUMBER_TEXT_FIXED_CAP];
    size_t total = 0;
    double t0 = seconds_now();
    for (int i = 0; i < N; i++) {
        total += number_text_fixed(98.8 + i * 4e-7, 7, out);
    }
    double t1 = seconds_now();
    for (int i = 0; i < N; i++) {
        total += (size_t)snprintf(out, sizeof(out), "%.7f", 98.8 + i * 4e-7);
    }
    double t2 = seconds_now();
    size_t len;
    unsigned char *blob = blob_from_wkt("POINT(98.9876543 18.7654321)", &len);
    struct buf b;
    struct err e;
    struct geom_format fmt = {.precision = 7};
    buf_init(&b, BUF_CAP);
    double t3 = seconds_now();
    for (int i = 0; i < N / 10; i++) {
        assert_int_equal(geom_text_append_geojson(&b, blob, len, &fmt, &e), ERR_OK);
    }
    double t4 = seconds_now();
    print_message("number_text_fixed %.0f ns, snprintf %.0f ns; point GeoJSON %.0f MB/s (%zu)\n",
                  (t1 - t0) / N * 1e9, (t2 - t1) / N * 1e9, (double)b.len / (t4 - t3) / 1e6, total);
    assert_true(b.len > 0);
    buf_clear(&b);
    free(blob);
}

/* JSON text */

static char *json_string_of(const char *s, size_t len)
{
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    assert_int_equal(json_text_append_string(&b, s, len, &e), ERR_OK);
    return buf_take(&b);
}

static void check_json_string(const char *s, size_t len, const char *expected)
{
    char *got = json_string_of(s, len);
    assert_string_equal(got, expected);
    free(got);
}

static void json_strings_escape_quotes_and_control_characters(void **state)
{
    (void)state;
    check_json_string("", 0, "\"\"");
    check_json_string("plain", 5, "\"plain\"");
    check_json_string("say \"hi\"\\", 9, "\"say \\\"hi\\\"\\\\\"");
    check_json_string("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
    check_json_string("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    check_json_string("a\0b", 3, "\"a\\u0000b\"");
    check_json_string("/</script>", 10, "\"/</script>\"");
}

static void json_strings_keep_thai_text(void **state)
{
    (void)state;
    const char *thai = "เชียงใหม่ \"ดอยสุเทพ\"";
    char *got = json_string_of(thai, strlen(thai));
    json_t *parsed = json_loads(got, JSON_DECODE_ANY, NULL);
    assert_non_null(parsed);
    assert_string_equal(json_string_value(parsed), thai);
    json_decref(parsed);
    free(got);
    check_json_string("\xF0\x9F\x97\xBA", 4, "\"\xF0\x9F\x97\xBA\""); /* U+1F5FA, 4 bytes */
}

static void json_strings_replace_invalid_utf8(void **state)
{
    (void)state;
#define FFFD "\xEF\xBF\xBD"
    check_json_string("\xff", 1, "\"" FFFD "\"");
    check_json_string("a\xc3", 2, "\"a" FFFD "\"");                          /* cut short */
    check_json_string("\xc3\x28", 2, "\"" FFFD "(\"");                       /* bad continuation */
    check_json_string("\xc0\xaf", 2, "\"" FFFD FFFD "\"");                   /* overlong */
    check_json_string("\xe0\x80\x80", 3, "\"" FFFD FFFD FFFD "\"");          /* overlong */
    check_json_string("\xed\xa0\x80", 3, "\"" FFFD FFFD FFFD "\"");          /* surrogate */
    check_json_string("\xf4\x90\x80\x80", 4, "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
    check_json_string("\xe0\xa0x", 3, "\"" FFFD "x\"");                      /* one maximal part */
    check_json_string("\xf0\x9f\x97", 3, "\"" FFFD "\"");
    check_json_string("\xe0\xb8\x81\x80", 4, "\"\xe0\xb8\x81" FFFD "\""); /* Thai ko kai, stray */
#undef FFFD
}

static void json_strings_of_random_bytes_are_valid_json(void **state)
{
    (void)state;
    struct rng r = {0xA0761D6478BD642Full};
    char s[64];
    for (int i = 0; i < 20000; i++) {
        size_t len = (size_t)rng_int(&r, 0, (int)sizeof(s));
        for (size_t j = 0; j < len; j++) { /* weighted towards the interesting bytes */
            uint64_t x = rng_next(&r);
            s[j] = (char)(x % 3 == 0 ? 0x80 + (x >> 8) % 0x80 : (x >> 8) % 256);
        }
        char *got = json_string_of(s, len);
        json_error_t jerr;
        json_t *parsed = json_loads(got, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (parsed == NULL) {
            fail_msg("invalid JSON (%s): %s", jerr.text, got);
        }
        json_decref(parsed);
        free(got);
    }
}

static void json_numbers_and_null(void **state)
{
    (void)state;
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    assert_int_equal(json_text_append_int(&b, -42, &e), ERR_OK);
    assert_int_equal(buf_append_str(&b, ",", &e), ERR_OK);
    assert_int_equal(json_text_append_real(&b, 12.5, &e), ERR_OK);
    assert_int_equal(buf_append_str(&b, ",", &e), ERR_OK);
    assert_int_equal(json_text_append_real(&b, NAN, &e), ERR_OK);
    assert_int_equal(buf_append_str(&b, ",", &e), ERR_OK);
    assert_int_equal(json_text_append_real(&b, -INFINITY, &e), ERR_OK);
    assert_string_equal(b.data, "-42,12.5,null,null");
    buf_clear(&b);
}

static void json_string_past_the_cap_keeps_the_buf(void **state)
{
    (void)state;
    struct buf b;
    struct err e;
    buf_init(&b, 12);
    assert_int_equal(buf_append_str(&b, "ab", &e), ERR_OK);
    assert_int_equal(json_text_append_string(&b, "0123456789", 10, &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "ab");
    assert_int_equal(json_text_append_string(&b, "\n\n\n\n\n", 5, &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "ab");
    assert_int_equal(b.len, 2);
    assert_int_equal(json_text_append_string(&b, "\n\n\n", 3, &e), ERR_OK);
    assert_string_equal(b.data, "ab\"\\n\\n\\n\"");
    buf_clear(&b);
}

/* CSV and HTML */

static void check_csv(const char *s, const char *expected)
{
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    assert_int_equal(csv_text_append_field(&b, s, strlen(s), &e), ERR_OK);
    assert_string_equal(b.len == 0 ? "" : b.data, expected);
    buf_clear(&b);
}

static void csv_fields_are_quoted_only_when_needed(void **state)
{
    (void)state;
    check_csv("", "");
    check_csv("plain text", "plain text");
    check_csv("เชียงใหม่", "เชียงใหม่");
    check_csv("a,b", "\"a,b\"");
    check_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    check_csv("\"", "\"\"\"\"");
    check_csv("two\nlines", "\"two\nlines\"");
    check_csv("cr\r", "\"cr\r\"");
    check_csv(" leading", "\" leading\"");
    check_csv("trailing ", "\"trailing \"");
    check_csv("\t", "\"'\t\"");
    check_csv("inner space", "inner space");
    struct buf b;
    struct err e;
    buf_init(&b, 6);
    assert_int_equal(csv_text_append_field(&b, "a\"b\"", 4, &e), ERR_TOO_LARGE);
    assert_int_equal(b.len, 0);
    buf_clear(&b);
}

static void csv_formulas_are_defused_and_numbers_kept(void **state)
{
    (void)state;
    check_csv("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    check_csv("+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\"");
    check_csv("-2+3", "\"'-2+3\"");
    check_csv("@SUM(A1)", "\"'@SUM(A1)\"");
    check_csv("\tx", "\"'\tx\"");
    check_csv("\r=1", "\"'\r=1\"");
    check_csv("=", "\"'=\"");
    check_csv("-", "\"'-\"");
    check_csv("-5", "-5");
    check_csv("+3.25", "+3.25");
    check_csv("-1e-3", "-1e-3");
    check_csv("-1.", "\"'-1.\"");
    check_csv("-1e", "\"'-1e\"");
    check_csv("a=b", "a=b");
    check_csv("5-3", "5-3");
}

static void html_text_escapes_markup(void **state)
{
    (void)state;
    struct buf b;
    struct err e;
    buf_init(&b, BUF_CAP);
    const char *s = "<a href=\"x\">Tom & Jerry's</a> เชียงใหม่";
    assert_int_equal(html_text_append(&b, s, strlen(s), &e), ERR_OK);
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; "
                                "เชียงใหม่");
    buf_clear(&b);
    buf_init(&b, 8);
    assert_int_equal(html_text_append(&b, "<<", 2, &e), ERR_OK);
    assert_int_equal(html_text_append(&b, "&", 1, &e), ERR_TOO_LARGE);
    assert_string_equal(b.data, "&lt;&lt;");
    buf_clear(&b);
}

/* ปุ่ม typed with the tone mark (U+0E48, combining class 107) before the below-vowel
 * (U+0E38, class 103) becomes the canonical order, which NFC text already has. */
static void nfc_puts_thai_marks_in_canonical_order(void **state)
{
    (void)state;
    const char typed[] = "\xe0\xb8\x9b\xe0\xb9\x88\xe0\xb8\xb8\xe0\xb8\xa1";
    const char nfc[] = "\xe0\xb8\x9b\xe0\xb8\xb8\xe0\xb9\x88\xe0\xb8\xa1";
    size_t len = 0;
    assert_true(nfc_text_may_change(typed, strlen(typed)));
    char *out = nfc_text_new(typed, strlen(typed), &len);
    assert_non_null(out);
    assert_int_equal(len, strlen(nfc));
    assert_memory_equal(out, nfc, len);
    free(out);
    out = nfc_text_new(nfc, strlen(nfc), &len);
    assert_string_equal(out, nfc);
    free(out);
    /* Composition: e + combining acute is é. */
    out = nfc_text_new("cafe\xcc\x81", 6, &len);
    assert_string_equal(out, "caf\xc3\xa9");
    free(out);
    assert_false(nfc_text_may_change("plain ascii", 11));
    assert_null(nfc_text_new("\xff\xfe", 2, &len));
}

static void buf_reserve_leaves_room_within_the_cap(void **state)
{
    (void)state;
    struct buf b;
    struct err e;
    buf_init(&b, 10);
    assert_int_equal(buf_reserve(&b, 10, &e), ERR_OK);
    assert_true(b.cap >= 11);
    assert_int_equal(b.len, 0);
    memcpy(b.data, "0123456789", 10);
    b.len = 10;
    b.data[b.len] = '\0';
    assert_int_equal(buf_reserve(&b, 1, &e), ERR_TOO_LARGE);
    assert_int_equal(buf_reserve(&b, 0, &e), ERR_OK);
    assert_string_equal(b.data, "0123456789");
    buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_is_written_as_expected_geojson_and_wkt),
        cmocka_unit_test(z_and_m_are_dropped),
        cmocka_unit_test(swapped_axes_write_latitude_first),
        cmocka_unit_test(precision_rounds_coordinates),
        cmocka_unit_test(header_reports_class_srid_and_mbr),
        cmocka_unit_test(tiny_points_are_read),
        cmocka_unit_test(big_endian_blobs_read_like_little_endian_ones),
        cmocka_unit_test(empty_geometries_give_valid_text),
        cmocka_unit_test(blobs_with_wrong_classes_or_counts_are_rejected),
        cmocka_unit_test(blobs_with_broken_markers_are_rejected),
        cmocka_unit_test(truncated_and_damaged_blobs_fail_cleanly),
        cmocka_unit_test(output_past_the_cap_fails_and_keeps_the_buf),
        cmocka_unit_test(random_geometries_match_spatialite),
        cmocka_unit_test(fixed_numbers_match_printf),
        cmocka_unit_test(fixed_numbers_edge_cases),
        cmocka_unit_test(reals_are_shortest_round_trip),
        cmocka_unit_test(int64_text_covers_the_range),
        cmocka_unit_test(formatting_speed_is_reported),
        cmocka_unit_test(json_strings_escape_quotes_and_control_characters),
        cmocka_unit_test(json_strings_keep_thai_text),
        cmocka_unit_test(json_strings_replace_invalid_utf8),
        cmocka_unit_test(json_strings_of_random_bytes_are_valid_json),
        cmocka_unit_test(json_numbers_and_null),
        cmocka_unit_test(json_string_past_the_cap_keeps_the_buf),
        cmocka_unit_test(csv_fields_are_quoted_only_when_needed),
        cmocka_unit_test(csv_formulas_are_defused_and_numbers_kept),
        cmocka_unit_test(html_text_escapes_markup),
        cmocka_unit_test(buf_reserve_leaves_room_within_the_cap),
        cmocka_unit_test(nfc_puts_thai_marks_in_canonical_order),
    };
    int failed = cmocka_run_group_tests(tests, open_spatialite, close_spatialite);
    spatialite_shutdown();
    return failed;
}
