/* The sans-IO poller (liveness_poller_*): its decisions on a virtual clock, its steps (prepare,
 * yield, abandon), wake hints with their time, and its bad inputs. (The conformance vectors drive
 * it through every schedule rule.) */
#include "support/harness.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static liveness_step next(liveness_poller *p, double now) {
    liveness_step s = {LIVENESS_STEP_DONE, -1, LIVENESS_INTERNAL, -2};
    liveness_poller_next(p, now, &s);
    return s;
}

TEST(poller_evaluates_waits_and_times_out) {
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 100;
    o.interval_ms = 30;
    o.message = "the job is done";
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    double now = 0;
    int evaluations = 0;
    for (;;) {
        liveness_step s = next(p, now);
        if (s.kind == LIVENESS_STEP_WAIT) {
            now += s.wait_ms;
        } else if (s.kind == LIVENESS_STEP_YIELD) {
            continue;
        } else if (s.kind == LIVENESS_STEP_EVALUATE) {
            uint32_t n = 0;
            EXPECT_OK(liveness_poller_started(p, now, &n));
            EXPECT(n == (uint32_t)++evaluations);
            EXPECT_OK(liveness_poller_raised(p, now, "NotReady", "still queued"));
        } else {
            EXPECT(s.status == LIVENESS_TIMEOUT);
            break;
        }
    }
    EXPECT(evaluations == 5); /* 0, 30, 60, 90 and the deadline, 100 */
    EXPECT(now == 100);
    EXPECT_MESSAGE("eventually \"the job is done\"");
    EXPECT_MESSAGE("last: NotReady: still queued");
    liveness_poller_free(p);
}

TEST(poller_accepts_and_reports_never_held) {
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_NEVER, 50, NULL, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_accepted(p, 1, "pid 4711"));
    liveness_step s = next(p, 1);
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_VIOLATED);
    EXPECT_MESSAGE("pid 4711");
    liveness_poller_free(p);
}

TEST(poller_wake_evaluates_at_once) {
    liveness_options o = liveness_options_default();
    o.interval_ms = 1000;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_returned(p, 0, "null", true));
    liveness_step s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 1000);
    EXPECT_OK(liveness_poller_wake(p, 5));
    EXPECT(next(p, 5).kind == LIVENESS_STEP_EVALUATE);
    liveness_poller_free(p);
}

