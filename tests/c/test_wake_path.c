/* wake_on_path: a change of a watched file re-evaluates the probe at once (SPEC §5), through the
 * blocking call (liveness_eventually) and the poller a host drives (LIVENESS_EVENTUALLY, which
 * waits with liveness_poller_wait). Each wait's interval is 10 minutes: a wait that returns at
 * all was woken by the file system. Seed 004's delayed write: the sum lands in a file later. */
#include "support/harness.h"
#include "support/services.h"

#include <liveness_assert.h>

#include <stdlib.h>
#include <string.h>

static liveness_options woken_by(const char *const *paths, size_t len) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = 1200000;
    o.interval_ms = 600000;
    o.wake_on_path = paths;
    o.wake_on_path_len = len;
    return o;
}

static bool sum_is_three(void *p) {
    char buf[16] = {0};
    return (addition_job_read(p, buf, sizeof buf) && strcmp(buf, "3") == 0) || liveness_probe_fail("no sum yet");
}

static int evaluations;

static void count(void *ctx, const liveness_evaluation *e) {
    (void)ctx;
    evaluations = (int)e->number;
}

TEST(a_delayed_write_wakes_the_blocking_wait) {
    addition_job job;
    EXPECT(addition_job_schedule(&job, 1, 2, 30));
    const char *paths[] = {job.path};
    liveness_options o = woken_by(paths, 1);
    o.on_evaluation = count;
    EXPECT_OK(liveness_eventually(sum_is_three, &job, &o));
    EXPECT(evaluations <= 4); /* one per change of the file at most, never the interval's */
    EXPECT_OK(addition_job_destroy(&job));
}

TEST(a_delayed_write_wakes_the_poller_macro) {
    addition_job job;
    EXPECT(addition_job_schedule(&job, 1, 2, 30));
    const char *paths[] = {job.path};
    liveness_options o = woken_by(paths, 1);
    char buf[16] = {0};
    EXPECT_OK(LIVENESS_EVENTUALLY(addition_job_read(&job, buf, sizeof buf) && strcmp(buf, "3") == 0, &o));
    EXPECT_OK(addition_job_destroy(&job));
}

static int calls;

static bool counted(void *p) {
    (void)p;
    calls++;
    return true;
}

TEST(a_missing_directory_is_an_invalid_option_naming_wake_on_path) {
    const char *paths[] = {"/liveness-no-such-dir/result"};
    liveness_options o = woken_by(paths, 1);
    EXPECT_STATUS(liveness_eventually(counted, NULL, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("wake_on_path");
    EXPECT_MESSAGE("/liveness-no-such-dir");
    liveness_poller *poller = NULL;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &poller), LIVENESS_INVALID_ARGUMENT);
    EXPECT(poller == NULL);
    EXPECT(calls == 0);
}

TEST(bad_wake_on_path_lists_are_rejected) {
    liveness_options o = woken_by(NULL, 1);
    EXPECT_STATUS(liveness_eventually(counted, NULL, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("options.wake_on_path");
    const char *with_null[] = {"/tmp", NULL};
    o = woken_by(with_null, 2);
    EXPECT_STATUS(liveness_eventually(counted, NULL, &o), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("options.wake_on_path[1]");
    EXPECT(calls == 0);
}

RUN_TESTS()
