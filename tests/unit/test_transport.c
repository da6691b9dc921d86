/* test_transport.c - the server's transport pieces without a socket to MHD: the work
 * pool's queue, cap and cancellation; the connection deadline cutting a socket; the log
 * line's redaction of secrets; the route table's slow flag. */
#include "unit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/transport/client_limits.h"
#include "http/server/router.h"
#include "http/server/dispatch.h"
#include "http/server/server.h"
#include "http/server/server_int.h"
#include "http/transport/work_pool.h"

#include "unit_support.c"

/* A job that waits until the test opens its gate, counting runs and cancellations. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t opened;
    bool is_open;
    atomic_int n_run, n_cancelled;
};

static void gated_job(void *arg, bool is_cancelled)
{
    struct gate *g = arg;
    if (is_cancelled) {
        atomic_fetch_add(&g->n_cancelled, 1);
        return;
    }
    pthread_mutex_lock(&g->lock);
    while (!g->is_open) {
        pthread_cond_wait(&g->opened, &g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    atomic_fetch_add(&g->n_run, 1);
}

static void open_gate(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->is_open = true;
    pthread_cond_broadcast(&g->opened);
    pthread_mutex_unlock(&g->lock);
}

/* Waits until the pool has n jobs waiting or running. */
static void await_pending(struct work_pool *pool, size_t n)
{
    while (work_pool_n_pending(pool) != n) {
        usleep(1000);
    }
}

/* Waits until the one job submitted is running: a worker has taken it from the queue. */
static void await_first_job_taken(struct work_pool *pool)
{
    await_pending(pool, 1);
    usleep(20000);
}

static void work_pool_refuses_past_its_queue_and_runs_the_rest(void **state)
{
    (void)state;
    struct gate g = {.lock = PTHREAD_MUTEX_INITIALIZER, .opened = PTHREAD_COND_INITIALIZER};
    struct work_pool *pool = work_pool_new(1, 2);
    struct err err;
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_OK);
    /* Let the worker take the first job, so that two more fill the queue. */
    await_first_job_taken(pool);
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_OK);
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_OK);
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_BUSY);
    assert_non_null(strstr(err.msg, "busy"));
    assert_int_equal(work_pool_n_pending(pool), 3);
    open_gate(&g);
    await_pending(pool, 0);
    assert_int_equal(atomic_load(&g.n_run), 3);
    work_pool_free(pool);
    assert_int_equal(atomic_load(&g.n_cancelled), 0);
}

static void work_pool_cancels_queued_jobs_when_freed(void **state)
{
    (void)state;
    struct gate g = {.lock = PTHREAD_MUTEX_INITIALIZER, .opened = PTHREAD_COND_INITIALIZER};
    struct work_pool *pool = work_pool_new(1, 4);
    struct err err;
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_OK);
    await_first_job_taken(pool);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(work_pool_submit(pool, gated_job, &g, "a", &err), ERR_OK);
    }
    open_gate(&g); /* the running job ends; free must not run the queued ones for real */
    work_pool_free(pool);
    assert_int_equal(atomic_load(&g.n_run) + atomic_load(&g.n_cancelled), 4);
    assert_true(atomic_load(&g.n_run) >= 1);
}

/* A job that notes its tag in the order jobs ran. */
struct order {
    pthread_mutex_t lock;
    char seen[16];
    size_t n;
};

struct tagged {
    struct order *order;
    struct gate *gate; /* NULL: do not wait */
    char tag;
};

static void tagged_job(void *arg, bool is_cancelled)
{
    struct tagged *t = arg;
    if (t->gate != NULL) {
        gated_job(t->gate, is_cancelled);
    }
    pthread_mutex_lock(&t->order->lock);
    t->order->seen[t->order->n++] = is_cancelled ? '-' : t->tag;
    pthread_mutex_unlock(&t->order->lock);
}

static void work_pool_lets_clients_take_turns(void **state)
{
    (void)state;
    struct gate g = {.lock = PTHREAD_MUTEX_INITIALIZER, .opened = PTHREAD_COND_INITIALIZER};
    struct order order = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct work_pool *pool = work_pool_new(1, 8);
    struct err err;
    struct tagged first = {&order, &g, 'A'}, burst = {&order, NULL, 'a'},
                  other = {&order, NULL, 'B'};
    assert_int_equal(work_pool_submit(pool, tagged_job, &first, "10.0.0.1", &err), ERR_OK);
    await_first_job_taken(pool);
    for (int i = 0; i < 4; i++) { /* a burst from the same client, then one from another */
        assert_int_equal(work_pool_submit(pool, tagged_job, &burst, "10.0.0.1", &err), ERR_OK);
    }
    assert_int_equal(work_pool_submit(pool, tagged_job, &other, "10.0.0.2", &err), ERR_OK);
    open_gate(&g);
    await_pending(pool, 0);
    work_pool_free(pool);
    /* B came last but is served after one more of A's jobs, not after the whole burst. */
    assert_int_equal(order.n, 6);
    assert_memory_equal(order.seen, "AaBaaa", 6);
}

