/* api_crs.c - the coordinate reference systems the API offers, and reading their names. */
#include "http/transport/api_crs.h"

#include <stdio.h>
#include <string.h>

const struct api_crs api_crs_list[] = {
    {API_CRS84, 4326, false, 7, "WGS 84 longitude/latitude (CRS84)"},
    {"http://www.opengis.net/def/crs/EPSG/0/4326", 4326, true, 7,
     "WGS 84 latitude/longitude (EPSG:4326)"},
    {"http://www.opengis.net/def/crs/EPSG/0/32647", 32647, false, 2, "WGS 84 / UTM zone 47N"},
    {"http://www.opengis.net/def/crs/EPSG/0/24047", 24047, false, 2,
     "Indian 1975 / UTM zone 47N (Thai survey grid)"},
    {"http://www.opengis.net/def/crs/EPSG/0/3857", 3857, false, 2,
     "WGS 84 / Pseudo-Mercator (web maps)"},
};
const size_t api_n_crs = sizeof(api_crs_list) / sizeof(api_crs_list[0]);

const struct api_crs *api_crs_find(const char *uri)
{
    static const char epsg_prefix[] = "http://www.opengis.net/def/crs/EPSG/0/";
    char normal[128];
    if (uri == NULL || strlen(uri) >= sizeof(normal) - 40) {
        return NULL;
    }
    const char *text = uri;
    size_t len = strlen(text);
    if (len > 2 && text[0] == '[' && text[len - 1] == ']') {
        snprintf(normal, sizeof(normal), "%.*s", (int)(len - 2), text + 1);
        text = normal;
    }
    if (strcmp(text, "CRS84") == 0 || strcmp(text, "OGC:CRS84") == 0) {
        return &api_crs_list[0];
    }
    char expanded[128];
    if (strncmp(text, "EPSG:", 5) == 0) {
        snprintf(expanded, sizeof(expanded), "%s%s", epsg_prefix, text + 5);
        text = expanded;
    }
    for (size_t i = 0; i < api_n_crs; i++) {
        if (strcmp(api_crs_list[i].uri, text) == 0) {
            return &api_crs_list[i];
        }
    }
    return NULL;
}
