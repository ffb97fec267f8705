/*
 * liveness_assert.h: wait for any C expression inline, with the expression's text, __FILE__ and
 * __LINE__ in the failure report. No probe function, no context struct.
 *
 *   #include <liveness_assert.h>
 *
 *   LIVENESS_ASSERT_EVENTUALLY(queue_len(q) == 0);             // prints the report and aborts
 *   liveness_status s = LIVENESS_EVENTUALLY(server->ready, &opts); // GCC, Clang, any C++
 *   LIVENESS_EVENTUALLY_INTO(s, server->ready, &opts);            // any C compiler (a statement)
 *
 * Each is an inline loop over the sans-IO poller of liveness.h (liveness_poller_new/_next/
 * _started/_accepted/_returned/_free), waiting with liveness_poller_wait(), which parks the
 * calling thread (or advances its virtual clock, liveness_virtual_clock_install(), when one was
 * installed before the wait began) and wakes early on `opts->wake_on`. The schedule, the deadline
 * and the report are the poller's, as for liveness_eventually().
 *
 * The expression:
 *   - is any scalar C expression (true when non-zero; a pointer: non-NULL), written inline. A
 *     comma outside parentheses splits macro arguments: wrap such an expression in parentheses;
 *   - is evaluated once per evaluation, on the calling thread, and never after the wait ended:
 *     side effects (`n++ > 3`, a read that consumes) happen once per evaluation;
 *   - must not longjmp or throw (a cmocka assert_*, a C++ exception): that skips the poller's
 *     free and leaks it. Write a condition instead; the adapters below fail only after the loop.
 *
 * The report: the expression's text is the report's message ("eventually \"ready == 3\": not met
 * after ..."), unless `opts->message` is set (the caller's words then replace it, as with Rust's
 * assert_eventually!). The value of each evaluation that did not hold is shown as `false`.
 *
 *   LIVENESS_EVENTUALLY(expr, opts), LIVENESS_EVENTUALLY_INTO(status, expr, opts)
 *       The status (LIVENESS_OK, LIVENESS_TIMEOUT, LIVENESS_INVALID_ARGUMENT for bad options,
 *       LIVENESS_PROBE_FAILED when an on_evaluation hook stopped it). On failure
 *       liveness_last_error_message() is "file:line: eventually \"expr\": not met after ...".
 *       `opts` may be NULL (defaults). LIVENESS_EVENTUALLY is an expression where the compiler
 *       has one for a loop: GCC/Clang (`__extension__ ({ ... })`, fine under -Wpedantic) and C++
 *       (a lambda); elsewhere use LIVENESS_EVENTUALLY_INTO, which is ISO C.
 *   LIVENESS_ASSERT_EVENTUALLY(expr), LIVENESS_ASSERT_EVENTUALLY_WITH(expr, opts)
 *       On failure calls LIVENESS_ASSERT_FAIL(file, line, report): by default it prints
 *       "file:line: error: <report>" to stderr and abort()s, like assert(). Define
 *       LIVENESS_ASSERT_FAIL before including this header to fail another way. The framework
 *       adapters do: liveness_cmocka.h, liveness_unity.h, liveness_gtest.h.
 */
#ifndef LIVENESS_ASSERT_H
#define LIVENESS_ASSERT_H

#include <liveness.h>

#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The state of one inline wait (internal: use the macros). */
typedef struct liveness_inline_wait {
    liveness_poller *poller;
    liveness_status status;
    bool done;
} liveness_inline_wait;

/* Starts the wait: the expression's text becomes the message unless `opts` has one; with a
 * `file`, the report is prefixed with "file:line: ". */
static inline liveness_inline_wait liveness_inline_begin(const liveness_options *opts, const char *expr,
                                                         const char *file, int line) {
    liveness_inline_wait w;
    liveness_options o = opts ? *opts : liveness_options_default();
    if (o.message == NULL) o.message = expr;
    w.poller = NULL;
    w.done = false;
    w.status = liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &w.poller);
    if (w.status == LIVENESS_OK && file != NULL) w.status = liveness_poller_set_origin(w.poller, file, line);
    if (w.status != LIVENESS_OK) w.done = true;
    return w;
}

/* Executes the poller's steps until it says evaluate (true: evaluate the expression now, then
 * liveness_inline_outcome()) or the wait is over (false: the status is set). */
