/* web_mercator.h - the constants of EPSG:3857 (Web Mercator, spherical), in one place for
 * the tiles, the renderer and the items' zoom-based simplification. */
#ifndef CITYATLAS_GEO_WEB_MERCATOR_H
#define CITYATLAS_GEO_WEB_MERCATOR_H

/* The sphere's radius in metres (the WGS 84 semi-major axis). */
#define WEB_MERCATOR_RADIUS 6378137.0
/* Half the width of the world in metres: pi * WEB_MERCATOR_RADIUS. */
#define WEB_MERCATOR_HALF_WORLD 20037508.342789244
/* The width of the world in metres: the equator's length on the sphere. */
#define WEB_MERCATOR_WORLD (2.0 * WEB_MERCATOR_HALF_WORLD)
/* The latitude (degrees) whose Mercator y is WEB_MERCATOR_HALF_WORLD: the square world,
 * and the tile matrix set, end there. */
#define WEB_MERCATOR_MAX_LATITUDE 85.0511287798066

#endif
