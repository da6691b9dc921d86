/* cmd_export.c - `cityatlas export SCENARIO --format pdf|png|svg|gpkg -o FILE`: a scenario's
 * poster or GeoPackage bundle made offline, from the database, exactly as the server makes
 * /scenarios/{id}/map.pdf and /scenarios/{id}.gpkg (the same scenario_sheet and
 * scenario_bundle code), for a facilitator with a laptop and no network. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/file_write.h"
#include "base/buf.h"
#include "base/parse.h"
#include "base/path.h"
#include "render/render.h"
#include "scenario/scenario_bundle.h"
#include "scenario/scenario_sheet.h"
#include "store/store_read.h"
#include "styles/style_set.h"

/* Largest poster held in memory: an A1 PDF of the bundled data is a few MB, a 600 dpi A3
 * PNG about 60 MB. */
#define EXPORT_CLI_MAX_OUTPUT ((size_t)1 << 30)

struct export_cli {
    const char *scenario;
    const char *db;
    const char *out_path;
    const char *styles_dir;
    const char *base_url;
    const char *format_name; /* pdf, png, svg or gpkg */
    bool is_gpkg;
    bool is_thai;
    struct render_page page;
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas export SCENARIO [--db FILE] --format pdf|png|svg|gpkg -o FILE\n"
            "         [--paper A4|A3|A1] [--orientation landscape|portrait] [--dpi N]\n"
            "         [--width PX --height PX] [--lang th|en] [--styles DIR] [--base-url URL]\n\n"
            "Makes a scenario's poster (PDF, PNG or SVG: title, narrative, map with legend,\n"
            "scale bar and north arrow, statistics, sources, date and a QR code of its link)\n"
            "or its GeoPackage bundle (its layers clipped to its extent, its sketches and a\n"
            "'scenario' metadata table), the same as the server's /scenarios/{id}/map.pdf\n"
            "and /scenarios/{id}.gpkg, without a server.\n\n"
            "Options:\n"
            "  --db FILE             database (default: $CITYATLAS_DB or ./%s)\n"
            "  --format FORMAT       pdf, png, svg or gpkg (default: from -o's extension)\n"
            "  -o, --output FILE     the file written (whole, or not at all)\n"
            "  --paper SIZE          A4, A3 (default) or A1\n"
            "  --orientation O       landscape (default) or portrait\n"
            "  --dpi N               pixels per inch of a PNG on paper, %g to %g (default %g)\n"
            "  --width PX --height PX  a page of this many pixels (PNG) or points (PDF, SVG)\n"
            "                        instead of a paper size\n"
            "  --lang th|en          the poster's language (default th)\n"
            "  --styles DIR          layer styles (default %s)\n"
            "  --base-url URL        the server's public URL: the QR code links to\n"
            "                        URL/map/#scn=SCENARIO (without it, no QR code)\n"
            "  -h, --help            this help\n\n"
            "Example: cityatlas export kin-di-yu-di --format pdf --paper A3 -o poster.pdf\n\n"
            "%s"
            "  (for export: 2 also for an unknown scenario and an -o FILE that cannot be\n"
            "  written)\n",
            CLI_DEFAULT_DB, RENDER_MIN_DPI, RENDER_MAX_DPI, RENDER_DEFAULT_DPI,
            CITYATLAS_STYLES_DIR, cli_exit_codes_help);
}

__attribute__((format(printf, 1, 2))) static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cityatlas: export: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'cityatlas export --help'.\n");
    return CLI_EXIT_USAGE;
}

static int parse_pixels(const char *option, const char *arg, int *out)
{
    int64_t v = 0;
    struct err err = {0};
    if (parse_int64(arg, 1, RENDER_MAX_SIDE_PX, option, &v, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas: export: %s: '%s' is not a whole number from 1 to %d\n", option,
                arg, RENDER_MAX_SIDE_PX);
        return CLI_EXIT_USAGE;
    }
    *out = (int)v;
    return -1;
}

static int parse_dpi(const char *arg, double *out)
{
    struct err err = {0};
    if (parse_double(arg, "--dpi", out, &err) != ERR_OK || *out < RENDER_MIN_DPI ||
        *out > RENDER_MAX_DPI) {
        fprintf(stderr, "cityatlas: export: --dpi: '%s' is not a number from %g to %g\n", arg,
                RENDER_MIN_DPI, RENDER_MAX_DPI);
        return CLI_EXIT_USAGE;
    }
    return -1;
}

