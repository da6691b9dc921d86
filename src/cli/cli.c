/* cli.c - what the subcommands share: exit codes text, the database path default, the
 * options of the database subcommands and opening their store. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>

const char cli_exit_codes_help[] =
    "Exit codes:\n"
    "  0   success\n"
    "  2   bad command line\n"
    "  3   a source could not be read or imported (the database was not changed)\n"
    "  4   imported, but some features were rejected (listed in the summary)\n"
    "  5   the database is missing, locked, unwritable or not a cityatlas database\n"
    "  70  internal error (a bug)\n";

const char *cli_db_path(const char *from_option)
{
    if (from_option != NULL) {
        return from_option;
    }
    const char *env = getenv("CITYATLAS_DB");
    return env != NULL && env[0] != '\0' ? env : CLI_DEFAULT_DB;
}

int cli_common_option(int opt, const char *command, void (*usage)(FILE *out), const char **db,
                      bool *as_json)
{
    if (opt == 'd') {
        *db = optarg;
    } else if (opt == 'j') {
        *as_json = true;
    } else if (opt == 'h') {
        usage(stdout);
        return CLI_EXIT_OK;
    } else {
        fprintf(stderr, "Try 'cityatlas %s --help'.\n", command);
        return CLI_EXIT_USAGE;
    }
    return CLI_OPTION_TAKEN;
}

int cli_store_open(const char *command, const char *db, enum store_mode mode, struct store **st)
{
    struct err e;
    if (store_open(db, mode, st, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas %s: %s\n", command, e.msg);
        return CLI_EXIT_DATABASE;
    }
    return CLI_EXIT_OK;
}
