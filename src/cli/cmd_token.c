/* cmd_token.c - `cityatlas token create|revoke|list`: facilitator tokens for the scenario
 * write API. A new token is printed once; the database keeps only its SHA-256. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "scenario/token.h"
#include "store/store.h"
#include "store/store_scenario.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas token create [--db FILE] --name NAME [--scenario ID]...\n"
            "       cityatlas token revoke [--db FILE] --name NAME\n"
            "       cityatlas token list [--db FILE] [--json]\n\n"
            "Facilitator tokens allow writing scenarios and sketches over HTTP\n"
            "(Authorization: Bearer TOKEN). 'create' prints a new token once on standard\n"
            "output; only its SHA-256 is stored, so it cannot be shown again (revoke it and\n"
            "create another if it is lost). 'revoke' makes it refused from then on (403).\n"
            "'list' shows names, creation and revocation times and scenarios, never tokens\n"
            "or hashes.\n"
            "A token made without --scenario is an admin token: every scenario, and making\n"
            "new ones. With --scenario (repeatable) it is a facilitator token for those\n"
            "scenarios only: it edits them, their sketches and sessions, nothing else.\n\n"
            "Options:\n"
            "  --db FILE    database (default: $CITYATLAS_DB or ./%s)\n"
            "  --name NAME  who holds the token, e.g. a facilitator or a workshop (1 to %d\n"
            "               bytes; Thai is fine)\n"
            "  --scenario ID  create: limit the token to this scenario (repeat for more)\n"
            "  --json       list: one JSON array, for scripts\n"
            "  -h, --help   this help\n\n%s"
            "  (for token: 2 also for a name already in use or unknown)\n",
            CLI_DEFAULT_DB, STORE_TOKEN_NAME_MAX, cli_exit_codes_help);
}

/* Opens the existing database (a token for a database that does not exist yet would be a
 * typo in --db more often than not). */
static int open_db(const char *db, enum store_mode mode, struct store **st)
{
    struct stat sb;
    if (stat(db, &sb) != 0) {
        fprintf(stderr, "cityatlas token: cannot open database %s: %s\n", db, strerror(errno));
        return CLI_EXIT_DATABASE;
    }
    return cli_store_open("token", db, mode, st);
}

static int exit_for(int rc)
{
    return rc == ERR_INVALID || rc == ERR_NOT_FOUND ? CLI_EXIT_USAGE
           : rc == ERR_INTERNAL                     ? CLI_EXIT_INTERNAL
                                                    : CLI_EXIT_DATABASE;
}

#define TOKEN_MAX_SCENARIOS 64

static int create(const char *db, const char *name, const char *const *scenarios,
                  size_t n_scenarios)
{
    struct err e;
    if (token_name_check(name, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas token: %s\n", e.msg);
        return CLI_EXIT_USAGE;
    }
    char token[TOKEN_TEXT_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
    if (token_generate(token, &e) != ERR_OK) {
        fprintf(stderr, "cityatlas token: %s\n", e.msg);
        return CLI_EXIT_INTERNAL;
    }
    token_hash(token, strlen(token), hash);
    struct store *st = NULL;
    int code = open_db(db, STORE_READ_WRITE, &st);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    /* The token and its scenarios in one transaction: never a moment as an admin token. */
    int rc = store_import_begin(st, &e);
    if (rc == ERR_OK) {
        rc = store_token_create(st, name, hash, &e);
        if (rc == ERR_OK) {
            rc = store_token_set_scenarios(st, name, scenarios, n_scenarios, &e);
        }
        if (rc == ERR_OK) {
            rc = store_import_commit(st, &e);
        } else {
            store_import_rollback(st);
        }
    }
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas token: %s\n", e.msg);
        return exit_for(rc);
    }
    printf("%s\n", token);
    fprintf(stderr,
            "cityatlas token: created %s token '%s'. It is shown only this once and cannot be "
            "recovered: keep it safe.\n",
            n_scenarios > 0 ? "facilitator" : "admin", name);
    return CLI_EXIT_OK;
}

static int revoke(const char *db, const char *name)
{
    struct store *st = NULL;
    int code = open_db(db, STORE_READ_WRITE, &st);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    struct err e;
    int rc = store_token_revoke(st, name, &e);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas token: %s\n", e.msg);
        return exit_for(rc);
    }
    fprintf(stderr, "cityatlas token: revoked token '%s'\n", name);
    return CLI_EXIT_OK;
}

