/*
 * The conformance runner of the C door: reads tests/conformance/<dir>/<file>.json with cJSON
 * and runs every case against the C ABI. Polling cases drive liveness_poller_* with a virtual
 * clock (tests/conformance/README.md, "The virtual clock"); event cases call liveness_emit,
 * liveness_capture_* and liveness_assert_* directly.
 */
#ifndef LIVENESS_CONFORMANCE_RUNNER_H
#define LIVENESS_CONFORMANCE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <liveness.h>

/* Why a case failed; empty when it passed. */
typedef struct {
    char text[2048];
} verdict;

void fail(verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void run_polling_case(const cJSON *c, verdict *v);
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
/* Checks message_contains / _not_contains / _order / _count / _max_count of `expect`. */
void check_message(const cJSON *expect, const char *message, verdict *v);
/* Emits {"name", "measurements", "metadata"}. Returns the status, or -1 when the event has a
 * non-numeric measurement, which C's `double` measurements cannot even express. */
int emit_json_event(const cJSON *event);

#endif
