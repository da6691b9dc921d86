/* cmd_scenarios.c - `cityatlas scenarios import|list`: workshop scenarios from a file
 * (datasets/scenarios.json ships the four examples) and what the database holds.
 *
 * An import is all or nothing per file: every scenario and sketch is checked first (the
 * document, its layers and statistics against the database, each sketch's geometry), then
 * everything is written in one transaction. A scenario already in the database is left
 * alone unless --replace, so facilitators' edits survive a re-run of the setup script. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "config/catalog.h"
#include "scenario/scenario_doc.h"
#include "scenario/sketch_geojson.h"
#include "store/store.h"
#include "store/store_read.h"
#include "store/store_scenario.h"

#define SCENARIOS_FORMAT "cityatlas-scenarios/1"
#define SCENARIOS_MAX_FILE_BYTES (16 * 1024 * 1024)
#define SCENARIOS_MAX_PER_FILE 100

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas scenarios import [--db FILE] [--replace] SCENARIOS.json\n"
            "       cityatlas scenarios import [--db FILE] [--replace] --catalog CATALOG.json\n"
            "       cityatlas scenarios list [--db FILE] [--json]\n\n"
            "'import' loads workshop scenarios and their sketches from a file shaped like\n"
            "datasets/scenarios.json ({\"format\": \"" SCENARIOS_FORMAT "\", \"scenarios\":\n"
            "[{...document..., \"sketches\": FeatureCollection}]}). Everything is checked\n"
            "before anything is written, and the file is imported whole or not at all. A\n"
            "scenario whose id is already in the database is kept as it is (facilitators may\n"
            "have edited it) unless --replace, which restores the file's version and its\n"
            "sketches. With --catalog, the file is the one the catalog's city profile names\n"
            "(\"city\": {\"scenarios\": ...}). 'list' shows the scenarios in the database.\n\n"
            "Options:\n"
            "  --db FILE   database (default: $CITYATLAS_DB or ./%s)\n"
            "  --replace   import: overwrite scenarios that already exist\n"
            "  --catalog CATALOG  import: the example scenarios of the catalog's city\n"
            "  --json      list: one JSON array, for scripts\n"
            "  -h, --help  this help\n\n%s"
            "  (for scenarios: 2 also for a file whose content is wrong; the message names\n"
            "  the file, the scenario and the JSON path)\n",
            CLI_DEFAULT_DB, cli_exit_codes_help);
}

struct import_item {
    struct scenario_doc doc;
    struct sketch_list sketches; /* empty when the entry has none */
    char *doc_json;              /* normalised */
};

static void items_free(struct import_item *items, size_t n)
{
    for (size_t i = 0; items != NULL && i < n; i++) {
        scenario_doc_clear(&items[i].doc);
        sketch_list_clear(&items[i].sketches);
        free(items[i].doc_json);
    }
    free(items);
}

static int load_file(const char *path, json_t **root, struct err *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return err_set(err, ERR_IO, "%s: %s", path, strerror(errno));
    }
    if (sb.st_size > SCENARIOS_MAX_FILE_BYTES) {
        return err_set(err, ERR_TOO_LARGE, "%s: larger than %d bytes", path,
                       SCENARIOS_MAX_FILE_BYTES);
    }
    json_error_t jerr;
    *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (*root == NULL) {
        return err_set(err, ERR_INVALID, "%s: line %d column %d: %s", path, jerr.line, jerr.column,
                       jerr.text);
    }
    return ERR_OK;
}

static int check_top(const char *path, const json_t *root, struct err *err)
{
    const char *format = json_string_value(json_object_get(root, "format"));
    const json_t *list = json_object_get(root, "scenarios");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)root, key, v)
    {
        if (strcmp(key, "format") != 0 && strcmp(key, "scenarios") != 0 &&
            strcmp(key, "description") != 0) {
            return err_set(err, ERR_INVALID,
                           "%s: %s: unknown member (expected format, description, scenarios)", path,
                           key);
        }
    }
    if (format == NULL || strcmp(format, SCENARIOS_FORMAT) != 0) {
        return err_set(err, ERR_INVALID, "%s: format: expected \"%s\"", path, SCENARIOS_FORMAT);
    }
    if (!json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > SCENARIOS_MAX_PER_FILE) {
        return err_set(err, ERR_INVALID, "%s: scenarios: expected an array of 1 to %d scenarios",
                       path, SCENARIOS_MAX_PER_FILE);
    }
    return ERR_OK;
}