static inline bool liveness_inline_evaluate(liveness_inline_wait *w) {
    while (!w->done) {
        double now = 0;
        liveness_step step;
        if ((w->status = liveness_poller_now_ms(w->poller, &now)) != LIVENESS_OK ||
            (w->status = liveness_poller_next(w->poller, now, &step)) != LIVENESS_OK) {
            w->done = true;
        } else if (step.kind == LIVENESS_STEP_EVALUATE) {
            w->status = liveness_poller_started(w->poller, now, NULL);
            if (w->status == LIVENESS_OK) return true;
            w->done = true;
        } else if (step.kind == LIVENESS_STEP_WAIT) {
            if ((w->status = liveness_poller_wait(w->poller, step.wait_ms)) != LIVENESS_OK) w->done = true;
        } else if (step.kind == LIVENESS_STEP_DONE) {
            w->status = step.status;
            w->done = true;
        } else if (step.kind != LIVENESS_STEP_YIELD) { /* PREPARE: not asked of eventually */
            w->status = LIVENESS_INTERNAL;
            w->done = true;
        }
    }
    return false;
}

/* Reports whether the expression held. */
static inline void liveness_inline_outcome(liveness_inline_wait *w, bool held) {
    double now = 0;
    if ((w->status = liveness_poller_now_ms(w->poller, &now)) == LIVENESS_OK)
        w->status = held ? liveness_poller_accepted(w->poller, now, NULL)
                         : liveness_poller_returned(w->poller, now, "false", false);
    if (w->status != LIVENESS_OK) w->done = true; /* a hook stopped it, or a bug */
}

/* Frees the poller (the report stays in liveness_last_error_message()) and returns the status. */
static inline liveness_status liveness_inline_end(liveness_inline_wait *w) {
    if (w->poller != NULL) liveness_poller_free(w->poller);
    w->poller = NULL;
    return w->status;
}

#ifdef __cplusplus
}
#endif

/* The loop itself: `file` NULL leaves the report without the "file:line: " prefix (for failure
 * paths that print the location themselves). */
#define LIVENESS_EVENTUALLY_AT_(status, expr, opts, file, line)                                    \
    do {                                                                                           \
        liveness_inline_wait liveness_wait_ = liveness_inline_begin((opts), #expr, (file), (line)); \
        while (liveness_inline_evaluate(&liveness_wait_))                                          \
            liveness_inline_outcome(&liveness_wait_, (expr) ? true : false);                       \
        (status) = liveness_inline_end(&liveness_wait_);                                           \
    } while (0)

/* ISO C: waits until `expr` holds; stores the status in the lvalue `status`. */
#define LIVENESS_EVENTUALLY_INTO(status, expr, opts) LIVENESS_EVENTUALLY_AT_(status, expr, opts, __FILE__, __LINE__)

#if defined(__cplusplus)
#define LIVENESS_EVENTUALLY(expr, opts)                                                            \
    ([&]() -> liveness_status {                                                                    \
        liveness_status liveness_status_;                                                          \
        LIVENESS_EVENTUALLY_INTO(liveness_status_, expr, opts);                                    \
        return liveness_status_;                                                                   \
    }())
#elif defined(__GNUC__) || defined(__clang__)
#define LIVENESS_EVENTUALLY(expr, opts)                                                            \
    __extension__({                                                                                \
        liveness_status liveness_status_;                                                          \
        LIVENESS_EVENTUALLY_INTO(liveness_status_, expr, opts);                                    \
        liveness_status_;                                                                          \
    })
#endif

#ifndef LIVENESS_ASSERT_FAIL
#define LIVENESS_ASSERT_FAIL(file, line, report)                                                   \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: error: %s\n", (file), (line), (report));                           \
        fflush(stderr);                                                                            \
        abort();                                                                                   \
    } while (0)
#endif

#define LIVENESS_ASSERT_EVENTUALLY_WITH(expr, opts)                                                \
    do {                                                                                           \
        liveness_status liveness_assert_status_;                                                   \
        LIVENESS_EVENTUALLY_AT_(liveness_assert_status_, expr, opts, NULL, 0);                     \
        if (liveness_assert_status_ != LIVENESS_OK)                                                \
            LIVENESS_ASSERT_FAIL(__FILE__, __LINE__, liveness_last_error_message());               \
    } while (0)
#define LIVENESS_ASSERT_EVENTUALLY(expr) LIVENESS_ASSERT_EVENTUALLY_WITH(expr, NULL)

#endif /* LIVENESS_ASSERT_H */
