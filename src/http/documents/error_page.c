/* error_page.c - see error_page.h. The page reuses the layout of the feature pages
 * (html_layout.c), so it reads the same on a phone and offers the other language. */
#include "http/documents/error_page.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "http/documents/html_layout.h"

/* What a status means for the reader, and what to do next. */
struct status_text {
    int status;
    const char *title_en, *title_th;
    const char *hint_en, *hint_th;
};

static const struct status_text status_texts[] = {
    {400, "The request has a mistake", "คำขอมีข้อผิดพลาด",
     "Check the parameter named below and try again.", "ตรวจสอบพารามิเตอร์ที่ระบุด้านล่างแล้วลองใหม่"},
    {404, "Not found", "ไม่พบสิ่งที่ขอ",
     "The link may be old: the list of collections shows what there is.",
     "ลิงก์อาจเก่าแล้ว ดูรายการชุดข้อมูลเพื่อดูว่ามีอะไรบ้าง"},
    {405, "This address does not take that method", "ที่อยู่นี้ไม่รับเมธอดนี้",
     "Open the page with a normal link instead.", "เปิดหน้านี้ด้วยลิงก์ตามปกติแทน"},
    {413, "The request is too large", "คำขอใหญ่เกินไป",
     "Make it smaller: a shorter filter, fewer values.", "ทำให้เล็กลง เช่น ตัวกรองที่สั้นลงหรือค่าน้อยลง"},
    {414, "The address is too long", "ที่อยู่ยาวเกินไป",
     "Make it shorter: a shorter filter, fewer values.", "ทำให้สั้นลง เช่น ตัวกรองที่สั้นลงหรือค่าน้อยลง"},
    {503, "The server is busy", "เซิร์ฟเวอร์ไม่ว่าง", "Try again in a moment.", "ลองใหม่อีกครั้งในอีกสักครู่"},
};

static const struct status_text fallback_client = {
    0, "The request cannot be answered", "ไม่สามารถตอบคำขอนี้ได้", "Check the address and try again.",
    "ตรวจสอบที่อยู่แล้วลองใหม่"};
static const struct status_text fallback_server = {
    0, "The server failed", "เซิร์ฟเวอร์ทำงานผิดพลาด",
    "Try again later; the details are in the server's log.",
    "ลองใหม่ภายหลัง รายละเอียดอยู่ในบันทึกของเซิร์ฟเวอร์"};

static const struct status_text *text_for(int status)
{
    for (size_t i = 0; i < sizeof(status_texts) / sizeof(status_texts[0]); i++) {
        if (status_texts[i].status == status) {
            return &status_texts[i];
        }
    }
    return status >= 500 ? &fallback_server : &fallback_client;
}

static const char *tr(enum http_lang lang, const char *en, const char *th)
{
    return lang == HTTP_LANG_TH ? th : en;
}

bool error_page_is_wanted(const struct request *req)
{
    enum http_format format = HTTP_FORMAT_JSON;
    struct err ignored;
    unsigned allowed = (1u << HTTP_FORMAT_JSON) | (1u << HTTP_FORMAT_HTML);
    return request_format(req, allowed, &format, &ignored) == ERR_OK && format == HTTP_FORMAT_HTML;
}

/* The page: title with the status, the hint, the server's description, links onward. */
static int write_page(const struct request *req, enum http_lang lang, int status,
                      const char *description, struct buf *out, struct err *err)
{
    const struct status_text *t = text_for(status);
    char title[160];
    snprintf(title, sizeof(title), "%s %d: %s", tr(lang, "Error", "ข้อผิดพลาด"), status,
             tr(lang, t->title_en, t->title_th));
    char *home = html_layout_href(req, "/", "html");
    char *collections = html_layout_href(req, "/collections", "html");
    const struct html_crumb crumbs[] = {{tr(lang, "Home", "หน้าแรก"), home}, {title, NULL}};
    struct html_page p;
    html_page_init(&p, out, err);
    p.rc = html_layout_begin(out, req, lang, title, crumbs, 2, err);
    html_page_raw(&p, "<p>");
    html_page_text(&p, tr(lang, t->hint_en, t->hint_th));
    html_page_raw(&p, "</p>\n<p>");
    html_page_text(&p, tr(lang, "What the server said:", "ข้อความจากเซิร์ฟเวอร์:"));
    html_page_raw(&p, "</p>\n<pre>");
    html_page_text(&p, description);
    html_page_raw(&p, "</pre>\n<ul class=\"links\"><li>");
    html_page_link(&p, home, tr(lang, "Home", "หน้าแรก"), NULL);
    html_page_raw(&p, "</li><li>");
    html_page_link(&p, collections, tr(lang, "The collections", "ชุดข้อมูลทั้งหมด"), NULL);
    html_page_raw(&p, "</li></ul>\n");
    free(home);
    free(collections);
    return p.rc == ERR_OK ? html_layout_end(out, req, lang, err) : p.rc;
}

void error_page_apply(const struct request *req, struct response *resp)
{
    if (resp->status < 400 || resp->stream.fill != NULL || !error_page_is_wanted(req) ||
        strcmp(resp->content_type, RESPONSE_TYPE_JSON) != 0) {
        return;
    }
    json_t *doc =
        json_loadb(resp->body.data != NULL ? resp->body.data : "", resp->body.len, 0, NULL);
    const char *description = json_string_value(json_object_get(doc, "description"));
    enum http_lang lang = HTTP_LANG_EN;
    struct err err;
    if (description == NULL || request_lang(req, &lang, &err) != ERR_OK) {
        lang = HTTP_LANG_EN; /* a bad lang= is itself the error being shown */
    }
    struct buf page;
    buf_init(&page, RESPONSE_BODY_CAP);
    if (description != NULL && write_page(req, lang, resp->status, description, &page, &err) == 0) {
        buf_clear(&resp->body);
        resp->body = page;
        resp->content_type = RESPONSE_TYPE_HTML;
        resp->content_language = lang == HTTP_LANG_TH ? "th" : "en";
    } else {
        buf_clear(&page);
    }
    json_decref(doc);
}