static int parse_word(const char *option, const char *arg, const char *const *words, int *out)
{
    for (int i = 0; words[i] != NULL; i++) {
        if (strcasecmp(words[i], arg) == 0) {
            *out = i;
            return -1;
        }
    }
    fprintf(stderr, "cityatlas: export: %s: '%s' is not one of", option, arg);
    for (int i = 0; words[i] != NULL; i++) {
        fprintf(stderr, "%s %s", i > 0 ? "," : "", words[i]);
    }
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. */
static int handle_option(struct export_cli *c, int opt)
{
    static const char *const formats[] = {"pdf", "png", "svg", "gpkg", NULL};
    static const char *const papers[] = {"A4", "A3", "A1", NULL};
    static const char *const orientations[] = {"landscape", "portrait", NULL};
    static const char *const langs[] = {"th", "en", NULL};
    int choice = 0;
    int code = -1;
    switch (opt) {
    case 'd':
        c->db = optarg;
        break;
    case 'o':
        c->out_path = optarg;
        break;
    case 's':
        c->styles_dir = optarg;
        break;
    case 'u':
        c->base_url = optarg;
        break;
    case 'f':
        code = parse_word("--format", optarg, formats, &choice);
        c->format_name = formats[choice];
        break;
    case 'p':
        code = parse_word("--paper", optarg, papers, &choice);
        c->page.paper = papers[choice];
        break;
    case 'r':
        code = parse_word("--orientation", optarg, orientations, &choice);
        c->page.is_landscape = choice == 0;
        break;
    case 'l':
        code = parse_word("--lang", optarg, langs, &choice);
        c->is_thai = choice == 0;
        break;
    case 'D':
        code = parse_dpi(optarg, &c->page.dpi);
        break;
    case 'W':
        code = parse_pixels("--width", optarg, &c->page.width_px);
        break;
    case 'H':
        code = parse_pixels("--height", optarg, &c->page.height_px);
        break;
    case 'h':
        usage(stdout);
        code = CLI_EXIT_OK;
        break;
    default:
        fprintf(stderr, "Try 'cityatlas export --help'.\n");
        code = CLI_EXIT_USAGE;
    }
    return code;
}

/* The format from --format, else from -o's extension. */
static int settle_format(struct export_cli *c)
{
    if (c->format_name == NULL) {
        static const char *const known[] = {"pdf", "png", "svg", "gpkg"};
        char ext[8];
        path_extension(c->out_path, ext, sizeof(ext));
        for (size_t i = 0; i < 4 && c->format_name == NULL; i++) {
            c->format_name = strcmp(ext, known[i]) == 0 ? known[i] : NULL;
        }
        if (c->format_name == NULL) {
            return bad("--format is needed (pdf, png, svg or gpkg): '%s' does not say",
                       c->out_path);
        }
    }
    c->is_gpkg = strcmp(c->format_name, "gpkg") == 0;
    struct err err = {0};
    if (!c->is_gpkg && render_format_parse(c->format_name, &c->page.format, &err) != ERR_OK) {
        return bad("%s", err.msg);
    }
    return -1;
}

/* A paper size or a pixel size, never half of one. */
static int settle_page(struct export_cli *c, bool has_paper)
{
    bool has_w = c->page.width_px > 0, has_h = c->page.height_px > 0;
    if (has_w != has_h) {
        return bad("%s", "--width and --height go together");
    }
    if (has_w && (has_paper || c->page.dpi > 0)) {
        return bad("%s", "--width/--height replace --paper and --dpi: give one or the other");
    }
    if (!has_w && c->page.paper == NULL) {
        c->page.paper = "A3";
    }
    if (c->page.dpi > 0 && c->page.format != RENDER_PNG) {
        return bad("--dpi is for PNG only (a %s poster is sized in points)", c->format_name);
    }
    return -1;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct export_cli *c)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"paper", required_argument, NULL, 'p'},
        {"orientation", required_argument, NULL, 'r'},
        {"dpi", required_argument, NULL, 'D'},
        {"width", required_argument, NULL, 'W'},
        {"height", required_argument, NULL, 'H'},
        {"lang", required_argument, NULL, 'l'},
        {"styles", required_argument, NULL, 's'},
        {"base-url", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int code = -1, opt;
    bool has_paper = false;
    optind = 1;
    while (code < 0 && (opt = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
        has_paper = has_paper || opt == 'p' || opt == 'r';
        code = handle_option(c, opt);
    }
    if (code >= 0) {
        return code;
    }
    if (optind >= argc) {
        return bad("%s", "which scenario? (cityatlas scenarios list --db FILE names them)");
    }
    c->scenario = argv[optind++];
    if (optind < argc) {
        return bad("unexpected argument '%s'", argv[optind]);
    }
    if (c->out_path == NULL) {
        return bad("%s", "-o FILE is needed");
    }
    if (c->base_url != NULL && strncmp(c->base_url, "http://", 7) != 0 &&
        strncmp(c->base_url, "https://", 8) != 0) {
        return bad("--base-url must start with http:// or https://, got '%s'", c->base_url);
    }
    code = settle_format(c);
    return code < 0 ? settle_page(c, has_paper) : code;
}

static int exit_code_for(const struct err *err)
{
    switch (err->code) {
    case ERR_INVALID:
    case ERR_NOT_FOUND:
    case ERR_TOO_LARGE:
    case ERR_IO:
        return CLI_EXIT_USAGE;
    case ERR_DB:
    case ERR_BUSY:
        return CLI_EXIT_DATABASE;
    default:
        return CLI_EXIT_INTERNAL;
    }
}

/* The folder -o names must exist: said before any work, and nothing is left behind. */
static int check_out_folder(const char *path)
{
    char *dir = path_dirname(path);
    struct stat st;
    int code = -1;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "cityatlas: export: -o %s: the folder '%s' does not exist\n", path, dir);
        code = CLI_EXIT_USAGE;
    }
    free(dir);
    return code;
}

