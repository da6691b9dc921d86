/* html_layout.h - the skeleton the HTML pages of the feature resources share (document
 * head, inline stylesheet, header with the language switch, breadcrumbs, footer) and the
 * small pieces they are written with: a page writer with a sticky error, escaped text,
 * counts with thousands separators and absolute links that keep the reader's language.
 *
 * Everything written from data or from the request goes through html_page_text (escaped);
 * html_page_raw is for markup spelled in our own source only. No scripts, no fonts or
 * styles from elsewhere: a page must work offline and on a slow phone.
 * Threads: no shared state. */
#ifndef CITYATLAS_HTTP_HTML_LAYOUT_H
#define CITYATLAS_HTTP_HTML_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "http/transport/request.h"

/* Writing a page */

/* A buf being written with a sticky error: after the first failed append, later appends
 * do nothing, so a page is written as a straight sequence and checked once at the end
 * (as stdio's ferror). Appends fail only past the buf's cap (ERR_TOO_LARGE). */
struct html_page {
    struct buf *out;
    struct err *err;
    int rc; /* 0, or the first failure */
};

void html_page_init(struct html_page *p, struct buf *out, struct err *err);
/* Appends markup from our own source as is. */
void html_page_raw(struct html_page *p, const char *markup);
/* Appends s HTML-escaped (html_text.h): safe in element content and in a quoted attribute.
 * NULL appends nothing. */
void html_page_text(struct html_page *p, const char *s);
void html_page_text_len(struct html_page *p, const char *s, size_t len);
/* Appends n with a comma between groups of three digits ("5,412"), as Thai and English
 * both write counts. */
void html_page_count(struct html_page *p, int64_t n);
/* Appends <a href="href">label</a>, both escaped; extra is markup from our source placed
 * inside the tag (e.g. " rel=\"next\""), or NULL. */
void html_page_link(struct html_page *p, const char *href, const char *label, const char *extra);

/* Room html_layout_count needs: "-9,223,372,036,854,775,808" is 26 bytes. */
#define HTML_LAYOUT_COUNT_CAP 28

/* Writes n with thousands separators into out (HTML_LAYOUT_COUNT_CAP bytes) and returns the
 * length. */
size_t html_layout_count(int64_t n, char *out);

/* Links */

/* An absolute link to a page of this server: req->base_url, path (decoded, e.g.
 * "/collections/districts/items"; percent-encoded here), then "?f=" format when format is
 * not NULL. For format "html" the request's lang= is added when it had one, so a reader who
 * picked a language with the switch keeps it from page to page. Free with free(). */
char *html_layout_href(const struct request *req, const char *path, const char *format);

/* The city (the database's city profile, store_read.h) */

struct store_city;

/* The site's name: the profile's branding name, else "cityatlas · <city title>", else
 * "cityatlas" (city NULL or without a profile). Free with free(). */
char *html_layout_site_name(const struct store_city *city, enum http_lang lang);
/* The service's title: "cityatlas — Hat Yai city data" / "cityatlas — ข้อมูลเมืองหาดใหญ่",
 * "cityatlas — city data" without a profile. Free with free(). */
char *html_layout_city_title(const struct store_city *city, enum http_lang lang);

/* The skeleton */

/* One step of the breadcrumb trail. */
struct html_crumb {
    const char *label; /* escaped when written */
    const char *href;  /* absolute URL; NULL for the page itself (the last step) */
};

/* Appends everything from <!doctype html> to the page's <h1>title</h1>: <html lang>, the
 * charset and a phone-width viewport, the title, the stylesheet, a header with the site
 * name (html_layout_site_name of the request's snapshot, when open; linking home) and a link to
 * this same URL in the other language (lang= swapped), and the breadcrumb trail. The caller then
 * writes the page content and html_layout_end. Returns 0 or ERR_TOO_LARGE past out's cap. */
int html_layout_begin(struct buf *out, const struct request *req, enum http_lang lang,
                      const char *title, const struct html_crumb *crumbs, size_t n_crumbs,
                      struct err *err) WARN_UNUSED;

/* Appends the footer (links to this page as JSON and to the API definition) and closes
 * the document. Returns 0 or ERR_TOO_LARGE past out's cap. */
int html_layout_end(struct buf *out, const struct request *req, enum http_lang lang,
                    struct err *err) WARN_UNUSED;

#endif
