/* text_recode.h - text files (CSV) in legacy encodings. GDAL's CSV driver passes bytes
 * through as they are, so a CSV saved by Thai Excel (CP874) has invalid UTF-8 on every row
 * with Thai text, and those rows were rejected. The encoding is decided from a sample
 * spread through the file (or taken from --encoding), and when it is not UTF-8 GDAL is
 * given a UTF-8 copy in memory (/vsimem/) instead. */
#ifndef CITYATLAS_IMPORT_TEXT_RECODE_H
#define CITYATLAS_IMPORT_TEXT_RECODE_H

#include "base/err.h"
#include "import/encoding.h"

/* A copy larger than this is refused with advice rather than held in memory. */
#define TEXT_RECODE_MAX_BYTES (256ull << 20)

struct text_recode {
    struct encoding_choice enc; /* what was decided; name "UTF-8" when nothing changes */
    char *mem_path;             /* the UTF-8 copy GDAL should open, or NULL */
};

/* Decides the encoding of the text file at path (a GDAL path; /vsizip/ works) and makes
 * the UTF-8 copy when needed. user_encoding (may be NULL) wins over detection. Errors
 * (ERR_INVALID) name display and, for bytes that are not in the encoding, their offset.
 * Release with text_recode_clear() after GDAL has closed the copy. */
int text_recode_prepare(const char *path, const char *display, const char *user_encoding,
                        struct text_recode *out, struct err *err) WARN_UNUSED;
void text_recode_clear(struct text_recode *t);

#endif
