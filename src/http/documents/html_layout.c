/* html_layout.c - see html_layout.h. */
#include "http/documents/html_layout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "encode/html_text.h"
#include "http/transport/api_common.h"

#define SITE_NAME "cityatlas"

/* Readable on a phone in sunlight: dark text on white (contrast well above WCAG AA), body
 * text at 17px with the taller line height Thai vowels and tone marks need, links and
 * buttons at least 44px tall (the usual minimum tap target), and wide tables scrolling
 * inside their own box instead of widening the page. Thai-capable fonts come before the
 * generic family so phones without a Thai system UI font still shape Thai well. No '>' in
 * here: the page's tests read '<' and '>' as tag boundaries. */
static const char stylesheet[] =
    "*{box-sizing:border-box}"
    "body{margin:0;color:#111;background:#fff;font:1.0625rem/1.65 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"Noto Sans Thai\",\"Noto Sans\",\"Sarabun\",\"Leelawadee UI\","
    "Tahoma,sans-serif}"
    "header,nav.crumbs,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}"
    "header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;"
    "border-bottom:3px solid #0b4f8a}"
    "a{color:#0b4f8a;text-underline-offset:.15em}"
    "a:visited{color:#5a2a82}"
    "a:focus{outline:3px solid #c75000;outline-offset:2px}"
    ".site{font-weight:700;font-size:1.25rem;text-decoration:none}"
    "header a,.links a,.pager a{display:inline-block;min-height:44px;line-height:44px;"
    "padding:0 .5rem}"
    ".skip{position:absolute;left:-999px}"
    ".skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem}"
    ".crumbs ol{list-style:none;margin:.5rem 0;padding:0;display:flex;flex-wrap:wrap}"
    ".crumbs li+li::before{content:\"/\";padding:0 .4rem;color:#555}"
    ".crumbs a{display:inline-block;min-height:44px;line-height:44px}"
    ".crumbs li{line-height:44px}"
    "h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem}"
    "h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #999}"
    "h3{font-size:1.1rem;margin:0}"
    ".muted{color:#444}"
    ".cards{list-style:none;padding:0}"
    ".cards li{border:1px solid #999;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}"
    ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:1rem 0}"
    "table{border-collapse:collapse;min-width:100%}"
    "th,td{border:1px solid #888;padding:.45rem .6rem;text-align:left;vertical-align:top}"
    "thead th{background:#e3ebf4}"
    "tbody tr:nth-child(even){background:#f5f5f5}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.null{color:#555}"
    "dl{display:grid;grid-template-columns:1fr;gap:0 1rem}"
    "@media (min-width:40rem){dl{grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem}}"
    "dt{font-weight:700}"
    "dd{margin:0 0 .5rem;overflow-wrap:anywhere}"
    "code{overflow-wrap:anywhere}"
    ".cards h3 a{display:inline-block;padding:.4rem 0}"
    ".pager{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem}"
    ".pager a{border:2px solid #0b4f8a;border-radius:6px;padding:0 1rem;text-decoration:none}"
    "pre.wkt{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f3f3;padding:.75rem}"
    "footer{border-top:1px solid #999;margin-top:2rem;font-size:.95rem;color:#333}";

/* Fixed text of the skeleton, English then Thai. */
struct layout_text {
    const char *en, *th;
};

static const struct layout_text txt_skip = {"Skip to content", "ข้ามไปยังเนื้อหา"};
static const struct layout_text txt_trail = {"You are here", "ตำแหน่งของหน้านี้"};
static const struct layout_text txt_about = {"Open city data, served as OGC API – Features.",
                                             "ข้อมูลเปิดของเมือง ให้บริการตามมาตรฐาน OGC API – Features"};
static const struct layout_text txt_as_json = {"This page as JSON", "หน้านี้ในรูปแบบ JSON"};
static const struct layout_text txt_api = {"API definition", "คำอธิบาย API"};

static const char *text_in(enum http_lang lang, const struct layout_text *t)
{
    return lang == HTTP_LANG_TH ? t->th : t->en;
}

void html_page_init(struct html_page *p, struct buf *out, struct err *err)
{
    p->out = out;
    p->err = err;
    p->rc = ERR_OK;
}

