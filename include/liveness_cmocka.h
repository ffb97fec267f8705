/*
 * liveness_cmocka.h: liveness assertions that fail a cmocka test the way cmocka's own do, with
 * liveness's report printed first and then cmocka's "file:line: error: Failure!".
 *
 *   #include <liveness_cmocka.h>        // includes the headers cmocka.h needs, then cmocka.h
 *
 *   assert_eventually(server_ready(s));                    // any C expression (liveness_assert.h)
 *   assert_eventually_with(count == 3, &opts);             // with liveness_options
 *   assert_liveness_ok(liveness_assert_emitted("job.done", NULL, 1, run_job, &job));
 *
 * The wait's loop ends (and its poller is freed) before cmocka's _fail() longjmps out of the test.
 */
#ifndef LIVENESS_CMOCKA_H
#define LIVENESS_CMOCKA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <liveness_assert.h>

#define assert_eventually_with(expr, opts)                                                         \
    do {                                                                                           \
        liveness_status liveness_cmocka_status_;                                                   \
        LIVENESS_EVENTUALLY_AT_(liveness_cmocka_status_, expr, opts, NULL, 0);                     \
        if (liveness_cmocka_status_ != LIVENESS_OK) {                                              \
            print_error("%s\n", liveness_last_error_message());                                    \
            _fail(__FILE__, __LINE__);                                                             \
        }                                                                                          \
    } while (0)
#define assert_eventually(expr) assert_eventually_with(expr, NULL)

/* Any liveness call that returns a status (liveness_assert_emitted(), liveness_eventually(), ...):
 * anything but LIVENESS_OK fails the test with the status and the report. */
#define assert_liveness_ok(call)                                                                   \
    do {                                                                                           \
        liveness_status liveness_cmocka_status_ = (call);                                          \
        if (liveness_cmocka_status_ != LIVENESS_OK) {                                              \
            print_error("%s: %s\n", liveness_status_name(liveness_cmocka_status_),                 \
                        liveness_last_error_message());                                            \
            _fail(__FILE__, __LINE__);                                                             \
        }                                                                                          \
    } while (0)

#endif /* LIVENESS_CMOCKA_H */
