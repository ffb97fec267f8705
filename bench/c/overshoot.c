/* Overshoot: another thread makes the condition true at t; how long after that does the wait
 * return? Measured from the instant the setter flips the condition. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failures.h"
#include "liveness.h"
#include "scenarios.h"
#include "stats.h"
#include "timing.h"
#include "waiters.h"

/* A trial's wait that has not returned after this long is a broken waiter. */
#define TRIAL_TIMEOUT_S 30.0

typedef struct {
    double ready_ms;
    bool emit_hint;
    bool notify_push;
    atomic_bool flag;
    int64_t set_at_ns;
    liveness_status emit_status;
} trial_ctx;

static void *setter(void *arg) {
    trial_ctx *t = arg;
    sleep_ms(t->ready_ms); /* the system under test becomes ready at t */
    t->set_at_ns = mono_ns();
    atomic_store(&t->flag, true);
    if (t->emit_hint) {
        t->emit_status = liveness_emit(WAKE_EVENT, NULL, NULL, 0, NULL);
    }
    if (t->notify_push) {
        push_notify();
    }
    return NULL;
}

static bool flag_set(void *ctx) {
    return atomic_load(&((trial_ctx *)ctx)->flag);
}

/* One trial: the time from the condition becoming true to the wait returning, in `*out_ms`. */
static bool trial(const waiter *w, double ready_ms, double *out_ms, char *err, size_t errlen) {
    trial_ctx t = {.ready_ms = ready_ms,
                   .emit_hint = w->kind == WAITER_WAKE_HINT,
                   .notify_push = w->kind == WAITER_PUSH,
                   .emit_status = LIVENESS_OK};
    atomic_init(&t.flag, false);
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, setter, &t);
    if (rc != 0) {
        snprintf(err, errlen, "pthread_create: %s", strerror(rc));
        return false;
    }
    wait_outcome outcome = waiter_wait_until(w, flag_set, &t, TRIAL_TIMEOUT_S, err, errlen);
    int64_t returned = mono_ns();
    pthread_join(thread, NULL);
    if (outcome == WAIT_TIMED_OUT) {
        snprintf(err, errlen, "the condition came true but the wait timed out after %.0f s", TRIAL_TIMEOUT_S);
    }
    if (outcome != WAIT_HELD) {
        return false;
    }
    if (t.emit_status != LIVENESS_OK) {
        snprintf(err, errlen, "liveness_emit(\"%s\") returned %s", WAKE_EVENT,
                 liveness_status_name((int32_t)t.emit_status));
        return false;
    }
    double ms = (double)(returned - t.set_at_ns) / 1e6;
    *out_ms = ms > 0 ? ms : 0;
    return true;
}

void overshoot_run(const params *p, cJSON *records) {
    const overshoot_params *o = &p->overshoot;
    printf("\novershoot (ms from 'condition true' to 'wait returned'; p50 / p99)\n");
    printf("  %-24s", "waiter");
    for (size_t c = 0; c < o->cells; c++) {
        char head[32];
        snprintf(head, sizeof head, "ready at %llu ms", (unsigned long long)o->ready_ms[c]);
        printf(" %18s", head);
    }
    printf("\n");
    for (size_t wi = 0; wi < WAITERS_ALL_LEN; wi++) {
        const waiter *w = WAITERS_ALL[wi];
        printf("  %-24s", w->label);
        fflush(stdout);
        for (size_t c = 0; c < o->cells; c++) {
            size_t reps = (size_t)o->reps[c];
            double *samples = malloc((reps ? reps : 1) * sizeof *samples);
            if (!samples) {
                failure("overshoot", w->label, "out of memory");
                break;
            }
            int64_t started = mono_ns();
            size_t n = 0;
            bool ok = true;
            char err[1024] = "";
            while (n < reps && (n < o->min_reps || (double)(mono_ns() - started) / 1e9 < o->cell_budget_s)) {
                /* Spread over [t, 2t): a period that divides t must not meet the condition on time. */
                double phase = fmod((double)n * o->phase_step, 1.0);
                if (!trial(w, (double)o->ready_ms[c] * (1.0 + phase), &samples[n], err, sizeof err)) {
                    ok = false;
                    break;
                }
                n++;
            }
            if (!ok) {
                free(samples);
                printf("\n");
                failure("overshoot", w->label, "ready at %llu ms: %s", (unsigned long long)o->ready_ms[c], err);
                break;
            }
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "scenario", "overshoot");
            cJSON_AddStringToObject(r, "library", w->label);
            cJSON_AddNumberToObject(r, "ready_ms", (double)o->ready_ms[c]);
            stats_summary(samples, n, r);
            free(samples);
            printf(" %8.3f / %7.3f", cJSON_GetObjectItem(r, "p50_ms")->valuedouble,
                   cJSON_GetObjectItem(r, "p99_ms")->valuedouble);
            fflush(stdout);
            cJSON_AddItemToArray(records, r);
        }
        printf("\n");
    }
}