/* Checks entry i into item: the document without "sketches", then the sketches. */
static int check_entry(struct store *st, const json_t *entry, struct import_item *item,
                       struct err *err)
{
    if (!json_is_object(entry)) {
        return err_set(err, ERR_INVALID, "expected a scenario object");
    }
    json_t *doc = json_deep_copy(entry);
    json_t *sketches = json_incref(json_object_get(doc, "sketches"));
    json_object_del(doc, "sketches");
    int rc = scenario_doc_parse(doc, NULL, &item->doc, err);
    json_decref(doc);
    if (rc == ERR_OK && sketches != NULL) {
        rc = sketch_geojson_parse(sketches, &item->doc, true, &item->sketches, err);
        if (rc == ERR_OK) {
            rc = sketch_list_check_valid(st, &item->sketches, err);
        }
        if (rc != ERR_OK) {
            /* The sketches' paths continue the entry's: "sketches.features[1].geometry". */
            char msg[ERR_MSG_CAP];
            bool is_top = strncmp(err->msg, "top level: ", 11) == 0;
            snprintf(msg, sizeof(msg), "%s", err->msg + (is_top ? 11 : 0));
            err_set(err, rc, "sketches%s%s", is_top ? ": " : ".", msg);
        }
    }
    json_decref(sketches);
    if (rc == ERR_OK) {
        item->doc_json = scenario_doc_dump(&item->doc);
    }
    return rc;
}

/* The names a document uses must exist in the database as it is now. */
static int check_refs(const char *db, struct import_item *items, size_t n, size_t *bad,
                      struct err *err)
{
    struct store_pool *pool = NULL;
    struct store_read *rd = NULL;
    int rc = store_pool_open(db, 1, &pool, err);
    if (rc == ERR_OK) {
        rc = store_read_begin(pool, &rd, err);
    }
    if (rc != ERR_OK) {
        store_pool_close(pool);
        return rc == ERR_INVALID ? ERR_DB : rc;
    }
    size_t n_featured = 0;
    const struct store_featured *featured = store_read_featured(rd, &n_featured);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = scenario_doc_check_refs(&items[i].doc, store_read_catalog(rd), featured, n_featured,
                                     err);
        if (rc == ERR_OK &&
            sketch_list_check_extent(&items[i].sketches, store_read_city(rd), err) != ERR_OK) {
            /* As check_entry: the sketches' paths continue the entry's. */
            char msg[ERR_MSG_CAP];
            snprintf(msg, sizeof(msg), "%s", err->msg);
            rc = err_set(err, ERR_INVALID, "sketches.%s", msg);
        }
        *bad = i;
    }
    store_read_end(rd);
    store_pool_close(pool);
    return rc;
}

static int check_all(const char *path, const char *db, struct store *st, const json_t *root,
                     struct import_item **out, size_t *n_out, struct err *err)
{
    const json_t *list = json_object_get(root, "scenarios");
    size_t n = json_array_size(list);
    struct import_item *items = calloc(n, sizeof(*items));
    int rc = items != NULL ? ERR_OK : err_set(err, ERR_INTERNAL, "out of memory");
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const json_t *entry = json_array_get(list, i);
        const char *id = json_string_value(json_object_get(entry, "id"));
        rc = check_entry(st, entry, &items[i], err);
        for (size_t j = 0; rc == ERR_OK && j < i; j++) {
            if (strcmp(items[j].doc.id, items[i].doc.id) == 0) {
                rc = err_set(err, ERR_INVALID, "id: also the id of scenarios[%zu]", j);
            }
        }
        if (rc != ERR_OK) {
            err_prefix(err, "%s: scenarios[%zu] ('%s')", path, i, id != NULL ? id : "?");
        }
    }
    size_t bad = 0;
    if (rc == ERR_OK) {
        rc = check_refs(db, items, n, &bad, err);
        if (rc == ERR_INVALID) {
            err_prefix(err, "%s: scenarios[%zu] ('%s')", path, bad, items[bad].doc.id);
        }
    }
    if (rc != ERR_OK) {
        items_free(items, n);
        return rc;
    }
    *out = items;
    *n_out = n;
    return ERR_OK;
}

