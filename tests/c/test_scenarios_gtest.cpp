// The seeds' scenarios with GoogleTest: liveness.h is used from C++ as is (extern "C" guards).
// Assert with gtest outside probes; a probe returns true/false and says why with
// liveness_probe_fail() (an exception thrown from a probe would unwind through liveness).
#include <gtest/gtest.h>

#include <liveness.h>

#include <cstring>
#include <string>

extern "C" {
#include "support/services.h"
}

namespace {

// EXPECT_TRUE(Liveness(call)) prints liveness's report when the call did not succeed.
::testing::AssertionResult Liveness(liveness_status status, liveness_status expected = LIVENESS_OK) {
    if (status == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << liveness_status_name(status) << ": " << liveness_last_error_message();
}

// ---- restart race (seed 004): 100 tests sharing one singleton adder ----

class RestartRace : public ::testing::TestWithParam<int> {
  protected:
    static adder_service service;
    static void SetUpTestSuite() { adder_service_init(&service, 7); }
    static void TearDownTestSuite() { ASSERT_TRUE(Liveness(adder_service_destroy(&service))); }
    // Like an ExUnit test process exiting: the adder it started is stopped asynchronously.
    void TearDown() override { adder_stop_async(&service); }
};
adder_service RestartRace::service;

TEST_P(RestartRace, AdditionIdentity) {
    auto started = [](void *s) -> bool {
        return adder_start(static_cast<adder_service *>(s)) ||
               liveness_probe_fail("already started: the previous adder is still terminating");
    };
    ASSERT_TRUE(Liveness(liveness_eventually(started, &service, nullptr)));
    EXPECT_EQ(adder_add(&service, GetParam(), 0), GetParam());
}

INSTANTIATE_TEST_SUITE_P(HundredTests, RestartRace, ::testing::Range(1, 101));

// ---- delayed file write (seed 004) ----

TEST(DelayedWrite, ResultIsEventuallyInTheFile) {
    addition_job job;
    ASSERT_TRUE(addition_job_schedule(&job, 1, 2, 30));
    auto holds_3 = [](void *j) -> bool {
        char buf[32];
        if (!addition_job_read(static_cast<addition_job *>(j), buf, sizeof buf))
            return liveness_probe_fail("cannot read the output file");
        return std::string(buf) == "3" || liveness_probe_fail(("file holds '" + std::string(buf) + "'").c_str());
    };
    liveness_options opts = liveness_options_default();
    opts.message = "file holds 3";
    EXPECT_TRUE(Liveness(liveness_eventually(holds_3, &job, &opts)));
    EXPECT_TRUE(Liveness(addition_job_destroy(&job)));
}

// ---- circuit breaker (seed 000) ----

class CircuitBreaker : public ::testing::Test {
  protected:
    circuit_breaker breaker{};
    void SetUp() override { breaker_init(&breaker, "payments", 3); }
    void TearDown() override { EXPECT_TRUE(Liveness(breaker_destroy(&breaker))); }
};

TEST_F(CircuitBreaker, OpensAfterThreeFailures) {
    auto trip = [](void *b) {
        for (int i = 0; i < 3; i++) breaker_record_failure(static_cast<circuit_breaker *>(b));
    };
    EXPECT_TRUE(Liveness(liveness_assert_emitted("breaker.state_change", R"({"to":"open"})", 1, trip, &breaker)));
    EXPECT_EQ(breaker_status(&breaker), BREAKER_OPEN);
}

TEST_F(CircuitBreaker, OpensAfterThreeAsyncFailures) {
    auto trip_async = [](void *b) {
        auto cast_three = [](void *cb) -> bool {
            for (int i = 0; i < 3; i++) breaker_record_failure_async(static_cast<circuit_breaker *>(cb));
            return true;
        };
        // Open, and every cast processed: the state flips before the event is emitted.
        auto is_open = [](void *cb) -> bool {
            auto *b = static_cast<circuit_breaker *>(cb);
            if (!breaker_idle(b)) return liveness_probe_fail("the breaker is still processing failures");
            return breaker_status(b) == BREAKER_OPEN || liveness_probe_fail("the breaker is still closed");
        };
        liveness_sync_operation(cast_three, is_open, b, nullptr);
    };
    EXPECT_TRUE(Liveness(liveness_assert_emitted("breaker.state_change", R"({"to":"open"})", 1, trip_async, &breaker)));
    EXPECT_EQ(breaker_status(&breaker), BREAKER_OPEN);
}

TEST_F(CircuitBreaker, SuccessfulCallIsEmitted) {
    auto call = [](void *b) {
        breaker_call(static_cast<circuit_breaker *>(b), [](void *) -> bool { return true; }, nullptr);
    };
    EXPECT_TRUE(Liveness(liveness_assert_emitted("breaker.call_success", nullptr, LIVENESS_ANY_COUNT, call, &breaker)));
}

TEST_F(CircuitBreaker, AWrongExpectationShowsWhatWasEmitted) {
    auto fail_once = [](void *b) { breaker_record_failure(static_cast<circuit_breaker *>(b)); };
    const char *order[] = {"breaker.state_change"};
    EXPECT_TRUE(Liveness(liveness_assert_emitted_in_order(order, 1, fail_once, &breaker), LIVENESS_EVENT_ASSERTION));
    EXPECT_NE(std::strstr(liveness_last_error_message(), "nothing matched"), nullptr) << liveness_last_error_message();
}

}  // namespace
