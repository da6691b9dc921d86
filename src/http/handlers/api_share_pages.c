/* api_share_pages.c - the small HTML page a shared link opens, for a scenario
 * (/scenarios/{id} asked as HTML) and a featured statistic (/stats/featured/{id} as HTML):
 * Open Graph and Twitter card tags so a post on a social network shows the share image
 * (1200x630) with the title and a description, the image itself, a link into the web map
 * and the downloads. A statistic's page also says what the number is: its headline, the
 * definition, the note, the data years, the sources with licences, and a ready-to-post
 * caption; /stats/featured asked as HTML is a gallery of them all. Every text from data
 * goes through the escaper (encode/html_text.h). No outside scripts or styles: it must
 * open fast on a phone; the only script is the caption's copy button (the caption is a
 * selectable text box without it). */
#include "http/handlers/api_maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/transport/api_common.h"
#include "http/documents/html_layout.h"
#include "http/transport/response.h"
#include "scenario/scenario_doc.h"
#include "stats/stats_featured.h"
#include "stats/stats_summary.h"
#include "store/store_scenario.h"
#include "base/utf8.h"

/* Characters of the narrative or question in og:description: previews cut near here. */
#define SHARE_DESCRIPTION_CHARS 200
#define SHARE_PAGE_CAP (256u * 1024)

/* The user agents of the link previews a shared address is fetched by: they send
 * Accept: * / * (or nothing) and must get the page with its Open Graph tags. */
static bool is_link_preview_crawler(const char *user_agent)
{
    static const char *const crawlers[] = {"facebookexternalhit", "Facebot",  "Twitterbot",
                                           "LinkedInBot",         "Slackbot", "Discordbot",
                                           "TelegramBot",         "WhatsApp", "Line/"};
    for (size_t i = 0; user_agent != NULL && i < sizeof(crawlers) / sizeof(crawlers[0]); i++) {
        if (strstr(user_agent, crawlers[i]) != NULL) {
            return true;
        }
    }
    return false;
}

bool share_page_is_wanted(const struct request *req)
{
    const char *f = request_param(req, "f");
    if (f != NULL) {
        return strcmp(f, "html") == 0;
    }
    const char *accept = req->accept != NULL ? req->accept : "";
    if (strstr(accept, "text/html") != NULL) {
        return true;
    }
    /* A crawler gets JSON only when it names it. */
    return is_link_preview_crawler(req->user_agent) && strstr(accept, "json") == NULL &&
           strstr(accept, "text/csv") == NULL;
}

/* lang= of the page, else Accept-Language, else Thai: most readers of a shared link from
 * the workshop are Thai. */
static int page_lang(const struct request *req, bool *is_thai, struct err *err)
{
    const char *lang = request_param(req, "lang");
    const char *al = req->accept_language;
    *is_thai = lang != NULL ? strcmp(lang, "en") != 0 : al == NULL || strncmp(al, "en", 2) != 0;
    if (lang != NULL && strcmp(lang, "th") != 0 && strcmp(lang, "en") != 0) {
        return err_set(err, ERR_INVALID, "lang: '%s' is not one of th, en",
                       utf8_excerpt(lang, 20).text);
    }
    return ERR_OK;
}

/* The first SHARE_DESCRIPTION_CHARS characters of text (whole UTF-8 sequences), with an
 * ellipsis when cut. Free with free(). */
static char *excerpt(const char *text)
{
    if (text == NULL) {
        return xstrdup("");
    }
    size_t n = 0, i = 0;
    for (; text[i] != '\0'; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80 && n++ == SHARE_DESCRIPTION_CHARS) {
            return xasprintf("%.*s…", (int)i, text);
        }
    }
    return xstrdup(text);
}

