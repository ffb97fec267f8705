/* The seeds' scenarios, ported to C with real threads, in plain C with the suite's own harness.
 * (test_scenarios_cmocka.c and test_scenarios_gtest.cpp are the same with real frameworks.) */
#include "support/harness.h"
#include "support/services.h"

#include <stdatomic.h>
#include <time.h>

/* ---- seed 004, example 1: the restart race ----------------------------------------------- */

static bool started(void *p) {
    return adder_start(p) || liveness_probe_fail("already started: the previous adder is still terminating");
}

/* 100 "tests" in a row, each starting the singleton adder and stopping it on exit, as ExUnit
 * does. With a fixed sleep this is slow and still flaky; with eventually it is neither. */
TEST(restart_race_100_tests) {
    adder_service s;
    adder_service_init(&s, 4);
    for (int n = 1; n <= 100; n++) {
        EXPECT_OK(liveness_eventually(started, &s, NULL));
        EXPECT(adder_add(&s, n, 0) == n);
        adder_stop_async(&s); /* the test process exits; the server is still shutting down */
    }
    EXPECT_OK(adder_service_destroy(&s));
}

typedef struct {
    adder_service *s;
    atomic_bool baseline_taken;
} restart_case;

static bool read_generation(void *p, int64_t *value) {
    restart_case *c = p;
    *value = adder_generation(c->s);
    atomic_store(&c->baseline_taken, true);
    return true;
}

static bool baseline_taken(void *p) {
    restart_case *c = p;
    return atomic_load(&c->baseline_taken) || liveness_probe_fail("the test has not read the generation yet");
}

static bool restart_when_free(void *p) {
    restart_case *c = p;
    return adder_start(c->s) || liveness_probe_fail("not registered yet");
}

static void supervisor(void *p) {
    /* A supervisor that restarts the adder as soon as its name is free. It starts only once the
     * test has its baseline, so that the restart is always a change the test can see. */
    if (liveness_eventually(baseline_taken, p, NULL) == LIVENESS_OK) liveness_eventually(restart_when_free, p, NULL);
}

/* Waiting for a restarted process: the registered generation (its "pid") changes. */
TEST(restart_is_seen_as_a_changed_generation) {
    adder_service s;
    adder_service_init(&s, 9);
    EXPECT(adder_start(&s));
    int64_t before = adder_generation(&s), after = 0;
    adder_stop_async(&s);
    restart_case c = {&s, false};
    worker sup;
    EXPECT(worker_start(&sup, supervisor, &c));
    EXPECT_OK(liveness_eventually_changes(read_generation, &c, NULL, &after));
    EXPECT(after == before + 1);
    EXPECT(adder_add(&s, 2, 3) == 5);
    EXPECT_OK(worker_join(&sup));
    adder_stop_async(&s);
    EXPECT_OK(adder_service_destroy(&s));
}

/* ---- seed 004, example 3: the delayed file write ----------------------------------------- */

static bool file_holds_3(void *p) {
    char buf[32];
    if (!addition_job_read(p, buf, sizeof buf)) return liveness_probe_fail("cannot read the output file");
    if (strcmp(buf, "3") != 0) {
        char why[64];
        snprintf(why, sizeof why, "file holds '%s', expected '3'", buf);
        return liveness_probe_fail(why);
    }
    return true;
}

TEST(delayed_file_write) {
    addition_job job;
    EXPECT(addition_job_schedule(&job, 1, 2, 30));
    liveness_options o = liveness_options_default();
    o.message = "file holds 3";
    EXPECT_OK(liveness_eventually(file_holds_3, &job, &o));
    EXPECT_OK(addition_job_destroy(&job));
}

/* The flush delay grows from 30 to 75 ms: a fixed sleep sized for the old delay would now fail,
 * the eventual assertion keeps working unchanged. */
