/* liveness_unity.h against a stub unity.h (support/unity_stub: Unity is not installable here):
 * the adapter compiles as strict C11 and fails through UNITY_TEST_FAIL(__LINE__, report). */
#include <liveness_unity.h>

#include <stdio.h>
#include <string.h>

int unity_stub_failures;
int unity_stub_line;
char unity_stub_message[4096];

void unity_stub_fail(const char *message, int line) {
    unity_stub_failures++;
    unity_stub_line = line;
    snprintf(unity_stub_message, sizeof unity_stub_message, "%s", message);
}

static void emit_started(void *ctx) {
    (void)ctx;
    liveness_emit("job.started", NULL, NULL, 0, NULL);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: expected %s (message: %s)\n", __FILE__, __LINE__, #cond,       \
                    unity_stub_message);                                                           \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

int main(void) {
    int n = 0;
    TEST_ASSERT_EVENTUALLY(++n == 3);
    CHECK(n == 3 && unity_stub_failures == 0);

    if (liveness_virtual_clock_install() != LIVENESS_OK) return 1;
    liveness_options o = liveness_options_default();
    o.timeout_ms = 100;
    int jobs_done = 0;
    int line = __LINE__ + 1;
    TEST_ASSERT_EVENTUALLY_WITH(jobs_done == 3, &o);
    CHECK(unity_stub_failures == 1 && unity_stub_line == line);
    CHECK(strstr(unity_stub_message, "eventually \"jobs_done == 3\": not met after 0.10 s") == unity_stub_message);
    liveness_virtual_clock_uninstall();

    TEST_ASSERT_LIVENESS_OK(liveness_assert_emitted("job.done", NULL, 1, emit_started, NULL));
    CHECK(unity_stub_failures == 2 && strstr(unity_stub_message, "job.started") != NULL);
    printf("liveness_unity.h: 3 checks passed (against the unity.h stub)\n");
    return 0;
}
