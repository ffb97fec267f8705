/* Concurrency (issue 19): N waits at once in one process, each on its own pthread with the
 * blocking API (liveness_eventually or a nanosleep loop), all on one cheap probe that a setter
 * thread makes true at T. Per cell: process CPU from the start of the waits to the last one
 * returning, and the overshoot of each wait (flip -> its return) as p50 / p99 / max. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failures.h"
#include "scenarios.h"
#include "stats.h"
#include "timing.h"
#include "waiters.h"

static const waiter LIVENESS = {WAITER_LIVENESS, 0, "liveness"};
static const waiter HAND_1MS = {WAITER_HAND_LOOP, 1, "hand loop 1 ms"};
static const waiter HAND_50MS = {WAITER_HAND_LOOP, 50, "hand loop 50 ms"};
static const waiter *const WAITERS[] = {&LIVENESS, &HAND_1MS, &HAND_50MS};

typedef struct {
    const waiter *w;
    double ready_ms, timeout_s;
    pthread_barrier_t start; /* the waits, the setter and the measuring thread */
    atomic_bool flag;
    int64_t flipped_ns;
} cell_ctx;

typedef struct {
    cell_ctx *cell;
    int64_t returned_ns;
    wait_outcome outcome;
    char err[256];
} wait_slot;

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool flag_set(void *ctx) {
    return atomic_load(&((cell_ctx *)ctx)->flag);
}

static void *one_wait(void *arg) {
    wait_slot *s = arg;
    pthread_barrier_wait(&s->cell->start);
    s->outcome = waiter_wait_until(s->cell->w, flag_set, s->cell, s->cell->timeout_s, s->err, sizeof s->err);
    s->returned_ns = mono_ns();
    return NULL;
}

static void *setter(void *arg) {
    cell_ctx *c = arg;
    pthread_barrier_wait(&c->start);
    sleep_ms(c->ready_ms); /* the system under test becomes ready at T */
    c->flipped_ns = mono_ns();
    atomic_store(&c->flag, true);
    return NULL;
}

/* One cell: `n` waits at once; false (with the reason in `err`) when a wait failed or timed out. */
static bool run_cell(const waiter *w, size_t n, double ready_ms, double timeout_s, cJSON *record, char *err,
                     size_t errlen) {
    cell_ctx c = {.w = w, .ready_ms = ready_ms, .timeout_s = timeout_s};
    atomic_init(&c.flag, false);
    wait_slot *slots = calloc(n, sizeof *slots);
    pthread_t *threads = calloc(n, sizeof *threads);
    double *over = calloc(n, sizeof *over);
    bool ok = slots && threads && over && pthread_barrier_init(&c.start, NULL, (unsigned)n + 2) == 0;
    if (!ok) {
        snprintf(err, errlen, "out of memory for %zu waits", n);
        free(slots), free(threads), free(over);
        return false;
    }
    pthread_t set_thread;
    size_t started = 0;
    for (; started < n; started++) {
        slots[started].cell = &c;
        if (pthread_create(&threads[started], NULL, one_wait, &slots[started]) != 0) {
            break;
        }
    }
    if (started < n || pthread_create(&set_thread, NULL, setter, &c) != 0) {
        /* The barrier can never fill: a half-started cell cannot be unwound; stop the run. */
        fprintf(stderr, "concurrency: cannot start %zu threads\n", n + 1);
        exit(1);
    }
    int64_t cpu0 = process_cpu_ns();
    pthread_barrier_wait(&c.start);
    for (size_t i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
    }
    int64_t cpu = process_cpu_ns() - cpu0;
    pthread_join(set_thread, NULL);
    pthread_barrier_destroy(&c.start);
    size_t timed_out = 0;
    for (size_t i = 0; i < n && ok; i++) {
        if (slots[i].outcome == WAIT_FAILED) {
            snprintf(err, errlen, "%s", slots[i].err);
            ok = false;
        }
        timed_out += slots[i].outcome == WAIT_TIMED_OUT;
        double ms = (double)(slots[i].returned_ns - c.flipped_ns) / 1e6;
        over[i] = ms > 0 ? ms : 0;
    }
    if (ok && timed_out) {
        snprintf(err, errlen, "%zu of %zu waits timed out after %g s", timed_out, n, timeout_s);
        ok = false;
    }
    if (ok) {
        qsort(over, n, sizeof *over, by_value);
        cJSON_AddNumberToObject(record, "cpu_ms", (double)cpu / 1e6);
        cJSON_AddNumberToObject(record, "overshoot_p50_ms", stats_percentile(over, n, 50));
        cJSON_AddNumberToObject(record, "overshoot_p99_ms", stats_percentile(over, n, 99));
        cJSON_AddNumberToObject(record, "overshoot_max_ms", over[n - 1]);
        cJSON_AddNumberToObject(record, "timed_out", 0);
    }
    free(slots), free(threads), free(over);
    return ok;
}

void concurrency_run(const params *p, cJSON *records) {
    const concurrency_params *cp = &p->concurrency;
    /* The thread driver's counts: those up to thread_max_n, and the cap when more is listed. */
    uint64_t counts[PARAMS_MAX_CELLS + 1];
    size_t cells = 0;
    bool capped = false;
    for (size_t i = 0; i < cp->n_len; i++) {
        if (cp->n[i] <= cp->thread_max_n) {
            counts[cells++] = cp->n[i];
        } else {
            capped = true;
        }
    }
    if (capped) {
        counts[cells++] = cp->thread_max_n;
    }
    printf("\nconcurrency (N waits at once on threads, true after ~%g ms; per N: CPU ms / overshoot p50 / max ms)\n",
           cp->ready_ms);
    printf("  %-24s", "waiter");
    for (size_t i = 0; i < cells; i++) {
        char head[32];
        snprintf(head, sizeof head, "N = %llu", (unsigned long long)counts[i]);
        printf(" %27s", head);
    }
    printf("\n");
    for (size_t wi = 0; wi < sizeof WAITERS / sizeof *WAITERS; wi++) {
        const waiter *w = WAITERS[wi];
        printf("  %-24s", w->label);
        fflush(stdout);
        for (size_t i = 0; i < cells; i++) {
            /* Cell i (from 1) flips at T x (1 + frac(i x phase)): over [T, 2T), off any fixed period. */
            double ready_ms = cp->ready_ms * (1.0 + fmod((double)(i + 1) * p->overshoot.phase_step, 1.0));
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "scenario", "concurrency");
            cJSON_AddStringToObject(r, "library", w->label);
            cJSON_AddStringToObject(r, "driver", "threads");
            cJSON_AddNumberToObject(r, "n", (double)counts[i]);
            cJSON_AddNumberToObject(r, "ready_ms", ready_ms);
            char err[512] = "";
            if (!run_cell(w, (size_t)counts[i], ready_ms, cp->wait_timeout_s, r, err, sizeof err)) {
                cJSON_Delete(r);
                printf("\n");
                failure("concurrency", w->label, "N = %llu: %s", (unsigned long long)counts[i], err);
                break;
            }
            printf(" %7.0f / %7.2f / %7.2f", cJSON_GetObjectItem(r, "cpu_ms")->valuedouble,
                   cJSON_GetObjectItem(r, "overshoot_p50_ms")->valuedouble,
                   cJSON_GetObjectItem(r, "overshoot_max_ms")->valuedouble);
            fflush(stdout);
            cJSON_AddItemToArray(records, r);
        }
        printf("\n");
    }
}
