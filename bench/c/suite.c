/* Suite time: seed 004's experiment. Each test restarts a registered singleton whose previous
 * instance shuts down asynchronously, waiting for the name to be free with sleep(50 ms) or with a
 * polling waiter. Wall time and failures per run, idle and with the other cores busy. */
#include <stdio.h>
#include <string.h>

#include "failures.h"
#include "hog.h"
#include "liveness.h"
#include "scenarios.h"
#include "singleton.h"
#include "timing.h"
#include "waiters.h"

#define NAME "bench-adder"

/* A way to start test i's adder: the plain sleep (waiter NULL) or a polling waiter. */
typedef struct {
    const waiter *waiter;
    const char *label;
} way;

typedef struct {
    uint64_t shutdown_ms;
    adder adder;
    bool started;
} start_attempt;

static bool try_start(void *ctx) {
    start_attempt *s = ctx;
    s->started = adder_start(NAME, s->shutdown_ms, &s->adder);
    return s->started;
}

static bool name_free(void *ctx) {
    (void)ctx;
    return !adder_is_registered(NAME);
}

/* One run of the suite: wall seconds, tests run and failed tests; false when the waiter itself
 * failed. The run stops after the test that passes the mode's run budget. */
static bool one_run(const way *w, const params *p, double *wall_s, uint64_t *tests, uint64_t *failures, char *err,
                    size_t errlen) {
    int64_t start = mono_ns();
    *failures = 0;
    *tests = 0;
    for (uint64_t i = 0; i < p->suite.tests; i++) {
        if ((double)(mono_ns() - start) / 1e9 > p->suite.run_budget_s) {
            break;
        }
        ++*tests;
        start_attempt s = {.shutdown_ms = params_shutdown_ms(p, i), .started = false};
        if (!w->waiter) {
            sleep_ms((double)p->shutdowns.sleep_ms); /* the "before" being measured, not a wait of ours */
            try_start(&s);
        } else if (waiter_wait_until(w->waiter, try_start, &s, p->shutdowns.wait_timeout_s, err, errlen) ==
                   WAIT_FAILED) {
            return false;
        }
        if (!s.started) {
            ++*failures;
            continue;
        }
        if (adder_add(&s.adder, 2, 3) != 5) {
            snprintf(err, errlen, "the adder added 2 + 3 wrong");
            return false;
        }
        adder_stop(&s.adder); /* starts the asynchronous shutdown */
    }
    *wall_s = (double)(mono_ns() - start) / 1e9;
    return true;
}

static void run_load(const params *p, const char *load, const way *ways, size_t n_ways, cJSON *records) {
    for (size_t k = 0; k < n_ways; k++) {
        const way *w = &ways[k];
        char err[1024] = "";
        /* The first test of a run must not inherit a name still taken by the previous run. */
        if (liveness_wait(name_free, NULL, p->shutdowns.wait_timeout_s, NULL, 0, NULL, err, sizeof err) != WAIT_HELD) {
            failure("suite", w->label, "the name stayed taken before the run %s", err);
            continue;
        }
        printf("  %-5s %-24s", load, w->label);
        fflush(stdout);
        for (uint64_t run = 0; run < p->suite.runs; run++) {
            double wall = 0;
            uint64_t failed = 0, tests = 0;
            if (!one_run(w, p, &wall, &tests, &failed, err, sizeof err)) {
                printf("\n");
                failure("suite", w->label, "%s load, run %llu: %s", load, (unsigned long long)run, err);
                break;
            }
            printf(" %7.2f s %3llu failed", wall, (unsigned long long)failed);
            if (tests < p->suite.tests) {
                printf(" (%llu tests: budget)", (unsigned long long)tests);
            }
            fflush(stdout);
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "scenario", "suite");
            cJSON_AddStringToObject(r, "library", w->label);
            cJSON_AddStringToObject(r, "load", load);
            cJSON_AddNumberToObject(r, "run", (double)run);
            cJSON_AddNumberToObject(r, "tests", (double)tests);
            cJSON_AddNumberToObject(r, "suite_tests", (double)p->suite.tests);
            cJSON_AddNumberToObject(r, "wall_s", wall);
            cJSON_AddNumberToObject(r, "failures", (double)failed);
            cJSON_AddItemToArray(records, r);
        }
        printf("\n");
    }
}

void suite_run(const params *p, cJSON *records) {
    way ways[1 + WAITERS_SUITE_LEN] = {{NULL, sleep_label(p)}};
    for (size_t i = 0; i < WAITERS_SUITE_LEN; i++) {
        ways[1 + i] = (way){WAITERS_SUITE[i], WAITERS_SUITE[i]->label};
    }
    size_t n_ways = sizeof ways / sizeof ways[0];
    printf("\nsuite time (%llu tests per run; wall s and failed tests per run)\n", (unsigned long long)p->suite.tests);
    for (size_t l = 0; l < p->suite.n_loads; l++) {
        const char *load = p->suite.loads[l];
        static hog h; /* large: static, not on the stack */
        bool hogging = strcmp(load, "hog") == 0;
        if (hogging) {
            char err[512] = "";
            if (!hog_start(&h, p, err, sizeof err)) {
                for (size_t k = 0; k < n_ways; k++) {
                    failure("suite", ways[k].label, "could not start the CPU hog: %s", err);
                }
                continue;
            }
        }
        run_load(p, load, ways, n_ways, records);
        if (hogging) {
            hog_stop(&h);
        }
    }
}
