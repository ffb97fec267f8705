/* The rules of the header's preamble that liveness checks: freed and foreign handles, strings
 * freed twice or never handed out, and liveness_detach_wait() waiting for a handler that is
 * running on another thread (issue 10, "Rules to write down"). */
#include "support/harness.h"
#include "support/worker.h"

#include <stdatomic.h>

static const char *everything[] = {"**"};

TEST(a_closed_capture_is_invalid_argument_not_garbage) {
    liveness_capture *c = NULL;
    EXPECT_OK(liveness_capture_open(everything, 1, &c));
    EXPECT_OK(liveness_emit("handles.one", NULL, NULL, 0, NULL));
    size_t n = 99;
    EXPECT_OK(liveness_capture_count(c, &n));
    EXPECT(n == 1);
    liveness_capture_close(c);
    EXPECT_STATUS(liveness_capture_count(c, &n), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already freed");
    char *json = (char *)"untouched";
    EXPECT_STATUS(liveness_capture_events_json(c, &json), LIVENESS_INVALID_ARGUMENT);
    EXPECT(json == NULL);
    /* A new capture reuses the slot with a new generation: the old handle stays dead. */
    liveness_capture *d = NULL;
    EXPECT_OK(liveness_capture_open(everything, 1, &d));
    EXPECT(d != c);
    EXPECT_STATUS(liveness_capture_count(c, &n), LIVENESS_INVALID_ARGUMENT);
    EXPECT_OK(liveness_capture_count(d, &n));
    EXPECT(n == 0);
    liveness_capture_close(d);
}

TEST(closing_a_capture_twice_is_caught) {
    liveness_capture *c = NULL;
    EXPECT_OK(liveness_capture_open(everything, 1, &c));
    liveness_capture_close(c);
    EXPECT(strcmp(liveness_last_error_message(), "") == 0);
    liveness_capture_close(c);
    EXPECT_MESSAGE("already freed");
}

TEST(a_freed_poller_is_invalid_argument) {
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p));
    liveness_poller_free(p);
    liveness_step s;
    EXPECT_STATUS(liveness_poller_next(p, 0, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already freed");
    EXPECT_STATUS(liveness_poller_started(p, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_accepted(p, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_wake(p, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_prepared(p, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_STATUS(liveness_poller_abandon(p, 0), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("already freed");
    liveness_poller_free(p);
    EXPECT_MESSAGE("already freed");
}

TEST(handles_of_the_wrong_kind_or_not_from_liveness_are_invalid_argument) {
    liveness_capture *c = NULL;
    EXPECT_OK(liveness_capture_open(everything, 1, &c));
    liveness_step s;
    EXPECT_STATUS(liveness_poller_next((liveness_poller *)c, 0, &s), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("not a liveness_poller handle");
    int local = 0;
    size_t n;
    EXPECT_STATUS(liveness_capture_count((liveness_capture *)&local, &n), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("not a liveness_capture handle");
    liveness_capture_close((liveness_capture *)&local); /* left alone */
    EXPECT_MESSAGE("not a liveness_capture handle");
    liveness_capture_close(c);
}

TEST(string_free_catches_double_frees_and_static_strings) {
    liveness_capture *c = NULL;
    EXPECT_OK(liveness_capture_open(everything, 1, &c));
    char *json = NULL;
    EXPECT_OK(liveness_capture_events_json(c, &json));
    liveness_string_free(json);
    EXPECT(strcmp(liveness_last_error_message(), "") == 0);
    liveness_string_free(json);
    EXPECT_MESSAGE("not a string liveness handed out");
    liveness_string_free((char *)liveness_version());
    EXPECT_MESSAGE("not a string liveness handed out");
    EXPECT(strcmp(liveness_version(), LIVENESS_VERSION) == 0); /* still there */
    char mine[] = "mine";
    liveness_string_free(mine);
    EXPECT_MESSAGE("left alone");
    liveness_capture_close(c);
}

/* liveness_detach_wait(): a handler blocked inside a call on another thread. */
typedef struct {
    atomic_int entered, release, finished, detach_returned, finished_when_detach_returned;
} blocking;

static bool flag_set(void *ctx) { return atomic_load((atomic_int *)ctx) != 0; }
static bool flag_clear(void *ctx) { return atomic_load((atomic_int *)ctx) == 0; }

static bool blocking_handler(const char *event_json, void *ctx) {
    (void)event_json;
    blocking *b = ctx;
    atomic_store(&b->entered, 1);
    liveness_options o = liveness_options_default();
    o.timeout_ms = 30000;
    liveness_eventually(flag_set, &b->release, &o);
    atomic_store(&b->finished, 1);
    return true;
}

static void emit_once(void *arg) {
    (void)arg;
    liveness_emit("handles.blocking", NULL, NULL, 0, NULL);
}

static void detach_waiting(void *arg) {
    blocking *b = arg;
    liveness_detach_wait("handles.blocking");
    atomic_store(&b->finished_when_detach_returned, atomic_load(&b->finished));
    atomic_store(&b->detach_returned, 1);
}

TEST(detach_wait_waits_for_a_call_running_on_another_thread) {
    static blocking b; /* static: the threads may outlive a failed case */
    const char *patterns[] = {"handles.blocking"};
    EXPECT_OK(liveness_attach("handles.blocking", patterns, 1, blocking_handler, &b));
    worker emitter, detacher;
    EXPECT(worker_start(&emitter, emit_once, NULL));
    EXPECT_OK(liveness_eventually(flag_set, &b.entered, NULL));
    EXPECT(worker_start(&detacher, detach_waiting, &b));
    /* While the handler is inside its call, liveness_detach_wait() does not return. */
    EXPECT_OK(liveness_always(flag_clear, &b.detach_returned, 200, NULL));
    atomic_store(&b.release, 1);
    EXPECT_OK(worker_join(&detacher));
    EXPECT(atomic_load(&b.finished_when_detach_returned) == 1);
    EXPECT_OK(worker_join(&emitter));
    EXPECT(!liveness_detach("handles.blocking")); /* it was detached */
}

static bool self_detaching(const char *event_json, void *ctx) {
    (void)event_json;
    *(bool *)ctx = liveness_detach_wait("handles.self");
    return true;
}

TEST(a_handler_may_detach_itself_with_detach_wait) {
    bool detached = false;
    const char *patterns[] = {"handles.self"};
    EXPECT_OK(liveness_attach("handles.self", patterns, 1, self_detaching, &detached));
    EXPECT_OK(liveness_emit("handles.self", NULL, NULL, 0, NULL)); /* does not wait for itself */
    EXPECT(detached);
    EXPECT(!liveness_detach_wait("handles.self"));
    EXPECT(!liveness_detach_wait(NULL));
    EXPECT_MESSAGE("`id` is NULL");
}

RUN_TESTS()
