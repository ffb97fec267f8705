/*
 * The conformance runner of the C binding: reads tests/conformance/<dir>/<file>.json with cJSON
 * and runs every case against the C ABI's public API. Polling cases run twice (polling.c): through
 * the blocking operations (liveness_eventually() ...) on the virtual clock
 * (liveness_virtual_clock_*), and through the sans-IO poller (liveness_poller_*) as an event-loop
 * host drives it (tests/conformance/README.md, "The virtual clock"); event cases call
 * liveness_emit, liveness_capture_* and liveness_assert_* directly.
 */
#ifndef LIVENESS_CONFORMANCE_RUNNER_H
#define LIVENESS_CONFORMANCE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <liveness.h>

/* Why a case failed (empty when it passed), what of it C cannot express (empty when all), and why
 * this runner cannot run it at all (NULL when it ran). */
typedef struct {
    char text[2048];
    char skipped[2048];
    const char *not_run;
} verdict;

void fail(verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Notes an expectation the runner cannot check through C's API, with why. */
void note_skipped(verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef enum {
    RUN_BLOCKING, /* liveness_eventually() and the other blocking operations, virtual clock */
    RUN_POLLER,   /* liveness_poller_* driven by an event-loop host's loop */
} polling_runner;

void run_polling_case(const cJSON *c, polling_runner runner, verdict *v);
void run_event_case(const cJSON *c, verdict *v);

/* ---- helpers (util.c) ---- */

/* A number, or the strings "NaN", "Infinity", "-Infinity" that stand for what JSON cannot write. */
double json_number(const cJSON *j);
/* JSON truthiness as the vectors define it: not false, null, 0, 0.0 or "". */
bool json_truthy(const cJSON *j);
/* Equality with numbers compared by value. */
bool json_equal(const cJSON *a, const cJSON *b);
/* Compact JSON text; free() it. */
char *json_text(const cJSON *j);
/* Checks message_contains / _not_contains / _order / _count / _max_count of `expect`. A fragment
 * for which `skip(ctx, key, fragment)` is true is not checked (skip may be NULL). */
void check_message(const cJSON *expect, const char *message, verdict *v,
                   bool (*skip)(void *ctx, const char *key, const char *fragment), void *ctx);
/* Emits {"name", "measurements", "metadata"}. Returns the status, or -1 when the event has a
 * non-numeric measurement, which C's `double` measurements cannot even express. */
int emit_json_event(const cJSON *event);

#endif
