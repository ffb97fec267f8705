/*
 * liveness_cmocka.h: assert_eventually(expr) and assert_liveness_ok(call) in cmocka tests. The
 * failing cases run in a child process (this binary re-run with an argument), whose output is
 * checked: cmocka prints liveness's report, then "file:line: error: Failure!".
 */
#include <liveness_cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/services.h"

static liveness_options quick(double timeout_ms) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = timeout_ms;
    return o;
}

static int virtual_clock(void **state) {
    (void)state;
    return liveness_virtual_clock_install() == LIVENESS_OK ? 0 : -1;
}

static int real_clock(void **state) {
    (void)state;
    return liveness_virtual_clock_uninstall() == LIVENESS_OK ? 0 : -1;
}

static void passes_once_the_expression_holds(void **state) {
    (void)state;
    int n = 0;
    assert_eventually(++n == 3);
    assert_int_equal(n, 3);
}

/* ---- the failing cases, run only in the child ---- */

static const char *const never_emitted = "job.done";

static void times_out(void **state) {
    (void)state;
    liveness_options o = quick(100);
    int jobs_done = 0;
    assert_eventually_with(jobs_done == 3, &o);
}

static void emit_one_other(void *ctx) {
    (void)ctx;
    double ms = 12;
    const char *names[] = {"duration_ms"};
    liveness_emit("job.started", names, &ms, 1, "{\"job\":\"build\"}");
}

static void event_not_emitted(void **state) {
    (void)state;
    assert_liveness_ok(liveness_assert_emitted(never_emitted, "{\"job\":\"build\"}", 1, emit_one_other, NULL));
}

static int run_failing(const char *which) {
    const struct CMUnitTest timeout[] = {
        cmocka_unit_test_setup_teardown(times_out, virtual_clock, real_clock),
    };
    const struct CMUnitTest event[] = {
        cmocka_unit_test(event_not_emitted),
    };
    if (strcmp(which, "timeout") == 0) return cmocka_run_group_tests_name("failing (timeout)", timeout, NULL, NULL);
    return cmocka_run_group_tests_name("failing (event)", event, NULL, NULL);
}

/* Runs this binary with `which`, returning its exit status and its output (stdout + stderr). */
static int run_child(const char *self, const char *which, char *out, size_t size) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        execl(self, self, which, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t got;
    while (used + 1 < size && (got = read(fds[0], out + used, size - 1 - used)) > 0) used += (size_t)got;
    out[used] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0); /* the child's wait is on the virtual clock: it ends by itself */
    return status;
}

static char self_path[4096];

static void a_timeout_fails_with_the_report_and_the_line(void **state) {
    (void)state;
    char out[8192];
    int status = run_child(self_path, "timeout", out, sizeof out);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1); /* one failed test */
    assert_non_null(strstr(out, "eventually \"jobs_done == 3\": not met after 0.10 s"));
    assert_non_null(strstr(out, "last: returned false"));
    assert_non_null(strstr(out, "test_inline_cmocka.c:"));
    assert_non_null(strstr(out, ": error: Failure!"));
    assert_non_null(strstr(out, "[  FAILED  ] times_out"));
}

static void an_event_assertion_fails_with_the_listed_events(void **state) {
    (void)state;
    char out[8192];
    int status = run_child(self_path, "event", out, sizeof out);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    assert_non_null(strstr(out, "LIVENESS_EVENT_ASSERTION: "));
    assert_non_null(strstr(out, "job.done"));
    assert_non_null(strstr(out, "job.started")); /* what was emitted instead */
    assert_non_null(strstr(out, ": error: Failure!"));
}

int main(int argc, char **argv) {
    if (argc > 1) return run_failing(argv[1]);
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n <= 0) return 2;
    self_path[n] = '\0';
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes_once_the_expression_holds),
        cmocka_unit_test(a_timeout_fails_with_the_report_and_the_line),
        cmocka_unit_test(an_event_assertion_fails_with_the_listed_events),
    };
    return cmocka_run_group_tests_name("liveness_cmocka.h", tests, NULL, NULL);
}