struct share_page {
    const char *title, *description;
    const char *page_url;  /* og:url */
    const char *image_url; /* 1200x630 */
    const char *map_url;   /* "open in the map" */
    const char *map_label;
    const char *const *downloads; /* label, href pairs, NULL-terminated */
    const char *site_name;        /* og:site_name: the city's (set by page_finish) */
    bool is_thai;
    /* More of the body after the description (a statistic's explanation), or NULL. */
    void (*write_more)(struct html_page *p, const void *ctx);
    const void *more_ctx;
};

static void meta(struct html_page *p, const char *attr, const char *name, const char *content)
{
    html_page_raw(p, "<meta ");
    html_page_raw(p, attr);
    html_page_raw(p, "=\"");
    html_page_raw(p, name);
    html_page_raw(p, "\" content=\"");
    html_page_text(p, content);
    html_page_raw(p, "\">\n");
}

static void head(struct html_page *p, const struct share_page *s)
{
    html_page_raw(p, s->is_thai ? "<!doctype html>\n<html lang=\"th\">\n<head>\n"
                                : "<!doctype html>\n<html lang=\"en\">\n<head>\n");
    html_page_raw(p, "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n<title>");
    html_page_text(p, s->title);
    html_page_raw(p, "</title>\n");
    meta(p, "name", "description", s->description);
    meta(p, "property", "og:type", "website");
    meta(p, "property", "og:site_name", s->site_name);
    meta(p, "property", "og:title", s->title);
    meta(p, "property", "og:description", s->description);
    meta(p, "property", "og:url", s->page_url);
    meta(p, "property", "og:image", s->image_url);
    meta(p, "property", "og:image:type", "image/png");
    meta(p, "property", "og:image:width", "1200");
    meta(p, "property", "og:image:height", "630");
    meta(p, "property", "og:image:alt", s->title);
    meta(p, "property", "og:locale", s->is_thai ? "th_TH" : "en_GB");
    meta(p, "name", "twitter:card", "summary_large_image");
    meta(p, "name", "twitter:title", s->title);
    meta(p, "name", "twitter:description", s->description);
    meta(p, "name", "twitter:image", s->image_url);
    html_page_raw(p, "<style>body{font-family:'Noto Sans Thai','Noto Sans',sans-serif;"
                     "max-width:1240px;margin:0 auto;padding:1rem;line-height:1.6;color:#222}"
                     "img{max-width:100%;height:auto;border:1px solid #ddd}"
                     "a{color:#0060a0}ul{padding-left:1.2rem}"
                     ".headline{font-size:2rem;font-weight:bold;color:#0072b2}"
                     "textarea{width:100%;font:inherit}figure{margin:0 0 2rem}"
                     "</style>\n</head>\n<body>\n");
}

static int write_page(const struct share_page *s, struct response *resp, struct err *err)
{
    struct buf out;
    buf_init(&out, SHARE_PAGE_CAP);
    struct html_page p;
    html_page_init(&p, &out, err);
    head(&p, s);
    html_page_raw(&p, "<h1>");
    html_page_text(&p, s->title);
    html_page_raw(&p, "</h1>\n<p><img src=\"");
    html_page_text(&p, s->image_url);
    html_page_raw(&p, "\" width=\"1200\" height=\"630\" alt=\"");
    html_page_text(&p, s->title);
    html_page_raw(&p, "\"></p>\n<p>");
    html_page_text(&p, s->description);
    html_page_raw(&p, "</p>\n");
    if (s->write_more != NULL) {
        s->write_more(&p, s->more_ctx);
    }
    html_page_raw(&p, "<p><strong>");
    html_page_link(&p, s->map_url, s->map_label, NULL);
    html_page_raw(&p, "</strong></p>\n<h2>");
    html_page_text(&p, s->is_thai ? "ดาวน์โหลด" : "Downloads");
    html_page_raw(&p, "</h2>\n<ul>\n");
    for (size_t i = 0; s->downloads[i] != NULL; i += 2) {
        html_page_raw(&p, "<li>");
        html_page_link(&p, s->downloads[i + 1], s->downloads[i], NULL);
        html_page_raw(&p, "</li>\n");
    }
    html_page_raw(&p, "</ul>\n</body>\n</html>\n");
    int rc = p.rc;
    if (rc == ERR_OK) {
        buf_clear(&resp->body);
        resp->body = out;
        resp->content_type = RESPONSE_TYPE_HTML;
        resp->content_language = s->is_thai ? "th" : "en";
    } else {
        buf_clear(&out);
    }
    return rc;
}