TEST(delayed_file_write_survives_a_longer_flush) {
    addition_job job;
    EXPECT(addition_job_schedule(&job, 1, 2, 75));
    EXPECT_OK(liveness_eventually(file_holds_3, &job, NULL));
    EXPECT_OK(addition_job_destroy(&job));
}

/* ---- seed 000: the circuit breaker and assert_emitted ------------------------------------ */

static void trip(void *p) {
    for (int i = 0; i < 3; i++) breaker_record_failure(p); /* the synchronous test API */
}

TEST(circuit_breaker_opens_after_3_failures) {
    circuit_breaker b;
    breaker_init(&b, "payments", 3);
    EXPECT_OK(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\",\"breaker\":\"payments\"}", 1,
                                      trip, &b));
    EXPECT(breaker_status(&b) == BREAKER_OPEN); /* the state is guaranteed now */
    EXPECT_OK(breaker_destroy(&b));
}

static bool cast_three(void *p) {
    for (int i = 0; i < 3; i++) breaker_record_failure_async(p); /* fire and forget */
    return true;
}

/* Open *and* done processing the casts: the state flips before the event is emitted, so waiting
 * for the state alone could end the block before the event. */
static bool is_open(void *p) {
    if (!breaker_idle(p)) return liveness_probe_fail("the breaker is still processing failures");
    return breaker_status(p) == BREAKER_OPEN || liveness_probe_fail("the breaker is still closed");
}

static void trip_async(void *p) {
    liveness_sync_operation(cast_three, is_open, p, NULL);
}

/* The fire-and-forget path: sync_operation turns it into a synchronous helper, and the event
 * assertion wraps that helper (verification, not synchronisation). */
TEST(circuit_breaker_opens_after_3_async_failures) {
    circuit_breaker b;
    breaker_init(&b, "search", 3);
    EXPECT_OK(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\"}", 1, trip_async, &b));
    EXPECT(breaker_status(&b) == BREAKER_OPEN);
    EXPECT_OK(breaker_destroy(&b));
}

static double elapsed_ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The mailbox: one worker records the fire-and-forget failures one after another, each taking its
 * latency, so tripping the breaker takes at least threshold x latency (the demo's breaker relies
 * on it: delay_ms(i) in all). Workers running side by side would take one latency. A lower bound
 * from the simulated delay only: no speed is asserted. */
TEST(a_breakers_fire_and_forget_failures_are_processed_one_after_another) {
    circuit_breaker b;
    breaker_init(&b, "mailbox", 3);
    breaker_set_latency_us(&b, 20000);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT_OK(liveness_assert_emitted("breaker.state_change", "{\"breaker\":\"mailbox\",\"to\":\"open\"}", 1,
                                      trip_async, &b));
    double took_ms = elapsed_ms_since(&t0);
    EXPECT(took_ms >= 60.0);
    EXPECT(breaker_idle(&b));
    EXPECT_OK(breaker_destroy(&b));
}

static bool succeed(void *ctx) {
    (void)ctx;
    return true;
}

static void call_once(void *p) {
    breaker_call(p, succeed, NULL);
}

TEST(circuit_breaker_call_success_is_emitted) {
    circuit_breaker b;
    breaker_init(&b, "users", 3);
    EXPECT_OK(liveness_assert_emitted("breaker.call_success", "{\"breaker\":\"users\"}", LIVENESS_ANY_COUNT,
                                      call_once, &b));
    EXPECT_OK(breaker_destroy(&b));
}

TEST(an_open_circuit_breaker_rejects_calls) {
    circuit_breaker b;
    breaker_init(&b, "users", 1);
    breaker_record_failure(&b);
    EXPECT_OK(liveness_assert_not_emitted("breaker.call_success", NULL, call_once, &b));
    const char *order[] = {"breaker.call_rejected"};
    EXPECT_OK(liveness_assert_emitted_in_order(order, 1, call_once, &b));
    EXPECT_OK(breaker_destroy(&b));
}

RUN_TESTS()
