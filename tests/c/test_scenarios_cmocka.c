/*
 * The seeds' scenarios with cmocka: liveness.h drops into an existing C test framework.
 * Only rule: assert with cmocka *outside* probes. A probe returns true/false (and says why with
 * liveness_probe_fail()); a cmocka assert inside a probe would longjmp through liveness.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <liveness.h>
#include <string.h>

#include "support/services.h"

/* Fails the cmocka test with liveness's own report (the timeout text, the listed events). */
#define assert_liveness(call, expected)                                                            \
    do {                                                                                           \
        liveness_status s_ = (call);                                                               \
        if (s_ != (expected))                                                                      \
            fail_msg("%s returned %s: %s", #call, liveness_status_name(s_),                        \
                     liveness_last_error_message());                                               \
    } while (0)
#define assert_liveness_ok(call) assert_liveness(call, LIVENESS_OK)

/* ---- restart race (seed 004) ---- */

static int adder_setup(void **state) {
    static adder_service s;
    adder_service_init(&s, 11);
    *state = &s;
    return 0;
}

static int adder_teardown(void **state) {
    return adder_service_destroy(*state) == LIVENESS_OK ? 0 : -1;
}

static bool started(void *s) {
    return adder_start(s) || liveness_probe_fail("already started: the previous adder is still terminating");
}

static void restart_race_100_tests(void **state) {
    adder_service *s = *state;
    for (int n = 1; n <= 100; n++) {
        assert_liveness_ok(liveness_eventually(started, s, NULL));
        assert_int_equal(adder_add(s, n, 0), n);
        adder_stop_async(s);
    }
}

/* ---- delayed file write (seed 004) ---- */

static bool file_holds_3(void *job) {
    char buf[32];
    if (!addition_job_read(job, buf, sizeof buf)) return liveness_probe_fail("cannot read the file");
    return strcmp(buf, "3") == 0 || liveness_probe_fail("the file does not hold 3 yet");
}

static void delayed_file_write(void **state) {
    (void)state;
    addition_job job;
    assert_true(addition_job_schedule(&job, 1, 2, 30));
    assert_liveness_ok(liveness_eventually(file_holds_3, &job, NULL));
    assert_liveness_ok(addition_job_destroy(&job));
}

/* ---- circuit breaker (seed 000) ---- */

static int breaker_setup(void **state) {
    static circuit_breaker b;
    breaker_init(&b, "payments", 3);
    *state = &b;
    return 0;
}

static int breaker_teardown(void **state) {
    return breaker_destroy(*state) == LIVENESS_OK ? 0 : -1;
}

static void trip(void *b) {
    for (int i = 0; i < 3; i++) breaker_record_failure(b);
}

static void circuit_opens_after_3_failures(void **state) {
    circuit_breaker *b = *state;
    assert_liveness_ok(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\"}", 1, trip, b));
    assert_int_equal(breaker_status(b), BREAKER_OPEN);
}

static bool cast_three(void *b) {
    for (int i = 0; i < 3; i++) breaker_record_failure_async(b);
    return true;
}

static bool is_open(void *b) { /* open, and every cast processed (events emitted too) */
    if (!breaker_idle(b)) return liveness_probe_fail("still processing failures");
    return breaker_status(b) == BREAKER_OPEN || liveness_probe_fail("still closed");
}

static void trip_async(void *b) {
    liveness_sync_operation(cast_three, is_open, b, NULL);
}

static void circuit_opens_after_3_async_failures(void **state) {
    circuit_breaker *b = *state;
    assert_liveness_ok(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\"}", 1, trip_async, b));
    assert_int_equal(breaker_status(b), BREAKER_OPEN);
}

static void fail_once(void *b) {
    breaker_record_failure(b);
}

static void not_opening_is_reported_with_the_events(void **state) {
    circuit_breaker *b = *state; /* threshold 3: one failure does not open it */
    assert_liveness(liveness_assert_emitted("breaker.state_change", NULL, LIVENESS_ANY_COUNT,
                                            fail_once, b),
                    LIVENESS_EVENT_ASSERTION);
    assert_non_null(strstr(liveness_last_error_message(), "breaker.state_change"));
    assert_int_equal(breaker_status(b), BREAKER_CLOSED);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(restart_race_100_tests, adder_setup, adder_teardown),
        cmocka_unit_test(delayed_file_write),
        cmocka_unit_test_setup_teardown(circuit_opens_after_3_failures, breaker_setup, breaker_teardown),
        cmocka_unit_test_setup_teardown(circuit_opens_after_3_async_failures, breaker_setup, breaker_teardown),
        cmocka_unit_test_setup_teardown(not_opening_is_reported_with_the_events, breaker_setup, breaker_teardown),
    };
    return cmocka_run_group_tests_name("liveness scenarios (cmocka)", tests, NULL, NULL);
}
