/* server_log.c - the one log line per request, with secrets taken out of its query:
 * values of parameters named like credentials (access_token, token, key, password...)
 * and values shaped like a facilitator token become "REDACTED". Logs are read by more
 * people than the tokens are given to. The Authorization header is never logged. */
#include "http/server/server_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/log.h"
#include "scenario/token.h"

/* A query longer than this is logged cut (the request target is at most 8 KiB anyway). */
#define LOG_QUERY_MAX 8192

static bool is_secret_name(const char *name, size_t len)
{
    static const char *const names[] = {
        "access_token",  "token", "id_token",      "refresh_token", "api_key",
        "apikey",        "key",   "password",      "passwd",        "secret",
        "client_secret", "auth",  "authorization", "signature"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* A facilitator token ("cat_" + base64url), or any run of 32+ base64url characters: the
 * shape of a bearer secret, which no parameter of this API takes. */
static bool is_token_like(const char *value, size_t len)
{
    if (len >= strlen(TOKEN_PREFIX) && strncmp(value, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) == 0) {
        return true;
    }
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        bool is_b64 = isalnum((unsigned char)value[i]) || value[i] == '-' || value[i] == '_';
        run = is_b64 ? run + 1 : 0;
        if (run >= 32) {
            return true;
        }
    }
    return false;
}

void server_log_redact_query(const char *query, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = query; *p != '\0' && n + 1 < cap;) {
        size_t pair_len = strcspn(p, "&");
        const char *eq = memchr(p, '=', pair_len);
        size_t name_len = eq != NULL ? (size_t)(eq - p) : pair_len;
        const char *value = eq != NULL ? eq + 1 : p + pair_len;
        size_t value_len = (size_t)(p + pair_len - value);
        bool is_secret = eq != NULL && value_len > 0 &&
                         (is_secret_name(p, name_len) || is_token_like(value, value_len));
        int w = is_secret ? snprintf(out + n, cap - n, "%.*s=REDACTED", (int)name_len, p)
                          : snprintf(out + n, cap - n, "%.*s", (int)pair_len, p);
        if (w < 0 || (size_t)w >= cap - n) {
            break;
        }
        n += (size_t)w;
        p += pair_len;
        if (*p == '&') {
            out[n++] = '&';
            out[n] = '\0';
            p++;
        }
    }
}

void server_log_request(const struct exchange *ex, bool is_complete, double elapsed_ms)
{
    if (ex->srv_quiet && ex->resp.status < 500) {
        return;
    }
    char query[LOG_QUERY_MAX];
    server_log_redact_query(ex->raw_query, query, sizeof(query));
    log_msg(ex->resp.status >= 500 ? LOG_ERROR : LOG_INFO, "%s %s%s%s %d %zu %.1fms%s",
            ex->req.method_name != NULL ? ex->req.method_name : "-",
            ex->req.path != NULL ? ex->req.path : "-", query[0] ? "?" : "", query, ex->resp.status,
            ex->bytes_sent, elapsed_ms, is_complete ? "" : " (cut)");
}
