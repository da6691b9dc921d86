/* stats_xlsx.c - a statistic as an Excel workbook (libxlsxwriter), since page editors work
 * in spreadsheets: sheet "statistic" has the CSV's columns (stats_columns_walk) as typed
 * cells, sheet "about" what the numbers mean in the reader's language. libxlsxwriter
 * (Debian's 1.1) writes only to a file, so the workbook goes through a temporary file
 * that is read back and removed. */
#include "stats/stats_output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/alloc.h"
#include "stats/stats_output_int.h"
#include "stats/stats_summary.h"

/* Cells written one after the other, a row per line. */
struct xw {
    lxw_worksheet *sheet;
    lxw_format *bold;
    lxw_row_t row;
    lxw_col_t col;
    lxw_error rc; /* the first failure */
};

static void xw_note(struct xw *w, lxw_error rc)
{
    if (w->rc == LXW_NO_ERROR) {
        w->rc = rc;
    }
}

static void xw_text(void *ctx, const char *s)
{
    struct xw *w = ctx;
    if (s != NULL) {
        xw_note(w,
                worksheet_write_string(w->sheet, w->row, w->col, s, w->row == 0 ? w->bold : NULL));
    }
    w->col++;
}

static void xw_int(void *ctx, int64_t v)
{
    struct xw *w = ctx;
    xw_note(w, worksheet_write_number(w->sheet, w->row, w->col++, (double)v, NULL));
}

/* The number as the other formats round it, so a cell equals the CSV's value. */
static void xw_number(void *ctx, bool has, double v)
{
    struct xw *w = ctx;
    char text[NUMBER_TEXT_FIXED_CAP];
    if (has && stats_output_number(v, text) > 0) {
        xw_note(w, worksheet_write_number(w->sheet, w->row, w->col, strtod(text, NULL), NULL));
    }
    w->col++;
}

static void xw_end_line(void *ctx)
{
    struct xw *w = ctx;
    w->row++;
    w->col = 0;
}

static void about_line(struct xw *w, const char *label, const char *text)
{
    if (text == NULL) {
        return;
    }
    xw_note(w, worksheet_write_string(w->sheet, w->row, 0, label, w->bold));
    xw_note(w, worksheet_write_string(w->sheet, w->row, 1, text, NULL));
    w->row++;
}

static void write_about(lxw_workbook *wb, lxw_format *bold, const struct stats_result *r,
                        const struct stats_output *o, struct xw *status)
{
    struct xw w = {.sheet = workbook_add_worksheet(wb, "about"), .bold = bold};
    if (w.sheet == NULL) {
        xw_note(status, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    struct stats_summary s;
    struct stats_summary_context ctx = {o->heading, o->place_en, o->place_th, o->link};
    stats_summary_make(r, &ctx, &s);
    bool th = o->is_thai;
#define PICK(t) (th && (t).th != NULL ? (t).th : (t).en)
    worksheet_set_column(w.sheet, 0, 0, 18, NULL);
    worksheet_set_column(w.sheet, 1, 1, 100, NULL);
    about_line(&w, th ? "ชื่อ" : "Title", PICK(s.title));
    about_line(&w, th ? "ตัวเลขหลัก" : "Headline", PICK(s.headline));
    about_line(&w, th ? "นิยาม" : "Definition", th ? r->definition_th : r->definition_en);
    about_line(&w, th ? "ข้อควรระวัง" : "Caveat", PICK(s.caveat));
    about_line(&w, th ? "ปีของข้อมูล" : "Years", PICK(s.years));
    about_line(&w, th ? "ที่มา" : "Sources", PICK(s.credit));
    about_line(&w, th ? "คำนวณเมื่อ" : "Computed at", r->computed_at);
    about_line(&w, th ? "คำบรรยายสำหรับโพสต์" : "Caption", PICK(s.caption));
#undef PICK
    stats_summary_clear(&s);
    xw_note(status, w.rc);
}

/* The file's bytes appended to out: ERR_TOO_LARGE past its cap. */
static int read_back(const char *path, struct buf *out, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return err_set(err, ERR_INTERNAL, "spreadsheet: cannot read back %s: %s", path,
                       strerror(errno));
    }
    char chunk[64 * 1024];
    size_t n;
    int rc = ERR_OK;
    while (rc == ERR_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_append(out, chunk, n, err);
    }
    if (rc == ERR_OK && ferror(f)) {
        rc = err_set(err, ERR_INTERNAL, "spreadsheet: reading %s failed", path);
    }
    fclose(f);
    return rc;
}

int stats_write_xlsx(const struct stats_result *r, const struct stats_output *o, struct buf *out,
                     struct err *err)
{
    const char *dir = getenv("TMPDIR");
    char *path =
        xasprintf("%s/cityatlas-stats-XXXXXX", dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        int rc = err_set(err, ERR_INTERNAL, "spreadsheet: cannot create a temporary file: %s",
                         strerror(errno));
        free(path);
        return rc;
    }
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    struct xw status = {.rc = wb != NULL ? LXW_NO_ERROR : LXW_ERROR_CREATING_XLSX_FILE};
    if (wb != NULL) {
        lxw_format *bold = workbook_add_format(wb);
        format_set_bold(bold);
        struct xw w = {.sheet = workbook_add_worksheet(wb, "statistic"), .bold = bold};
        if (w.sheet != NULL) {
            struct stats_columns columns = {&w, xw_text, xw_int, xw_number, xw_end_line};
            stats_columns_walk(r, &columns);
            xw_note(&status, w.rc);
        }
        write_about(wb, bold, r, o, &status);
        xw_note(&status, workbook_close(wb));
    }
    size_t start = out->len;
    int rc = status.rc == LXW_NO_ERROR
                 ? read_back(path, out, err)
                 : err_set(err, ERR_INTERNAL, "spreadsheet: %s", lxw_strerror(status.rc));
    if (rc != ERR_OK) {
        buf_truncate(out, start);
    }
    unlink(path);
    free(path);
    return rc;
}
