/* translit.h - Thai (and other non-Latin) names to ASCII, so that layer ids made from file
 * and layer names stay readable: "โรงพยาบาล" becomes "ongphyabal"-like Latin text instead
 * of nothing. Uses ICU's Thai-Latin and Latin-ASCII transforms (Debian's libicu). */
#ifndef CITYATLAS_IMPORT_TRANSLIT_H
#define CITYATLAS_IMPORT_TRANSLIT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes text transliterated to ASCII into out (cap bytes, NUL-terminated, cut at a
 * character boundary). Returns false (out empty) when text is not UTF-8 or ICU fails;
 * ASCII text comes back unchanged. */
bool translit_to_ascii(const char *text, char *out, size_t cap);

#endif
