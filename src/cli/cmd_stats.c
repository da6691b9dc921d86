/* cmd_stats.c - `cityatlas stats`: one statistic computed from the database and printed as
 * a table, CSV, JSON or GeoJSON. Each statistic option is the /stats parameter of the same
 * name: the options become name=value pairs for stats_spec_parse, so the command line and
 * the HTTP API read them with one parser and cannot disagree. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/file_write.h"
#include "base/buf.h"
#include "stats/stats.h"
#include "stats/stats_output.h"
#include "store/store_read.h"

/* Largest output held in memory: the biggest result (every tambon of the region by
 * group and month) is a few MB; boundaries in GeoJSON a few more. */
#define STATS_CLI_MAX_OUTPUT ((size_t)1 << 30)
/* getopt values of the statistic parameters: this plus their index in stats_param_names. */
#define STATS_CLI_PARAM_OPT 1000

enum stats_cli_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_GEOJSON };

struct stats_cli {
    const char *db;
    const char *out_path; /* NULL: standard output */
    enum stats_cli_format format;
    bool is_thai;
    struct stats_param *params; /* names from stats_param_names or owned (--where) */
    char **owned;               /* --where names, freed at the end */
    size_t n_params, n_owned;
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas stats [--db FILE] --layer ID [--by ID] [--metric METRIC]\n"
            "         [--field NAME] [--filter CQL2] [--where NAME=VALUE]... [--by-filter CQL2]\n"
            "         [--group NAME] [--time NAME --interval day|month|year]\n"
            "         [--population NAME [--population-from ID] [--join BYFIELD:TABLEFIELD]\n"
            "          [--population-year NAME] [--population-source NAME] [--per N]]\n"
            "         [--to ID [--to-filter CQL2] [--beyond N]] [--unit m|km|m2|km2|ha]\n"
            "         [--classify quantile|equal-interval|natural-breaks] [--classes N]\n"
            "         [--classify-column value|per_km2|per_capita|share]\n"
            "         [--format table|csv|json|geojson] [--lang en|th] [-o FILE]\n\n"
            "Aggregates the features of one layer by the polygons of another (districts,\n"
            "sub-districts), with per-km², per-capita and share-of-total columns, and prints it\n"
            "with its definition, sources and freshness. Each option is the /stats parameter of\n"
            "the same name on the server, so both give the same numbers.\n\n"
            "Options:\n"
            "  --db FILE             database (default: $CITYATLAS_DB or ./%s)\n"
            "  --layer ID            the layer aggregated (required)\n"
            "  --by ID               the boundary layer (polygons); without it: one total\n"
            "  --metric METRIC       count (default), length, area (of lines and polygons,\n"
            "                        clipped to each boundary), sum, mean, min, max, median\n"
            "                        (of --field), nearest (distance to the nearest --to)\n"
            "  --field NAME          the numeric field of sum, mean, min, max and median\n"
            "  --filter CQL2         a CQL2 text filter on the layer (as the items API)\n"
            "  --where NAME=VALUE    only features whose field NAME equals VALUE (repeatable)\n"
            "  --by-filter CQL2      a CQL2 text filter on the boundaries\n"
            "  --group NAME          one row per value of this field, per area\n"
            "  --time NAME           a date field, bucketed by --interval day, month or year\n"
            "  --population NAME     the population field of --by (or of --population-from)\n"
            "  --population-from ID  a table holding the population, joined with\n"
            "  --join BYFIELD:TABLEFIELD\n"
            "  --population-year NAME, --population-source NAME\n"
            "                        the fields with each figure's year and source\n"
            "  --per N               residents per which per-capita values are given (10000)\n"
            "  --to ID               nearest: the layer searched; --to-filter CQL2 filters it\n"
            "  --beyond N            nearest: the share of features farther than N (in --unit)\n"
            "  --unit UNIT           m or km for lengths and distances, m2, km2 or ha for areas\n"
            "  --classify METHOD     class breaks for maps: quantile, equal-interval or\n"
            "                        natural-breaks (default); --classes N (2-9, default 5)\n"
            "  --classify-column COL which column is classified\n"
            "  --format FORMAT       table (default), csv, json or geojson (boundaries with the\n"
            "                        values as properties, for a choropleth)\n"
            "  --lang en|th          the language of titles where there is a choice\n"
            "  -o, --output FILE     write to FILE (replaced whole, or not at all) instead of\n"
            "                        standard output\n"
            "  -h, --help            this help\n\n"
            "Example: cityatlas stats --layer pois --by tambon --where category=temple\n\n"
            "%s"
            "  (for stats: 2 also for bad statistic parameters, unknown layers or fields, and an\n"
            "  -o FILE that cannot be written)\n",
            CLI_DEFAULT_DB, cli_exit_codes_help);
}