TEST(poller_rejects_bad_arguments) {
    liveness_poller *p = (liveness_poller *)&p;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out` is NULL");
    EXPECT_STATUS(liveness_poller_new(9, 0, NULL, &p), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("not a liveness_operation");
    EXPECT(p == NULL);
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_ALWAYS, -1, NULL, &p), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("during_ms");
    liveness_options o = liveness_options_default();
    o.max_interval_ms = NAN;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("max_interval_ms");

    liveness_step s;
    EXPECT_STATUS(liveness_poller_next(NULL, 0, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`poller` is NULL");
    EXPECT_STATUS(liveness_poller_started(NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_accepted(NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wake(NULL, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_prepared(NULL, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`poller` is NULL");
    EXPECT_STATUS(liveness_poller_abandon(NULL, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`poller` is NULL");

    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p));
    EXPECT_STATUS(liveness_poller_next(p, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out_step` is NULL");
    EXPECT_STATUS(liveness_poller_next(p, NAN, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("now_ms");
    EXPECT_STATUS(liveness_poller_next(p, -3, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_STATUS(liveness_poller_raised(p, 1, NULL, "text"), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`kind` is NULL");
    EXPECT_STATUS(liveness_poller_returned(p, 1, "\xff", false), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("UTF-8");
    EXPECT_STATUS(liveness_poller_accepted(p, 1, "\xfe"), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wake(p, NAN), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("now_ms");
    EXPECT_STATUS(liveness_poller_wake(p, -1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_prepared(p, INFINITY), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("now_ms");
    EXPECT_STATUS(liveness_poller_abandon(p, NAN), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("now_ms");
    EXPECT_STATUS(liveness_poller_abandon(p, 0.5), LIVENESS_INVALID_ARGUMENT); /* before 1: backwards */
    EXPECT_MESSAGE("must never go backwards");
    liveness_poller_free(p);
    liveness_poller_free(NULL);
}

/* Option errors name the C fields: `max_interval_ms`, not the core's `max_interval`. */
TEST(poller_option_errors_name_the_c_fields) {
    liveness_options o = liveness_options_default();
    o.min_interval_ms = 10;
    o.max_interval_ms = 5;
    liveness_poller *p = NULL;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("invalid option `max_interval_ms`: max_interval_ms (5ms) is below min_interval_ms");
    EXPECT(p == NULL);
}

/* sync_operation's action is the PREPARE step, on the wait's clock: the first evaluation follows
 * it (after a yield), and its 30 ms count toward the timeout. */
TEST(poller_prepare_step_runs_the_action_on_the_waits_clock) {
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 100;
    o.interval_ms = 10;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_SYNC_OPERATION, 0, &o, &p));
    liveness_step s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_PREPARE && s.abandon_at_ms == 100);
    uint32_t n = 7;
    EXPECT_OK(liveness_poller_started(p, 0, &n));
    EXPECT(n == 0); /* the preparation is no evaluation */
    EXPECT_OK(liveness_poller_prepared(p, 30));
    s = next(p, 30);
    EXPECT(s.kind == LIVENESS_STEP_YIELD && s.abandon_at_ms == LIVENESS_NO_ABANDON);
    double now = 30, first = -1;
    int evaluations = 0;
    for (int i = 0; i < 100; i++) {
        s = next(p, now);
        if (s.kind == LIVENESS_STEP_WAIT) now += s.wait_ms;
        if (s.kind == LIVENESS_STEP_DONE) break;
        if (s.kind != LIVENESS_STEP_EVALUATE) continue;
        if (first < 0) first = now;
        evaluations++;
        EXPECT_OK(liveness_poller_started(p, now, NULL));
        EXPECT_OK(liveness_poller_returned(p, now, "false", false));
    }
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    EXPECT(first == 30);
    EXPECT(evaluations == 8); /* 30, 40, ..., 100 */
    EXPECT(now == 100);
    EXPECT_MESSAGE("sync_operation: not met after 0.10 s (8 evaluations)");
    liveness_poller_free(p);
}

/* eventually_changes' baseline is the PREPARE step too; a value equal to it, reported as a plain
 * returned value, is worded "(unchanged)" by the poller. */
TEST(poller_eventually_changes_prepares_the_baseline_and_words_unchanged) {
    liveness_options o = liveness_options_default();
    o.attempts = 2;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY_CHANGES, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_PREPARE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_prepared(p, 0));
    liveness_step s;
    double now = 0;
    for (int i = 0; i < 20; i++) {
        s = next(p, now);
        if (s.kind == LIVENESS_STEP_WAIT) now += s.wait_ms;
        if (s.kind == LIVENESS_STEP_DONE) break;
        if (s.kind != LIVENESS_STEP_EVALUATE) continue;
        EXPECT_OK(liveness_poller_started(p, now, NULL));
        EXPECT_OK(liveness_poller_returned(p, now, "17", false));
    }
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("last: returned 17 (unchanged)");
    liveness_poller_free(p);
}

/* The C poller is made for event loops: two evaluations back to back are separated by a YIELD;
 * one after a wait is not (a wait is a turn of the loop already). */
TEST(poller_yields_between_back_to_back_evaluations) {
    liveness_options o = liveness_options_default();
    o.interval_ms = 10;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE); /* the first needs no turn */
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_raised(p, 30, "Slow", "slower than its interval"));
    EXPECT(next(p, 30).kind == LIVENESS_STEP_YIELD);
    EXPECT(next(p, 30).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 30, NULL));
    EXPECT_OK(liveness_poller_raised(p, 31, "Slow", "quick this time"));
    liveness_step s = next(p, 31);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 9);
    EXPECT(next(p, 40).kind == LIVENESS_STEP_EVALUATE);
    liveness_poller_free(p);
}

/* An asynchronous host gives up a call still pending at the step's abandon_at_ms: the wait fails
 * with LIVENESS_TIMEOUT and a report saying what was still running; the evaluation that starts at
 * the deadline has no abandon time (it is let finish). */
TEST(poller_abandon_gives_up_a_pending_evaluation_or_preparation) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = 100;
    o.interval_ms = 100;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    liveness_step s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE && s.abandon_at_ms == 100);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_raised(p, 0, "NotReady", "not yet"));
    s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 100);
    s = next(p, 100);
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE && s.abandon_at_ms < 0); /* the deadline's own */
    liveness_poller_free(p);

    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 30, NULL));
    EXPECT_STATUS(liveness_poller_abandon(p, 100), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("evaluation #1 still running after 0.07 s");
    s = next(p, 100);
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("still running");
    liveness_poller_free(p);

    EXPECT_OK(liveness_poller_new(LIVENESS_OP_SYNC_OPERATION, 0, &o, &p));
    s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_PREPARE && s.abandon_at_ms == 100);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_STATUS(liveness_poller_abandon(p, s.abandon_at_ms), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("sync_operation: not met after 0.10 s (0 evaluations); the action still running after 0.10 s");
    liveness_poller_free(p);
}

/* A hint carries the time it happened, which may be earlier than a time the poller was already
 * given (a host that learns of it late): one during an evaluation still earns one more, one
 * older than the last evaluation's start was answered by it. */
TEST(poller_wake_takes_the_hints_time) {
    liveness_options o = liveness_options_default();
    o.interval_ms = 1000;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_raised(p, 2, "NotReady", "not yet"));
    EXPECT_OK(liveness_poller_wake(p, 1)); /* emitted at 1, while it ran; delivered at 2 */
    liveness_step s = next(p, 2);
    EXPECT(s.kind == LIVENESS_STEP_YIELD); /* back to back on an event loop */
    EXPECT(next(p, 2).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 2, NULL));
    EXPECT_OK(liveness_poller_raised(p, 3, "NotReady", "not yet"));
    EXPECT_OK(liveness_poller_wake(p, 1.5)); /* older than that evaluation's start: answered */
    s = next(p, 3);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 999);
    EXPECT_OK(liveness_poller_wake(p, 10)); /* between evaluations: evaluate at once */
    EXPECT(next(p, 10).kind == LIVENESS_STEP_EVALUATE);
    liveness_poller_free(p);
}

