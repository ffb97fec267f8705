/* A user's first tests of liveness, built against the extracted release tarball only
 * (`make test-dist-c`): a wait that holds, one that times out with its report, an emitted event
 * seen by a capture, and the library's version. One program, one case per run:
 *   test_dist holds|times_out|capture|version|all
 * Built twice by CMakeLists.txt (libliveness.so and libliveness.a) and once more with each
 * pkg-config line of the README. Nothing here sleeps: every wait goes through liveness. */
#include <liveness.h>
#include <stdio.h>
#include <string.h>

#ifndef LIVENESS_EXPECTED_VERSION
#error "build with -DLIVENESS_EXPECTED_VERSION=\"x.y.z\" (the tarball's version)"
#endif

static int failures = 0;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            fprintf(stderr, "  last liveness message: %s\n", liveness_last_error_message()); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* A job that finishes on its third look: stands for a real condition. */
static bool job_finished(void *ctx) {
    int *polls = ctx;
    return ++*polls >= 3 || liveness_probe_fail("job still running");
}

static bool never_done(void *ctx) {
    (void)ctx;
    return liveness_probe_fail("job still running");
}

static void holds(void) {
    int polls = 0;
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = 5000;
    CHECK(liveness_eventually(job_finished, &polls, &opts) == LIVENESS_OK);
    CHECK(polls == 3);
}

static void times_out(void) {
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = 100;
    opts.message = "the job is done";
    CHECK(liveness_eventually(never_done, NULL, &opts) == LIVENESS_TIMEOUT);
    const char *msg = liveness_last_error_message();
    CHECK(strstr(msg, "eventually \"the job is done\": not met after 0.10 s") == msg);
    CHECK(strstr(msg, "job still running") != NULL);
}

static void capture(void) {
    const char *patterns[] = {"job.*"};
    liveness_capture *cap = NULL;
    CHECK(liveness_capture_open(patterns, 1, &cap) == LIVENESS_OK);
    const char *names[] = {"rows"};
    const double values[] = {3};
    CHECK(liveness_emit("job.done", names, values, 1, "{\"queue\":\"mail\"}") == LIVENESS_OK);
    CHECK(liveness_emit("other.thing", NULL, NULL, 0, NULL) == LIVENESS_OK);
    size_t n = 0;
    CHECK(liveness_capture_count(cap, &n) == LIVENESS_OK);
    CHECK(n == 1);
    char *json = NULL;
    CHECK(liveness_capture_events_json(cap, &json) == LIVENESS_OK);
    CHECK(json && strstr(json, "\"job.done\"") && strstr(json, "\"mail\"") && !strstr(json, "other.thing"));
    liveness_string_free(json);
    liveness_capture_close(cap);
}

static void version(void) {
    CHECK(strcmp(liveness_version(), LIVENESS_EXPECTED_VERSION) == 0);
    CHECK(strcmp(LIVENESS_VERSION, LIVENESS_EXPECTED_VERSION) == 0); /* the header agrees */
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {{"holds", holds}, {"times_out", times_out}, {"capture", capture}, {"version", version}};
    const char *which = argc > 1 ? argv[1] : "all";
    int ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(which, "all") == 0 || strcmp(which, cases[i].name) == 0) {
            cases[i].run();
            ran++;
        }
    }
    if (ran == 0) {
        fprintf(stderr, "unknown case %s\n", which);
        return 2;
    }
    if (failures == 0) printf("%s: %d case(s) passed (liveness %s)\n", which, ran, liveness_version());
    return failures == 0 ? 0 : 1;
}