/* An owned string list freed together. */
struct strings {
    char *s[24];
    size_t n;
};

static const char *own(struct strings *l, char *s)
{
    l->s[l->n++] = s;
    return s;
}

static void strings_free(struct strings *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->s[i]);
    }
}

/* Writes the page and describes it by the catalog generation (and updated_at, when known). */
static int page_finish(struct request *req, struct response *resp, struct store_read *rd,
                       const struct share_page *s, const char *updated_at, struct err *err)
{
    struct share_page named = *s;
    char *site =
        html_layout_site_name(store_read_city(rd), s->is_thai ? HTTP_LANG_TH : HTTP_LANG_EN);
    named.site_name = site;
    int rc = write_page(&named, resp, err);
    free(site);
    if (rc == ERR_OK) {
        api_describe_document(resp, req, store_read_catalog(rd)->generation, updated_at,
                              HTTP_FORMAT_HTML, s->is_thai ? HTTP_LANG_TH : HTTP_LANG_EN);
    }
    return rc;
}

static int scenario_page(struct request *req, struct response *resp, const struct scenario_doc *d,
                         struct store_read *rd, const char *updated_at, struct err *err)
{
    bool th = true;
    int rc = page_lang(req, &th, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const char *lang = th ? "th" : "en";
    const char *b = req->base_url, *id = d->id;
    struct strings l = {.n = 0};
    const char *downloads[] = {
        th ? "โปสเตอร์ A3 (PDF)" : "A3 poster (PDF)",
        own(&l, xasprintf("%s/scenarios/%s/map.pdf?paper=A3&lang=%s", b, id, lang)),
        th ? "โปสเตอร์ A4 (PNG)" : "A4 poster (PNG)",
        own(&l, xasprintf("%s/scenarios/%s/map.png?paper=A4&lang=%s", b, id, lang)),
        th ? "ภาพสำหรับโพสต์สี่เหลี่ยมจัตุรัส (1080x1080)" : "Square post image (1080x1080)",
        own(&l, xasprintf("%s/scenarios/%s/share.png?size=1080x1080&lang=%s", b, id, lang)),
        th ? "ชุดข้อมูล GeoPackage (เปิดใน QGIS)" : "GeoPackage bundle (opens in QGIS)",
        own(&l, xasprintf("%s/scenarios/%s.gpkg", b, id)),
        th ? "เอกสารฉากทัศน์ (JSON)" : "Scenario document (JSON)",
        own(&l, xasprintf("%s/scenarios/%s?f=json", b, id)),
        NULL};
    struct share_page s = {
        .title = th ? d->title.th : d->title.en,
        .description = own(&l, excerpt(th ? d->narrative.th : d->narrative.en)),
        .page_url = own(&l, xasprintf("%s/scenarios/%s?f=html&lang=%s", b, id, lang)),
        .image_url =
            own(&l, xasprintf("%s/scenarios/%s/share.png?size=1200x630&lang=%s", b, id, lang)),
        .map_url = own(&l, xasprintf("%s/map/#scn=%s&lang=%s", b, id, lang)),
        .map_label = th ? "เปิดฉากทัศน์นี้ในแผนที่" : "Open this scenario in the map",
        .downloads = downloads,
        .is_thai = th};
    rc = page_finish(req, resp, rd, &s, updated_at, err);
    strings_free(&l);
    return rc;
}

int share_page_scenario(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct store_read *rd = NULL;
    struct store_scenario stored;
    struct scenario_doc doc;
    memset(&stored, 0, sizeof(stored));
    memset(&doc, 0, sizeof(doc));
    int rc = request_store(req, &rd, err);
    if (rc == ERR_OK) {
        rc = store_scenario_get(rd, scenario_id, &stored, err);
    }
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(err, ERR_NOT_FOUND, "there is no scenario '%s'; /scenarios lists them",
                     utf8_excerpt(scenario_id, 60).text);
    }
    if (rc == ERR_OK) {
        rc = scenario_doc_parse_text(stored.doc, strlen(stored.doc), stored.id, &doc, err);
    }
    if (rc == ERR_OK) {
        rc = scenario_page(req, resp, &doc, rd, stored.updated_at, err);
    }
    scenario_doc_clear(&doc);
    store_scenario_clear(&stored);
    return rc;
}

