#include "waiters.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "liveness.h"
#include "timing.h"

static const waiter LIVENESS_DEFAULTS = {WAITER_LIVENESS, 0, "liveness"};
static const waiter LIVENESS_WAKE_HINT = {WAITER_WAKE_HINT, 0, "liveness + wake hint"};
static const waiter HAND_LOOP_1MS = {WAITER_HAND_LOOP, 1, "hand loop 1 ms"};
static const waiter HAND_LOOP_10MS = {WAITER_HAND_LOOP, 10, "hand loop 10 ms"};
static const waiter PUSH_WAITER = {WAITER_PUSH, 0, PUSH_LABEL};

const waiter *const WAITERS_ALL[WAITERS_ALL_LEN] = {&LIVENESS_DEFAULTS, &LIVENESS_WAKE_HINT, &HAND_LOOP_1MS,
                                                   &HAND_LOOP_10MS, &PUSH_WAITER};
const waiter *const WAITERS_SUITE[WAITERS_SUITE_LEN] = {&LIVENESS_DEFAULTS, &HAND_LOOP_1MS, &HAND_LOOP_10MS,
                                                       &PUSH_WAITER};

/* The push waiter's condition variable (on CLOCK_MONOTONIC, like every deadline here) and a count
 * of notifications. */
static pthread_mutex_t push_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t push_cond;
static pthread_once_t push_once = PTHREAD_ONCE_INIT;
static uint64_t push_count;

static void push_init(void) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&push_cond, &attr);
    pthread_condattr_destroy(&attr);
}

void push_notify(void) {
    pthread_once(&push_once, push_init);
    pthread_mutex_lock(&push_lock);
    push_count++;
    pthread_cond_broadcast(&push_cond);
    pthread_mutex_unlock(&push_lock);
}

/* The probe is evaluated under the lock, so a notification that comes after a false evaluation
 * always ends the timed wait that follows it (no lost wake-up). */
static wait_outcome push_wait(probe_fn probe, void *ctx, double timeout_s) {
    pthread_once(&push_once, push_init);
    int64_t deadline = mono_ns() + (int64_t)(timeout_s * 1e9);
    struct timespec until = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
    wait_outcome outcome = WAIT_TIMED_OUT;
    pthread_mutex_lock(&push_lock);
    for (;;) {
        if (probe(ctx)) {
            outcome = WAIT_HELD;
            break;
        }
        if (mono_ns() >= deadline) {
            break;
        }
        pthread_cond_timedwait(&push_cond, &push_lock, &until);
    }
    pthread_mutex_unlock(&push_lock);
    return outcome;
}

static const char *const WAKE_PATTERNS[] = {WAKE_EVENT};

wait_outcome liveness_wait(probe_fn probe, void *ctx, double timeout_s, const char *const *wake_on,
                           size_t wake_on_len, const char *wake_on_path, char *err, size_t errlen) {
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = timeout_s * 1000.0;
    opts.wake_on = wake_on;
    opts.wake_on_len = wake_on_len;
    const char *const paths[1] = {wake_on_path};
    if (wake_on_path) {
        opts.wake_on_path = paths;
        opts.wake_on_path_len = 1;
    }
    liveness_status st = liveness_eventually(probe, ctx, &opts);
    if (st == LIVENESS_OK) {
        return WAIT_HELD;
    }
    if (st == LIVENESS_TIMEOUT) {
        return WAIT_TIMED_OUT;
    }
    snprintf(err, errlen, "liveness_eventually returned %s: %s", liveness_status_name((int32_t)st),
             liveness_last_error_message());
    return WAIT_FAILED;
}

static wait_outcome hand_loop(double period_ms, probe_fn probe, void *ctx, double timeout_s) {
    int64_t deadline = mono_ns() + (int64_t)(timeout_s * 1e9);
    for (;;) {
        if (probe(ctx)) {
            return WAIT_HELD;
        }
        if (mono_ns() >= deadline) {
            return WAIT_TIMED_OUT;
        }
        sleep_ms(period_ms);
    }
}

wait_outcome waiter_wait_until(const waiter *w, probe_fn probe, void *ctx, double timeout_s, char *err,
                               size_t errlen) {
    switch (w->kind) {
    case WAITER_LIVENESS:
        return liveness_wait(probe, ctx, timeout_s, NULL, 0, NULL, err, errlen);
    case WAITER_WAKE_HINT:
        return liveness_wait(probe, ctx, timeout_s, WAKE_PATTERNS, 1, NULL, err, errlen);
    case WAITER_HAND_LOOP:
        return hand_loop(w->period_ms, probe, ctx, timeout_s);
    case WAITER_PUSH:
        return push_wait(probe, ctx, timeout_s);
    }
    snprintf(err, errlen, "unknown waiter kind %d", (int)w->kind);
    return WAIT_FAILED;
}

const char *sleep_label(const params *p) {
    static char label[64];
    snprintf(label, sizeof label, "sleep %llu ms", (unsigned long long)p->shutdowns.sleep_ms);
    return label;
}

static void library(cJSON *libs, const char *label, const char *version, const char *settings) {
    cJSON *entry = cJSON_AddObjectToObject(libs, label);
    cJSON_AddStringToObject(entry, "version", version);
    cJSON_AddStringToObject(entry, "settings", settings);
}

cJSON *waiters_describe(const params *p) {
    const char *v = liveness_version();
    char sleep_settings[128];
    snprintf(sleep_settings, sizeof sleep_settings, "nanosleep(%llu ms), then start once",
             (unsigned long long)p->shutdowns.sleep_ms);
    cJSON *libs = cJSON_CreateObject();
    library(libs, "liveness", v,
            "liveness_options_default(): adaptive period (20 × probe cost, 1–50 ms); eval_overhead: "
            "min_interval_ms = max_interval_ms = 0 (interval 0); emit: liveness_emit(name), "
            "capture_open(\"bench.emit.**\")");
    library(libs, "liveness + wake hint", v,
            "defaults + wake_on = {\"bench.ready\"}, liveness_emit by the system under test right after the flip "
            "(overshoot); in cpu nothing emits it during the wait");
    library(libs, WAKE_ON_PATH_LABEL, v,
            "delayed_write only: defaults + wake_on_path = {<the result file>} (its directory is watched until the "
            "file exists)");
    library(libs, PUSH_LABEL, "-",
            "pthread mutex + condition variable (CLOCK_MONOTONIC): the probe under the lock, "
            "pthread_cond_timedwait until the system under test notifies (overshoot: the setter right after the "
            "flip; suite: the singleton's shutdown thread right after it frees the name; cpu: nobody)");
    library(libs, "hand loop 1 ms", "-", "while (!p()) nanosleep(1 ms) with a CLOCK_MONOTONIC deadline check");
    library(libs, "hand loop 10 ms", "-", "while (!p()) nanosleep(10 ms) with a CLOCK_MONOTONIC deadline check");
    library(libs, "hand loop 50 ms", "-",
            "concurrency only: while (!p()) nanosleep(50 ms) with a CLOCK_MONOTONIC deadline check");
    library(libs, "hand loop", "-", "interval 0: while (!p()) {} with a CLOCK_MONOTONIC deadline check");
    library(libs, sleep_label(p), "-", sleep_settings);
    library(libs, "atomic load", "-", "one acquire atomic_load: the floor of a 'nothing attached' check");
    library(libs, "callback list", "-",
            "array of function pointers under a pthread_rwlock_t: the usual hand-rolled observer list; "
            "one callback appending (name, value) to a buffer under a mutex");
    return libs;
}
