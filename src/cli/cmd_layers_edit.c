/* cmd_layers_edit.c - `cityatlas layers set|rm|rename`: a researcher's own control over
 * the layers in the database without re-importing. Each edit is one transaction, so a
 * server reading the database (WAL) sees the layer before or after, never half; what
 * names the layer (featured statistics, scenarios, the city profile: layer_refs.c) follows
 * a rename in the same transaction, and keeps rm from breaking it unless --force. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "cli/layer_refs.h"
#include "config/catalog.h"
#include "store/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas layers set ID [--db FILE] [--title TEXT] [--title-th TEXT]\n"
            "         [--description TEXT] [--description-th TEXT] [--theme THEME]\n"
            "         [--source TEXT] [--source-url URL] [--license TEXT] [--attribution TEXT]\n"
            "       cityatlas layers rm ID [--db FILE] [--force]\n"
            "       cityatlas layers rename ID NEW_ID [--db FILE]\n\n"
            "set changes the given metadata of a layer (the rest stays), rm removes a layer,\n"
            "rename gives it a new id (a-z, 0-9, '-'). Nothing is re-imported; a running\n"
            "server sees the change at its next request. Featured statistics, scenarios and\n"
            "the city profile that name the layer follow a rename; rm refuses a layer they\n"
            "use unless --force (they then name a layer that is gone). A scenario's sketch\n"
            "layer goes only with its scenario.\n\n%s",
            cli_exit_codes_help);
}

/* The metadata options, in the order of set_field's fields; getopt values count from
 * OPT_FIRST. */
static const char *const meta_options[] = {
    "title",  "title-th",   "description", "description-th", "theme",
    "source", "source-url", "license",     "attribution",    NULL};
enum { OPT_DB = 256, OPT_FORCE, OPT_FIRST };
#define N_META_OPTIONS 9

static void make_options(struct option *out)
{
    int n = 0;
    out[n++] = (struct option){"db", required_argument, NULL, OPT_DB};
    out[n++] = (struct option){"help", no_argument, NULL, 'h'};
    out[n++] = (struct option){"force", no_argument, NULL, OPT_FORCE};
    for (int i = 0; meta_options[i] != NULL; i++) {
        out[n++] = (struct option){meta_options[i], required_argument, NULL, OPT_FIRST + i};
    }
    out[n] = (struct option){NULL, 0, NULL, 0};
}

/* Points the field of e that option opt sets at v; returns false for --db and --help. */
static bool set_field(struct store_layer_edit *e, int opt, const char *v)
{
    const char **fields[] = {&e->title_en,       &e->title_th, &e->description_en,
                             &e->description_th, &e->theme,    &e->source,
                             &e->source_url,     &e->license,  &e->attribution};
    if (opt < OPT_FIRST || opt >= OPT_FIRST + N_META_OPTIONS) {
        return false;
    }
    *fields[opt - OPT_FIRST] = v;
    return true;
}

/* Parses options and positional arguments; returns -1 to go on or an exit code. */
static int parse(int argc, char **argv, int n_ids, const char **db, bool *force,
                 struct store_layer_edit *e, const char **ids)
{
    struct option options[N_META_OPTIONS + 4];
    make_options(options);
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        if (opt == OPT_DB) {
            *db = optarg;
        } else if (opt == OPT_FORCE && strcmp(argv[0], "rm") == 0) {
            *force = true;
        } else if (opt == '?' || (strcmp(argv[0], "set") != 0 && opt != OPT_DB) ||
                   !set_field(e, opt, optarg)) {
            fprintf(stderr, "Try 'cityatlas layers %s --help'.\n", argv[0]);
            return CLI_EXIT_USAGE;
        }
    }
    const char *problem = NULL;
    if (argc - optind != n_ids) {
        problem = n_ids == 1 ? "give one layer ID" : "give the layer ID and its NEW_ID";
    } else if (e->theme != NULL && !catalog_is_theme(e->theme)) {
        problem = "--theme is not a known theme (see 'cityatlas import --help')";
    } else if (n_ids == 2 && !parse_is_slug(argv[optind + 1])) {
        problem = "NEW_ID must be 1-63 characters of a-z, 0-9 and '-' (it appears in URLs)";
    }
    if (problem != NULL) {
        fprintf(stderr, "cityatlas layers %s: %s\n", argv[0], problem);
        return CLI_EXIT_USAGE;
    }
    for (int i = 0; i < n_ids; i++) {
        ids[i] = argv[optind + i];
    }
    return -1;
}

