/* tile_math.c - WebMercatorQuad arithmetic (see tile_math.h). */
#include "tiles/tile_math.h"

#include <math.h>

#include "base/parse.h"
#include "geo/web_mercator.h"

int tile_id_parse(const char *tile_matrix, const char *tile_row, const char *tile_col,
                  struct tile_id *out, struct err *err)
{
    int64_t z, row, col;
    /* Syntax first (400), then range (404): a number outside the set names no tile. */
    if (parse_int64(tile_matrix, INT64_MIN, INT64_MAX, "tileMatrix", &z, err) != ERR_OK ||
        parse_int64(tile_row, INT64_MIN, INT64_MAX, "tileRow", &row, err) != ERR_OK ||
        parse_int64(tile_col, INT64_MIN, INT64_MAX, "tileCol", &col, err) != ERR_OK) {
        return err->code;
    }
    if (z < 0 || z > TILE_MAX_ZOOM) {
        return err_set(err, ERR_NOT_FOUND,
                       "tileMatrix %lld is not in " TILE_MATRIX_SET_ID " as served (0 to %d)",
                       (long long)z, TILE_MAX_ZOOM);
    }
    int64_t n = (int64_t)1 << z;
    if (row < 0 || row >= n || col < 0 || col >= n) {
        return err_set(err, ERR_NOT_FOUND,
                       "tile %lld/%lld/%lld is outside tileMatrix %lld (rows and columns 0 to "
                       "%lld)",
                       (long long)z, (long long)row, (long long)col, (long long)z,
                       (long long)(n - 1));
    }
    out->z = (int)z;
    out->x = (uint32_t)col;
    out->y = (uint32_t)row;
    return ERR_OK;
}

static double tile_span(int z)
{
    return 2.0 * TILE_WORLD_HALF / (double)((int64_t)1 << z);
}

void tile_bounds_mercator(const struct tile_id *t, double out[4])
{
    double span = tile_span(t->z);
    out[0] = -TILE_WORLD_HALF + span * t->x;
    out[2] = out[0] + span;
    out[3] = TILE_WORLD_HALF - span * t->y;
    out[1] = out[3] - span;
}

static double mercator_to_lon(double x)
{
    return x / TILE_WORLD_HALF * 180.0;
}

static double mercator_to_lat(double y)
{
    double lat = atan(sinh(y / TILE_WORLD_HALF * M_PI)) * 180.0 / M_PI;
    return fmax(-WEB_MERCATOR_MAX_LATITUDE, fmin(WEB_MERCATOR_MAX_LATITUDE, lat));
}

void tile_bbox_lonlat(const struct tile_id *t, double buffer, double out[4])
{
    double b[4];
    tile_bounds_mercator(t, b);
    double pad = (b[2] - b[0]) * buffer / TILE_EXTENT;
    out[0] = fmax(-180.0, mercator_to_lon(b[0] - pad));
    out[2] = fmin(180.0, mercator_to_lon(b[2] + pad));
    out[1] = mercator_to_lat(b[1] - pad);
    out[3] = mercator_to_lat(b[3] + pad);
}

void tile_lonlat_to_mercator(double lon, double lat, double *x, double *y)
{
    lat = fmax(-WEB_MERCATOR_MAX_LATITUDE, fmin(WEB_MERCATOR_MAX_LATITUDE, lat));
    *x = lon / 180.0 * TILE_WORLD_HALF;
    *y = log(tan((90.0 + lat) * M_PI / 360.0)) / M_PI * TILE_WORLD_HALF;
}

void tile_grid_transform(const struct tile_id *t, struct tile_grid *out)
{
    double b[4];
    tile_bounds_mercator(t, b);
    out->origin_x = b[0];
    out->origin_y = b[3];
    out->scale = TILE_EXTENT / (b[2] - b[0]);
}
