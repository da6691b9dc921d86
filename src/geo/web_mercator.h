/* web_mercator.h - the constants of EPSG:3857 (Web Mercator, spherical), in one place for
 * the tiles, the renderer and the items' zoom-based simplification. */
#ifndef CITYATLAS_GEO_WEB_MERCATOR_H
#define CITYATLAS_GEO_WEB_MERCATOR_H

/* The sphere's radius in metres (the WGS 84 semi-major axis). */
#define WEB_MERCATOR_RADIUS 6378137.0
/* Half the width of the world in metres: pi * WEB_MERCATOR_RADIUS. */
#define WEB_MERCATOR_HALF_WORLD 20037508.342789244

#endif