/* Issue 10, point 9: both used to return LIVENESS_INTERNAL after printing a Rust panic and a
 * backtrace to stderr. */
static void clock_goes_backwards(void) {
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p));
    EXPECT_OK(liveness_poller_started(p, 100, NULL));
    EXPECT_OK(liveness_poller_accepted(p, 100, NULL));
    EXPECT_STATUS(liveness_poller_started(p, 50, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("earlier than 100 ms");
    EXPECT_STATUS(liveness_poller_accepted(p, 50, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("must never go backwards");
    liveness_step s;
    EXPECT_STATUS(liveness_poller_next(p, 99.5, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_poller_next(p, 100, &s)); /* the same time again is fine */
    liveness_poller_free(p);
}

static void times_near_the_duration_maximum(void) {
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.interval_ms = o.timeout_ms = 1.8e22;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_raised(p, 0, "E", "not yet"));
    /* Saturating: the next evaluation is due an interval later, capped by the deadline. */
    liveness_step s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms > 1e21);
    /* A wake hint: an evaluation at 1e21 ms, after which start + interval is past Duration::MAX
     * (this overflowed: "overflow when adding durations", LIVENESS_INTERNAL). */
    EXPECT_OK(liveness_poller_wake(p, 1e21));
    EXPECT(next(p, 1e21).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 1e21, NULL));
    EXPECT_OK(liveness_poller_raised(p, 1e21, "E", "not yet"));
    EXPECT_OK(liveness_poller_next(p, 1e21, &s));
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms > 1e21);
    EXPECT_OK(liveness_poller_next(p, 1.8e22, &s));
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 1.8e22, NULL));
    EXPECT_OK(liveness_poller_raised(p, 1.8e22, "E", "not yet"));
    s = next(p, 1.8e22);
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    /* Past what a duration holds: the time saturates (issue 12), no panic. */
    EXPECT_OK(liveness_poller_next(p, 1e30, &s));
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_TIMEOUT);
    liveness_poller_free(p);
    /* A timeout past what a duration holds is no deadline, as INFINITY: nothing is abandoned. */
    o = liveness_options_default();
    o.timeout_ms = 1e30;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    s = next(p, 0);
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE && s.abandon_at_ms == LIVENESS_NO_ABANDON);
    liveness_poller_free(p);
}

/* Runs `scenario` with the process's stderr sent to a file, and returns what was written there. */
static char *stderr_of(void (*scenario)(void)) {
    static char text[65536];
    char path[] = "/tmp/liveness-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    scenario();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t n = (size_t)pread(fd, text, sizeof text - 1, 0);
    text[n < sizeof text ? n : 0] = '\0';
    close(fd);
    unlink(path);
    return text;
}

TEST(poller_clock_going_backwards_is_invalid_argument_and_prints_nothing) {
    int before = harness_failures;
    char *err = stderr_of(clock_goes_backwards);
    EXPECT(err != NULL);
    if (strstr(err, "panicked") != NULL || harness_failures != before)
        FAIL_AT("stderr while the clock went backwards: %s", err);
}

TEST(poller_times_near_the_duration_maximum_saturate_and_print_nothing) {
    int before = harness_failures;
    char *err = stderr_of(times_near_the_duration_maximum);
    EXPECT(err != NULL);
    if (strstr(err, "panicked") != NULL || harness_failures != before)
        FAIL_AT("stderr with times near the Duration maximum: %s", err);
}

/* A poller's first evaluation, which took `cost_ms` of its clock; `*after` is the step after it. */
static void evaluated_once(liveness_poller *p, double cost_ms, liveness_step *after) {
    EXPECT(next(p, 0).kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_returned(p, cost_ms, "false", false));
    *after = next(p, cost_ms);
}

/* SPEC §2, one budget per clock: a poller made while a virtual clock is installed counts in that
 * clock's budget. Its 10 ms evaluation lengthens the period of another poller on the same clock
 * (20 x 10 ms, capped at max_interval), but not that of a poller on the real clock, which a
 * cheap probe keeps at min_interval. */
TEST(poller_on_a_virtual_clock_shares_that_clock_s_budget_only) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = 1000;
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_poller *costly = NULL, *company = NULL, *real = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &costly));
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &company));
    liveness_step s;
    evaluated_once(costly, 10, &s);
    evaluated_once(company, 0, &s);
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 50);
    liveness_virtual_clock_uninstall();
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &real));
    evaluated_once(real, 0, &s);
    if (!(s.kind == LIVENESS_STEP_WAIT && s.wait_ms <= 1))
        FAIL_AT("the real clock's poller: step %d, wait %g ms, expected a wait of at most 1 ms", (int)s.kind, s.wait_ms);
    liveness_poller_free(costly);
    liveness_poller_free(company);
    liveness_poller_free(real);
}

RUN_TESTS()