/* A caption in a selectable box with a copy button: the script only copies the box. */
static void write_caption(struct html_page *p, const char *caption, bool th, int n)
{
    char id[32];
    snprintf(id, sizeof(id), "caption-%d", n);
    html_page_raw(p, "<p><label for=\"");
    html_page_raw(p, id);
    html_page_raw(p, "\">");
    html_page_text(p, th ? "คำบรรยายพร้อมโพสต์" : "Ready-to-post caption");
    html_page_raw(p, "</label><br><textarea readonly rows=\"6\" id=\"");
    html_page_raw(p, id);
    html_page_raw(p, "\">");
    html_page_text(p, caption);
    html_page_raw(p, "</textarea><br><button type=\"button\" data-copy=\"");
    html_page_raw(p, id);
    html_page_raw(p, "\">");
    html_page_text(p, th ? "คัดลอกคำบรรยาย" : "Copy the caption");
    html_page_raw(p, "</button></p>\n");
}

/* The copy buttons' script, once per page after the last button. */
static void write_copy_script(struct html_page *p)
{
    html_page_raw(p, "<script>document.querySelectorAll('button[data-copy]').forEach(function(b)"
                     "{b.addEventListener('click',function(){var t=document.getElementById("
                     "b.dataset.copy);t.select();if(navigator.clipboard){navigator.clipboard."
                     "writeText(t.value)}else{document.execCommand('copy')}})})</script>\n");
}

struct statistic_page {
    const struct stats_result *r;
    const struct stats_summary *summary;
    const char *note;
    bool is_thai;
};

static const char *pick_text(const struct stats_text *t, bool th)
{
    return th && t->th != NULL ? t->th : t->en;
}

static void write_dt(struct html_page *p, const char *term, const char *text)
{
    if (text == NULL || text[0] == '\0') {
        return;
    }
    html_page_raw(p, "<dt>");
    html_page_text(p, term);
    html_page_raw(p, "</dt><dd>");
    html_page_text(p, text);
    html_page_raw(p, "</dd>\n");
}

/* The headline, then what the number is: definition, note, years and sources. */
static void write_statistic(struct html_page *p, const void *ctx)
{
    const struct statistic_page *sp = ctx;
    bool th = sp->is_thai;
    html_page_raw(p, "<p class=\"headline\">");
    html_page_text(p, pick_text(&sp->summary->headline, th));
    html_page_raw(p, "</p>\n<dl>\n");
    write_dt(p, th ? "นิยาม" : "Definition", th ? sp->r->definition_th : sp->r->definition_en);
    write_dt(p, th ? "หมายเหตุ" : "Note", sp->note);
    write_dt(p, th ? "ปีของข้อมูล" : "Data years", pick_text(&sp->summary->years, th));
    write_dt(p, th ? "ที่มา" : "Sources", pick_text(&sp->summary->credit, th));
    html_page_raw(p, "</dl>\n");
    write_caption(p, pick_text(&sp->summary->caption, th), th, 0);
    write_copy_script(p);
}

