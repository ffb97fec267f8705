/* liveness_assert.h: LIVENESS_EVENTUALLY / _INTO / LIVENESS_ASSERT_EVENTUALLY over the poller, and
 * the poller functions they wait with (liveness_poller_now_ms, _wait, _set_origin). Compiled as
 * strict C11 with -Wpedantic -Werror (the expression form uses `__extension__`). Timeouts run on
 * the virtual clock: no real time passes. */
#include "support/harness.h"
#include "support/worker.h"

#include <liveness_assert.h>

#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

/* A waiting test on the virtual clock: `timeout_ms` of waiting takes no real time. */
static liveness_options quick(double timeout_ms) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = timeout_ms;
    o.late_check_ms = 0; /* these tests time the wait itself; test_late.c pins the late check */
    return o;
}

static atomic_int flag;

static void set_flag_later(void *arg) {
    (void)arg;
    simulated_delay_ms(20); /* the system under test takes a while */
    atomic_store(&flag, 1);
}

TEST(eventually_waits_for_an_inline_expression_a_thread_makes_true) {
    atomic_store(&flag, 0);
    worker w;
    EXPECT(worker_start(&w, set_flag_later, NULL));
    liveness_status s = LIVENESS_EVENTUALLY(atomic_load(&flag) == 1, NULL);
    EXPECT_STATUS(s, LIVENESS_OK);
    EXPECT(atomic_load(&flag) == 1);
    EXPECT_OK(worker_join(&w));
}

