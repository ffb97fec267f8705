/* The late check (issue 13, point 15) through the C ABI, on the virtual clock: after a timeout the
 * wait goes on looking for up to late_check_ms and the message says whether the condition was met
 * late; the status stays LIVENESS_TIMEOUT. The rule itself is pinned by polling/late.json. */
#include "support/harness.h"

#include <math.h>

/* Passes from call `passes_at` on (0 = never); every call takes no time. */
typedef struct {
    int calls;
    int passes_at;
} counted;

static bool counted_probe(void *ctx) {
    counted *c = ctx;
    c->calls++;
    return c->passes_at > 0 && c->calls >= c->passes_at ? true : liveness_probe_fail("not yet");
}

static liveness_options every_30_ms(double timeout_ms) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = timeout_ms;
    o.interval_ms = 30;
    return o;
}

TEST(a_condition_met_after_the_deadline_says_so) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = every_30_ms(100);
    counted c = {.passes_at = 6}; /* 0, 30, 60, 90, 100; then 130 */
    EXPECT_STATUS(liveness_eventually(counted_probe, &c, &o), LIVENESS_TIMEOUT);
    EXPECT(c.calls == 6);
    EXPECT_MESSAGE("not met after 0.10 s (5 evaluations)");
    EXPECT_MESSAGE("late: met 0.03 s after the deadline, at evaluation #6");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(a_condition_never_met_says_how_long_it_looked) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = every_30_ms(100);
    counted c = {.passes_at = 0};
    EXPECT_STATUS(liveness_eventually(counted_probe, &c, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("late: still not met 0.10 s after the deadline (4 more evaluations)");
    double now = NAN;
    EXPECT_OK(liveness_virtual_clock_now_ms(&now));
    EXPECT(now == 200); /* the window is at most the wait's own length */
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(late_check_zero_turns_it_off_and_a_negative_one_is_invalid) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = every_30_ms(100);
    o.late_check_ms = 0;
    counted c = {.passes_at = 0};
    EXPECT_STATUS(liveness_eventually(counted_probe, &c, &o), LIVENESS_TIMEOUT);
    EXPECT(c.calls == 5);
    o.late_check_ms = -1;
    EXPECT_STATUS(liveness_eventually(counted_probe, &c, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("late_check_ms");
    EXPECT(c.calls == 5);
    EXPECT(liveness_options_default().late_check_ms == 1000);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

RUN_TESTS()
