/* The event assertions: assert_emitted (map-form and predicate where, count), assert_not_emitted,
 * assert_emitted_in_order, and their bad inputs. */
#include "support/harness.h"

typedef struct {
    int runs;
    const char *emit[4]; /* names to emit, NULL-terminated */
    const char *meta;
} block_case;

static void run_block(void *p) {
    block_case *b = p;
    b->runs++;
    for (int i = 0; i < 4 && b->emit[i]; i++) liveness_emit(b->emit[i], NULL, NULL, 0, b->meta);
}

TEST(assert_emitted_passes_when_the_block_emits) {
    block_case b = {0, {"breaker.state_change"}, "{\"to\":\"open\"}"};
    EXPECT_OK(liveness_assert_emitted("breaker.*", NULL, LIVENESS_ANY_COUNT, run_block, &b));
    EXPECT(b.runs == 1);
    EXPECT_OK(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\"}", 1, run_block, &b));
}

TEST(assert_emitted_fails_listing_what_was_emitted) {
    block_case b = {0, {"breaker.call_success", "breaker.state_change"}, "{\"to\":\"half_open\"}"};
    EXPECT_STATUS(liveness_assert_emitted("breaker.state_change", "{\"to\":\"open\"}", LIVENESS_ANY_COUNT,
                                          run_block, &b),
                  LIVENESS_EVENT_ASSERTION);
    EXPECT(b.runs == 1);
    EXPECT_MESSAGE("breaker.state_change");
    EXPECT_MESSAGE("breaker.call_success"); /* the events emitted during the block are listed */
    EXPECT_MESSAGE("half_open");            /* and the near miss says which metadata differed */
}

TEST(assert_emitted_counts_exactly) {
    block_case b = {0, {"job.done", "job.done"}, NULL};
    EXPECT_OK(liveness_assert_emitted("job.done", NULL, 2, run_block, &b));
    EXPECT_STATUS(liveness_assert_emitted("job.done", NULL, 1, run_block, &b), LIVENESS_EVENT_ASSERTION);
    EXPECT_MESSAGE("exactly 1");
    block_case none = {0, {NULL}, NULL};
    EXPECT_OK(liveness_assert_emitted("job.done", NULL, 0, run_block, &none));
}

TEST(assert_emitted_rejects_bad_arguments_before_running_the_block) {
    block_case b = {0, {"job.done"}, NULL};
    EXPECT_STATUS(liveness_assert_emitted(NULL, NULL, LIVENESS_ANY_COUNT, run_block, &b), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`pattern` is NULL");
    EXPECT_STATUS(liveness_assert_emitted("job..done", NULL, LIVENESS_ANY_COUNT, run_block, &b),
                  LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_assert_emitted("job.done", "{\"to\":", LIVENESS_ANY_COUNT, run_block, &b),
                  LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("where_json");
    EXPECT_STATUS(liveness_assert_emitted("job.done", "\"open\"", LIVENESS_ANY_COUNT, run_block, &b),
                  LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("JSON object");
    EXPECT_STATUS(liveness_assert_emitted("job.done", NULL, -2, run_block, &b), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("count");
    EXPECT_STATUS(liveness_assert_emitted("job.done", NULL, LIVENESS_ANY_COUNT, NULL, &b), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`block` is NULL");
    EXPECT_STATUS(liveness_assert_emitted("job.\xc3", NULL, LIVENESS_ANY_COUNT, run_block, &b),
                  LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("UTF-8");
    EXPECT(b.runs == 0);
}

static bool opened(const char *event_json, void *ctx) {
    int *seen = ctx;
    (*seen)++;
    return strstr(event_json, "\"to\":\"open\"") != NULL;
}

TEST(assert_emitted_matching_uses_the_predicate) {
    int seen = 0;
    block_case b = {0, {"breaker.state_change"}, "{\"to\":\"open\"}"};
    EXPECT_OK(liveness_assert_emitted_matching("breaker.state_change", opened, &seen, LIVENESS_ANY_COUNT, run_block, &b));
    EXPECT(seen >= 1);
    block_case closed = {0, {"breaker.state_change"}, "{\"to\":\"closed\"}"};
    EXPECT_STATUS(liveness_assert_emitted_matching("breaker.state_change", opened, &seen, LIVENESS_ANY_COUNT,
                                                   run_block, &closed),
                  LIVENESS_EVENT_ASSERTION);
    EXPECT_MESSAGE("predicate");
    EXPECT_STATUS(liveness_assert_emitted_matching("breaker.state_change", NULL, NULL, LIVENESS_ANY_COUNT,
                                                   run_block, &b),
                  LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`predicate` is NULL");
}

TEST(assert_not_emitted) {
    block_case quiet = {0, {"job.started"}, NULL};
    EXPECT_OK(liveness_assert_not_emitted("job.failed", NULL, run_block, &quiet));
    block_case loud = {0, {"job.started", "job.failed"}, "{\"code\":3}"};
    EXPECT_OK(liveness_assert_not_emitted("job.failed", "{\"code\":4}", run_block, &loud));
    EXPECT_STATUS(liveness_assert_not_emitted("job.failed", "{\"code\":3}", run_block, &loud),
                  LIVENESS_EVENT_ASSERTION);
    EXPECT_MESSAGE("job.failed");
    EXPECT_STATUS(liveness_assert_not_emitted("job.failed", "nope", run_block, &loud), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_assert_not_emitted("job.failed", NULL, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
}

TEST(assert_emitted_in_order) {
    block_case b = {0, {"job.queued", "job.noise", "job.started", "job.done"}, NULL};
    const char *order[] = {"job.queued", "job.started", "job.done"};
    EXPECT_OK(liveness_assert_emitted_in_order(order, 3, run_block, &b));
    const char *reversed[] = {"job.done", "job.queued"};
    EXPECT_STATUS(liveness_assert_emitted_in_order(reversed, 2, run_block, &b), LIVENESS_EVENT_ASSERTION);
    EXPECT_MESSAGE("in this order");
    EXPECT_STATUS(liveness_assert_emitted_in_order(order, 0, run_block, &b), LIVENESS_INVALID_ARGUMENT);
    const char *bad[] = {"job.queued", "job..x"};
    EXPECT_STATUS(liveness_assert_emitted_in_order(bad, 2, run_block, &b), LIVENESS_INVALID_ARGUMENT);
    EXPECT(b.runs == 2);
}

TEST(assertions_close_their_capture) {
    block_case b = {0, {"job.done"}, NULL};
    EXPECT_OK(liveness_assert_emitted("job.done", NULL, LIVENESS_ANY_COUNT, run_block, &b));
    EXPECT(!liveness_has_subscribers("job.done"));
}

RUN_TESTS()
