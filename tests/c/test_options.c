/* Bad options are rejected before any evaluation, with a message naming the option. */
#include "support/harness.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

static int calls;

static bool counted(void *ctx) {
    (void)ctx;
    calls++;
    return true;
}

/* Runs eventually with `o`, expecting LIVENESS_INVALID_ARGUMENT naming `needle` and no call. */
#define EXPECT_REJECTED(o, needle)                                                                 \
    do {                                                                                           \
        calls = 0;                                                                                 \
        EXPECT_STATUS(liveness_eventually(counted, NULL, &(o)), LIVENESS_INVALID_ARGUMENT);        \
        EXPECT_MESSAGE(needle);                                                                    \
        EXPECT(calls == 0);                                                                        \
    } while (0)

TEST(null_options_mean_defaults) {
    calls = 0;
    EXPECT_OK(liveness_eventually(counted, NULL, NULL));
    EXPECT(calls == 1);
}

TEST(uninitialised_options_are_rejected) {
    liveness_options o;
    memset(&o, 0, sizeof o);
    EXPECT_REJECTED(o, "liveness_options_default()");
}

TEST(negative_nan_and_infinite_durations_are_rejected) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = -1;
    EXPECT_REJECTED(o, "timeout_ms");
    o = liveness_options_default();
    o.timeout_ms = NAN;
    EXPECT_REJECTED(o, "timeout_ms");
    o = liveness_options_default();
    o.timeout_ms = -INFINITY; /* +INFINITY is a wait without deadline (test_schedules.c) */
    EXPECT_REJECTED(o, "timeout_ms");
    o = liveness_options_default();
    o.interval_ms = -2;
    EXPECT_REJECTED(o, "interval_ms");
    o.interval_ms = -1; /* no negative value is a sentinel */
    EXPECT_REJECTED(o, "interval_ms");
    o = liveness_options_default();
    o.min_interval_ms = NAN;
    EXPECT_REJECTED(o, "min_interval_ms");
    o = liveness_options_default();
    o.delay_ms = -0.5;
    EXPECT_REJECTED(o, "delay_ms");
    o = liveness_options_default();
    o.stable_for_ms = INFINITY;
    EXPECT_REJECTED(o, "stable_for_ms");
    o = liveness_options_default();
    o.at_least_ms = NAN;
    EXPECT_REJECTED(o, "invalid option `at_least_ms`");
    o.at_least_ms = INFINITY;
    EXPECT_REJECTED(o, "invalid option `at_least_ms`");
    o.at_least_ms = -1;
    EXPECT_REJECTED(o, "invalid option `at_least_ms`");
}

/* The struct of a program compiled against an older liveness.h (before issue 12's fields) is
 * smaller: rejected, with the reason, rather than read past its end. */
TEST(options_from_an_older_header_are_rejected) {
    liveness_options o = liveness_options_default();
    o.struct_size = offsetof(liveness_options, at_least_ms);
    EXPECT_REJECTED(o, "older liveness.h: recompile it");
    o.struct_size = sizeof o + 8;
    EXPECT_REJECTED(o, "newer liveness.h");
}

TEST(bad_intervals_lists_are_rejected) {
    liveness_options o = liveness_options_default();
    o.intervals_len = 3; /* but intervals_ms is NULL */
    EXPECT_REJECTED(o, "`options.intervals_ms` is NULL but `intervals_len` is 3");
    double empty[1] = {10};
    o.intervals_ms = empty;
    o.intervals_len = 0; /* a list with nothing in it, not "no list" */
    EXPECT_REJECTED(o, "invalid option `intervals_ms`");
    double bad[] = {10, NAN};
    o.intervals_ms = bad;
    o.intervals_len = 2;
    EXPECT_REJECTED(o, "invalid option `intervals_ms`: entry 1");
    double zero[] = {10, 0};
    o.intervals_ms = zero;
    EXPECT_REJECTED(o, "invalid option `intervals_ms`: entry 1 is 0");
    double fine[] = {10, 20};
    o.intervals_ms = fine;
    o.interval_ms = 10;
    EXPECT_REJECTED(o, "invalid option `intervals_ms`"); /* two schedules */
}