static size_t count_param_names(void)
{
    size_t n = 0;
    while (stats_param_names[n] != NULL) {
        n++;
    }
    return n;
}

/* The getopt table: one option per statistic parameter, then the command's own. Caller
 * frees the array (the names are borrowed). */
static struct option *make_options(void)
{
    static const struct option own[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"where", required_argument, NULL, 'w'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    size_t n_params = count_param_names();
    size_t n_own = sizeof(own) / sizeof(own[0]);
    struct option *options = xcalloc(n_params + n_own, sizeof(struct option));
    for (size_t i = 0; i < n_params; i++) {
        options[i] = (struct option){stats_param_names[i], required_argument, NULL,
                                     STATS_CLI_PARAM_OPT + (int)i};
    }
    memcpy(&options[n_params], own, sizeof(own));
    return options;
}

static bool is_param_name(const char *name)
{
    for (size_t i = 0; stats_param_names[i] != NULL; i++) {
        if (strcmp(stats_param_names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static void add_param(struct stats_cli *c, const char *name, const char *value)
{
    c->params[c->n_params].name = name;
    c->params[c->n_params].value = value;
    c->n_params++;
}

/* --where NAME=VALUE: a property filter, the same as NAME=VALUE in a /stats URL. */
static int add_where(struct stats_cli *c, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg) {
        fprintf(stderr, "cityatlas: stats: --where: expected NAME=VALUE, got '%s'\n", arg);
        return CLI_EXIT_USAGE;
    }
    char *name = xstrndup(arg, (size_t)(eq - arg));
    c->owned[c->n_owned++] = name;
    if (is_param_name(name)) {
        fprintf(stderr, "cityatlas: stats: --where: '%s' is an option of its own; use --%s\n", name,
                name);
        return CLI_EXIT_USAGE;
    }
    add_param(c, name, eq + 1);
    return -1;
}

static int parse_choice(const char *option, const char *arg, const char *const *words, int *out)
{
    for (int i = 0; words[i] != NULL; i++) {
        if (strcmp(words[i], arg) == 0) {
            *out = i;
            return -1;
        }
    }
    fprintf(stderr, "cityatlas: stats: %s: '%s' is not one of", option, arg);
    for (int i = 0; words[i] != NULL; i++) {
        fprintf(stderr, "%s %s", i > 0 ? "," : "", words[i]);
    }
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

/* Returns -1 to go on, else the exit code. */
static int handle_option(struct stats_cli *c, int opt)
{
    static const char *const formats[] = {"table", "csv", "json", "geojson", NULL};
    static const char *const langs[] = {"en", "th", NULL};
    int choice = 0;
    int code = -1;
    if (opt >= STATS_CLI_PARAM_OPT) {
        add_param(c, stats_param_names[opt - STATS_CLI_PARAM_OPT], optarg);
    } else if (opt == 'd') {
        c->db = optarg;
    } else if (opt == 'o') {
        c->out_path = strcmp(optarg, "-") == 0 ? NULL : optarg;
    } else if (opt == 'w') {
        code = add_where(c, optarg);
    } else if (opt == 'f') {
        code = parse_choice("--format", optarg, formats, &choice);
        c->format = (enum stats_cli_format)choice;
    } else if (opt == 'l') {
        code = parse_choice("--lang", optarg, langs, &choice);
        c->is_thai = choice == 1;
    } else if (opt == 'h') {
        usage(stdout);
        code = CLI_EXIT_OK;
    } else {
        fprintf(stderr, "Try 'cityatlas stats --help'.\n");
        code = CLI_EXIT_USAGE;
    }
    return code;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct stats_cli *c)
{
    struct option *options = make_options();
    int code = -1;
    int opt;
    optind = 1;
    while (code < 0 && (opt = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
        code = handle_option(c, opt);
    }
    free(options);
    if (code < 0 && optind < argc) {
        fprintf(stderr, "cityatlas: stats: unexpected argument '%s'\n", argv[optind]);
        code = CLI_EXIT_USAGE;
    }
    return code;
}

static int exit_code_for_run(const struct err *err)
{
    switch (err->code) {
    case ERR_INVALID:
    case ERR_NOT_FOUND:
    case ERR_TOO_LARGE:
        return CLI_EXIT_USAGE;
    case ERR_DB:
    case ERR_BUSY:
    case ERR_IO:
        return CLI_EXIT_DATABASE;
    default:
        return CLI_EXIT_INTERNAL;
    }
}

static int render(const struct stats_cli *c, const struct stats_result *r, struct buf *out,
                  struct err *err)
{
    struct stats_output o = {.is_thai = c->is_thai};
    int rc = ERR_OK;
    switch (c->format) {
    case FORMAT_TABLE:
        return stats_write_table(r, &o, out, err);
    case FORMAT_CSV:
        return stats_write_csv(r, &o, out, err);
    case FORMAT_JSON:
        rc = stats_write_json(r, &o, out, err);
        break;
    case FORMAT_GEOJSON:
        rc = stats_write_geojson(r, &o, out, err);
        break;
    }
    return rc == ERR_OK ? buf_append(out, "\n", 1, err) : rc;
}

static int write_output(const char *path, const struct buf *out, struct err *err)
{
    const char *data = out->data != NULL ? out->data : "";
    if (path != NULL) {
        return file_write_atomic(path, data, out->len, err);
    }
    if (fwrite(data, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
        return err_set(err, ERR_IO, "standard output: %s", strerror(errno));
    }
    return ERR_OK;
}

/* Computes the statistic in one snapshot of the database and renders it into out. */
static int compute(const struct stats_cli *c, const struct stats_spec *spec, struct buf *out,
                   struct err *err)
{
    struct store_pool *pool = NULL;
    if (store_pool_open(cli_db_path(c->db), 1, &pool, err) != ERR_OK) {
        return err->code == ERR_INTERNAL ? CLI_EXIT_INTERNAL : CLI_EXIT_DATABASE;
    }
    struct store_read *rd = NULL;
    struct stats_result *r = NULL;
    int code = CLI_EXIT_OK;
    if (store_read_begin(pool, &rd, err) != ERR_OK) {
        code = err->code == ERR_INTERNAL ? CLI_EXIT_INTERNAL : CLI_EXIT_DATABASE;
    } else if (stats_run(rd, spec, &r, err) != ERR_OK) {
        code = exit_code_for_run(err);
    } else if (render(c, r, out, err) != ERR_OK) {
        code = err->code == ERR_TOO_LARGE ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
    }
    stats_result_free(r);
    store_read_end(rd);
    store_pool_close(pool);
    return code;
}

static int run(const struct stats_cli *c)
{
    struct err err = {0};
    struct stats_spec spec;
    if (stats_spec_parse(c->params, c->n_params, &spec, &err) != ERR_OK) {
        fprintf(stderr, "cityatlas: stats: %s\n", err.msg);
        return CLI_EXIT_USAGE;
    }
    struct buf out;
    buf_init(&out, STATS_CLI_MAX_OUTPUT);
    int code = compute(c, &spec, &out, &err);
    if (code == CLI_EXIT_OK && write_output(c->out_path, &out, &err) != ERR_OK) {
        code = CLI_EXIT_USAGE;
    }
    if (code != CLI_EXIT_OK) {
        fprintf(stderr, "cityatlas: stats: %s\n", err.msg);
    }
    buf_clear(&out);
    stats_spec_clear(&spec);
    return code;
}

int cmd_stats(int argc, char **argv)
{
    /* Table columns are padded by display width, which needs a UTF-8 LC_CTYPE (Thai
     * names); numbers never depend on the locale (encode/number_text.h). */
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
        setlocale(LC_CTYPE, "");
    }
    struct stats_cli c = {.format = FORMAT_TABLE};
    size_t max_params = argc > 0 ? (size_t)argc : 1;
    c.params = xcalloc(max_params, sizeof(struct stats_param));
    c.owned = xcalloc(max_params, sizeof(char *));
    int code = parse_options(argc, argv, &c);
    if (code < 0) {
        code = run(&c);
    }
    for (size_t i = 0; i < c.n_owned; i++) {
        free(c.owned[i]);
    }
    free(c.owned);
    free(c.params);
    return code;
}
