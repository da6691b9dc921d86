/* csv_text.h - one CSV field (RFC 4180) appended to a buf. Separators and line ends are
 * the caller's: it writes ',' between fields and "\r\n" after each record. */
#ifndef CITYATLAS_ENCODE_CSV_TEXT_H
#define CITYATLAS_ENCODE_CSV_TEXT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* The UTF-8 byte order mark every CSV file starts with: Excel on Windows reads a CSV
 * without it in the ANSI code page, which turns Thai text into mojibake. */
#define CSV_TEXT_BOM "\xEF\xBB\xBF"

/* Appends the first len bytes of s as a field. The field is quoted, with each '"' doubled,
 * when it holds a comma, a quote, CR or LF, or starts or ends with a space or tab (which
 * spreadsheet readers would otherwise trim); otherwise it is copied as is, and an empty
 * field stays empty. Text that a spreadsheet would run as a formula (it starts with = + - @,
 * tab or CR and is not a plain decimal number such as -5 or +1.5e3) is written quoted with
 * a leading ' (OWASP, "CSV Injection"); numbers from numeric columns are the caller's and
 * never pass through here. Bytes are not re-encoded. Returns 0, or ERR_TOO_LARGE past b's cap
 * with b left as it was. */
int csv_text_append_field(struct buf *b, const char *s, size_t len, struct err *err) WARN_UNUSED;

#endif
