// liveness_gtest.h: EXPECT_EVENTUALLY / ASSERT_EVENTUALLY and EXPECT_LIVENESS_OK /
// ASSERT_LIVENESS_OK. Failures are checked without death tests, with gtest-spi.h's
// EXPECT_NONFATAL_FAILURE / EXPECT_FATAL_FAILURE; timeouts run on the virtual clock.
#include <liveness_gtest.h>

#include <gtest/gtest-spi.h>

#include <atomic>
#include <thread>

extern "C" {
#include "support/worker.h"
}

namespace {

class VirtualClock : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(liveness_virtual_clock_install(), LIVENESS_OK); }
    void TearDown() override { ASSERT_EQ(liveness_virtual_clock_uninstall(), LIVENESS_OK); }
};

liveness_options quick(double timeout_ms) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = timeout_ms;
    return o;
}

TEST(InlineGtest, PassesOnceAThreadMakesItTrue) {
    std::atomic<bool> ready{false};
    std::thread system([&] {
        simulated_delay_ms(20);  // the system under test takes a while
        ready = true;
    });
    EXPECT_EVENTUALLY(ready.load());
    system.join();  // it has set the flag: the join does not wait
}

TEST_F(VirtualClock, SideEffectsHappenOncePerEvaluation) {
    int n = 0;
    ASSERT_EVENTUALLY(++n == 4);
    EXPECT_EQ(n, 4);
    liveness_options o = quick(60000);
    o.attempts = 3;
    n = 0;
    EXPECT_NONFATAL_FAILURE(EXPECT_EVENTUALLY_WITH(++n > 10, &o), "(3 evaluations)");
    EXPECT_EQ(n, 3);
}

TEST_F(VirtualClock, ExpectEventuallyFailsNonFatallyWithTheReport) {
    int jobs_done = 0;
    liveness_options o = quick(100);
    EXPECT_NONFATAL_FAILURE(EXPECT_EVENTUALLY_WITH(jobs_done == 3, &o),
                            "Expected eventually: jobs_done == 3\neventually \"jobs_done == 3\": not met after 0.10 s");
    EXPECT_NONFATAL_FAILURE(EXPECT_EVENTUALLY_WITH(jobs_done == 3, &o) << "more context", "more context");
}

// EXPECT_FATAL_FAILURE's statement cannot use locals: a static holds the state.
int never_done = 0;

TEST_F(VirtualClock, AssertEventuallyFailsFatallyAndReturns) {
    EXPECT_FATAL_FAILURE(
        {
            liveness_options o = quick(50);
            ASSERT_EVENTUALLY_WITH(never_done == 1, &o);
            never_done = 99;  // not reached: the fatal failure returned
        },
        "eventually \"never_done == 1\": not met after 0.05 s");
    EXPECT_EQ(never_done, 0);
}

void emit_started(void *) {
    const char *names[] = {"duration_ms"};
    double ms = 12;
    liveness_emit("job.started", names, &ms, 1, R"({"job":"build"})");
}

TEST(InlineGtest, EventAssertionsFailWithTheListedEvents) {
    EXPECT_LIVENESS_OK(liveness_assert_emitted("job.started", nullptr, 1, emit_started, nullptr));
    EXPECT_NONFATAL_FAILURE(
        EXPECT_LIVENESS_OK(liveness_assert_emitted("job.done", R"({"job":"build"})", 1, emit_started, nullptr)),
        "LIVENESS_EVENT_ASSERTION: ");
    EXPECT_FATAL_FAILURE(
        ASSERT_LIVENESS_OK(liveness_assert_emitted("job.done", nullptr, 1, emit_started, nullptr)), "job.started");
}

TEST(InlineGtest, BadOptionsFailWithTheirMessage) {
    liveness_options o = liveness_options_default();
    o.max_interval_ms = -1;
    int n = 0;
    EXPECT_NONFATAL_FAILURE(EXPECT_EVENTUALLY_WITH(++n > 0, &o), "max_interval_ms");
    EXPECT_EQ(n, 0);
}

TEST(InlineGtest, TheExpressionFormIsAnExpressionInCpp) {
    int n = 0;
    liveness_status s = LIVENESS_EVENTUALLY(++n == 2, nullptr);
    EXPECT_EQ(s, LIVENESS_OK);
    EXPECT_EQ(n, 2);
}

// The two outputs for the lead's note (tests/c/README.md): run with
// --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_Show*'.
TEST_F(VirtualClock, DISABLED_ShowATimeout) {
    int jobs_done = 0;
    liveness_options o = quick(100);
    EXPECT_EVENTUALLY_WITH(jobs_done == 3, &o);
}

TEST(InlineGtest, DISABLED_ShowAnEventAssertion) {
    EXPECT_LIVENESS_OK(liveness_assert_emitted("job.done", R"({"job":"build"})", 1, emit_started, nullptr));
}

}  // namespace
