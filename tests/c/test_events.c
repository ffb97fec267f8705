/* Events from C: emit, has_subscribers, attach/detach with a handler, captures, wake hints. */
#include "support/harness.h"
#include "support/worker.h"

#include <stdatomic.h>

TEST(emit_with_nothing_attached_succeeds) {
    const char *names[] = {"ms", "bytes"};
    double values[] = {1.5, 42};
    EXPECT_OK(liveness_emit("job.done", names, values, 2, "{\"id\": 7, \"tags\": [\"a\"]}"));
    EXPECT_OK(liveness_emit("job.done", NULL, NULL, 0, NULL));
}

TEST(emit_rejects_bad_names_even_with_nothing_attached) {
    EXPECT_STATUS(liveness_emit(NULL, NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`name` is NULL");
    EXPECT_STATUS(liveness_emit("", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_emit("a..b", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("a..b");
    EXPECT_STATUS(liveness_emit("job done", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_emit("job.*", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_emit("job.\xff", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("UTF-8");
}

TEST(emit_rejects_bad_payloads) {
    double values[] = {1};
    const char *names[] = {"ms"};
    const char *null_name[] = {NULL};
    EXPECT_STATUS(liveness_emit("job.done", NULL, values, 1, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("measurement_names");
    EXPECT_STATUS(liveness_emit("job.done", names, NULL, 1, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("measurement_values");
    EXPECT_STATUS(liveness_emit("job.done", null_name, values, 1, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("measurement_names[0]");
    EXPECT_STATUS(liveness_emit("job.done", NULL, NULL, 0, "{\"id\": "), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("not valid JSON");
    EXPECT_STATUS(liveness_emit("job.done", NULL, NULL, 0, "[1, 2]"), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("JSON object");
    EXPECT_STATUS(liveness_emit("job.done", NULL, NULL, 0, "{\"k\": \"\xff\"}"), LIVENESS_INVALID_ARGUMENT);
}

typedef struct {
    atomic_int calls;
    char last[512];
    bool fail;
} recorder;

static bool record(const char *event_json, void *ctx) {
    recorder *r = ctx;
    snprintf(r->last, sizeof r->last, "%s", event_json);
    atomic_fetch_add(&r->calls, 1);
    return !r->fail;
}

TEST(attached_handlers_get_the_event_as_json) {
    recorder r = {0};
    const char *patterns[] = {"job.*"};
    EXPECT_OK(liveness_attach("test.recorder", patterns, 1, record, &r));
    EXPECT(liveness_has_subscribers("job.done"));
    EXPECT(!liveness_has_subscribers("queue.done"));
    const char *names[] = {"ms"};
    double values[] = {2.5};
    EXPECT_OK(liveness_emit("job.done", names, values, 1, "{\"id\":7}"));
    EXPECT_OK(liveness_emit("queue.done", NULL, NULL, 0, NULL));
    EXPECT(atomic_load(&r.calls) == 1);
    EXPECT_CONTAINS(r.last, "\"name\":\"job.done\"");
    EXPECT_CONTAINS(r.last, "\"measurements\":{\"ms\":2.5}");
    EXPECT_CONTAINS(r.last, "\"metadata\":{\"id\":7}");
    EXPECT(liveness_detach("test.recorder"));
    EXPECT(!liveness_detach("test.recorder"));
    EXPECT(!liveness_has_subscribers("job.done"));
    EXPECT_OK(liveness_emit("job.done", NULL, NULL, 0, NULL));
    EXPECT(atomic_load(&r.calls) == 1);
}

TEST(attach_rejects_bad_arguments) {
    recorder r = {0};
    const char *ok[] = {"job.*"};
    const char *bad[] = {"job..x"};
    const char *null_pattern[] = {NULL};
    EXPECT_STATUS(liveness_attach(NULL, ok, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`id` is NULL");
    EXPECT_STATUS(liveness_attach("", ok, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_attach("x", NULL, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_attach("x", ok, 0, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("at least one event pattern");
    EXPECT_STATUS(liveness_attach("x", bad, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("job..x");
    EXPECT_STATUS(liveness_attach("x", null_pattern, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("patterns[0]");
    EXPECT_STATUS(liveness_attach("x", ok, 1, NULL, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`handler` is NULL");
    EXPECT_OK(liveness_attach("x", ok, 1, record, &r));
    EXPECT_STATUS(liveness_attach("x", ok, 1, record, &r), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already attached");
    EXPECT(liveness_detach("x"));
    EXPECT(!liveness_detach(NULL));
    EXPECT_MESSAGE("`id` is NULL");
}

TEST(has_subscribers_rejects_bad_names) {
    EXPECT(!liveness_has_subscribers(NULL));
    EXPECT_MESSAGE("`name` is NULL");
    EXPECT(!liveness_has_subscribers("a..b"));
    EXPECT_MESSAGE("a..b");
}

TEST(a_failing_handler_is_detached_and_reported_as_an_event) {
    recorder failing = {0};
    failing.fail = true;
    const char *patterns[] = {"job.*"};
    EXPECT_OK(liveness_attach("test.failing", patterns, 1, record, &failing));
    const char *all[] = {"liveness.handler.failure"};
    liveness_capture *cap = NULL;
    EXPECT_OK(liveness_capture_open(all, 1, &cap));
    EXPECT_OK(liveness_emit("job.done", NULL, NULL, 0, NULL)); /* the emitter is unaffected */
    EXPECT_OK(liveness_emit("job.done", NULL, NULL, 0, NULL));
    EXPECT(atomic_load(&failing.calls) == 1);                 /* detached after its failure */
    EXPECT(!liveness_detach("test.failing"));
    char *json = NULL;
    EXPECT_OK(liveness_capture_events_json(cap, &json));
    EXPECT_CONTAINS(json, "\"handler\":\"test.failing\"");
    EXPECT_CONTAINS(json, "\"event\":\"job.done\"");
    liveness_string_free(json);
    liveness_capture_close(cap);
}

static void emit_three(void *arg) {
    const char *name = arg;
    for (int i = 0; i < 3; i++) liveness_emit(name, NULL, NULL, 0, NULL);
}

TEST(capture_records_events_from_every_thread_in_order) {
    const char *patterns[] = {"job.**"};
    liveness_capture *cap = NULL;
    EXPECT_OK(liveness_capture_open(patterns, 1, &cap));
    EXPECT_OK(liveness_emit("job.started", NULL, NULL, 0, NULL));
    worker w;
    EXPECT(worker_start(&w, emit_three, "job.step.done"));
    EXPECT_OK(worker_join(&w));
    EXPECT_OK(liveness_emit("other.thing", NULL, NULL, 0, NULL));
    EXPECT_OK(liveness_emit("job", NULL, NULL, 0, NULL)); /* `job.**` matches zero segments too */
    size_t n = 0;
    EXPECT_OK(liveness_capture_count(cap, &n));
    EXPECT(n == 5);
    char *json = NULL;
    EXPECT_OK(liveness_capture_events_json(cap, &json));
    EXPECT(json[0] == '[');
    const char *started = strstr(json, "job.started");
    const char *step = strstr(json, "job.step.done");
    EXPECT(started && step && started < step);
    EXPECT(strstr(json, "other.thing") == NULL);
    liveness_string_free(json);
    liveness_capture_close(cap);
    EXPECT(!liveness_has_subscribers("job.started"));
}

TEST(capture_rejects_bad_arguments) {
    const char *ok[] = {"job.*"};
    const char *bad[] = {"**.job"};
    liveness_capture *cap = (liveness_capture *)&cap;
    EXPECT_STATUS(liveness_capture_open(ok, 1, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out` is NULL");
    EXPECT_STATUS(liveness_capture_open(bad, 1, &cap), LIVENESS_INVALID_ARGUMENT);
    EXPECT(cap == NULL);
    EXPECT_STATUS(liveness_capture_open(NULL, 0, &cap), LIVENESS_INVALID_ARGUMENT);
    char *json = NULL;
    size_t n = 0;
    EXPECT_STATUS(liveness_capture_events_json(NULL, &json), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`capture` is NULL");
    EXPECT_STATUS(liveness_capture_count(NULL, &n), LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_capture_open(ok, 1, &cap));
    EXPECT_STATUS(liveness_capture_events_json(cap, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`out_json` is NULL");
    EXPECT_STATUS(liveness_capture_count(cap, NULL), LIVENESS_INVALID_ARGUMENT);
    liveness_capture_close(cap);
}

/* Wake hints: the probe is re-evaluated at once when a matching event is emitted. The schedule
 * alone would evaluate again only after 10 minutes, so a wait that returns at all was woken. */
typedef struct {
    atomic_bool ready;
    atomic_bool seen;
    worker announcer;
    bool started;
} wake_case;

static bool seen_by_waiter(void *p) {
    wake_case *c = p;
    liveness_emit("job.done", NULL, NULL, 0, NULL);
    return atomic_load(&c->seen) || liveness_probe_fail("the waiter has not seen it yet");
}

static void announce(void *p) {
    wake_case *c = p;
    atomic_store(&c->ready, true);
    /* The system keeps announcing until the waiter saw it: an emit that lands while the waiter is
     * evaluating is not a hint, so a single emit could be missed. */
    liveness_eventually(seen_by_waiter, c, NULL);
}

static bool job_done(void *p) {
    wake_case *c = p;
    if (!c->started) {
        c->started = true;
        worker_start(&c->announcer, announce, c);
    }
    if (!atomic_load(&c->ready)) return liveness_probe_fail("job not done");
    atomic_store(&c->seen, true);
    return true;
}

TEST(wake_on_re_evaluates_when_a_matching_event_is_emitted) {
    wake_case c = {0};
    const char *wake_on[] = {"job.*"};
    liveness_options o = liveness_options_default();
    o.timeout_ms = 600000;
    o.interval_ms = 600000;
    o.wake_on = wake_on;
    o.wake_on_len = 1;
    EXPECT_OK(liveness_eventually(job_done, &c, &o));
    EXPECT_OK(worker_join(&c.announcer));
}

/* Issue 10, point 6: handlers that re-emit and ignore the emit's status (they return true)
 * used to fan out exponentially: three of them made 64,570,080 calls for one emit (77.9 s). The
 * bus now bounds the cascade one emit may cause; the handlers that crossed it are detached and
 * reported, and the emitter gets LIVENESS_OK. */
static atomic_int cascade_calls;

static bool re_emit(const char *event_json, void *ctx) {
    (void)event_json;
    (void)ctx;
    /* The guard stops an unbounded cascade soon enough for the test to fail instead of hang. */
    if (atomic_fetch_add(&cascade_calls, 1) < 200000) liveness_emit("cascade.go", NULL, NULL, 0, NULL);
    return true;
}

TEST(handlers_that_re_emit_are_bounded_detached_and_reported) {
    const char *patterns[] = {"cascade.go"};
    const char *failures[] = {"liveness.handler.failure"};
    liveness_capture *cap = NULL;
    EXPECT_OK(liveness_capture_open(failures, 1, &cap));
    EXPECT_OK(liveness_attach("cascade.a", patterns, 1, re_emit, NULL));
    EXPECT_OK(liveness_attach("cascade.b", patterns, 1, re_emit, NULL));
    EXPECT_OK(liveness_attach("cascade.c", patterns, 1, re_emit, NULL));
    EXPECT_OK(liveness_emit("cascade.go", NULL, NULL, 0, NULL)); /* the emitter is unaffected */
    EXPECT(atomic_load(&cascade_calls) <= 10000 + 3);
    EXPECT(!liveness_has_subscribers("cascade.go")); /* all three were detached */
    char *json = NULL;
    EXPECT_OK(liveness_capture_events_json(cap, &json));
    EXPECT_CONTAINS(json, "\"handler\":\"cascade.a\"");
    EXPECT_CONTAINS(json, "\"handler\":\"cascade.b\"");
    EXPECT_CONTAINS(json, "\"handler\":\"cascade.c\"");
    EXPECT_CONTAINS(json, "re-triggering");
    liveness_string_free(json);
    liveness_capture_close(cap);
}

/* Issue 10, point 1 (the C side of "the same nesting limit in every binding"): metadata nested
 * deeper than 128 is an invalid emit with a message, with or without a listener. */
TEST(metadata_nested_deeper_than_128_is_invalid) {
    char deep[2 * 200 + 16];
    size_t n = 0;
    n += (size_t)sprintf(deep + n, "{\"k\":");
    for (int i = 0; i < 200; i++) deep[n++] = '[';
    for (int i = 0; i < 200; i++) deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    EXPECT_STATUS(liveness_emit("deep.meta", NULL, NULL, 0, deep), LIVENESS_INVALID_ARGUMENT);
    const char *patterns[] = {"deep.**"};
    liveness_capture *cap = NULL;
    EXPECT_OK(liveness_capture_open(patterns, 1, &cap));
    EXPECT_STATUS(liveness_emit("deep.meta", NULL, NULL, 0, deep), LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_emit("deep.meta", NULL, NULL, 0, "{\"k\":[[[1]]]}"));
    size_t count = 0;
    EXPECT_OK(liveness_capture_count(cap, &count));
    EXPECT(count == 1); /* the capture is still usable */
    liveness_capture_close(cap);
}

static void emit_tick(void *ctx) {
    (void)ctx;
    const char *names[] = {"count"};
    double one = 1.0;
    liveness_emit("metrics.tick", names, &one, 1, NULL);
}

TEST(integer_measurements_read_back_as_integers) {
    /* Issue 13, point 14: a double without a fraction is an integer in the JSON ("count":1, not
     * 1.0); 0.5 stays 0.5. (An event emitted from Rust with an integer: capi/src/tests.rs.) */
    const char *patterns[] = {"metrics.*"};
    liveness_capture *cap = NULL;
    EXPECT_OK(liveness_capture_open(patterns, 1, &cap));
    const char *names[] = {"count", "ratio", "big"};
    double values[] = {1.0, 0.5, -3.0};
    EXPECT_OK(liveness_emit("metrics.tick", names, values, 3, NULL));
    char *json = NULL;
    EXPECT_OK(liveness_capture_events_json(cap, &json));
    EXPECT_CONTAINS(json, "\"count\":1,");
    EXPECT_CONTAINS(json, "\"ratio\":0.5");
    EXPECT_CONTAINS(json, "\"big\":-3,");
    /* Not a bare "1.0": the event's "at" time may contain it. */
    EXPECT(strstr(json, "\"count\":1.0") == NULL && strstr(json, "\"big\":-3.0") == NULL);
    liveness_string_free(json);
    liveness_capture_close(cap);
    /* ... and where a handler sees it, and where an assertion lists it. */
    EXPECT_STATUS(liveness_assert_emitted("metrics.other", NULL, 1, emit_tick, NULL), LIVENESS_EVENT_ASSERTION);
    EXPECT_MESSAGE("metrics.tick {\"count\":1}");
}

RUN_TESTS()