TEST(a_timeout_reports_the_expression_file_and_line) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = quick(100);
    int ready = 0;
    int line = __LINE__ + 1;
    liveness_status s = LIVENESS_EVENTUALLY(ready == 3, &o);
    EXPECT_STATUS(s, LIVENESS_TIMEOUT);
    char expected[256];
    snprintf(expected, sizeof expected, "%s:%d: eventually \"ready == 3\": not met after 0.10 s", __FILE__, line);
    const char *msg = liveness_last_error_message();
    EXPECT(strncmp(msg, expected, strlen(expected)) == 0);
    EXPECT_MESSAGE("last: returned false");
    double now = -1;
    EXPECT_OK(liveness_virtual_clock_now_ms(&now));
    EXPECT(now == 100); /* waited on the virtual clock: exactly the timeout */
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(into_is_the_iso_c_statement_form) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = quick(50);
    liveness_status s = LIVENESS_INTERNAL;
    int n = 0;
    LIVENESS_EVENTUALLY_INTO(s, ++n == 3, &o);
    EXPECT_STATUS(s, LIVENESS_OK);
    EXPECT(n == 3);
    LIVENESS_EVENTUALLY_INTO(s, n == 4, &o);
    EXPECT_STATUS(s, LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("test_inline.c:");
    EXPECT_MESSAGE("eventually \"n == 4\"");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(side_effects_happen_once_per_evaluation) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = quick(60000);
    o.attempts = 5;
    int n = 0;
    EXPECT_STATUS(LIVENESS_EVENTUALLY(++n > 100, &o), LIVENESS_TIMEOUT);
    EXPECT(n == 5);
    EXPECT_MESSAGE("(5 evaluations)");
    n = 0;
    EXPECT_OK(LIVENESS_EVENTUALLY(++n == 2, NULL));
    EXPECT(n == 2); /* never evaluated after it held */
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(the_options_message_replaces_the_expression) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = quick(20);
    o.message = "the job is done";
    EXPECT_STATUS(LIVENESS_EVENTUALLY(0, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("eventually \"the job is done\": not met after 0.02 s");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(bad_options_are_a_status_and_the_expression_is_never_evaluated) {
    liveness_options o = liveness_options_default();
    o.max_interval_ms = -1;
    int n = 0;
    EXPECT_STATUS(LIVENESS_EVENTUALLY(++n > 0, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT(n == 0);
    EXPECT_MESSAGE("max_interval_ms");
    liveness_options zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    EXPECT_STATUS(LIVENESS_EVENTUALLY(++n > 0, &zeroed), LIVENESS_INVALID_ARGUMENT);
    EXPECT(n == 0);
    EXPECT_MESSAGE("liveness_options_default()");
}

static void stop_at_the_second(void *ctx, const liveness_evaluation *e) {
    (void)ctx;
    if (e->number == 2) liveness_probe_stop("enough");
}

TEST(an_on_evaluation_hook_can_stop_the_wait) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = quick(1000);
    o.on_evaluation = stop_at_the_second;
    int n = 0;
    EXPECT_STATUS(LIVENESS_EVENTUALLY(++n > 10, &o), LIVENESS_PROBE_FAILED);
    EXPECT(n == 2);
    EXPECT_MESSAGE("enough");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

static void kick(void *arg) {
    (void)arg;
    simulated_delay_ms(20);
    atomic_store(&flag, 1);
    liveness_emit("inline.kick", NULL, NULL, 0, NULL);
}

TEST(wake_on_re_evaluates_at_once) {
    /* A 10-minute interval: the wait ends in time only because the hint wakes it. */
    atomic_store(&flag, 0);
    liveness_options o = liveness_options_default();
    o.timeout_ms = 1200000;
    o.interval_ms = 600000;
    const char *patterns[] = {"inline.kick"};
    o.wake_on = patterns;
    o.wake_on_len = 1;
    worker w;
    EXPECT(worker_start(&w, kick, NULL));
    EXPECT_OK(LIVENESS_EVENTUALLY(atomic_load(&flag) == 1, &o));
    EXPECT_OK(worker_join(&w));
    EXPECT(!liveness_has_subscribers("inline.kick")); /* the poller's subscription is gone */
}

TEST(assert_eventually_passes_quietly) {
    int n = 0;
    LIVENESS_ASSERT_EVENTUALLY(++n == 3);
    EXPECT(n == 3);
}

/* Runs `body` in a child with stderr into a pipe; returns how it ended and what it printed. */
static int in_child(void (*body)(void), char *out, size_t size) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGABRT, SIG_DFL);
        dup2(fds[1], 2);
        close(fds[0]);
        body();
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t got;
    while (used + 1 < size && (got = read(fds[0], out + used, size - 1 - used)) > 0) used += (size_t)got;
    out[used] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0); /* the child ends by itself: its wait is on the virtual clock */
    return status;
}

static void failing_assert(void) {
    liveness_virtual_clock_install();
    liveness_options o = quick(30);
    int done = 0;
    LIVENESS_ASSERT_EVENTUALLY_WITH(done != 0, &o);
}
static const int failing_assert_line = __LINE__ - 2;

TEST(assert_eventually_prints_file_line_error_and_aborts) {
    char out[4096];
    int status = in_child(failing_assert, out, sizeof out);
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    char expected[256];
    snprintf(expected, sizeof expected, "%s:%d: error: eventually \"done != 0\": not met after 0.03 s", __FILE__,
             failing_assert_line);
    EXPECT_CONTAINS(out, expected);
    EXPECT_CONTAINS(out, "last: returned false");
}

/* ---- the poller functions the macros wait with ---- */

TEST(poller_now_and_wait_follow_the_virtual_clock) {
    EXPECT_OK(liveness_virtual_clock_install());
    EXPECT_OK(liveness_virtual_clock_advance(7));
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p));
    double now = -1;
    EXPECT_OK(liveness_poller_now_ms(p, &now));
    EXPECT(now == 0); /* since the poller was made */
    EXPECT_OK(liveness_poller_wait(p, 250));
    EXPECT_OK(liveness_poller_now_ms(p, &now));
    EXPECT(now == 250);
    double clock = 0;
    EXPECT_OK(liveness_virtual_clock_now_ms(&clock));
    EXPECT(clock == 257);
    liveness_poller_free(p);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(poller_set_origin_prefixes_the_report_and_free_keeps_it) {
    liveness_options o = liveness_options_default();
    o.attempts = 1;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT_OK(liveness_poller_set_origin(p, "tests/x.c", 42));
    liveness_step s;
    EXPECT_OK(liveness_poller_next(p, 0, &s));
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_returned(p, 0, "false", false));
    EXPECT_OK(liveness_poller_next(p, 0, &s));
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    liveness_poller_free(p);
    const char *msg = liveness_last_error_message(); /* still the report after the free */
    EXPECT(strncmp(msg, "tests/x.c:42: eventually: not met after", 39) == 0);
    liveness_poller_free(p); /* a double free is still reported */
    EXPECT_MESSAGE("already freed");
}

TEST(poller_now_wait_and_set_origin_reject_bad_arguments) {
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p));
    EXPECT_STATUS(liveness_poller_now_ms(p, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out_ms` is NULL");
    EXPECT_STATUS(liveness_poller_wait(p, -1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wait(p, NAN), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wait(p, INFINITY), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_set_origin(p, NULL, 1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`file` is NULL");
    liveness_poller_free(p);
    double now = 0;
    EXPECT_STATUS(liveness_poller_now_ms(p, &now), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already freed");
    EXPECT_STATUS(liveness_poller_wait(p, 1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_set_origin(p, "x.c", 1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wait(NULL, 1), LIVENESS_INVALID_ARGUMENT);
}

RUN_TESTS()
