/* CPU time per second of waiting on a cheap probe that never holds (the wait times out). */
#include <stdio.h>

#include "failures.h"
#include "scenarios.h"
#include "timing.h"
#include "waiters.h"

static bool never(void *ctx) {
    (void)ctx;
    return false;
}

void cpu_run(const params *p, cJSON *records) {
    printf("\ncpu while waiting (%g s on a cheap probe that never holds; ms of CPU per s)\n", p->cpu_wait_s);
    for (size_t i = 0; i < WAITERS_ALL_LEN; i++) {
        const waiter *w = WAITERS_ALL[i];
        char err[1024] = "";
        int64_t cpu0 = process_cpu_ns(), wall0 = mono_ns();
        wait_outcome outcome = waiter_wait_until(w, never, NULL, p->cpu_wait_s, err, sizeof err);
        double cpu_s = (double)(process_cpu_ns() - cpu0) / 1e9, wall_s = (double)(mono_ns() - wall0) / 1e9;
        if (outcome == WAIT_FAILED) {
            failure("cpu", w->label, "%s", err);
            continue;
        }
        if (outcome == WAIT_HELD) {
            failure("cpu", w->label, "a probe that never holds was reported as held");
            continue;
        }
        if (wall_s < p->cpu_wait_s * 0.95) {
            /* Clock granularity aside, a wait that gives up early measures something else. */
            failure("cpu", w->label, "gave up after %.3f s of a %g s timeout", wall_s, p->cpu_wait_s);
            continue;
        }
        double v = cpu_s * 1000.0 / wall_s;
        printf("  %-24s %8.2f\n", w->label, v);
        fflush(stdout);
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "scenario", "cpu");
        cJSON_AddStringToObject(r, "library", w->label);
        cJSON_AddNumberToObject(r, "wait_s", p->cpu_wait_s);
        cJSON_AddNumberToObject(r, "cpu_ms_per_s", v);
        cJSON_AddItemToArray(records, r);
    }
}
