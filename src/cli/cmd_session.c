/* cmd_session.c - `cityatlas session open|close|list`: participation sessions (issue 12)
 * from the command line, the same as POST /scenarios/{id}/sessions and its close: the
 * request is built as the JSON the HTTP route takes and checked by session_doc.h. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/parse.h"
#include "scenario/session_doc.h"
#include "store/store.h"
#include "store/store_workshop.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: cityatlas session open [--db FILE] --scenario ID [--mode live|moderated]\n"
            "                              [--minutes N | --ends-at TIME] [--group ID=TH[/EN]]...\n"
            "       cityatlas session close [--db FILE] --scenario ID --id N\n"
            "       cityatlas session list [--db FILE] [--scenario ID] [--json]\n\n"
            "Participation sessions open a scenario to workshop participants: 'open' prints\n"
            "the session (its join code, mode, end and groups) as JSON; participants join\n"
            "at /map/#join=CODE (a QR code at /join/CODE/qr.svg). 'close' stops joins and\n"
            "participants' writes at once.\n\n"
            "Options:\n"
            "  --db FILE        database (default: $CITYATLAS_DB or ./%s)\n"
            "  --scenario ID    the scenario\n"
            "  --mode MODE      live (sketches show at once, the default) or moderated\n"
            "                   (they show once a facilitator approves them)\n"
            "  --minutes N      how long it stays open (default %d; at most %d)\n"
            "  --ends-at TIME   or when it ends, RFC 3339 (2026-12-07T17:00:00+07:00)\n"
            "  --group ID=TH[/EN]  a group participants may pick (repeat), e.g.\n"
            "                   --group youth=เยาวชน/Youth\n"
            "  --id N           close: the session's id\n"
            "  --json           list: one JSON array, for scripts\n"
            "  -h, --help       this help\n\n%s",
            CLI_DEFAULT_DB, SESSION_DEFAULT_MINUTES, SESSION_MAX_MINUTES, cli_exit_codes_help);
}

static int exit_for(int rc)
{
    return rc == ERR_INVALID || rc == ERR_NOT_FOUND ? CLI_EXIT_USAGE
           : rc == ERR_INTERNAL                     ? CLI_EXIT_INTERNAL
                                                    : CLI_EXIT_DATABASE;
}

static json_t *session_json(const struct store_session *s)
{
    json_t *groups = json_loads(s->groups, 0, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:b, s:o, s:I}", "id",
                     (json_int_t)s->id, "scenario_id", s->scenario_id, "code", s->code, "mode",
                     s->mode, "created_at", s->created_at, "created_by", s->created_by,
                     "ends_at", s->ends_at, "closed_at", s->closed_at, "open", s->is_open,
                     "groups", groups != NULL ? groups : json_array(), "participants",
                     (json_int_t)s->n_participants);
}

static void print_json(json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(doc);
}

/* "--group ID=TH[/EN]" appended to groups; false on a bad shape. */
static bool add_group(json_t *groups, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || eq[1] == '\0') {
        fprintf(stderr, "cityatlas session: --group takes ID=THAI[/ENGLISH], not '%s'\n", arg);
        return false;
    }
    char *id = strndup(arg, (size_t)(eq - arg));
    const char *slash = strchr(eq + 1, '/');
    char *th = slash != NULL ? strndup(eq + 1, (size_t)(slash - eq - 1)) : strdup(eq + 1);
    json_t *title = json_pack("{s:s}", "th", th);
    if (slash != NULL) {
        json_object_set_new(title, "en", json_string(slash + 1));
    }
    json_array_append_new(groups, json_pack("{s:s, s:o}", "id", id, "title", title));
    free(id);
    free(th);
    return true;
}

static int open_session(const char *db, const char *scenario, json_t *request)
{
    char *text = json_dumps(request, JSON_COMPACT);
    struct err e;
    struct session_spec spec;
    int rc = session_doc_parse(text, strlen(text), &spec, &e);
    free(text);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas session: %s\n", e.msg);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    int code = cli_store_open("session", db, STORE_READ_WRITE, &st);
    int64_t id = 0;
    struct store_session s;
    memset(&s, 0, sizeof(s));
    if (code == CLI_EXIT_OK) {
        rc = session_open(st, scenario, &spec, "cityatlas session", &id, &e);
        if (rc == ERR_OK) {
            rc = store_session_get(st, scenario, id, &s, &e);
        }
        code = rc == ERR_OK ? CLI_EXIT_OK : exit_for(rc);
        if (rc != ERR_OK) {
            fprintf(stderr, "cityatlas session: %s\n", e.msg);
        } else {
            print_json(session_json(&s));
        }
    }
    store_session_clear(&s);
    session_spec_clear(&spec);
    store_close(st);
    return code;
}

