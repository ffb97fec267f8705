/* Issue 12 through the blocking functions, on the virtual clock (no real time passes): the
 * intervals_ms list, backoff, at_least_ms, and timeouts without a deadline or past a 32-bit
 * timer (INFINITY, 2^31 ms, 2^32 ms), also as the sans-IO poller steps them. */
#include "support/harness.h"
#include "support/worker.h"

#include <math.h>
#include <sched.h>
#include <stdint.h>

#define MAX_CALLS 64

/* A probe on the virtual clock: notes when each call starts, takes `cost_ms`, and passes from
 * call `passes_at` on (0 = never). */
typedef struct {
    double starts[MAX_CALLS];
    int calls;
    int passes_at;
    double cost_ms;
} timed;

static double now_ms(void) {
    double t = NAN;
    liveness_virtual_clock_now_ms(&t);
    return t;
}

static bool timed_probe(void *ctx) {
    timed *t = ctx;
    if (t->calls < MAX_CALLS) t->starts[t->calls] = now_ms();
    t->calls++;
    liveness_virtual_clock_advance(t->cost_ms);
    return t->passes_at > 0 && t->calls >= t->passes_at ? true : liveness_probe_fail("not yet");
}

/* Expects the probe's calls to have started exactly at `want`. */
#define EXPECT_STARTS(t, ...)                                                                      \
    do {                                                                                           \
        const double want_[] = {__VA_ARGS__};                                                      \
        int n_ = (int)(sizeof want_ / sizeof *want_);                                              \
        if ((t).calls != n_) FAIL_AT("%d calls, expected %d", (t).calls, n_);                      \
        for (int i_ = 0; i_ < n_; i_++)                                                            \
            if (fabs((t).starts[i_] - want_[i_]) > 1e-6)                                           \
                FAIL_AT("call %d started at %g ms, expected %g", i_ + 1, (t).starts[i_], want_[i_]); \
    } while (0)

