/* nfc_text.h - Unicode Normalization Form C (NFC) of UTF-8 text, through utf8proc.
 * Thai is why: a tone mark typed before or after a below-vowel (ไม้เอก and สระอุ in
 * "ปุ่ม") gives two byte sequences for one word, depending on the phone or the keyboard;
 * NFC puts combining marks in one canonical order, so both compare equal. Text stored at
 * import and text in queries are both normalised. Pure: no I/O, no shared state. */
#ifndef CITYATLAS_ENCODE_NFC_TEXT_H
#define CITYATLAS_ENCODE_NFC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s[0..len) might change under NFC: false for ASCII, which NFC never changes
 * (a quick test that spares most text the work). */
bool nfc_text_may_change(const char *s, size_t len);

/* The NFC form of the UTF-8 text s[0..len) as a new NUL-terminated string (free with
 * free()), its length in *out_len; NULL when s is not valid UTF-8 (then keep s as it is). */
char *nfc_text_new(const char *s, size_t len, size_t *out_len);

#endif
