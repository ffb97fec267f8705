/* The sans-IO poller (liveness_poller_*): its decisions on a virtual clock, wake hints, and its
 * bad inputs. (The conformance vectors drive it through every schedule rule.) */
#include "support/harness.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static liveness_step next(liveness_poller *p, double now) {
    liveness_step s = {LIVENESS_STEP_DONE, -1, LIVENESS_INTERNAL};
    liveness_poller_next(p, now, &s);
    return s;
}

TEST(poller_evaluates_waits_and_times_out) {
    liveness_options o = liveness_options_default();
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
    EXPECT_OK(liveness_poller_wake(p));
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
    EXPECT_STATUS(liveness_poller_wake(NULL), LIVENESS_INVALID_ARGUMENT);

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
    liveness_poller_free(p);
    liveness_poller_free(NULL);
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
    EXPECT_OK(liveness_poller_wake(p));
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
    /* Past what a duration holds: a clear INVALID_ARGUMENT, not a panic. */
    EXPECT_STATUS(liveness_poller_next(p, 1e30, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("now_ms");
    liveness_poller_free(p);
    o.timeout_ms = 1e30;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p), LIVENESS_INVALID_ARGUMENT);
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

RUN_TESTS()