static void work_pool_keeps_a_quarter_of_its_queue_for_other_clients(void **state)
{
    (void)state;
    struct gate g = {.lock = PTHREAD_MUTEX_INITIALIZER, .opened = PTHREAD_COND_INITIALIZER};
    struct work_pool *pool = work_pool_new(1, 4);
    struct err err;
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "10.0.0.1", &err), ERR_OK);
    await_first_job_taken(pool);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(work_pool_submit(pool, gated_job, &g, "10.0.0.1", &err), ERR_OK);
    }
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "10.0.0.1", &err), ERR_BUSY);
    assert_non_null(strstr(err.msg, "your slow work"));
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "10.0.0.2", &err), ERR_OK);
    assert_int_equal(work_pool_submit(pool, gated_job, &g, "10.0.0.3", &err), ERR_BUSY);
    open_gate(&g);
    await_pending(pool, 0);
    assert_int_equal(atomic_load(&g.n_run), 5);
    work_pool_free(pool);
}

static void client_limits_cut_a_connection_past_its_deadline(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    struct client_limits *cl = client_limits_new(200);
    struct client_conn *quiet = client_limits_open(cl, fds[0]);
    int other[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, other), 0);
    struct client_conn *answered = client_limits_open(cl, other[0]);
    client_limits_request_whole(cl, answered); /* its request is in: no deadline */
    usleep(700 * 1000);
    char byte;
    assert_int_equal(read(fds[1], &byte, 1), 0); /* end of stream: cut */
    assert_int_equal(client_limits_n_cut(cl), 1);
    assert_int_equal(send(other[1], "x", 1, MSG_DONTWAIT), 1); /* still open */
    client_limits_close(cl, quiet);
    client_limits_close(cl, answered);
    client_limits_free(cl);
    close(fds[0]);
    close(fds[1]);
    close(other[0]);
    close(other[1]);
}

static void log_lines_redact_secrets_and_keep_the_rest(void **state)
{
    (void)state;
    static const struct {
        const char *query, *logged;
    } cases[] = {
        {"access_token=cat_abc&f=json", "access_token=REDACTED&f=json"},
        {"limit=5&Token=x1&api_key=k&password=p",
         "limit=5&Token=REDACTED&api_key=REDACTED&password=REDACTED"},
        {"note=cat_AAAA", "note=REDACTED"},
        {"v=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "v=REDACTED"},
        {"bbox=98.9,18.7,99.1,18.9&lang=th", "bbox=98.9,18.7,99.1,18.9&lang=th"},
        {"token=&&key", "token=&&key"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[256];
        server_log_redact_query(cases[i].query, out, sizeof(out));
        assert_string_equal(out, cases[i].logged);
    }
    char small[12];
    server_log_redact_query("aaaa=1&bbbb=2&cccc=3", small, sizeof(small));
    assert_string_equal(small, "aaaa=1&bbbb"); /* cut at the cap, still a string */
}

static void renders_exports_and_statistics_are_flagged_slow(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        bool is_slow;
    } cases[] = {
        {"/stats", true},
        {"/scenarios/compare.pdf", true},
        {"/scenarios/a/map.png", true},
        {"/scenarios/a.gpkg", true},
        {"/scenarios/a/share.png", true},
        {"/stats/featured/x/share.png", true},
        {"/", false},
        {"/collections/x/items", false},
        {"/scenarios/a", false},
        {"/nope", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct request req;
        memset(&req, 0, sizeof(req));
        req.path = cases[i].path;
        req.method = HTTP_GET;
        assert_int_equal(server_route_is_slow(&req), cases[i].is_slow);
        assert_int_equal(req.n_path_params, 0); /* the path parameters are not kept twice */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(work_pool_refuses_past_its_queue_and_runs_the_rest),
        cmocka_unit_test(work_pool_cancels_queued_jobs_when_freed),
        cmocka_unit_test(work_pool_lets_clients_take_turns),
        cmocka_unit_test(work_pool_keeps_a_quarter_of_its_queue_for_other_clients),
        cmocka_unit_test(client_limits_cut_a_connection_past_its_deadline),
        cmocka_unit_test(log_lines_redact_secrets_and_keep_the_rest),
        cmocka_unit_test(renders_exports_and_statistics_are_flagged_slow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