void html_page_raw(struct html_page *p, const char *markup)
{
    if (p->rc == ERR_OK) {
        p->rc = buf_append_str(p->out, markup, p->err);
    }
}

void html_page_text_len(struct html_page *p, const char *s, size_t len)
{
    if (p->rc == ERR_OK && s != NULL) {
        p->rc = html_text_append(p->out, s, len, p->err);
    }
}

void html_page_text(struct html_page *p, const char *s)
{
    html_page_text_len(p, s, s != NULL ? strlen(s) : 0);
}

size_t html_layout_count(int64_t n, char *out)
{
    char digits[24];
    int n_digits = snprintf(digits, sizeof(digits), "%" PRId64, n);
    const char *d = digits;
    size_t len = (size_t)n_digits, o = 0;
    if (*d == '-') {
        out[o++] = '-';
        d++;
        len--;
    }
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            out[o++] = ',';
        }
        out[o++] = d[i];
    }
    out[o] = '\0';
    return o;
}

void html_page_count(struct html_page *p, int64_t n)
{
    char text[HTML_LAYOUT_COUNT_CAP];
    html_layout_count(n, text);
    html_page_raw(p, text);
}

void html_page_link(struct html_page *p, const char *href, const char *label, const char *extra)
{
    html_page_raw(p, "<a href=\"");
    html_page_text(p, href);
    html_page_raw(p, "\"");
    if (extra != NULL) {
        html_page_raw(p, extra);
    }
    html_page_raw(p, ">");
    html_page_text(p, label);
    html_page_raw(p, "</a>");
}

/* path percent-encoded for a URL, keeping '/' and the characters RFC 3986 allows
 * unencoded in a path segment that no reader mistakes for anything else. */
static char *encode_path(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path);
    char *out = xmalloc(len * 3 + 1);
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)path; *c != '\0'; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("/-._~", *c) != NULL) {
            out[n++] = (char)*c;
        } else {
            out[n++] = '%';
            out[n++] = hex[*c >> 4];
            out[n++] = hex[*c & 15];
        }
    }
    out[n] = '\0';
    return out;
}

char *html_layout_href(const struct request *req, const char *path, const char *format)
{
    const char *lang = request_param(req, "lang");
    bool keeps_lang = format != NULL && strcmp(format, "html") == 0 && lang != NULL;
    char *encoded_path = encode_path(path);
    char *encoded_lang = keeps_lang ? api_url_encode(lang) : NULL;
    char *href = xasprintf("%s%s%s%s%s%s", req->base_url != NULL ? req->base_url : "", encoded_path,
                           format != NULL ? "?f=" : "", format != NULL ? format : "",
                           keeps_lang ? "&lang=" : "", keeps_lang ? encoded_lang : "");
    free(encoded_path);
    free(encoded_lang);
    return href;
}

/* This request's own URL with parameter name set to value (other parameters kept). */
static char *self_href_with(const struct request *req, const char *name, const char *value)
{
    char *path = encode_path(req->path != NULL ? req->path : "/");
    char *query = api_query_with(req, name, value);
    char *href = xasprintf("%s%s?%s", req->base_url != NULL ? req->base_url : "", path, query);
    free(path);
    free(query);
    return href;
}

char *html_layout_site_name(const struct store_city *city, enum http_lang lang)
{
    bool is_thai = lang == HTTP_LANG_TH;
    if (city != NULL && city->site_name_en != NULL) {
        return xstrdup(is_thai ? city->site_name_th : city->site_name_en);
    }
    if (city != NULL && city->title_en != NULL) {
        return xasprintf(SITE_NAME " · %s", is_thai ? city->title_th : city->title_en);
    }
    return xstrdup(SITE_NAME);
}

char *html_layout_city_title(const struct store_city *city, enum http_lang lang)
{
    bool is_thai = lang == HTTP_LANG_TH;
    if (city == NULL || city->title_en == NULL) {
        return xstrdup(is_thai ? SITE_NAME " — ข้อมูลเมือง" : SITE_NAME " — city data");
    }
    return is_thai ? xasprintf(SITE_NAME " — ข้อมูลเมือง%s", city->title_th)
                   : xasprintf(SITE_NAME " — %s city data", city->title_en);
}

