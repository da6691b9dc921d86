/* style_color.c - parsing of "#rgb", "#rrggbb" and "rgba(r,g,b,a)". */
#include "styles/style_color.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static bool parse_hex(const char *hex, struct style_color *out)
{
    size_t len = strlen(hex);
    if (len != 3 && len != 6) {
        return false;
    }
    int d[6];
    for (size_t i = 0; i < len; i++) {
        d[i] = hex_digit(hex[i]);
        if (d[i] < 0) {
            return false;
        }
    }
    double ch[3];
    for (int i = 0; i < 3; i++) {
        /* "#abc" means "#aabbcc": each digit doubled. */
        int v = len == 3 ? d[i] * 17 : d[2 * i] * 16 + d[2 * i + 1];
        ch[i] = v / 255.0;
    }
    *out = (struct style_color){ch[0], ch[1], ch[2], 1.0};
    return true;
}

/* One number of rgba(): skips spaces, reads, skips spaces, expects `end`. */
static const char *parse_component(const char *p, double min, double max, bool is_integer, char end,
                                   double *out)
{
    while (*p == ' ') {
        p++;
    }
    if (!isdigit((unsigned char)*p) && *p != '.') {
        return NULL;
    }
    char *after = NULL;
    double v = strtod(p, &after);
    if (after == p || v < min || v > max || (is_integer && v != (double)(long)v)) {
        return NULL;
    }
    /* strtod also reads "1e2" and "0x1f": CSS does not, so neither do we. */
    for (const char *q = p; q < after; q++) {
        if (!isdigit((unsigned char)*q) && *q != '.') {
            return NULL;
        }
    }
    while (*after == ' ') {
        after++;
    }
    if (*after != end) {
        return NULL;
    }
    *out = v;
    return after + 1;
}

static bool parse_rgba(const char *p, struct style_color *out)
{
    double v[4];
    for (int i = 0; i < 4 && p != NULL; i++) {
        p = parse_component(p, 0, i < 3 ? 255 : 1, i < 3, i < 3 ? ',' : ')', &v[i]);
    }
    if (p == NULL || *p != '\0') {
        return false;
    }
    *out = (struct style_color){v[0] / 255.0, v[1] / 255.0, v[2] / 255.0, v[3]};
    return true;
}

bool style_color_parse(const char *text, struct style_color *out)
{
    if (text[0] == '#') {
        return parse_hex(text + 1, out);
    }
    if (strncmp(text, "rgba(", 5) == 0) {
        return parse_rgba(text + 5, out);
    }
    return false;
}