/* Writes one scenario in the open transaction; *written false when it was kept. */
static int write_item(struct store *st, const struct import_item *item, bool replace, bool *written,
                      struct err *err)
{
    bool exists = false;
    int rc = store_scenario_exists(st, item->doc.id, &exists, err);
    *written = rc == ERR_OK && (!exists || replace);
    if (rc != ERR_OK || !*written) {
        return rc;
    }
    /* Replacing restores the file's sketches too: the old ones go with the old scenario. */
    if (exists) {
        rc = store_scenario_delete(st, item->doc.id, err);
    }
    if (rc == ERR_OK) {
        rc = store_scenario_put(st, item->doc.id, item->doc_json, true, NULL, err);
    }
    if (rc == ERR_OK && item->sketches.n > 0) {
        rc =
            store_sketches_add(st, item->doc.id, item->sketches.items, item->sketches.n, NULL, err);
    }
    if (rc != ERR_OK) {
        err_prefix(err, "scenario '%s'", item->doc.id);
    }
    return rc;
}

static int write_all(struct store *st, const struct import_item *items, size_t n, bool replace,
                     struct err *err)
{
    int rc = store_import_begin(st, err);
    bool written[SCENARIOS_MAX_PER_FILE];
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = write_item(st, &items[i], replace, &written[i], err);
    }
    if (rc == ERR_OK) {
        rc = store_import_commit(st, err);
    } else {
        store_import_rollback(st);
    }
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (written[i]) {
            printf("%-32s imported, %zu sketches\n", items[i].doc.id, items[i].sketches.n);
        } else {
            printf("%-32s kept (already in the database; --replace overwrites it)\n",
                   items[i].doc.id);
        }
    }
    return rc;
}

static int exit_for(int rc)
{
    switch (rc) {
    case ERR_OK:
        return CLI_EXIT_OK;
    case ERR_INVALID:
    case ERR_TOO_LARGE:
        return CLI_EXIT_USAGE;
    case ERR_IO:
        return CLI_EXIT_INPUT;
    case ERR_INTERNAL:
        return CLI_EXIT_INTERNAL;
    default:
        return CLI_EXIT_DATABASE;
    }
}

static int import_file(const char *db, const char *path, bool replace)
{
    struct err e;
    struct stat sb;
    if (stat(db, &sb) != 0) {
        fprintf(stderr,
                "cityatlas scenarios: cannot open database %s: %s (import the city's layers "
                "first with 'cityatlas import')\n",
                db, strerror(errno));
        return CLI_EXIT_DATABASE;
    }
    json_t *root = NULL;
    int rc = load_file(path, &root, &e);
    if (rc == ERR_OK) {
        rc = check_top(path, root, &e);
    }
    struct store *st = NULL;
    if (rc == ERR_OK && store_open(db, STORE_READ_WRITE, &st, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas scenarios: %s\n", e.msg);
        json_decref(root);
        return CLI_EXIT_DATABASE;
    }
    struct import_item *items = NULL;
    size_t n = 0;
    if (rc == ERR_OK) {
        rc = check_all(path, db, st, root, &items, &n, &e);
    }
    if (rc == ERR_OK) {
        rc = write_all(st, items, n, replace, &e);
    }
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas scenarios: %s%s\n", e.msg,
                rc == ERR_INVALID ? " (nothing was imported)" : "");
    }
    items_free(items, n);
    store_close(st);
    json_decref(root);
    return exit_for(rc);
}