int share_page_featured(struct request *req, struct response *resp, struct err *err)
{
    const struct store_featured *f = NULL;
    struct store_read *rd = NULL;
    int rc = api_find_featured(req, &f, err);
    if (rc == ERR_OK) {
        rc = request_store(req, &rd, err); /* the snapshot api_find_featured opened */
    }
    if (rc != ERR_OK) {
        return rc;
    }
    bool th = true;
    rc = page_lang(req, &th, err);
    if (rc != ERR_OK) {
        return rc;
    }
    const char *lang = th ? "th" : "en";
    const char *b = req->base_url, *id = f->id;
    struct strings l = {.n = 0};
    const char *downloads[] = {
        th ? "ตาราง (CSV)" : "Table (CSV)",
        own(&l, xasprintf("%s/stats/featured/%s?f=csv&lang=%s", b, id, lang)),
        th ? "ขอบเขตพร้อมค่า (GeoJSON)" : "Areas with their values (GeoJSON)",
        own(&l, xasprintf("%s/stats/featured/%s?f=geojson&lang=%s", b, id, lang)),
        th ? "ผลลัพธ์พร้อมนิยาม (JSON)" : "Result with its definitions (JSON)",
        own(&l, xasprintf("%s/stats/featured/%s?f=json&lang=%s", b, id, lang)),
        th ? "ตารางคำนวณ (Excel)" : "Spreadsheet (Excel)",
        own(&l, xasprintf("%s/stats/featured/%s?f=xlsx&lang=%s", b, id, lang)),
        th ? "ภาพสำหรับโพสต์สี่เหลี่ยมจัตุรัส (1080x1080)" : "Square post image (1080x1080)",
        own(&l, xasprintf("%s/stats/featured/%s/share.png?size=1080x1080&lang=%s", b, id, lang)),
        th ? "ภาพสำหรับพิมพ์ (PDF)" : "Image for print (PDF)",
        own(&l, xasprintf("%s/stats/featured/%s/share.pdf?lang=%s", b, id, lang)),
        NULL};
    const char *title = th && f->title_th != NULL ? f->title_th : f->title_en;
    const char *question = th && f->question_th != NULL ? f->question_th : f->question_en;
    struct stats_cache_ref *ref = NULL;
    rc = api_featured_result(req, f, &ref, err);
    if (rc != ERR_OK) {
        strings_free(&l);
        return rc;
    }
    struct stats_heading heading;
    stats_featured_heading(f, &heading);
    const struct store_city *city = store_read_city(rd);
    struct stats_summary summary;
    struct stats_summary_context ctx = {&heading, city->title_en, city->title_th,
                                        own(&l, xasprintf("%s/stats/featured/%s", b, id))};
    stats_summary_make(stats_cache_result(ref), &ctx, &summary);
    struct statistic_page sp = {stats_cache_result(ref), &summary,
                                th && f->note_th != NULL ? f->note_th : f->note_en, th};
    struct share_page s = {
        .title = title != NULL ? title : id,
        .description = own(&l, excerpt(question)),
        .page_url = own(&l, xasprintf("%s/stats/featured/%s?f=html&lang=%s", b, id, lang)),
        .image_url =
            own(&l, xasprintf("%s/stats/featured/%s/share.png?size=1200x630&lang=%s", b, id, lang)),
        .map_url = own(&l, xasprintf("%s/map/#stat=%s&lang=%s", b, id, lang)),
        .map_label = th ? "เปิดสถิตินี้ในแผนที่" : "Open this statistic in the map",
        .downloads = downloads,
        .is_thai = th,
        .write_more = write_statistic,
        .more_ctx = &sp};
    rc = page_finish(req, resp, rd, &s, NULL, err);
    stats_summary_clear(&summary);
    stats_cache_release(req->app->stats_cache, ref);
    strings_free(&l);
    return rc;
}

