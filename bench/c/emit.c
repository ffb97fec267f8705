/* Emit cost with nothing attached and with one capture open, against the mechanisms a C codebase
 * would use instead: an atomic "anyone listening?" counter and a list of callbacks. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failures.h"
#include "liveness.h"
#include "scenarios.h"
#include "timing.h"

static atomic_size_t listeners;
static volatile size_t sink;

/* Best nanoseconds per execution of BODY over `repeats` runs of `n` (BODY inlined, no call). */
#define PER_OP(result, n, repeats, BODY)                                                                      \
    do {                                                                                                      \
        (result) = -1;                                                                                        \
        for (uint64_t rep_ = 0; rep_ < ((repeats) ? (repeats) : 1); rep_++) {                                 \
            int64_t t0_ = mono_ns();                                                                          \
            for (uint64_t i_ = 0; i_ < (n); i_++) {                                                           \
                BODY;                                                                                         \
            }                                                                                                 \
            double ns_ = (double)(mono_ns() - t0_) / (double)(n);                                            \
            if ((result) < 0 || ns_ < (result)) {                                                             \
                (result) = ns_;                                                                               \
            }                                                                                                 \
        }                                                                                                     \
    } while (0)

/* The usual hand-rolled observer list: function pointers under a read-write lock. */
typedef void (*callback)(const char *name, double value, void *ctx);

typedef struct {
    pthread_rwlock_t lock;
    struct {
        callback fn;
        void *ctx;
    } items[4];
    size_t len;
} callback_list;

__attribute__((noinline)) static void callback_list_emit(callback_list *list, const char *name, double value) {
    pthread_rwlock_rdlock(&list->lock);
    for (size_t i = 0; i < list->len; i++) {
        list->items[i].fn(name, value, list->items[i].ctx);
    }
    pthread_rwlock_unlock(&list->lock);
}

/* One listener that records what it is given, as a capture does. */
typedef struct {
    char name[32];
    double value;
} entry;

typedef struct {
    pthread_mutex_t lock;
    entry *items;
    size_t len, cap;
    bool out_of_memory;
} buffer;

static void append(const char *name, double value, void *ctx) {
    buffer *b = ctx;
    pthread_mutex_lock(&b->lock);
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        entry *bigger = realloc(b->items, cap * sizeof *bigger);
        if (!bigger) {
            b->out_of_memory = true;
            pthread_mutex_unlock(&b->lock);
            return;
        }
        b->items = bigger;
        b->cap = cap;
    }
    snprintf(b->items[b->len].name, sizeof b->items[b->len].name, "%s", name);
    b->items[b->len++].value = value;
    pthread_mutex_unlock(&b->lock);
}

static void record(cJSON *records, const char *library, const char *case_name, double ns) {
    printf("  %-17s %-30s %10.2f\n", case_name, library, ns);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "scenario", "emit");
    cJSON_AddStringToObject(r, "library", library);
    cJSON_AddStringToObject(r, "case", case_name);
    cJSON_AddNumberToObject(r, "ns_per_emit", ns);
    cJSON_AddItemToArray(records, r);
}

void emit_run(const params *p, cJSON *records) {
    uint64_t n = p->emit_iterations, reps = p->emit_repeats;
    uint64_t captured_n = n / 20 ? n / 20 : 1;
    static const char *const measure_names[] = {"n"};
    static const double measure_values[] = {1.0};
    double atomic = 0, idle = 0, list_idle = 0, one_capture = 0, list_one = 0;
    uint64_t bad = 0;

    PER_OP(atomic, n, reps, sink = atomic_load_explicit(&listeners, memory_order_acquire));
    PER_OP(idle, n, reps, bad += liveness_emit("bench.emit.idle", NULL, NULL, 0, NULL) != LIVENESS_OK);
    bool idle_ok = bad == 0;
    if (!idle_ok) {
        failure("emit", "liveness", "liveness_emit failed %llu times: %s", (unsigned long long)bad,
                liveness_last_error_message());
    }
    callback_list empty = {.len = 0};
    pthread_rwlock_init(&empty.lock, NULL);
    PER_OP(list_idle, n, reps, callback_list_emit(&empty, "bench.emit.idle", 1.0));
    pthread_rwlock_destroy(&empty.lock);

    /* One capture open: every emit is recorded. */
    static const char *const patterns[] = {"bench.emit.**"};
    liveness_capture *capture = NULL;
    bool capture_ok = false;
    liveness_status st = liveness_capture_open(patterns, 1, &capture);
    if (st != LIVENESS_OK) {
        failure("emit", "liveness", "liveness_capture_open returned %s: %s", liveness_status_name((int32_t)st),
                liveness_last_error_message());
    } else {
        bad = 0;
        PER_OP(one_capture, captured_n, 1,
               bad += liveness_emit("bench.emit.captured", measure_names, measure_values, 1, NULL) != LIVENESS_OK);
        size_t got = 0;
        st = liveness_capture_count(capture, &got);
        liveness_capture_close(capture);
        capture_ok = bad == 0 && st == LIVENESS_OK && got == captured_n;
        if (!capture_ok) {
            failure("emit", "liveness", "one capture: %llu failed emits, %zu of %llu events captured",
                    (unsigned long long)bad, got, (unsigned long long)captured_n);
        }
    }

    buffer buf = {.len = 0};
    pthread_mutex_init(&buf.lock, NULL);
    callback_list one = {.len = 1};
    one.items[0].fn = append;
    one.items[0].ctx = &buf;
    pthread_rwlock_init(&one.lock, NULL);
    PER_OP(list_one, captured_n, 1, callback_list_emit(&one, "bench.emit.captured", 1.0));
    pthread_rwlock_destroy(&one.lock);
    bool list_one_ok = !buf.out_of_memory && buf.len == captured_n;
    if (!list_one_ok) {
        failure("emit", "callback list", "one callback: %zu of %llu calls recorded", buf.len,
                (unsigned long long)captured_n);
    }
    free(buf.items);
    pthread_mutex_destroy(&buf.lock);

    printf("\nemit (ns per call)\n");
    if (idle_ok) {
        record(records, "liveness", "nothing attached", idle);
    }
    record(records, "atomic load", "nothing attached", atomic);
    record(records, "callback list", "nothing attached", list_idle);
    if (capture_ok) {
        record(records, "liveness", "one capture", one_capture);
    }
    if (list_one_ok) {
        record(records, "callback list", "one capture", list_one);
    }
    fflush(stdout);
}