TEST(intervals_list_sets_each_period_and_the_last_repeats) {
    EXPECT_OK(liveness_virtual_clock_install());
    const double periods[] = {10, 20, 40};
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 100;
    o.intervals_ms = periods;
    o.intervals_len = 3;
    timed t = {.passes_at = 0};
    EXPECT_STATUS(liveness_eventually(timed_probe, &t, &o), LIVENESS_TIMEOUT);
    EXPECT_STARTS(t, 0, 10, 30, 70, 100);
    EXPECT_MESSAGE("(5 evaluations)");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(backoff_multiplies_the_period_up_to_max_interval) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 200;
    o.interval_ms = 10;
    o.backoff = 2;
    o.max_interval_ms = 40;
    timed t = {.passes_at = 0};
    EXPECT_STATUS(liveness_eventually(timed_probe, &t, &o), LIVENESS_TIMEOUT);
    EXPECT_STARTS(t, 0, 10, 30, 70, 110, 150, 190, 200);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(backoff_without_interval_starts_at_min_interval) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = 60;
    o.backoff = 3;
    timed t = {.passes_at = 5};
    EXPECT_OK(liveness_eventually(timed_probe, &t, &o));
    EXPECT_STARTS(t, 0, 1, 4, 13, 40);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(at_least_holding_too_early_is_violated) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = 200;
    o.interval_ms = 10;
    o.at_least_ms = 50;
    timed t = {.passes_at = 2};
    EXPECT_STATUS(liveness_eventually(timed_probe, &t, &o), LIVENESS_VIOLATED);
    EXPECT_MESSAGE("held too early, at evaluation #2 after 0.01 s (2 evaluations)");
    EXPECT_MESSAGE("it must not hold before 0.05 s");
    EXPECT(t.calls == 2); /* never called again once the wait failed */
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(at_least_passes_once_the_bound_has_passed_and_is_not_scaled) {
    setenv("LIVENESS_TIMEOUT_SCALE", "2", 1);
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = 200;
    o.interval_ms = 20;
    o.at_least_ms = 50; /* not 100 under the scale */
    timed t = {.passes_at = 4};
    EXPECT_OK(liveness_eventually(timed_probe, &t, &o));
    EXPECT_STARTS(t, 0, 20, 40, 60);
    EXPECT_OK(liveness_virtual_clock_uninstall());
    unsetenv("LIVENESS_TIMEOUT_SCALE");
}

TEST(at_least_is_refused_by_always_and_never) {
    liveness_options o = liveness_options_default();
    o.at_least_ms = 10;
    timed t = {.passes_at = 1};
    EXPECT_STATUS(liveness_always(timed_probe, &t, 100, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("invalid option `at_least_ms`");
    EXPECT_STATUS(liveness_never(timed_probe, &t, 100, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT(t.calls == 0);
}

/* timeout_ms = INFINITY: no deadline, so the default 5 s passes by and only the probe (or
 * attempts) ends the wait. */
TEST(infinite_timeout_waits_past_the_default_until_the_probe_passes) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = INFINITY;
    o.interval_ms = 1000;
    timed t = {.passes_at = 10};
    EXPECT_OK(liveness_eventually(timed_probe, &t, &o));
    EXPECT(t.calls == 10);
    EXPECT(now_ms() == 9000);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(infinite_timeout_with_attempts_stops_at_the_attempt_limit) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = INFINITY;
    o.interval_ms = 10;
    o.attempts = 3;
    timed t = {.passes_at = 0};
    EXPECT_STATUS(liveness_eventually(timed_probe, &t, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("stopped at the attempt limit of 3");
    EXPECT_STARTS(t, 0, 10, 20);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

/* Timeouts past a signed and an unsigned 32-bit millisecond timer behave like any other: a slow
 * first evaluation is let finish, the wait between two evaluations is the interval. */
TEST(timeouts_past_32_bit_timers_behave) {
    const double timeouts[] = {2147483648.0, 4294967296.0, 1e300, INFINITY};
    for (size_t i = 0; i < sizeof timeouts / sizeof *timeouts; i++) {
        EXPECT_OK(liveness_virtual_clock_install());
        liveness_options o = liveness_options_default();
        o.timeout_ms = timeouts[i];
        timed slow = {.passes_at = 1, .cost_ms = 200};
        EXPECT_OK(liveness_eventually(timed_probe, &slow, &o));
        EXPECT(slow.calls == 1 && now_ms() == 200);
        EXPECT_OK(liveness_virtual_clock_uninstall());

        EXPECT_OK(liveness_virtual_clock_install());
        o.interval_ms = 2000000000.0; /* below 2^31: an interval must fit in the timeout */
        timed second = {.passes_at = 2};
        EXPECT_OK(liveness_eventually(timed_probe, &second, &o));
        EXPECT_STARTS(second, 0, 2000000000.0);
        EXPECT_OK(liveness_virtual_clock_uninstall());
    }
}

/* The poller's step at `now`; a failed call leaves a DONE/INTERNAL step no check accepts. */
/* ---- a real-clock wait of unbounded length, ended by a wake hint ---- */

static int real_calls;  /* __atomic: read by the emitting thread */
static int wait_over;

static bool passes_on_the_second_call(void *ctx) {
    (void)ctx;
    return __atomic_add_fetch(&real_calls, 1, __ATOMIC_SEQ_CST) >= 2;
}

/* Emits the hint until the wait is over: whenever the waiter parks, a hint is on its way. */
static void emit_hints(void *arg) {
    (void)arg;
    while (!__atomic_load_n(&wait_over, __ATOMIC_SEQ_CST)) {
        if (__atomic_load_n(&real_calls, __ATOMIC_SEQ_CST) >= 1) liveness_emit("test.schedules.poke", NULL, NULL, 0, NULL);
        sched_yield();
    }
}

/* INFINITY with an interval past what a monotonic clock can add (1e300 ms saturates to the
 * longest duration): the blocking driver parked for all of it at once, `Instant + Duration`
 * overflowed and the wait ended in LIVENESS_INTERNAL ("overflow when adding duration to
 * instant"). It must simply wait, here until the hint. */
TEST(real_clock_wait_of_unbounded_length_parks_and_wakes) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = INFINITY;
    o.interval_ms = 1e300;
    const char *patterns[] = {"test.schedules.poke"};
    o.wake_on = patterns;
    o.wake_on_len = 1;
    worker w;
    EXPECT(worker_start(&w, emit_hints, NULL));
    EXPECT_OK(liveness_eventually(passes_on_the_second_call, NULL, &o));
    __atomic_store_n(&wait_over, 1, __ATOMIC_SEQ_CST);
    EXPECT_OK(worker_join(&w));
    EXPECT(real_calls == 2);
}

static liveness_step step_at(liveness_poller *p, double now) {
    liveness_step s = {LIVENESS_STEP_DONE, -1, LIVENESS_INTERNAL, -2};
    if (liveness_poller_next(p, now, &s) != LIVENESS_OK) fprintf(stderr, "%s\n", liveness_last_error_message());
    return s;
}

/* The poller's steps: nothing to abandon without a deadline; a finite huge deadline is given
 * exactly, in milliseconds that fit no 32-bit timer. */
TEST(poller_steps_for_unbounded_and_huge_timeouts) {
    const double timeouts[] = {INFINITY, 2147483648.0, 4294967296.0};
    for (size_t i = 0; i < sizeof timeouts / sizeof *timeouts; i++) {
        liveness_options o = liveness_options_default();
        o.timeout_ms = timeouts[i];
        o.interval_ms = 1000;
        liveness_poller *p = NULL;
        EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
        double want = isinf(timeouts[i]) ? LIVENESS_NO_ABANDON : timeouts[i];
        liveness_step s = step_at(p, 0);
        EXPECT(s.kind == LIVENESS_STEP_EVALUATE && s.abandon_at_ms == want);
        EXPECT_OK(liveness_poller_started(p, 0, NULL));
        EXPECT_OK(liveness_poller_raised(p, 0, "E", "not yet"));
        s = step_at(p, 0);
        EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 1000);
        /* Far into the wait: still a finite period, and the same abandon time. */
        double later = 1000000000.0;
        EXPECT(step_at(p, later).kind == LIVENESS_STEP_EVALUATE);
        EXPECT_OK(liveness_poller_started(p, later, NULL));
        EXPECT_OK(liveness_poller_raised(p, later + 1, "E", "not yet"));
        s = step_at(p, later + 1);
        EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 999);
        s = step_at(p, later + 1000);
        EXPECT(s.kind == LIVENESS_STEP_EVALUATE && s.abandon_at_ms == want);
        liveness_poller_free(p);
    }
}

RUN_TESTS()