static int close_session(const char *db, const char *scenario, int64_t id)
{
    struct store *st = NULL;
    int code = cli_store_open("session", db, STORE_READ_WRITE, &st);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    struct err e;
    struct store_session s;
    memset(&s, 0, sizeof(s));
    int rc = store_session_close(st, scenario, id, &e);
    if (rc == ERR_OK) {
        rc = store_session_get(st, scenario, id, &s, &e);
    }
    if (rc == ERR_NOT_FOUND) {
        fprintf(stderr, "cityatlas session: scenario '%s' has no session %lld\n", scenario,
                (long long)id);
    } else if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas session: %s\n", e.msg);
    } else {
        print_json(session_json(&s));
    }
    store_session_clear(&s);
    store_close(st);
    return rc == ERR_OK ? CLI_EXIT_OK : exit_for(rc);
}

static int list_sessions(const char *db, const char *scenario, bool as_json)
{
    struct store *st = NULL;
    int code = cli_store_open("session", db, STORE_READ_ONLY, &st);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    struct err e;
    struct store_session *list = NULL;
    size_t n = 0;
    int rc = store_sessions_list(st, scenario, &list, &n, &e);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "cityatlas session: %s\n", e.msg);
        return exit_for(rc);
    }
    if (as_json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, session_json(&list[i]));
        }
        print_json(arr);
    } else {
        printf("%-5s %-24s %-7s %-10s %-21s %-7s %s\n", "id", "scenario", "code", "mode",
               "ends (UTC)", "open", "participants");
        for (size_t i = 0; i < n; i++) {
            printf("%-5lld %-24s %-7s %-10s %-21s %-7s %lld\n", (long long)list[i].id,
                   list[i].scenario_id, list[i].code, list[i].mode, list[i].ends_at,
                   list[i].is_open ? "yes" : "no", (long long)list[i].n_participants);
        }
        printf("\n%zu sessions\n", n);
    }
    store_sessions_free(list, n);
    return CLI_EXIT_OK;
}

int cmd_session(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},      {"scenario", required_argument, NULL, 's'},
        {"mode", required_argument, NULL, 'm'},    {"minutes", required_argument, NULL, 'M'},
        {"ends-at", required_argument, NULL, 'e'}, {"group", required_argument, NULL, 'g'},
        {"id", required_argument, NULL, 'i'},      {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *db = NULL, *scenario = NULL, *id_text = NULL;
    bool as_json = false;
    json_t *request = json_object(), *groups = json_array();
    int opt, code = -1;
    optind = 1;
    while (code < 0 && (opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        int64_t minutes = 0;
        struct err e;
        switch (opt) {
        case 's':
            scenario = optarg;
            break;
        case 'm':
            json_object_set_new(request, "mode", json_string(optarg));
            break;
        case 'M':
            if (parse_int64(optarg, 1, SESSION_MAX_MINUTES, "--minutes", &minutes, &e) != ERR_OK) {
                fprintf(stderr, "cityatlas session: %s\n", e.msg);
                code = CLI_EXIT_USAGE;
            }
            json_object_set_new(request, "minutes", json_integer(minutes));
            break;
        case 'e':
            json_object_set_new(request, "ends_at", json_string(optarg));
            break;
        case 'g':
            code = add_group(groups, optarg) ? -1 : CLI_EXIT_USAGE;
            break;
        case 'i':
            id_text = optarg;
            break;
        default: {
            int rc = cli_common_option(opt, "session", usage, &db, &as_json);
            code = rc == CLI_OPTION_TAKEN ? -1 : rc;
        }
        }
    }
    const char *action = optind < argc ? argv[optind] : NULL;
    if (code < 0 && (action == NULL || optind + 1 < argc)) {
        fprintf(stderr, "cityatlas session: expected one of open, close, list\n");
        code = CLI_EXIT_USAGE;
    }
    bool is_open = code < 0 && strcmp(action, "open") == 0;
    bool is_close = code < 0 && strcmp(action, "close") == 0;
    if ((is_open || is_close) && scenario == NULL) {
        fprintf(stderr, "cityatlas session %s: --scenario ID is required\n", action);
        code = CLI_EXIT_USAGE;
    }
    db = cli_db_path(db);
    if (code < 0 && is_open) {
        if (json_array_size(groups) > 0) {
            json_object_set(request, "groups", groups);
        }
        code = open_session(db, scenario, request);
    } else if (code < 0 && is_close) {
        int64_t id = 0;
        struct err e;
        if (id_text == NULL || parse_int64(id_text, 1, INT64_MAX, "--id", &id, &e) != ERR_OK) {
            fprintf(stderr, "cityatlas session close: --id N (a session's id) is required\n");
            code = CLI_EXIT_USAGE;
        } else {
            code = close_session(db, scenario, id);
        }
    } else if (code < 0 && strcmp(action, "list") == 0) {
        code = list_sessions(db, scenario, as_json);
    } else if (code < 0) {
        fprintf(stderr, "cityatlas session: unknown action '%s' (open, close or list)\n", action);
        code = CLI_EXIT_USAGE;
    }
    json_decref(request);
    json_decref(groups);
    return code;
}