static void print_list(const struct store_scenario *list, size_t n, bool as_json)
{
    json_t *arr = json_array();
    if (!as_json) {
        printf("%-32s %8s  %-22s %s\n", "id", "sketches", "updated (UTC)", "title");
    }
    for (size_t i = 0; i < n; i++) {
        json_t *doc = json_loads(list[i].doc, 0, NULL);
        const json_t *title = json_object_get(doc, "title");
        const char *en = json_string_value(json_object_get(title, "en"));
        const char *th = json_string_value(json_object_get(title, "th"));
        if (as_json) {
            json_array_append_new(arr,
                                  json_pack("{s:s, s:s?, s:s?, s:b, s:I, s:s, s:s, s:s}", "id",
                                            list[i].id, "title_th", th, "title_en", en, "example",
                                            json_is_true(json_object_get(doc, "example")),
                                            "sketch_count", (json_int_t)list[i].n_sketches,
                                            "sketch_layer", list[i].sketch_layer_id, "created_at",
                                            list[i].created_at, "updated_at", list[i].updated_at));
        } else {
            printf("%-32s %8lld  %-22s %s / %s\n", list[i].id, (long long)list[i].n_sketches,
                   list[i].updated_at, th != NULL ? th : "", en != NULL ? en : "");
        }
        json_decref(doc);
    }
    if (as_json) {
        json_dumpf(arr, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        printf("\n%zu scenarios\n", n);
    }
    json_decref(arr);
}

static int list_scenarios(const char *db, bool as_json)
{
    struct store *st = NULL;
    if (cli_store_open("scenarios", db, STORE_READ_ONLY, &st) != CLI_EXIT_OK) {
        return CLI_EXIT_DATABASE;
    }
    struct err e;
    struct store_scenario *list = NULL;
    size_t n = 0;
    int rc = store_scenarios_list_db(st, &list, &n, &e);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas scenarios: %s\n", e.msg);
        return CLI_EXIT_DATABASE;
    }
    print_list(list, n, as_json);
    store_scenarios_free(list, n);
    return CLI_EXIT_OK;
}

/* The example scenarios file the catalog's city profile names. */
static int import_from_catalog(const char *db, const char *catalog, bool replace)
{
    struct catalog *cat = NULL;
    struct err e;
    int rc = catalog_load(catalog, &cat, &e);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas scenarios: %s\n", e.msg);
        return rc == ERR_NOT_FOUND ? CLI_EXIT_INPUT : exit_for(rc);
    }
    int code = CLI_EXIT_USAGE;
    if (cat->city_scenarios == NULL) {
        fprintf(stderr,
                "cityatlas scenarios: %s: the city profile names no scenarios file "
                "(city.scenarios)\n",
                catalog);
    } else {
        code = import_file(db, cat->city_scenarios, replace);
    }
    catalog_free(cat);
    return code;
}

int cmd_scenarios(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},      {"replace", no_argument, NULL, 'r'},
        {"catalog", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = NULL, *catalog = NULL;
    bool replace = false, as_json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (opt == 'r' || opt == 'c') {
            replace = replace || opt == 'r';
            catalog = opt == 'c' ? optarg : catalog;
            continue;
        }
        int rc = cli_common_option(opt, "scenarios", usage, &db, &as_json);
        if (rc != CLI_OPTION_TAKEN) {
            return rc;
        }
    }
    db = cli_db_path(db);
    const char *action = optind < argc ? argv[optind] : "";
    int n_args = argc - optind - 1;
    if (strcmp(action, "import") == 0 && n_args == 1 && catalog == NULL) {
        return import_file(db, argv[optind + 1], replace);
    }
    if (strcmp(action, "import") == 0 && n_args == 0 && catalog != NULL) {
        return import_from_catalog(db, catalog, replace);
    }
    if (strcmp(action, "list") == 0 && n_args == 0) {
        return list_scenarios(db, as_json);
    }
    fprintf(stderr, "cityatlas scenarios: expected 'import FILE', 'import --catalog CATALOG' "
                    "or 'list'\n"
                    "Try 'cityatlas scenarios --help'.\n");
    return CLI_EXIT_USAGE;
}
