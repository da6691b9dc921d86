/* cmd_layers.c - `cityatlas layers`: what the database holds, as a table or JSON. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas layers [--db FILE] [--json]\n"
            "       cityatlas layers set|rm|rename ID ...   (see 'cityatlas layers set --help')\n\n"
            "Lists the layers in the city database: id, theme, geometry type, feature count,\n"
            "version, import time and title; then how many featured statistics it holds.\n\n"
            "Options:\n"
            "  --db FILE   database (default: $CITYATLAS_DB or ./%s)\n"
            "  --json      one JSON array, for scripts\n"
            "  -h, --help  this help\n\n%s",
            CLI_DEFAULT_DB, cli_exit_codes_help);
}

static void print_json(const struct store_layer_info *infos, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_layer_info *l = &infos[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(l->id));
        json_object_set_new(o, "title_en", l->title_en ? json_string(l->title_en) : json_null());
        json_object_set_new(o, "title_th", l->title_th ? json_string(l->title_th) : json_null());
        json_object_set_new(o, "theme", l->theme ? json_string(l->theme) : json_null());
        json_object_set_new(o, "geometry_type",
                            l->geometry_type ? json_string(l->geometry_type) : json_null());
        json_object_set_new(o, "feature_count", json_integer(l->feature_count));
        json_object_set_new(o, "rejected_count", json_integer(l->rejected_count));
        json_object_set_new(o, "version", json_integer(l->version));
        json_object_set_new(o, "imported_at", json_string(l->imported_at));
        json_object_set_new(o, "source_path", json_string(l->source_path));
        json_object_set_new(o, "source_crs",
                            l->source_crs ? json_string(l->source_crs) : json_null());
        json_object_set_new(o, "source_encoding",
                            l->source_encoding ? json_string(l->source_encoding) : json_null());
        json_object_set_new(
            o, "extent",
            l->has_extent ? json_pack("[f,f,f,f]", l->min_lon, l->min_lat, l->max_lon, l->max_lat)
                          : json_null());
        json_array_append_new(arr, o);
    }
    json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
    fputc('\n', stdout);
    json_decref(arr);
}

static void print_table(const struct store_layer_info *infos, size_t n, size_t n_featured)
{
    printf("%-32s %-14s %-16s %10s %7s  %-24s %s\n", "id", "theme", "geometry", "features",
           "version", "imported at (UTC)", "title");
    for (size_t i = 0; i < n; i++) {
        const struct store_layer_info *l = &infos[i];
        printf("%-32s %-14s %-16s %10lld %7lld  %-24s %s\n", l->id, l->theme ? l->theme : "-",
               l->geometry_type ? l->geometry_type : "(table)", (long long)l->feature_count,
               (long long)l->version, l->imported_at, l->title_en ? l->title_en : "");
    }
    printf("\n%zu layers\n", n);
    if (n_featured > 0) {
        printf("%zu featured statistics\n", n_featured);
    }
}

int cmd_layers(int argc, char **argv)
{
    static const struct option options[] = {{"db", required_argument, NULL, 'd'},
                                            {"json", no_argument, NULL, 'j'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    if (argc > 1 && (strcmp(argv[1], "set") == 0 || strcmp(argv[1], "rm") == 0 ||
                     strcmp(argv[1], "rename") == 0)) {
        return cmd_layers_edit(argc - 1, argv + 1);
    }
    const char *db = NULL;
    bool as_json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        int rc = cli_common_option(opt, "layers", usage, &db, &as_json);
        if (rc != CLI_OPTION_TAKEN) {
            return rc;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cityatlas layers: unexpected argument '%s'\n", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    db = cli_db_path(db);
    struct store *st = NULL;
    if (cli_store_open("layers", db, STORE_READ_ONLY, &st) != CLI_EXIT_OK) {
        return CLI_EXIT_DATABASE;
    }
    struct err e;
    struct store_layer_info *infos = NULL;
    size_t n = 0;
    size_t n_featured = 0;
    int rc = store_layers_list(st, &infos, &n, &e);
    if (rc == ERR_OK) {
        rc = store_featured_count(st, &n_featured, &e);
    }
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas layers: %s\n", e.msg);
        return CLI_EXIT_DATABASE;
    }
    if (as_json) {
        print_json(infos, n);
    } else {
        print_table(infos, n, n_featured);
    }
    store_layer_infos_free(infos, n);
    return CLI_EXIT_OK;
}
