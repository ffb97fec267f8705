/* Cost of one poller decision cycle (next + started + raised) through the C ABI, in virtual time:
 * the engine every binding drives, without any waiting or host calls. */
#include <stdio.h>

#include "failures.h"
#include "liveness.h"
#include "scenarios.h"
#include "timing.h"

void poller_run(const params *p, cJSON *records) {
    uint64_t n = p->eval.evaluations;
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = 1e9; /* far away: the cycle never ends */
    liveness_poller *poller = NULL;
    liveness_status st = liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &opts, &poller);
    if (st != LIVENESS_OK) {
        failure("poller_cycle", "liveness", "liveness_poller_new returned %s: %s", liveness_status_name((int32_t)st),
                liveness_last_error_message());
        return;
    }
    double now = 0;
    uint64_t cycles = 0, bad = 0;
    int64_t start = mono_ns();
    while (cycles < n && bad == 0) {
        liveness_step step = {.kind = LIVENESS_STEP_DONE};
        bad += liveness_poller_next(poller, now, &step) != LIVENESS_OK;
        switch (step.kind) {
        case LIVENESS_STEP_EVALUATE:
            bad += liveness_poller_started(poller, now, NULL) != LIVENESS_OK;
            now += 0.01;
            bad += liveness_poller_raised(poller, now, "E", "not yet") != LIVENESS_OK;
            cycles++;
            break;
        case LIVENESS_STEP_WAIT:
            now += step.wait_ms;
            break;
        case LIVENESS_STEP_YIELD: /* nothing else runs here: ask again */
        case LIVENESS_STEP_PREPARE: /* eventually has no preparation */
            break;
        case LIVENESS_STEP_DONE:
            bad++; /* the deadline is far away */
            break;
        }
    }
    double ns = (double)(mono_ns() - start) / (double)(cycles ? cycles : 1);
    liveness_poller_free(poller);
    if (bad) {
        failure("poller_cycle", "liveness", "the poller failed or ended after %llu cycles: %s",
                (unsigned long long)cycles, liveness_last_error_message());
        return;
    }
    printf("\npoller: %.1f ns per evaluation cycle (next + started + raised, same failure each time)\n", ns);
    fflush(stdout);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "scenario", "poller_cycle");
    cJSON_AddStringToObject(r, "library", "liveness");
    cJSON_AddNumberToObject(r, "cycle_ns", ns);
    cJSON_AddItemToArray(records, r);
}