static json_t *scenarios_json(const struct store_token_info *t)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < t->n_scenarios; k++) {
        json_array_append_new(arr, json_string(t->scenarios[k]));
    }
    return arr;
}

static void print_list(const struct store_token_info *t, size_t n, bool as_json)
{
    if (as_json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:o, s:o}", "name", t[i].name, "created_at",
                               t[i].created_at, "revoked_at",
                               t[i].revoked_at != NULL ? json_string(t[i].revoked_at) : json_null(),
                               "scenarios", scenarios_json(&t[i])));
        }
        json_dumpf(arr, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(arr);
        return;
    }
    printf("%-32s %-22s %-22s %s\n", "name", "created (UTC)", "revoked (UTC)", "scenarios");
    for (size_t i = 0; i < n; i++) {
        printf("%-32s %-22s %-22s ", t[i].name, t[i].created_at,
               t[i].revoked_at != NULL ? t[i].revoked_at : "-");
        for (size_t k = 0; k < t[i].n_scenarios; k++) {
            printf("%s%s", k > 0 ? "," : "", t[i].scenarios[k]);
        }
        printf("%s\n", t[i].n_scenarios == 0 ? "(all: admin)" : "");
    }
    printf("\n%zu tokens\n", n);
}

static int list(const char *db, bool as_json)
{
    struct store *st = NULL;
    int code = open_db(db, STORE_READ_ONLY, &st);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    struct store_token_info *infos = NULL;
    size_t n = 0;
    struct err e;
    int rc = store_tokens_list(st, &infos, &n, &e);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas token: %s\n", e.msg);
        return exit_for(rc);
    }
    print_list(infos, n, as_json);
    store_token_infos_free(infos, n);
    return CLI_EXIT_OK;
}

int cmd_token(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'}, {"name", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},     {"scenario", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
    const char *db = NULL, *name = NULL;
    const char *scenarios[TOKEN_MAX_SCENARIOS];
    size_t n_scenarios = 0;
    bool as_json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (opt == 'n') {
            name = optarg;
            continue;
        }
        if (opt == 's') {
            if (n_scenarios == TOKEN_MAX_SCENARIOS) {
                fprintf(stderr, "cityatlas token: at most %d --scenario options\n",
                        TOKEN_MAX_SCENARIOS);
                return CLI_EXIT_USAGE;
            }
            scenarios[n_scenarios++] = optarg;
            continue;
        }
        int rc = cli_common_option(opt, "token", usage, &db, &as_json);
        if (rc != CLI_OPTION_TAKEN) {
            return rc;
        }
    }
    const char *action = optind < argc ? argv[optind] : NULL;
    if (action == NULL || optind + 1 < argc) {
        fprintf(stderr, "cityatlas token: expected one of create, revoke, list\n");
        return CLI_EXIT_USAGE;
    }
    db = cli_db_path(db);
    bool is_create = strcmp(action, "create") == 0, is_revoke = strcmp(action, "revoke") == 0;
    if ((is_create || is_revoke) && name == NULL) {
        fprintf(stderr, "cityatlas token %s: --name NAME is required\n", action);
        return CLI_EXIT_USAGE;
    }
    if (n_scenarios > 0 && !is_create) {
        fprintf(stderr, "cityatlas token %s: --scenario goes with create only\n", action);
        return CLI_EXIT_USAGE;
    }
    if (is_create) {
        return create(db, name, scenarios, n_scenarios);
    }
    if (is_revoke) {
        return revoke(db, name);
    }
    if (strcmp(action, "list") == 0) {
        return list(db, as_json);
    }
    fprintf(stderr, "cityatlas token: unknown action '%s' (create, revoke or list)\n", action);
    return CLI_EXIT_USAGE;
}
