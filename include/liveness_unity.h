/*
 * liveness_unity.h: liveness assertions for the Unity test framework (ThrowTheSwitch), failing
 * through UNITY_TEST_FAIL so Unity prints "file:line:test:FAIL: <liveness's report>".
 *
 *   #include <liveness_unity.h>         // includes unity.h
 *
 *   TEST_ASSERT_EVENTUALLY(server_ready(s));               // any C expression (liveness_assert.h)
 *   TEST_ASSERT_EVENTUALLY_WITH(count == 3, &opts);
 *   TEST_ASSERT_LIVENESS_OK(liveness_assert_emitted("job.done", NULL, 1, run_job, &job));
 *
 * The wait's loop ends (and its poller is freed) before Unity's failure longjmps out of the test.
 */
#ifndef LIVENESS_UNITY_H
#define LIVENESS_UNITY_H

#include <unity.h>

#include <liveness_assert.h>

#define TEST_ASSERT_EVENTUALLY_WITH(expr, opts)                                                    \
    do {                                                                                           \
        liveness_status liveness_unity_status_;                                                    \
        LIVENESS_EVENTUALLY_AT_(liveness_unity_status_, expr, opts, NULL, 0);                      \
        if (liveness_unity_status_ != LIVENESS_OK) UNITY_TEST_FAIL(__LINE__, liveness_last_error_message()); \
    } while (0)
#define TEST_ASSERT_EVENTUALLY(expr) TEST_ASSERT_EVENTUALLY_WITH(expr, NULL)

/* Any liveness call that returns a status: anything but LIVENESS_OK fails with the report. */
#define TEST_ASSERT_LIVENESS_OK(call)                                                              \
    do {                                                                                           \
        liveness_status liveness_unity_status_ = (call);                                           \
        if (liveness_unity_status_ != LIVENESS_OK) UNITY_TEST_FAIL(__LINE__, liveness_last_error_message()); \
    } while (0)

#endif /* LIVENESS_UNITY_H */
