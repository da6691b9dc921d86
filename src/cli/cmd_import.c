/* cmd_import.c - `cityatlas import` and `cityatlas check`: parse options, turn them (or
 * a catalog) into import jobs, run the pipeline, print the summary, pick the exit code. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "cli/check_featured.h"
#include "cli/import_summary.h"
#include "cli/progress.h"
#include "config/catalog.h"
#include "import/import.h"
#include "store/store.h"

struct import_args {
    bool is_check;
    const char *db;
    const char *catalog;
    const char *id;
    struct import_meta meta;
    struct catalog_hints hints; /* borrowed strings from argv, never freed */
    bool allow_replace, strict, quiet, force, as_json, split_types, append;
};

static void usage(FILE *out, bool is_check)
{
    if (is_check) {
        fprintf(out,
                "Usage: cityatlas check [options] SOURCE...\n"
                "       cityatlas check --catalog FILE [--id ID]\n\n"
                "Reads SOURCE as 'cityatlas import' would and reports what an import would do\n"
                "(layers, features, rejected features with reasons, CRS, encoding), without\n"
                "writing anything. Takes the same reading options as import.\n\n");
    } else {
        fprintf(
            out,
            "Usage: cityatlas import [options] SOURCE...\n"
            "       cityatlas import --catalog FILE [--id ID] [--db FILE]\n\n"
            "Imports vector data (any GDAL format: Shapefile, GeoJSON, GeoPackage, KML, CSV\n"
            "with lon/lat columns, ...) into the city database, reprojected to EPSG:4326 with a\n"
            "spatial index. SOURCE may be a file, a folder (every vector file in it) or a\n"
            ".zip. Each layer is replaced atomically; if anything fails, nothing changes.\n\n");
    }
    fprintf(out,
            "Options:\n"
            "  --db FILE          database (default: $CITYATLAS_DB or ./%s)\n"
            "  --catalog FILE     import every dataset listed in a catalog.json, and store its\n"
            "                     featured statistics (unless --id picks one dataset)\n"
            "  --id ID            layer id (a-z, 0-9, '-'); with --catalog: only that dataset\n"
            "  --title TEXT       English title          --title-th TEXT  Thai title\n"
            "  --description TEXT English description    --theme THEME    one of:\n"
            "                     ",
            CLI_DEFAULT_DB);
    for (size_t i = 0; catalog_themes[i] != NULL; i++) {
        fprintf(out, "%s%s", catalog_themes[i], catalog_themes[i + 1] ? ", " : "\n");
    }
    fprintf(out,
            "  --license TEXT     licence of the data    --attribution TEXT  credit line\n"
            "  --s-srs CRS        source CRS when the file has none (or to override it),\n"
            "                     e.g. EPSG:32647 (WGS 84 / UTM 47N), EPSG:24047 (Indian 1975)\n"
            "  --encoding ENC     text encoding of shapefile attributes, e.g. CP874, UTF-8\n"
            "                     (default: .cpg, else DBF header, else detected from the bytes)\n"
            "  --layer NAME       import only this layer of a multi-layer source\n"
            "  --name-column COL  attribute holding each feature's display name\n"
            "  --x-column COL --y-column COL   CSV coordinate columns (default lon/lat names)\n"
            "  --replace          allow replacing a layer id imported from another source\n"
            "  --append           add the features to the existing layer --id (same fields\n"
            "                     and types), atomically\n"
            "  --strict           fail when any feature is rejected, or a table's geometry\n"
            "                     cell (WKT, coordinates) holds text that cannot be read\n"
            "  --split-types      a layer mixing points, lines and polygons becomes one layer\n"
            "                     per kind (ID-points, ID-lines, ID-polygons)\n"
            "  --quiet            no progress display\n"
            "  --json             print the report as one JSON object, for scripts\n"
            "  --force            with --catalog: re-import files whose checksum has not\n"
            "                     changed (by default they keep their version)\n"
            "  -h, --help         this help\n\n%s",
            cli_exit_codes_help);
}

