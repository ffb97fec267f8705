/* Evaluation overhead: evaluations per second of a trivial probe at interval 0, liveness against
 * a hand-written loop: what the engine costs when waiting is not the cost. */
#include <stdio.h>

#include "failures.h"
#include "liveness.h"
#include "scenarios.h"
#include "timing.h"

/* Only the budget ends a run early; the timeout is a backstop for a waiter that ignores the
 * probe's answer. */
#define TIMEOUT_S 60.0
/* The probe reads the clock once every this many calls, so the budget check costs next to nothing. */
#define CLOCK_EVERY 1024

/* A probe that holds on its n-th call, or earlier once the deadline passed. */
typedef struct {
    uint64_t n;
    uint64_t calls;
    int64_t deadline_ns;
} counter;

static bool count_call(void *ctx) {
    counter *c = ctx;
    c->calls++;
    return c->calls >= c->n || (c->calls % CLOCK_EVERY == 0 && mono_ns() >= c->deadline_ns);
}

typedef bool (*run_fn)(counter *c, char *err, size_t errlen);

static bool with_liveness(counter *c, char *err, size_t errlen) {
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = TIMEOUT_S * 1000.0;
    /* Interval 0 in the C ABI: interval_ms = 0 means adaptive, so clamp the adaptive period to 0. */
    opts.min_interval_ms = 0;
    opts.max_interval_ms = 0;
    liveness_status st = liveness_eventually(count_call, c, &opts);
    if (st != LIVENESS_OK) {
        snprintf(err, errlen, "liveness_eventually returned %s: %s", liveness_status_name((int32_t)st),
                 liveness_last_error_message());
        return false;
    }
    return true;
}

static bool with_hand_loop(counter *c, char *err, size_t errlen) {
    int64_t deadline = mono_ns() + (int64_t)(TIMEOUT_S * 1e9);
    while (!count_call(c)) {
        if (mono_ns() >= deadline) {
            snprintf(err, errlen, "timed out");
            return false;
        }
    }
    return true;
}

/* Best evaluations per second over the repeats (and that run's evaluations); the repeats stop once
 * the waiter used `budget_s`, and a run stops at the budget too. */
static bool measure(const params *p, run_fn run, double *rate, uint64_t *evaluations, char *err, size_t errlen) {
    const eval_params *e = &p->eval;
    int64_t started = mono_ns();
    *rate = 0;
    *evaluations = 0;
    for (uint64_t i = 0; i < (e->repeats ? e->repeats : 1); i++) {
        counter c = {e->evaluations, 0, started + (int64_t)(e->budget_s * 1e9)};
        int64_t t0 = mono_ns();
        if (!run(&c, err, errlen)) {
            return false;
        }
        double r = (double)c.calls / ((double)(mono_ns() - t0) / 1e9);
        if (r > *rate) {
            *rate = r;
            *evaluations = c.calls;
        }
        if ((double)(mono_ns() - started) / 1e9 >= e->budget_s) {
            break;
        }
    }
    return true;
}

static void record(cJSON *records, const char *library, double rate, uint64_t n) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "scenario", "eval_overhead");
    cJSON_AddStringToObject(r, "library", library);
    cJSON_AddNumberToObject(r, "interval_s", 0.0);
    cJSON_AddNumberToObject(r, "evaluations", (double)n);
    cJSON_AddNumberToObject(r, "evals_per_s", rate);
    cJSON_AddItemToArray(records, r);
}

void eval_overhead_run(const params *p, cJSON *records) {
    char err[1024] = "";
    double live = 0, hand = 0;
    uint64_t live_n = 0, hand_n = 0;
    bool live_ok = measure(p, with_liveness, &live, &live_n, err, sizeof err);
    if (!live_ok) {
        failure("eval_overhead", "liveness", "%s", err);
    }
    bool hand_ok = measure(p, with_hand_loop, &hand, &hand_n, err, sizeof err);
    if (!hand_ok) {
        failure("eval_overhead", "hand loop", "%s", err);
    }
    printf("\nevaluation overhead (interval 0, up to %llu evaluations of a trivial probe, budget %g s; "
           "evaluations per second)\n",
           (unsigned long long)p->eval.evaluations, p->eval.budget_s);
    if (live_ok) {
        printf("  %-24s %14.0f   (%llu evaluations", "liveness", live, (unsigned long long)live_n);
        if (hand_ok) {
            printf("; %.2f× the hand loop's time per evaluation", hand / live);
        }
        printf(")\n");
        record(records, "liveness", live, live_n);
    }
    if (hand_ok) {
        printf("  %-24s %14.0f   (%llu evaluations)\n", "hand loop", hand, (unsigned long long)hand_n);
        record(records, "hand loop", hand, hand_n);
    }
    fflush(stdout);
}
