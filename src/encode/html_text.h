/* html_text.h - text escaped for HTML element content and quoted attribute values. */
#ifndef CITYATLAS_ENCODE_HTML_TEXT_H
#define CITYATLAS_ENCODE_HTML_TEXT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

/* Appends the first len bytes of s with & < > " ' written as &amp; &lt; &gt; &quot; &#39;,
 * so dataset text can neither open a tag nor leave an attribute value (single- or
 * double-quoted). Other bytes, UTF-8 included, are copied as is. Returns 0, or
 * ERR_TOO_LARGE past b's cap with b left as it was. */
int html_text_append(struct buf *b, const char *s, size_t len, struct err *err) WARN_UNUSED;

#endif
