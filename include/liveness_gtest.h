// liveness_gtest.h: liveness assertions for GoogleTest, failing as gtest's own do
// ("file:line: Failure" and the message), with liveness's report as the message.
//
//   #include <liveness_gtest.h>          // includes gtest/gtest.h
//
//   EXPECT_EVENTUALLY(server.ready());                   // any C++ expression, non-fatal
//   ASSERT_EVENTUALLY(queue.empty()) << "after the flush"; // fatal: returns from the test
//   EXPECT_EVENTUALLY_WITH(count == 3, &opts);            // with liveness_options
//   EXPECT_LIVENESS_OK(liveness_assert_emitted("job.done", nullptr, 1, run_job, &job));
//
// The expression is evaluated in a lambda capturing by reference (liveness_assert.h): once per
// evaluation, on the test's thread. Like every gtest assertion, more text can be streamed in.
// The wait's loop ends before the failure is reported, so a fatal failure leaks nothing.
#ifndef LIVENESS_GTEST_H
#define LIVENESS_GTEST_H

#include <gtest/gtest.h>

#include <liveness_assert.h>

#include <string>

namespace liveness_gtest {

// A finished liveness call: true when it succeeded, with the report (copied) otherwise.
struct Result {
    liveness_status status;
    std::string report;
    explicit operator bool() const { return status == LIVENESS_OK; }
};

// A wait of EXPECT_EVENTUALLY: the report alone (it names the expression).
inline Result eventually(liveness_status status) {
    return Result{status, status == LIVENESS_OK ? std::string() : std::string(liveness_last_error_message())};
}

// Any other call: the status's name, then the report.
inline Result result(liveness_status status) {
    if (status == LIVENESS_OK) return Result{status, std::string()};
    return Result{status, std::string(liveness_status_name(status)) + ": " + liveness_last_error_message()};
}

}  // namespace liveness_gtest

#define LIVENESS_GTEST_EVENTUALLY_(expr, opts)                                                     \
    ::liveness_gtest::eventually([&]() -> liveness_status {                                        \
        liveness_status liveness_gtest_status_;                                                    \
        LIVENESS_EVENTUALLY_AT_(liveness_gtest_status_, expr, opts, NULL, 0);                      \
        return liveness_gtest_status_;                                                             \
    }())

// `switch`: an `else` after the macro cannot bind to its `if` (as in gtest's own macros).
#define LIVENESS_GTEST_CHECK_(result_expr, text, on_failure)                                       \
    switch (0)                                                                                     \
    case 0:                                                                                        \
    default:                                                                                       \
    if (const ::liveness_gtest::Result liveness_gtest_result_ = (result_expr))                     \
        ;                                                                                          \
    else                                                                                           \
        on_failure(text, liveness_gtest_result_)

#define LIVENESS_GTEST_NONFATAL_(text, r) GTEST_NONFATAL_FAILURE_(text) << (r).report
#define LIVENESS_GTEST_FATAL_(text, r) GTEST_FATAL_FAILURE_(text) << (r).report

#define EXPECT_EVENTUALLY_WITH(expr, opts)                                                         \
    LIVENESS_GTEST_CHECK_(LIVENESS_GTEST_EVENTUALLY_(expr, opts), "Expected eventually: " #expr,   \
                          LIVENESS_GTEST_NONFATAL_)
#define ASSERT_EVENTUALLY_WITH(expr, opts)                                                         \
    LIVENESS_GTEST_CHECK_(LIVENESS_GTEST_EVENTUALLY_(expr, opts), "Expected eventually: " #expr,   \
                          LIVENESS_GTEST_FATAL_)
#define EXPECT_EVENTUALLY(expr) EXPECT_EVENTUALLY_WITH(expr, nullptr)
#define ASSERT_EVENTUALLY(expr) ASSERT_EVENTUALLY_WITH(expr, nullptr)

// Any liveness call that returns a status (liveness_assert_emitted(), liveness_eventually(), ...).
#define EXPECT_LIVENESS_OK(call)                                                                   \
    LIVENESS_GTEST_CHECK_(::liveness_gtest::result(call), "Expected LIVENESS_OK from: " #call,      \
                          LIVENESS_GTEST_NONFATAL_)
#define ASSERT_LIVENESS_OK(call)                                                                   \
    LIVENESS_GTEST_CHECK_(::liveness_gtest::result(call), "Expected LIVENESS_OK from: " #call,      \
                          LIVENESS_GTEST_FATAL_)

#endif  // LIVENESS_GTEST_H
