/* The polling operations: eventually, eventually_passes, always, never, eventually_changes,
 * sync_operation, and what a probe can say (liveness_probe_fail / liveness_probe_stop). */
#include "support/harness.h"

#include <stdatomic.h>
#include <stdint.h>

/* A probe that passes from its `passes_at`-th call on (0 = never), counting its calls. */
typedef struct {
    int calls;
    int passes_at;
    const char *why;
} counter;

static bool count_up(void *p) {
    counter *c = p;
    c->calls++;
    if (c->passes_at > 0 && c->calls >= c->passes_at) return true;
    return c->why ? liveness_probe_fail(c->why) : false;
}

static liveness_options quick(int attempts) {
    liveness_options o = liveness_options_default();
    o.attempts = attempts;
    o.min_interval_ms = 0; /* adaptive with no floor: re-evaluate at once */
    return o;
}

TEST(eventually_returns_once_the_probe_passes) {
    counter c = {0, 3, "not yet"};
    EXPECT_OK(liveness_eventually(count_up, &c, NULL));
    EXPECT(c.calls == 3);
}

TEST(eventually_times_out_with_the_last_failure_in_the_report) {
    counter c = {0, 0, "queue has 2 items, expected 3"};
    liveness_options o = quick(5);
    o.message = "the queue fills up";
    EXPECT_STATUS(liveness_eventually(count_up, &c, &o), LIVENESS_TIMEOUT);
    EXPECT(c.calls == 5);
    EXPECT_MESSAGE("eventually \"the queue fills up\"");
    EXPECT_MESSAGE("5 evaluations");
    EXPECT_MESSAGE("queue has 2 items, expected 3");
    EXPECT_MESSAGE("history");
}

static bool refused_then_starting(void *p) {
    counter *c = p;
    c->calls++;
    if (c->calls <= 2) return liveness_probe_fail_as("ECONNREFUSED", "port 8080 closed");
    return liveness_probe_fail_as("Starting", "migrations running");
}

