/* The library's own facts: version, status names, the last-error text. */
#include "support/harness.h"

TEST(version_matches_header) {
    EXPECT(strcmp(liveness_version(), LIVENESS_VERSION) == 0);
}

TEST(status_names_are_fixed) {
    EXPECT(LIVENESS_OK == 0 && LIVENESS_TIMEOUT == 1 && LIVENESS_VIOLATED == 2 &&
           LIVENESS_INVALID_ARGUMENT == 3 && LIVENESS_PROBE_FAILED == 4 &&
           LIVENESS_EVENT_ASSERTION == 5 && LIVENESS_INTERNAL == 6);
    EXPECT(strcmp(liveness_status_name(LIVENESS_OK), "LIVENESS_OK") == 0);
    EXPECT(strcmp(liveness_status_name(LIVENESS_TIMEOUT), "LIVENESS_TIMEOUT") == 0);
    EXPECT(strcmp(liveness_status_name(LIVENESS_EVENT_ASSERTION), "LIVENESS_EVENT_ASSERTION") == 0);
    EXPECT(strcmp(liveness_status_name(LIVENESS_INTERNAL), "LIVENESS_INTERNAL") == 0);
}

TEST(unknown_status_numbers_have_a_name_too) {
    EXPECT(strcmp(liveness_status_name(99), "LIVENESS_UNKNOWN_STATUS") == 0);
    EXPECT(strcmp(liveness_status_name(-1), "LIVENESS_UNKNOWN_STATUS") == 0);
}

static bool yes(void *ctx) {
    (void)ctx;
    return true;
}

TEST(last_error_is_empty_after_success_and_never_null) {
    EXPECT(liveness_last_error_message() != NULL);
    EXPECT_STATUS(liveness_eventually(NULL, NULL, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT(strlen(liveness_last_error_message()) > 0);
    EXPECT_OK(liveness_eventually(yes, NULL, NULL));
    EXPECT(strcmp(liveness_last_error_message(), "") == 0);
}

#include <pthread.h>

static void *read_message_on_fresh_thread(void *out) {
    snprintf(out, 256, "%s", liveness_last_error_message());
    return NULL;
}

TEST(last_error_belongs_to_the_calling_thread) {
    EXPECT_STATUS(liveness_emit("not a name", NULL, NULL, 0, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("not a name");
    char seen[256] = "not read";
    pthread_t t;
    EXPECT(pthread_create(&t, NULL, read_message_on_fresh_thread, seen) == 0);
    /* A plain join, not liveness_eventually(): any liveness call here would clear the very
     * message this test looks at. The thread makes one call and ends. */
    pthread_join(t, NULL);
    EXPECT(strcmp(seen, "") == 0);
    EXPECT_MESSAGE("not a name");
}

TEST(options_default_values) {
    liveness_options o = liveness_options_default();
    EXPECT(o.struct_size == sizeof(liveness_options));
    EXPECT(o.timeout_ms == 5000.0);
    EXPECT(o.interval_ms == LIVENESS_ADAPTIVE_INTERVAL);
    EXPECT(o.min_interval_ms == 1.0);
    EXPECT(o.max_interval_ms == 50.0);
    EXPECT(o.delay_ms == 0.0);
    EXPECT(o.attempts == LIVENESS_NO_ATTEMPT_LIMIT);
    EXPECT(o.message == NULL);
    EXPECT(o.stable_for_ms == 0.0);
    EXPECT(o.wake_on == NULL && o.wake_on_len == 0);
    EXPECT(o.wake_on_path == NULL && o.wake_on_path_len == 0);
}

TEST(string_free_and_capture_close_accept_null) {
    liveness_string_free(NULL);
    liveness_capture_close(NULL);
    EXPECT(1);
}

RUN_TESTS()
