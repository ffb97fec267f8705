/*
 * The C rows of `make demo`: the seeds' scenarios with the seeds' fixed sleeps ("before") and
 * with liveness ("after"), printed as JSON lines (target/demo/c.jsonl). Failures are counted,
 * not raised, so one run shows both the time and the flakiness. Mirrors the Rust rows
 * (examples/src/demo/scenarios.rs): same scenarios, same names, same sleeps.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "support/services.h"

#define TESTS 100
#define WRITES 10

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t xorshift = 0x9E3779B97F4A7C15ull;

/* Like the seed's terminate: usually 1-8 ms, one in 25 takes 30 ms; `slowdown` stretches it all,
 * as on an overloaded CI machine. */
static int shutdown_ms(int slowdown) {
    xorshift ^= xorshift << 13;
    xorshift ^= xorshift >> 7;
    xorshift ^= xorshift << 17;
    int ms = xorshift % 25 == 0 ? 30 : 1 + (int)(xorshift % 8);
    return ms * slowdown;
}

static void row(const char *scenario, int sleep_ms, double wall_ms, int failures, int runs) {
    char variant[32];
    if (sleep_ms > 0) snprintf(variant, sizeof variant, "sleep %d ms", sleep_ms);
    else snprintf(variant, sizeof variant, "liveness");
    printf("{\"binding\":\"c\",\"scenario\":\"%s\",\"variant\":\"%s\",\"wall_ms\":%.1f,\"failures\":%d,\"runs\":%d}\n",
           scenario, variant, wall_ms, failures, runs);
    fflush(stdout);
}

static bool started(void *s) {
    return adder_start(s) || liveness_probe_fail("already started");
}

/* sleep_ms 0 = wait with liveness. */
static void restart_race(const char *scenario, int sleep_ms, int slowdown) {
    adder_service s;
    adder_service_init(&s, 1);
    liveness_options opts = liveness_options_default();
    int failures = 0;
    double t0 = now_ms();
    for (int n = 0; n < TESTS; n++) {
        bool up;
        if (sleep_ms > 0) {
            simulated_delay_ms(sleep_ms); /* the "before" column: the seed's sleep */
            up = adder_start(&s);
        } else {
            up = liveness_eventually(started, &s, &opts) == LIVENESS_OK;
        }
        if (!up || adder_add(&s, n, 0) != n) {
            failures++;
            continue;
        }
        pthread_mutex_lock(&s.lock);
        s.shutdown_ms = shutdown_ms(slowdown);
        pthread_mutex_unlock(&s.lock);
        adder_stop_async(&s); /* the test ends; its adder stops asynchronously */
    }
    double wall = now_ms() - t0;
    adder_service_destroy(&s);
    row(scenario, sleep_ms, wall, failures, TESTS);
}

static bool holds_3(void *job) {
    char buf[32];
    return (addition_job_read(job, buf, sizeof buf) && strcmp(buf, "3") == 0) || liveness_probe_fail("not yet");
}

static void delayed_write(const char *scenario, int sleep_ms, int flush_ms) {
    static addition_job jobs[WRITES];
    int failures = 0;
    double t0 = now_ms();
    for (int i = 0; i < WRITES; i++) {
        if (!addition_job_schedule(&jobs[i], 1, 2, flush_ms)) {
            failures++;
            continue;
        }
        bool ok;
        if (sleep_ms > 0) {
            simulated_delay_ms(sleep_ms); /* the "before" column: the seed's sleep */
            char buf[32];
            ok = addition_job_read(&jobs[i], buf, sizeof buf) && strcmp(buf, "3") == 0;
        } else {
            ok = liveness_eventually(holds_3, &jobs[i], NULL) == LIVENESS_OK;
        }
        failures += !ok;
    }
    double wall = now_ms() - t0;
    for (int i = 0; i < WRITES; i++) addition_job_destroy(&jobs[i]); /* outside the timing */
    row(scenario, sleep_ms, wall, failures, WRITES);
}

int main(void) {
    const char *races[] = {"restart race, 100 tests", "restart race, 100 tests, loaded (×3 slower)"};
    const int slowdowns[] = {1, 3};
    for (int r = 0; r < 2; r++) {
        restart_race(races[r], 10, slowdowns[r]);
        restart_race(races[r], 50, slowdowns[r]);
        restart_race(races[r], 0, slowdowns[r]);
    }
    const char *writes[] = {"delayed write, flush 50 ms", "delayed write after spec change, flush 75 ms"};
    const int flushes[] = {50, 75};
    for (int w = 0; w < 2; w++) {
        delayed_write(writes[w], 60, flushes[w]);
        delayed_write(writes[w], 0, flushes[w]);
    }
    return 0;
}
