/* The sans-IO poller (liveness_poller_*): its decisions on a virtual clock, wake hints, and its
 * bad inputs. (The conformance vectors drive it through every schedule rule.) */
#include "support/harness.h"

#include <math.h>

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

RUN_TESTS()
