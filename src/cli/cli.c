/* cli.c - what the subcommands share: exit codes text and the database path default. */
#include "cli/cli.h"

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
