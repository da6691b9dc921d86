/* main.c - argv -> subcommand. Each subcommand returns its process exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"

#ifndef CITYATLAS_VERSION
#define CITYATLAS_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "cityatlas %s - a city-data server for civic planning\n\n"
            "Usage: cityatlas COMMAND [options]\n\n"
            "Commands:\n"
            "  import   load vector datasets (files, folders, zips, a catalog) into the database\n"
            "  check    report what an import would do, without writing\n"
            "  layers   list the layers in the database\n"
            "  serve    serve the database over HTTP (OGC API - Features)\n"
            "  stats    statistics of a layer by districts: counts, sums, per km², per capita\n"
            "  scenarios import or list workshop scenarios and their sketches\n"
            "  token    create, revoke or list facilitator tokens (scenario writes over HTTP)\n"
            "  session  open, close or list workshop participation sessions\n"
            "  export   a scenario's poster (PDF, PNG, SVG) or GeoPackage bundle, offline\n"
            "  export-layer  a layer as GPKG, Shapefile, CSV, GeoJSON or KML\n\n"
            "Run 'cityatlas COMMAND --help' for a command's options.\n"
            "CITYATLAS_LOG=debug|info|warning|error|off sets how much is logged to stderr.\n\n%s",
            CITYATLAS_VERSION, cli_exit_codes_help);
}

/* CITYATLAS_LOG=debug|info|warning|error|off sets how much goes to stderr (default info);
 * debug shows, among other things, GDAL messages that no import step reported itself. */
static void set_log_level_from_env(void)
{
    static const char *const names[] = {"debug", "info", "warning", "error", "off"};
    const char *want = getenv("CITYATLAS_LOG");
    for (int i = 0; want != NULL && i < 5; i++) {
        if (strcmp(want, names[i]) == 0) {
            log_set_level((enum log_level)i);
        }
    }
}

int main(int argc, char **argv)
{
    set_log_level_from_env();
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("cityatlas %s\n", CITYATLAS_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "import") == 0 || strcmp(cmd, "check") == 0) {
        return cmd_import(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "layers") == 0) {
        return cmd_layers(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "serve") == 0) {
        return cmd_serve(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "stats") == 0) {
        return cmd_stats(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "scenarios") == 0) {
        return cmd_scenarios(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "token") == 0) {
        return cmd_token(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "session") == 0) {
        return cmd_session(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "export") == 0) {
        return cmd_export(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "export-layer") == 0) {
        return cmd_export_layer(argc - 1, argv + 1);
    }
    fprintf(stderr, "cityatlas: unknown command '%s'\nTry 'cityatlas --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}