/* rm and rename: what names the layer is checked (and, for rename, follows) in the
 * transaction of the edit; followed receives what followed a rename. */
static int remove_or_rename(const char *verb, struct store *st, const char *const *ids, bool force,
                            char **followed, struct err *err)
{
    bool is_rm = strcmp(verb, "rm") == 0;
    struct layer_refs refs;
    int rc = layer_refs_find(st, ids[0], &refs, err);
    if (rc == ERR_OK && refs.sketches_of != NULL) {
        rc = err_set(err, ERR_INVALID,
                     "layer '%s' holds the sketches of scenario '%s' and goes only with it "
                     "(DELETE /scenarios/%s)",
                     ids[0], refs.sketches_of, refs.sketches_of);
    } else if (rc == ERR_OK && is_rm && refs.users != NULL && !force) {
        rc = err_set(err, ERR_INVALID,
                     "layer '%s' is used by %s; change or remove them first, or pass --force "
                     "to remove the layer anyway",
                     ids[0], refs.users);
    }
    if (rc == ERR_OK && is_rm) {
        rc = store_layer_delete(st, ids[0], err);
    } else if (rc == ERR_OK) {
        rc = store_layer_rename(st, ids[0], ids[1], err);
        if (rc == ERR_OK) {
            rc = layer_refs_rename(st, ids[0], ids[1], err);
        }
        if (rc == ERR_OK && refs.users != NULL) {
            *followed = xstrdup(refs.users);
        }
    }
    layer_refs_clear(&refs);
    return rc;
}

static int apply(const char *verb, struct store *st, const char *const *ids, bool force,
                 const struct store_layer_edit *e, char **followed, struct err *err)
{
    if (strcmp(verb, "set") != 0) {
        return remove_or_rename(verb, st, ids, force, followed, err);
    }
    return store_layer_edit(st, ids[0], e, err);
}

int cmd_layers_edit(int argc, char **argv)
{
    const char *verb = argv[0];
    int n_ids = strcmp(verb, "rename") == 0 ? 2 : 1;
    const char *db = NULL;
    bool force = false;
    const char *ids[2] = {NULL, NULL};
    struct store_layer_edit e;
    memset(&e, 0, sizeof(e));
    int code = parse(argc, argv, n_ids, &db, &force, &e, ids);
    if (code >= 0) {
        return code;
    }
    struct store *st = NULL;
    if (cli_store_open("layers", cli_db_path(db), STORE_READ_WRITE, &st) != CLI_EXIT_OK) {
        return CLI_EXIT_DATABASE;
    }
    struct err err;
    char *followed = NULL;
    int rc = store_import_begin(st, &err);
    if (rc == ERR_OK) {
        rc = apply(verb, st, ids, force, &e, &followed, &err);
    }
    if (rc == ERR_OK) {
        rc = store_import_commit(st, &err);
    } else {
        store_import_rollback(st);
    }
    store_close(st);
    if (rc != ERR_OK) {
        free(followed);
        fprintf(stderr, "cityatlas layers %s: %s\n", verb, err.msg);
        return rc == ERR_NOT_FOUND || rc == ERR_INVALID ? CLI_EXIT_INPUT : CLI_EXIT_DATABASE;
    }
    printf("%s: layer %s%s%s\n", verb, ids[0], n_ids == 2 ? " is now " : "",
           n_ids == 2 ? ids[1] : "");
    if (followed != NULL) {
        printf("  now naming %s: %s\n", ids[1], followed);
    }
    free(followed);
    return CLI_EXIT_OK;
}
