/* The clock seam for tests (liveness_virtual_clock_*): the blocking waits of the thread that
 * installed it take no real time, and every misuse is a status with a message, never a crash. */
#include "support/harness.h"

#include <math.h>
#include <pthread.h>
#include <time.h>

static double now_ms(void) {
    double t = NAN;
    liveness_virtual_clock_now_ms(&t);
    return t;
}

TEST(virtual_clock_starts_at_zero_and_moves_only_when_advanced) {
    EXPECT_OK(liveness_virtual_clock_install());
    EXPECT(now_ms() == 0);
    EXPECT_OK(liveness_virtual_clock_advance(2.5));
    EXPECT_OK(liveness_virtual_clock_advance(0));
    EXPECT(now_ms() == 2.5);
    EXPECT_OK(liveness_virtual_clock_uninstall());
    /* A new one starts at zero again. */
    EXPECT_OK(liveness_virtual_clock_install());
    EXPECT(now_ms() == 0);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(virtual_clock_bad_arguments_and_states_are_invalid_argument) {
    double t = -7;
    EXPECT_STATUS(liveness_virtual_clock_now_ms(&t), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("no virtual clock is installed on this thread");
    EXPECT(t == -7); /* untouched */
    EXPECT_STATUS(liveness_virtual_clock_advance(1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("liveness_virtual_clock_install()");
    EXPECT_STATUS(liveness_virtual_clock_uninstall(), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("no virtual clock is installed");

    EXPECT_OK(liveness_virtual_clock_install());
    EXPECT_STATUS(liveness_virtual_clock_install(), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already installed");
    EXPECT_STATUS(liveness_virtual_clock_now_ms(NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out_ms` is NULL");
    EXPECT_STATUS(liveness_virtual_clock_advance(-1), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`ms`");
    EXPECT_STATUS(liveness_virtual_clock_advance(NAN), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("NaN");
    EXPECT_STATUS(liveness_virtual_clock_advance(INFINITY), LIVENESS_INVALID_ARGUMENT);
    EXPECT(now_ms() == 0);                             /* none of them moved it */
    EXPECT_OK(liveness_virtual_clock_advance(1.8e22)); /* saturates, no overflow */
    EXPECT_OK(liveness_virtual_clock_advance(1.8e22));
    EXPECT(now_ms() > 1.8e22);
    /* Past what a duration holds: saturates too (issue 12: huge finite durations saturate). */
    EXPECT_OK(liveness_virtual_clock_advance(1e30));
    EXPECT_OK(liveness_virtual_clock_uninstall());
    EXPECT_STATUS(liveness_virtual_clock_uninstall(), LIVENESS_INVALID_ARGUMENT);
}

static bool takes_three_ms(void *ctx) {
    int *calls = ctx;
    ++*calls;
    liveness_virtual_clock_advance(3);
    return liveness_probe_fail("not yet");
}

static double real_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A minute's wait on the virtual clock: exact times, and no real minute. */
TEST(blocking_waits_on_the_installing_thread_run_on_the_virtual_clock) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_options o = liveness_options_default();
    o.timeout_ms = 60000;
    o.late_check_ms = 0; /* the clock is what this test pins; test_late.c the late check */
    int calls = 0;
    double started = real_ms();
    EXPECT_STATUS(liveness_eventually(takes_three_ms, &calls, &o), LIVENESS_TIMEOUT);
    EXPECT_MESSAGE("eventually: not met after 60.00 s");
    EXPECT(now_ms() == 60003); /* the evaluation at the deadline took its 3 ms too */
    EXPECT(calls > 100);
    EXPECT(real_ms() - started < 30000);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

static void *other_thread(void *out) {
    double t = -1;
    *(liveness_status *)out = liveness_virtual_clock_now_ms(&t);
    return NULL;
}

TEST(the_virtual_clock_belongs_to_the_thread_that_installed_it) {
    EXPECT_OK(liveness_virtual_clock_install());
    liveness_status seen = LIVENESS_OK;
    pthread_t t;
    EXPECT(pthread_create(&t, NULL, other_thread, &seen) == 0);
    pthread_join(t, NULL);
    EXPECT(seen == LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

static void *install_and_exit(void *out) {
    /* Exits with the clock still installed: the thread's teardown must not crash. */
    *(liveness_status *)out = liveness_virtual_clock_install();
    return NULL;
}

TEST(a_thread_may_exit_with_its_virtual_clock_installed) {
    liveness_status seen = LIVENESS_INTERNAL;
    pthread_t t;
    EXPECT(pthread_create(&t, NULL, install_and_exit, &seen) == 0);
    pthread_join(t, NULL);
    EXPECT(seen == LIVENESS_OK);
}

RUN_TESTS()