TEST(bad_backoff_factors_are_rejected) {
    liveness_options o = liveness_options_default();
    o.backoff = NAN;
    EXPECT_REJECTED(o, "invalid option `backoff`");
    o.backoff = 0.5;
    EXPECT_REJECTED(o, "invalid option `backoff`: must be a factor of at least 1");
    o.backoff = -1;
    EXPECT_REJECTED(o, "invalid option `backoff`");
    o.backoff = INFINITY;
    EXPECT_REJECTED(o, "invalid option `backoff`");
    o.backoff = LIVENESS_NO_BACKOFF;
    calls = 0;
    EXPECT_OK(liveness_eventually(counted, NULL, &o));
    EXPECT(calls == 1);
}

TEST(new_options_default_to_none) {
    liveness_options o = liveness_options_default();
    EXPECT(o.struct_size == sizeof(liveness_options));
    EXPECT(o.at_least_ms == 0);
    EXPECT(o.intervals_ms == NULL && o.intervals_len == 0);
    EXPECT(o.backoff == LIVENESS_NO_BACKOFF);
    EXPECT(o.on_evaluation == NULL && o.on_evaluation_context == NULL);
}

/* Named as C spells the fields (the core's own name is `max_interval`). */
TEST(max_interval_below_min_interval_is_rejected) {
    liveness_options o = liveness_options_default();
    o.min_interval_ms = 10;
    o.max_interval_ms = 5;
    EXPECT_REJECTED(o, "invalid option `max_interval_ms`: max_interval_ms (5ms) is below min_interval_ms");
}

TEST(bad_attempts_are_rejected) {
    liveness_options o = liveness_options_default();
    o.attempts = 0;
    EXPECT_REJECTED(o, "attempts");
    o.attempts = -7;
    EXPECT_REJECTED(o, "attempts");
    o.attempts = 1LL << 40;
    EXPECT_REJECTED(o, "attempts");
}

TEST(a_message_that_is_not_utf8_is_rejected) {
    liveness_options o = liveness_options_default();
    o.message = "caf\xe9";
    EXPECT_REJECTED(o, "options.message");
    EXPECT_MESSAGE("UTF-8");
}

TEST(bad_wake_on_lists_are_rejected) {
    liveness_options o = liveness_options_default();
    o.wake_on_len = 2; /* but wake_on is NULL */
    EXPECT_REJECTED(o, "options.wake_on");
    const char *with_null[] = {"job.done", NULL};
    o.wake_on = with_null;
    EXPECT_REJECTED(o, "options.wake_on[1]");
    const char *bad_pattern[] = {"job..done"};
    o.wake_on = bad_pattern;
    o.wake_on_len = 1;
    EXPECT_REJECTED(o, "wake_on");
}

TEST(a_bad_timeout_scale_is_rejected) {
    setenv("LIVENESS_TIMEOUT_SCALE", "-2", 1);
    liveness_options o = liveness_options_default();
    EXPECT_REJECTED(o, "LIVENESS_TIMEOUT_SCALE");
    setenv("LIVENESS_TIMEOUT_SCALE", "fast", 1);
    EXPECT_REJECTED(o, "LIVENESS_TIMEOUT_SCALE");
    unsetenv("LIVENESS_TIMEOUT_SCALE");
    calls = 0;
    EXPECT_OK(liveness_eventually(counted, NULL, &o));
}

static int evaluations;

static bool never_true(void *ctx) {
    (void)ctx;
    evaluations++;
    return false;
}

TEST(attempts_limit_the_evaluations) {
    liveness_options o = liveness_options_default();
    o.attempts = 4;
    o.min_interval_ms = 0;
    evaluations = 0;
    EXPECT_STATUS(liveness_eventually(never_true, NULL, &o), LIVENESS_TIMEOUT);
    EXPECT(evaluations == 4);
    EXPECT_MESSAGE("4 evaluations");
}

RUN_TESTS()