static const struct store_city *request_city(const struct request *req)
{
    return req->rd != NULL ? store_read_city(req->rd) : NULL;
}

static void write_head(struct html_page *p, const struct request *req, enum http_lang lang,
                       const char *title)
{
    html_page_raw(p, lang == HTTP_LANG_TH ? "<!doctype html>\n<html lang=\"th\">\n"
                                          : "<!doctype html>\n<html lang=\"en\">\n");
    html_page_raw(p, "<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    html_page_text(p, title);
    char *site = html_layout_site_name(request_city(req), lang);
    html_page_raw(p, " · ");
    html_page_text(p, site);
    free(site);
    html_page_raw(p, "</title>\n<style>");
    html_page_raw(p, stylesheet);
    html_page_raw(p, "</style>\n</head>\n");
}

/* The site name linking home, and the same page in the other language. The switch is
 * labelled in its own language: a reader who cannot read the current one still finds it. */
static void write_header(struct html_page *p, const struct request *req, enum http_lang lang)
{
    char *home = html_layout_href(req, "/", "html");
    char *other = self_href_with(req, "lang", lang == HTTP_LANG_TH ? "en" : "th");
    html_page_raw(p, "<body>\n<a class=\"skip\" href=\"#content\">");
    html_page_text(p, text_in(lang, &txt_skip));
    html_page_raw(p, "</a>\n<header>");
    char *site = html_layout_site_name(request_city(req), lang);
    html_page_link(p, home, site, " class=\"site\"");
    free(site);
    html_page_link(p, other, lang == HTTP_LANG_TH ? "English" : "ภาษาไทย",
                   lang == HTTP_LANG_TH ? " class=\"lang\" hreflang=\"en\" lang=\"en\""
                                        : " class=\"lang\" hreflang=\"th\" lang=\"th\"");
    html_page_raw(p, "</header>\n");
    free(home);
    free(other);
}

static void write_crumbs(struct html_page *p, enum http_lang lang, const struct html_crumb *crumbs,
                         size_t n_crumbs)
{
    if (n_crumbs == 0) {
        return;
    }
    html_page_raw(p, "<nav class=\"crumbs\" aria-label=\"");
    html_page_text(p, text_in(lang, &txt_trail));
    html_page_raw(p, "\"><ol>");
    for (size_t i = 0; i < n_crumbs; i++) {
        if (crumbs[i].href != NULL) {
            html_page_raw(p, "<li>");
            html_page_link(p, crumbs[i].href, crumbs[i].label, NULL);
        } else {
            html_page_raw(p, "<li aria-current=\"page\">");
            html_page_text(p, crumbs[i].label);
        }
        html_page_raw(p, "</li>");
    }
    html_page_raw(p, "</ol></nav>\n");
}

int html_layout_begin(struct buf *out, const struct request *req, enum http_lang lang,
                      const char *title, const struct html_crumb *crumbs, size_t n_crumbs,
                      struct err *err)
{
    struct html_page p;
    html_page_init(&p, out, err);
    write_head(&p, req, lang, title);
    write_header(&p, req, lang);
    write_crumbs(&p, lang, crumbs, n_crumbs);
    html_page_raw(&p, "<main id=\"content\">\n<h1>");
    html_page_text(&p, title);
    html_page_raw(&p, "</h1>\n");
    return p.rc;
}

int html_layout_end(struct buf *out, const struct request *req, enum http_lang lang,
                    struct err *err)
{
    struct html_page p;
    html_page_init(&p, out, err);
    char *as_json = self_href_with(req, "f", "json");
    char *api = html_layout_href(req, "/api", "html");
    html_page_raw(&p, "</main>\n<footer>\n<p>");
    html_page_text(&p, text_in(lang, &txt_about));
    html_page_raw(&p, "</p>\n<p class=\"links\">");
    html_page_link(&p, as_json, text_in(lang, &txt_as_json), " type=\"application/json\"");
    html_page_raw(&p, " · ");
    html_page_link(&p, api, text_in(lang, &txt_api), NULL);
    html_page_raw(&p, "</p>\n</footer>\n</body>\n</html>\n");
    free(as_json);
    free(api);
    return p.rc;
}
