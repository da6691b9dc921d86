/* cli.h - the subcommands and the process exit codes they return.
 * Exit codes are one per failure class and avoid 124-127 and 137 (used by shells and
 * timeout/kill), so scripts can tell what went wrong. */
#ifndef CITYATLAS_CLI_CLI_H
#define CITYATLAS_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "store/store.h"

enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_INPUT = 3,    /* a source could not be read or imported; nothing was changed */
    CLI_EXIT_REJECTED = 4, /* imported, but some features were rejected (see the summary) */
    CLI_EXIT_DATABASE = 5, /* the database is missing, locked, unwritable or not ours */
    CLI_EXIT_INTERNAL = 70 /* a bug: please report it */
};

/* Default database path when --db and CITYATLAS_DB are not given. */
#define CLI_DEFAULT_DB "cityatlas.sqlite"

/* Text for --help listing the exit codes; shared by every subcommand's help. */
extern const char cli_exit_codes_help[];

/* Returns --db's value, else $CITYATLAS_DB, else CLI_DEFAULT_DB. Borrowed. */
const char *cli_db_path(const char *from_option);

/* Returned by cli_common_option() when the option was taken and parsing goes on. */
#define CLI_OPTION_TAKEN (-1)

/* Handles one getopt_long() result opt of the options the database subcommands (layers,
 * token, scenarios) share: 'd' (--db) sets *db to optarg, 'j' (--json) sets *as_json,
 * 'h' (--help) prints usage to stdout. Returns CLI_OPTION_TAKEN for those, CLI_EXIT_OK
 * after --help, and CLI_EXIT_USAGE for anything else, after telling stderr to try
 * 'cityatlas <command> --help'. */
int cli_common_option(int opt, const char *command, void (*usage)(FILE *out), const char **db,
                      bool *as_json);

/* store_open() for a subcommand: on failure prints "cityatlas <command>: <why>" to stderr
 * and returns CLI_EXIT_DATABASE; else CLI_EXIT_OK with *st to close with store_close(). */
int cli_store_open(const char *command, const char *db, enum store_mode mode, struct store **st);

int cmd_import(int argc, char **argv); /* also "check" when argv[0] is "check" */
int cmd_layers(int argc, char **argv);
int cmd_layers_edit(int argc, char **argv); /* layers set|rm|rename; argv[0] is the verb */
int cmd_serve(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_token(int argc, char **argv);        /* token create|revoke|list */
int cmd_session(int argc, char **argv);      /* session open|close|list */
int cmd_scenarios(int argc, char **argv);    /* scenarios import|list */
int cmd_export(int argc, char **argv);       /* a scenario's poster or GeoPackage */
int cmd_export_layer(int argc, char **argv); /* one layer to GPKG, Shapefile, CSV, ... */

#endif