enum {
    OPT_DB = 256,
    OPT_CATALOG,
    OPT_ID,
    OPT_TITLE,
    OPT_TITLE_TH,
    OPT_DESCRIPTION,
    OPT_THEME,
    OPT_LICENSE,
    OPT_ATTRIBUTION,
    OPT_S_SRS,
    OPT_ENCODING,
    OPT_LAYER,
    OPT_NAME_COLUMN,
    OPT_X_COLUMN,
    OPT_Y_COLUMN,
    OPT_REPLACE,
    OPT_STRICT,
    OPT_QUIET,
    OPT_FORCE,
    OPT_JSON,
    OPT_SPLIT_TYPES,
    OPT_APPEND
};

static const struct option long_options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"catalog", required_argument, NULL, OPT_CATALOG},
    {"id", required_argument, NULL, OPT_ID},
    {"title", required_argument, NULL, OPT_TITLE},
    {"title-th", required_argument, NULL, OPT_TITLE_TH},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"theme", required_argument, NULL, OPT_THEME},
    {"license", required_argument, NULL, OPT_LICENSE},
    {"attribution", required_argument, NULL, OPT_ATTRIBUTION},
    {"s-srs", required_argument, NULL, OPT_S_SRS},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"layer", required_argument, NULL, OPT_LAYER},
    {"name-column", required_argument, NULL, OPT_NAME_COLUMN},
    {"x-column", required_argument, NULL, OPT_X_COLUMN},
    {"y-column", required_argument, NULL, OPT_Y_COLUMN},
    {"replace", no_argument, NULL, OPT_REPLACE},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"force", no_argument, NULL, OPT_FORCE},
    {"json", no_argument, NULL, OPT_JSON},
    {"split-types", no_argument, NULL, OPT_SPLIT_TYPES},
    {"append", no_argument, NULL, OPT_APPEND},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void set_option(struct import_args *a, int opt, const char *v)
{
    switch (opt) {
    case OPT_DB:
        a->db = v;
        break;
    case OPT_CATALOG:
        a->catalog = v;
        break;
    case OPT_ID:
        a->id = v;
        break;
    case OPT_TITLE:
        a->meta.title_en = v;
        break;
    case OPT_TITLE_TH:
        a->meta.title_th = v;
        break;
    case OPT_DESCRIPTION:
        a->meta.description_en = v;
        break;
    case OPT_THEME:
        a->meta.theme = v;
        break;
    case OPT_LICENSE:
        a->meta.license = v;
        break;
    case OPT_ATTRIBUTION:
        a->meta.attribution = v;
        break;
    case OPT_S_SRS:
        a->hints.s_srs = (char *)v;
        break;
    case OPT_ENCODING:
        a->hints.encoding = (char *)v;
        break;
    case OPT_LAYER:
        a->hints.layer = (char *)v;
        break;
    case OPT_NAME_COLUMN:
        a->hints.name_column = (char *)v;
        break;
    case OPT_X_COLUMN:
        a->hints.x_column = (char *)v;
        break;
    case OPT_Y_COLUMN:
        a->hints.y_column = (char *)v;
        break;
    case OPT_REPLACE:
        a->allow_replace = true;
        break;
    case OPT_STRICT:
        a->strict = true;
        break;
    case OPT_QUIET:
        a->quiet = true;
        break;
    case OPT_FORCE:
        a->force = true;
        break;
    case OPT_APPEND:
        a->append = true;
        break;
    case OPT_SPLIT_TYPES:
        a->split_types = true;
        break;
    case OPT_JSON:
        a->as_json = true;
        a->quiet = true; /* stdout is for the JSON */
        break;
    default:
        break;
    }
}

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, struct import_args *a)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout, a->is_check);
            return CLI_EXIT_OK;
        }
        if (opt == '?') {
            fprintf(stderr, "Try 'cityatlas %s --help'.\n", argv[0]);
            return CLI_EXIT_USAGE;
        }
        set_option(a, opt, optarg);
    }
    const char *problem = NULL;
    if (a->catalog == NULL && optind >= argc) {
        problem = "give at least one SOURCE (file, folder or .zip), or --catalog FILE";
    } else if (a->catalog != NULL && optind < argc) {
        problem = "give either SOURCE files or --catalog, not both";
    } else if (a->id != NULL && !parse_is_slug(a->id)) {
        problem = "--id must be 1-63 characters of a-z, 0-9 and '-' (it appears in URLs)";
    } else if (a->meta.theme != NULL && !catalog_is_theme(a->meta.theme)) {
        problem = "--theme is not a known theme (see --help)";
    } else if (a->append && (a->id == NULL || a->catalog != NULL)) {
        problem = "--append needs --id (the layer to add to) and SOURCE files";
    } else if ((a->hints.x_column == NULL) != (a->hints.y_column == NULL)) {
        problem = "give both --x-column and --y-column, or neither";
    } else if (a->catalog != NULL && (a->meta.title_en || a->meta.theme || a->hints.s_srs ||
                                      a->hints.encoding || a->hints.layer)) {
        problem = "with --catalog, titles, themes and reading hints come from the catalog";
    }
    if (problem != NULL) {
        fprintf(stderr, "cityatlas %s: %s\nTry 'cityatlas %s --help'.\n", argv[0], problem,
                argv[0]);
        return CLI_EXIT_USAGE;
    }
    return -1;
}