TEST(probe_fail_as_names_the_kind_and_the_history_groups_by_it) {
    counter c = {0, 0, NULL};
    liveness_options o = quick(4);
    EXPECT_STATUS(liveness_eventually(refused_then_starting, &c, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("last: Starting: migrations running");
    EXPECT_MESSAGE("2× ECONNREFUSED port 8080 closed");
    EXPECT_MESSAGE("then 2× Starting migrations running");
}

TEST(eventually_reports_a_bare_false) {
    counter c = {0, 0, NULL};
    liveness_options o = quick(2);
    EXPECT_STATUS(liveness_eventually(count_up, &c, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("returned false");
}

TEST(eventually_times_out_by_the_deadline) {
    counter c = {0, 0, "never true"};
    liveness_options o = liveness_options_default();
    o.timeout_ms = 20;
    EXPECT_STATUS(liveness_eventually(count_up, &c, &o), LIVENESS_TIMEOUT);
    EXPECT(c.calls >= 2); /* the first at once, the last at the deadline */
    EXPECT_MESSAGE("never true");
}

TEST(timeout_zero_still_evaluates_once) {
    counter c = {0, 1, NULL};
    liveness_options o = liveness_options_default();
    o.timeout_ms = 0;
    EXPECT_OK(liveness_eventually(count_up, &c, &o));
    EXPECT(c.calls == 1);
}

/* A probe whose note is overridden by its return value: a later `true` wins. */
static bool fail_then_pass_anyway(void *ctx) {
    (void)ctx;
    liveness_probe_fail("noted but passing");
    return true;
}

TEST(a_probe_returning_true_passes_even_after_noting_a_failure) {
    EXPECT_OK(liveness_eventually(fail_then_pass_anyway, NULL, NULL));
}

static bool stop_at_once(void *p) {
    counter *c = p;
    c->calls++;
    return liveness_probe_stop("the service crashed: exit code 3");
}

TEST(probe_stop_propagates_at_once) {
    counter c = {0, 0, NULL};
    EXPECT_STATUS(liveness_eventually(stop_at_once, &c, NULL), LIVENESS_PROBE_FAILED);
    EXPECT(c.calls == 1);
    EXPECT_MESSAGE("the service crashed: exit code 3");
}

TEST(probe_fail_outside_a_probe_does_nothing) {
    EXPECT(liveness_probe_fail("stray") == false);
    EXPECT(liveness_probe_stop("stray") == false);
    EXPECT(liveness_probe_fail(NULL) == false);
    counter c = {0, 2, NULL};
    EXPECT_OK(liveness_eventually(count_up, &c, NULL));
}

TEST(probe_fail_accepts_invalid_utf8) {
    counter c = {0, 0, "bad \xff\xfe bytes"};
    liveness_options o = quick(1);
    EXPECT_STATUS(liveness_eventually(count_up, &c, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("bad ");
}

/* A probe that itself waits: its inner wait's failures must not leak into the outer note. */
static bool inner_waits(void *p) {
    counter *outer = p;
    outer->calls++;
    counter inner = {0, 2, "inner not yet"};
    if (liveness_eventually(count_up, &inner, NULL) != LIVENESS_OK) return false;
    return outer->calls >= 2 || liveness_probe_fail("outer not yet");
}

TEST(nested_waits_keep_their_own_failures) {
    counter outer = {0, 0, NULL};
    EXPECT_OK(liveness_eventually(inner_waits, &outer, NULL));
    EXPECT(outer.calls == 2);
}

TEST(eventually_rejects_a_null_probe) {
    EXPECT_STATUS(liveness_eventually(NULL, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`probe` is NULL");
}

TEST(eventually_passes_names_itself) {
    counter c = {0, 2, "assertion failed: 1 == 2"};
    EXPECT_OK(liveness_eventually_passes(count_up, &c, NULL));
    EXPECT(c.calls == 2);
    counter d = {0, 0, "assertion failed: 1 == 2"};
    liveness_options o = quick(3);
    EXPECT_STATUS(liveness_eventually_passes(count_up, &d, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("eventually_passes");
    EXPECT_MESSAGE("assertion failed: 1 == 2");
    EXPECT_STATUS(liveness_eventually_passes(NULL, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
}

TEST(always_passes_when_the_probe_holds_throughout) {
    counter c = {0, 1, NULL};
    EXPECT_OK(liveness_always(count_up, &c, 10, NULL));
    EXPECT(c.calls >= 2); /* at once and at the end */
}

TEST(always_is_violated_at_the_first_failure) {
    /* fails at once: the first evaluation already violates it */
    counter c = {0, 0, NULL};
    liveness_options o = liveness_options_default();
    o.min_interval_ms = 0;
    EXPECT_STATUS(liveness_always(count_up, &c, 10000, &o), LIVENESS_VIOLATED);
    EXPECT(c.calls == 1);
    EXPECT_MESSAGE("always");
}

static bool holds_twice(void *p) {
    counter *c = p;
    c->calls++;
    return c->calls <= 2 || liveness_probe_fail("the connection dropped");
}

TEST(always_reports_the_failure_that_violated_it) {
    counter c = {0, 0, NULL};
    liveness_options o = liveness_options_default();
    o.min_interval_ms = 0;
    EXPECT_STATUS(liveness_always(holds_twice, &c, 10000, &o), LIVENESS_VIOLATED);
    EXPECT(c.calls == 3);
    EXPECT_MESSAGE("the connection dropped");
}

TEST(never_passes_when_the_probe_never_holds) {
    counter c = {0, 0, NULL};
    EXPECT_OK(liveness_never(count_up, &c, 10, NULL));
    EXPECT(c.calls >= 2);
}

TEST(never_is_violated_when_the_probe_holds) {
    counter c = {0, 3, NULL};
    liveness_options o = liveness_options_default();
    o.min_interval_ms = 0;
    EXPECT_STATUS(liveness_never(count_up, &c, 10000, &o), LIVENESS_VIOLATED);
    EXPECT(c.calls == 3);
    EXPECT_MESSAGE("never");
}

TEST(always_and_never_reject_bad_durations) {
    counter c = {0, 1, NULL};
    EXPECT_STATUS(liveness_always(count_up, &c, -1, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("during_ms");
    EXPECT_STATUS(liveness_never(count_up, &c, 0.0 / 0.0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("during_ms");
    EXPECT_STATUS(liveness_always(NULL, NULL, 10, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_never(NULL, NULL, 10, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT(c.calls == 0);
}

/* A value that changes on the `changes_at`-th read (0 = never); read fails while `broken`. */
typedef struct {
    int reads;
    int changes_at;
    bool broken;
} registry_id;

static bool read_id(void *p, int64_t *value) {
    registry_id *r = p;
    r->reads++;
    if (r->broken) return liveness_probe_fail("the registry is down");
    *value = (r->changes_at > 0 && r->reads >= r->changes_at) ? 4242 : 17;
    return true;
}

TEST(eventually_changes_returns_the_new_value) {
    registry_id r = {0, 3, false};
    int64_t now = 0;
    EXPECT_OK(liveness_eventually_changes(read_id, &r, NULL, &now));
    EXPECT(now == 4242);
    EXPECT(r.reads == 3); /* the baseline, one unchanged read, the changed one */
}

TEST(eventually_changes_accepts_a_null_out) {
    registry_id r = {0, 2, false};
    EXPECT_OK(liveness_eventually_changes(read_id, &r, NULL, NULL));
}

TEST(eventually_changes_times_out_showing_the_unchanged_value) {
    registry_id r = {0, 0, false};
    liveness_options o = quick(3);
    int64_t now = -1;
    EXPECT_STATUS(liveness_eventually_changes(read_id, &r, &o, &now), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("eventually_changes");
    EXPECT_MESSAGE("17");
    EXPECT(now == -1);
}

/* The baseline seen again is worded by the core's poller, as in every binding. */
TEST(eventually_changes_words_the_baseline_seen_again_unchanged) {
    registry_id r = {0, 0, false};
    liveness_options o = quick(3);
    EXPECT_STATUS(liveness_eventually_changes(read_id, &r, &o, NULL), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("last: returned 17 (unchanged)");
    EXPECT_MESSAGE("3× returned 17 (unchanged)");
}

static bool baseline_then_nothing(void *p, int64_t *value) {
    registry_id *r = p;
    *value = 17;
    return ++r->reads == 1; /* the baseline, then bare `false`: no value read */
}

/* A read that returned false read no value: it is not the baseline seen again. */
TEST(eventually_changes_reports_a_bare_false_as_no_value_read) {
    registry_id r = {0, 0, false};
    liveness_options o = quick(3);
    EXPECT_STATUS(liveness_eventually_changes(baseline_then_nothing, &r, &o, NULL), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("last: Failure: no value read (the probe returned false)");
    if (strstr(liveness_last_error_message(), "(unchanged)"))
        FAIL_AT("a read without a value worded as unchanged: %s", liveness_last_error_message());
}

/* A baseline that takes 30 ms (on the virtual clock) is on the wait's clock: the first evaluation
 * follows it at once, and the timeout counts from the call. */
static bool slow_baseline(void *p, int64_t *value) {
    registry_id *r = p;
    if (++r->reads == 1) liveness_virtual_clock_advance(30);
    *value = 17;
    return true;
}

TEST(eventually_changes_baseline_time_counts_toward_the_timeout) {
    EXPECT_OK(liveness_virtual_clock_install());
    registry_id r = {0, 0, false};
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 100;
    o.interval_ms = 10;
    EXPECT_STATUS(liveness_eventually_changes(slow_baseline, &r, &o, NULL), LIVENESS_TIMEOUT);
    EXPECT(r.reads == 9); /* the baseline, then 30, 40, ..., 100 */
    EXPECT_MESSAGE("not met after 0.10 s (8 evaluations)");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(eventually_changes_propagates_a_failed_baseline) {
    registry_id r = {0, 2, true};
    EXPECT_STATUS(liveness_eventually_changes(read_id, &r, NULL, NULL), LIVENESS_PROBE_FAILED);
    EXPECT(r.reads == 1);
    EXPECT_MESSAGE("the registry is down");
    EXPECT_STATUS(liveness_eventually_changes(NULL, NULL, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
}

typedef struct {
    int actions;
    int checks;
    bool action_fails;
} operation;

static bool fire(void *p) {
    operation *op = p;
    op->actions++;
    return !op->action_fails || liveness_probe_fail("connection refused");
}

static bool done_after_two_checks(void *p) {
    operation *op = p;
    op->checks++;
    return op->checks >= 2 || liveness_probe_fail("still pending");
}

TEST(sync_operation_fires_once_then_waits) {
    operation op = {0, 0, false};
    EXPECT_OK(liveness_sync_operation(fire, done_after_two_checks, &op, NULL));
    EXPECT(op.actions == 1);
    EXPECT(op.checks == 2);
}

TEST(sync_operation_propagates_a_failed_action_without_polling) {
    operation op = {0, 0, true};
    EXPECT_STATUS(liveness_sync_operation(fire, done_after_two_checks, &op, NULL), LIVENESS_PROBE_FAILED);
    EXPECT(op.actions == 1);
    EXPECT(op.checks == 0);
    EXPECT_MESSAGE("connection refused");
}

TEST(sync_operation_checks_everything_before_firing) {
    operation op = {0, 0, false};
    liveness_options o = liveness_options_default();
    o.timeout_ms = -5;
    EXPECT_STATUS(liveness_sync_operation(fire, done_after_two_checks, &op, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_sync_operation(NULL, done_after_two_checks, &op, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`action` is NULL");
    EXPECT_STATUS(liveness_sync_operation(fire, NULL, &op, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`until` is NULL");
    EXPECT(op.actions == 0);
}

/* The action's time counts toward the timeout (SPEC §4): an action that takes 30 ms of a 100 ms
 * timeout leaves 70 ms of checks, the first at 30 ms. */
typedef struct {
    int actions;
    double checks_at[64];
    int checks;
} timed_operation;

static bool slow_action(void *p) {
    timed_operation *op = p;
    op->actions++;
    return liveness_virtual_clock_advance(30) == LIVENESS_OK;
}

static bool never_done(void *p) {
    timed_operation *op = p;
    if (op->checks < 64) liveness_virtual_clock_now_ms(&op->checks_at[op->checks]);
    op->checks++;
    return liveness_probe_fail("still pending");
}

TEST(sync_operation_action_time_counts_toward_the_timeout) {
    EXPECT_OK(liveness_virtual_clock_install());
    timed_operation op = {0, {0}, 0};
    liveness_options o = liveness_options_default();
    o.late_check_ms = 0; /* this test pins the wait itself; test_late.c the late check */
    o.timeout_ms = 100;
    o.interval_ms = 10;
    EXPECT_STATUS(liveness_sync_operation(slow_action, never_done, &op, &o), LIVENESS_TIMEOUT);
    EXPECT(op.actions == 1);
    EXPECT(op.checks == 8); /* 30, 40, ..., 100 */
    EXPECT(op.checks_at[0] == 30);
    EXPECT(op.checks_at[7] == 100);
    EXPECT_MESSAGE("sync_operation: not met after 0.10 s (8 evaluations)");
    double now = 0;
    EXPECT_OK(liveness_virtual_clock_now_ms(&now));
    EXPECT(now == 100);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(sync_operation_times_out_like_eventually) {
    operation op = {0, -100, false};
    liveness_options o = quick(3);
    EXPECT_STATUS(liveness_sync_operation(fire, done_after_two_checks, &op, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("sync_operation");
    EXPECT_MESSAGE("still pending");
}

RUN_TESTS()