/* The gallery: each featured statistic's image, headline, caption and page. */
static void gallery_entry(struct request *req, struct html_page *p, const struct store_featured *f,
                          const struct store_city *city, bool th, int n)
{
    const char *lang = th ? "th" : "en";
    const char *title = th && f->title_th != NULL ? f->title_th : f->title_en;
    char *page = xasprintf("%s/stats/featured/%s?f=html&lang=%s", req->base_url, f->id, lang);
    char *image = xasprintf("%s/stats/featured/%s/share.png?size=1200x630&lang=%s", req->base_url,
                            f->id, lang);
    html_page_raw(p, "<figure>\n<h2>");
    html_page_link(p, page, title != NULL ? title : f->id, NULL);
    html_page_raw(p, "</h2>\n<img loading=\"lazy\" width=\"1200\" height=\"630\" src=\"");
    html_page_text(p, image);
    html_page_raw(p, "\" alt=\"");
    html_page_text(p, title);
    html_page_raw(p, "\">\n");
    struct stats_cache_ref *ref = NULL;
    struct err e = {0};
    if (api_featured_result(req, f, &ref, &e) == ERR_OK) {
        struct stats_heading heading;
        stats_featured_heading(f, &heading);
        char *link = xasprintf("%s/stats/featured/%s", req->base_url, f->id);
        struct stats_summary summary;
        struct stats_summary_context ctx = {&heading, city->title_en, city->title_th, link};
        stats_summary_make(stats_cache_result(ref), &ctx, &summary);
        html_page_raw(p, "<p class=\"headline\">");
        html_page_text(p, pick_text(&summary.headline, th));
        html_page_raw(p, "</p>\n");
        write_caption(p, pick_text(&summary.caption, th), th, n);
        stats_summary_clear(&summary);
        stats_cache_release(req->app->stats_cache, ref);
        free(link);
    } else {
        /* One statistic that cannot be computed does not hide the others. */
        html_page_raw(p, "<p>");
        html_page_text(p, e.msg);
        html_page_raw(p, "</p>\n");
    }
    html_page_raw(p, "</figure>\n");
    free(page);
    free(image);
}

int share_page_gallery(struct request *req, struct response *resp, struct store_read *rd,
                       bool is_thai, struct err *err)
{
    struct buf out;
    buf_init(&out, SHARE_PAGE_CAP * 8);
    struct html_page p;
    html_page_init(&p, &out, err);
    const char *title = is_thai ? "สถิติเด่น" : "Featured statistics";
    char *site = html_layout_site_name(store_read_city(rd), is_thai ? HTTP_LANG_TH : HTTP_LANG_EN);
    size_t n = 0;
    const struct store_featured *list = store_read_featured(rd, &n);
    const char *lang = is_thai ? "th" : "en";
    char *page_url = xasprintf("%s/stats/featured?f=html&lang=%s", req->base_url, lang);
    char *image_url = n > 0 ? xasprintf("%s/stats/featured/%s/share.png?size=1200x630&lang=%s",
                                        req->base_url, list[0].id, lang)
                            : xstrdup("");
    struct share_page head_info = {.title = title,
                                   .description = title,
                                   .page_url = page_url,
                                   .image_url = image_url,
                                   .site_name = site,
                                   .is_thai = is_thai};
    head(&p, &head_info);
    free(page_url);
    free(image_url);
    html_page_raw(&p, "<h1>");
    html_page_text(&p, title);
    html_page_raw(&p, "</h1>\n");
    for (size_t i = 0; i < n; i++) {
        gallery_entry(req, &p, &list[i], store_read_city(rd), is_thai, (int)i);
    }
    if (n > 0) {
        write_copy_script(&p);
    }
    html_page_raw(&p, "</body>\n</html>\n");
    free(site);
    int rc = p.rc;
    if (rc == ERR_OK) {
        buf_clear(&resp->body);
        resp->body = out;
        resp->content_type = RESPONSE_TYPE_HTML;
        resp->content_language = is_thai ? "th" : "en";
    } else {
        buf_clear(&out);
    }
    return rc;
}
