/* cmd_export_layer.c - `cityatlas export-layer ID --format F -o FILE`: a layer back out of
 * the database for QGIS, Excel or a colleague, in the formats researchers exchange. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/layer_export.h"
#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas export-layer ID --format FORMAT -o FILE [--db FILE]\n\n"
            "Writes layer ID to FILE. FORMAT is GPKG, Shapefile, CSV, GeoJSON or KML.\n"
            "Text is UTF-8: a shapefile gets a .cpg saying so, a CSV a byte-order mark so\n"
            "that Excel reads Thai; CSV geometry is a WKT column.\n\n%s",
            cli_exit_codes_help);
}

/* Checks the layer exists, so the message names it rather than GDAL's view. */
static int check_layer(const char *db, const char *id)
{
    struct store *st = NULL;
    if (cli_store_open("export-layer", db, STORE_READ_ONLY, &st) != CLI_EXIT_OK) {
        return CLI_EXIT_DATABASE;
    }
    struct store_layer_info *infos = NULL;
    size_t n = 0;
    struct err e;
    int rc = store_layers_list(st, &infos, &n, &e);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas export-layer: %s\n", e.msg);
        return CLI_EXIT_DATABASE;
    }
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        found |= strcmp(infos[i].id, id) == 0;
    }
    store_layer_infos_free(infos, n);
    if (!found) {
        fprintf(stderr, "cityatlas export-layer: no layer '%s' (see 'cityatlas layers')\n", id);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

int cmd_export_layer(int argc, char **argv)
{
    static const struct option options[] = {{"db", required_argument, NULL, 'd'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *db = NULL, *format = NULL, *out = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:f:", options, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        const char **slot = opt == 'd' ? &db : opt == 'f' ? &format : opt == 'o' ? &out : NULL;
        if (slot == NULL) {
            fprintf(stderr, "Try 'cityatlas export-layer --help'.\n");
            return CLI_EXIT_USAGE;
        }
        *slot = optarg;
    }
    if (argc - optind != 1 || format == NULL || out == NULL) {
        fprintf(stderr, "cityatlas export-layer: give one layer ID, --format and -o FILE\n"
                        "Try 'cityatlas export-layer --help'.\n");
        return CLI_EXIT_USAGE;
    }
    const char *id = argv[optind];
    db = cli_db_path(db);
    int code = check_layer(db, id);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    import_init();
    struct err e;
    int rc = layer_export(db, id, format, out, &e);
    import_shutdown();
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas export-layer: %s\n", e.msg);
        return rc == ERR_INVALID ? CLI_EXIT_INPUT : CLI_EXIT_DATABASE;
    }
    printf("export-layer: %s written to %s\n", id, out);
    return CLI_EXIT_OK;
}