static int make_poster(const struct export_cli *c, struct store_read *rd, struct err *err)
{
    struct style_set *styles = NULL;
    const char *dir = c->styles_dir != NULL ? c->styles_dir : CITYATLAS_STYLES_DIR;
    int rc = style_set_load(dir, &styles, err);
    if (rc != ERR_OK) {
        return err_prefix(err, "--styles");
    }
    struct scenario_sheet_options o = {
        .styles = styles, .is_thai = c->is_thai, .base_url = c->base_url};
    struct scenario_sheet sheet;
    struct buf out;
    buf_init(&out, EXPORT_CLI_MAX_OUTPUT);
    rc = scenario_sheet_build(rd, c->scenario, &o, &sheet, err);
    if (rc == ERR_OK) {
        rc = render_poster(rd, &sheet.sheet, &c->page, &out, err);
        scenario_sheet_clear(&sheet);
    }
    if (rc == ERR_OK) {
        rc = file_write_atomic(c->out_path, out.data, out.len, err);
    }
    buf_clear(&out);
    style_set_free(styles);
    return rc;
}

static int run(const struct export_cli *c)
{
    int code = check_out_folder(c->out_path);
    if (code >= 0) {
        return code;
    }
    struct err err = {0};
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    code = CLI_EXIT_OK;
    if (store_pool_open(cli_db_path(c->db), 1, &pool, &err) != ERR_OK ||
        store_read_begin(pool, &rd, &err) != ERR_OK) {
        code = err.code == ERR_INTERNAL ? CLI_EXIT_INTERNAL : CLI_EXIT_DATABASE;
    } else if ((c->is_gpkg ? scenario_bundle_write(rd, c->scenario, c->out_path, &err)
                           : make_poster(c, rd, &err)) != ERR_OK) {
        code = exit_code_for(&err);
    }
    store_read_end(rd);
    store_pool_close(pool);
    render_shutdown();
    if (code != CLI_EXIT_OK) {
        fprintf(stderr, "cityatlas: export: %s\n", err.msg);
    }
    return code;
}

int cmd_export(int argc, char **argv)
{
    struct export_cli c = {.is_thai = true, .page = {.is_landscape = true}};
    int code = parse_options(argc, argv, &c);
    return code >= 0 ? code : run(&c);
}