static void job_from_dataset(const struct catalog_dataset *d, struct import_job *job)
{
    memset(job, 0, sizeof(*job));
    job->source = d->path;
    job->id = d->id;
    job->hints = &d->hints;
    job->meta.title_en = d->title_en;
    job->meta.title_th = d->title_th;
    job->meta.description_en = d->description_en;
    job->meta.description_th = d->description_th;
    job->meta.theme = d->theme;
    job->meta.source = d->source;
    job->meta.source_url = d->source_url;
    job->meta.license = d->license;
    job->meta.attribution = d->attribution;
    job->meta.catalog_json = d->json;
}

/* Builds the job list; returns -1 to continue or an exit code. */
static int make_jobs(const struct import_args *a, int n_sources, char **sources,
                     struct catalog **cat, struct import_job **jobs, size_t *n_jobs)
{
    *jobs = NULL;
    *n_jobs = 0;
    if (a->catalog == NULL) {
        *jobs = xcalloc((size_t)n_sources, sizeof(**jobs));
        for (int i = 0; i < n_sources; i++) {
            (*jobs)[i].source = sources[i];
            (*jobs)[i].id = a->id;
            (*jobs)[i].meta = a->meta;
            (*jobs)[i].hints = &a->hints;
        }
        *n_jobs = (size_t)n_sources;
        return -1;
    }
    struct err e;
    if (catalog_load(a->catalog, cat, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas %s: %s\n", a->is_check ? "check" : "import", e.msg);
        return CLI_EXIT_INPUT;
    }
    *jobs = xcalloc((*cat)->n_datasets, sizeof(**jobs));
    for (size_t i = 0; i < (*cat)->n_datasets; i++) {
        if (a->id == NULL || strcmp(a->id, (*cat)->datasets[i].id) == 0) {
            job_from_dataset(&(*cat)->datasets[i], &(*jobs)[(*n_jobs)++]);
        }
    }
    if (*n_jobs == 0) {
        fprintf(stderr, "cityatlas: catalog %s has no dataset with id '%s'\n", a->catalog, a->id);
        return CLI_EXIT_INPUT;
    }
    return -1;
}

static int exit_code_for(int rc, const struct import_report *r)
{
    if (rc == ERR_OK) {
        for (size_t i = 0; i < r->n_layers; i++) {
            if (r->layers[i].n_rejected > 0) {
                return CLI_EXIT_REJECTED;
            }
        }
        return CLI_EXIT_OK;
    }
    switch (rc) {
    case ERR_INVALID:
    case ERR_NOT_FOUND:
    case ERR_TOO_LARGE:
        return CLI_EXIT_INPUT;
    case ERR_BUSY:
    case ERR_DB:
        return CLI_EXIT_DATABASE;
    case ERR_IO:
        return r->n_layers > 0 || r->n_errors > 0 ? CLI_EXIT_INPUT : CLI_EXIT_DATABASE;
    default:
        return CLI_EXIT_INTERNAL;
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The catalog is the whole truth about featured statistics only when every dataset of it
 * is imported: then its list (even an empty one) replaces the stored one. One dataset
 * (--id) and plain files leave the stored list alone. Returns the array to free. */
static struct store_featured_def *featured_from_catalog(const struct import_args *a,
                                                        const struct catalog *cat,
                                                        struct import_options *opts)
{
    if (cat == NULL || a->id != NULL) {
        return NULL;
    }
    struct store_featured_def *defs =
        xcalloc(cat->n_statistics > 0 ? cat->n_statistics : 1, sizeof(*defs));
    for (size_t i = 0; i < cat->n_statistics; i++) {
        defs[i].id = cat->statistics[i].id;
        defs[i].definition = cat->statistics[i].json;
    }
    opts->replace_featured = true;
    opts->featured = defs;
    opts->n_featured = cat->n_statistics;
    opts->city_json = cat->city_json;
    return defs;
}

static void remove_db_files(const char *db)
{
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char *p = xasprintf("%s%s", db, suffixes[i]);
        unlink(p);
        free(p);
    }
}

/* Opens the database; removes a file this run created if the import did not commit, so a
 * failed first import leaves no empty database behind. */
static int run_import(const struct import_args *a, const struct catalog *cat,
                      struct import_job *jobs, size_t n_jobs)
{
    const char *db = cli_db_path(a->db);
    struct stat sb;
    bool existed = stat(db, &sb) == 0;
    struct store *st = NULL;
    struct err e;
    if (!a->is_check && store_open(db, STORE_READ_WRITE, &st, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas import: %s\n", e.msg);
        if (!existed) {
            remove_db_files(db); /* e.g. created empty on a full disk */
        }
        return CLI_EXIT_DATABASE;
    }
    /* check --db: a faithful dry run also asks the database (read-only) what it holds; a
     * database that does not exist yet holds nothing, and is not created. */
    struct store *against = NULL;
    if (a->is_check && a->db != NULL && existed &&
        store_open(db, STORE_READ_ONLY, &against, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas check: %s\n", e.msg);
        return CLI_EXIT_DATABASE;
    }
    struct progress prog;
    progress_init(&prog, a->quiet);
    struct import_options opts = {.allow_replace = a->allow_replace,
                                  .strict = a->strict,
                                  .split_types = a->split_types,
                                  .append = a->append,
                                  .skip_unchanged = a->catalog != NULL && !a->force,
                                  .check_db = against,
                                  .city_for_extent = cat != NULL ? cat->city_json : NULL,
                                  .progress = progress_update,
                                  .progress_ctx = &prog};
    struct store_featured_def *featured = featured_from_catalog(a, cat, &opts);
    struct import_report report;
    double started = now_seconds();
    int rc = import_run(st, jobs, n_jobs, &opts, &report, &e);
    free(featured);
    /* check --catalog: the featured statistics the import would store, against the layers
     * it would produce (and the database's others). */
    bool has_bad_stats = a->is_check && cat != NULL && a->id == NULL && rc == ERR_OK &&
                         check_featured(cat, against != NULL ? db : NULL, &report) > 0;
    progress_finish(&prog);
    store_close(st);
    store_close(against);
    if (!a->is_check && !report.committed && !existed) {
        remove_db_files(db);
    }
    if (a->as_json) {
        import_summary_print_json(stdout, &report, a->is_check ? NULL : db);
    } else {
        import_summary_print(stdout, &report, db, now_seconds() - started);
    }
    if (rc != ERR_OK && report.n_layers == 0 && report.n_errors == 0) {
        fprintf(stderr, "cityatlas %s: %s\n", a->is_check ? "check" : "import", e.msg);
    }
    int code = has_bad_stats ? CLI_EXIT_INPUT : exit_code_for(rc, &report);
    import_report_clear(&report);
    return code;
}

int cmd_import(int argc, char **argv)
{
    struct import_args a;
    memset(&a, 0, sizeof(a));
    a.is_check = strcmp(argv[0], "check") == 0;
    int code = parse_args(argc, argv, &a);
    if (code >= 0) {
        return code;
    }
    struct catalog *cat = NULL;
    struct import_job *jobs = NULL;
    size_t n_jobs = 0;
    code = make_jobs(&a, argc - optind, argv + optind, &cat, &jobs, &n_jobs);
    if (code < 0) {
        import_init();
        code = run_import(&a, cat, jobs, n_jobs);
        import_shutdown();
    }
    free(jobs);
    catalog_free(cat);
    return code;
}
