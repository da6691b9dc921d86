/* style_color.h - the three colour notations a style may use: "#rgb", "#rrggbb" and
 * "rgba(r,g,b,a)". CSS colour names are left out on purpose: the web map (the browser's
 * CSS) and the poster renderer (our C) must agree on every colour, and a table of 148
 * names (with "grey"/"gray" twins) is one more thing to keep in step for no gain. */
#ifndef CITYATLAS_STYLES_STYLE_COLOR_H
#define CITYATLAS_STYLES_STYLE_COLOR_H

#include <stdbool.h>

/* Channels from 0 to 1, not premultiplied. */
struct style_color {
    double r, g, b, a;
};

/* Parses text strictly (no spaces around "#", r,g,b integers 0..255, a 0..1; spaces
 * allowed only after commas and around the numbers in rgba()). False on anything else;
 * *out is then untouched. */
bool style_color_parse(const char *text, struct style_color *out);

#endif
