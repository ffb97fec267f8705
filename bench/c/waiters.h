/* The ways a C test can wait for a condition: liveness through its C ABI, and the hand-written
 * nanosleep loops people write instead (C has no widely used polling library for tests). */
#ifndef BENCH_WAITERS_H
#define BENCH_WAITERS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "params.h"

/* The event the overshoot setter emits and the wake-hint waiter names in wake_on. */
#define WAKE_EVENT "bench.ready"

typedef enum {
    WAITER_LIVENESS,  /* liveness_eventually with liveness_options_default() */
    WAITER_WAKE_HINT, /* the same, with wake_on = {WAKE_EVENT}: the system under test emits */
    WAITER_HAND_LOOP, /* while (!p()) nanosleep(period) with a deadline check */
    WAITER_PUSH,      /* the floor: pthread_cond_timedwait until the system under test notifies */
} waiter_kind;

/* The floor's label (bench/README.md): one name in every harness. (The suite's other floor, the
 * sum of its delays, is computed by bench/report from bench/scenarios.json.) */
#define PUSH_LABEL "floor (push waiter)"
/* The delayed write's liveness waiter that watches the result file. */
#define WAKE_ON_PATH_LABEL "liveness + wake_on_path"

typedef struct {
    waiter_kind kind;
    double period_ms; /* WAITER_HAND_LOOP only */
    const char *label;
} waiter;

typedef enum {
    WAIT_HELD,      /* the probe passed */
    WAIT_TIMED_OUT, /* the timeout passed first */
    WAIT_FAILED,    /* the waiter itself failed (the reason is in `err`) */
} wait_outcome;

typedef bool (*probe_fn)(void *ctx);

/* The waiters of the overshoot scenario (its setter emits the wake hint's event and notifies the
 * push waiter right after the flip) and of the CPU scenario (nothing emits or notifies there: the
 * wake hint names an event that does not come, which is what a hint costs while the system under
 * test is still busy). */
#define WAITERS_ALL_LEN 5
extern const waiter *const WAITERS_ALL[WAITERS_ALL_LEN];
/* The suite's: its singleton emits no event, but its shutdown thread notifies the push waiter. */
#define WAITERS_SUITE_LEN 4
extern const waiter *const WAITERS_SUITE[WAITERS_SUITE_LEN];

/* What a system under test calls right after it changes state: wakes every push waiter. */
void push_notify(void);

/* Waits until probe(ctx) holds or `timeout_s` passes. */
wait_outcome waiter_wait_until(const waiter *w, probe_fn probe, void *ctx, double timeout_s, char *err,
                               size_t errlen);

/* liveness_eventually with the defaults and `timeout_s`; `wake_on` as given, and `wake_on_path`
 * watched when not NULL. */
wait_outcome liveness_wait(probe_fn probe, void *ctx, double timeout_s, const char *const *wake_on,
                           size_t wake_on_len, const char *wake_on_path, char *err, size_t errlen);

/* The label of the suite's sleep variant, "sleep <sleep_ms> ms". */
const char *sleep_label(const params *p);

/* The `libraries` entry of the results file: what each label stands for. */
cJSON *waiters_describe(const params *p);

#endif
