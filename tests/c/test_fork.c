/* fork() while another thread uses liveness (issue 10, point 4): 39 of 200 children used to hang
 * in the bus's lock. A thread keeps attaching, emitting, capturing and polling while the main
 * thread forks 200 times; each child uses the bus and a capture and a poller, checks the counts
 * and _exit()s. The parent waits for each child through liveness_eventually() (waitpid with
 * WNOHANG as the probe) and kills a child that hangs, so a regression fails, never hangs. */
#include "support/harness.h"
#include "support/worker.h"

#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 200

static atomic_int stop;
static atomic_int rounds;
static atomic_int idle_calls; /* the parent's idle handler (attached before any fork) */
static int child_calls;       /* the child's own handler (one thread in the child) */

static bool count_atomic(const char *event_json, void *ctx) {
    (void)event_json;
    atomic_fetch_add((atomic_int *)ctx, 1);
    return true;
}

static bool count_plain(const char *event_json, void *ctx) {
    (void)event_json;
    (*(int *)ctx)++;
    return true;
}

/* The other thread: every kind of bus and handle use, as fast as it can. */
static void busy(void *arg) {
    (void)arg;
    static atomic_int busy_calls;
    const char *patterns[] = {"fork.busy.**"};
    while (!atomic_load(&stop)) {
        liveness_attach("fork.busy", patterns, 1, count_atomic, &busy_calls);
        liveness_capture *c = NULL;
        liveness_capture_open(patterns, 1, &c);
        liveness_emit("fork.busy.a", NULL, NULL, 0, "{\"k\": [1, 2, 3]}");
        size_t n = 0;
        liveness_capture_count(c, &n);
        char *json = NULL;
        liveness_capture_events_json(c, &json);
        liveness_string_free(json);
        liveness_capture_close(c);
        liveness_detach("fork.busy");
        liveness_poller *p = NULL;
        liveness_step s;
        liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p);
        liveness_poller_next(p, 0, &s);
        liveness_poller_free(p);
        atomic_fetch_add(&rounds, 1);
    }
}

/* What a child does; the exit code says which check failed. */
static int child_body(void) {
    const char *mine[] = {"fork.child.**"};
    if (liveness_attach("fork.child", mine, 1, count_plain, &child_calls) != LIVENESS_OK) return 10;
    liveness_capture *c = NULL;
    if (liveness_capture_open(mine, 1, &c) != LIVENESS_OK) return 11;
    for (int i = 0; i < 3; i++)
        if (liveness_emit("fork.child.x", NULL, NULL, 0, "{\"i\": 1}") != LIVENESS_OK) return 12;
    size_t n = 0;
    if (liveness_capture_count(c, &n) != LIVENESS_OK || n != 3) return 13;
    if (child_calls != 3) return 14;
    char *json = NULL;
    if (liveness_capture_events_json(c, &json) != LIVENESS_OK || strstr(json, "fork.child.x") == NULL) return 15;
    liveness_string_free(json);
    liveness_capture_close(c);
    if (!liveness_detach("fork.child")) return 16;
    /* A handler the parent attached before forking, idle at the fork, is still attached here
     * (the copy of its counter in the child's memory counts the call). */
    int before = atomic_load(&idle_calls);
    if (liveness_emit("fork.idle.x", NULL, NULL, 0, NULL) != LIVENESS_OK) return 17;
    if (atomic_load(&idle_calls) != before + 1) return 18;
    liveness_poller *p = NULL;
    liveness_step s;
    if (liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, NULL, &p) != LIVENESS_OK) return 19;
    if (liveness_poller_next(p, 0, &s) != LIVENESS_OK || s.kind != LIVENESS_STEP_EVALUATE) return 20;
    liveness_poller_free(p);
    return 0;
}

typedef struct {
    pid_t pid;
    int status;
} child;

static bool child_exited(void *ctx) {
    child *c = ctx;
    pid_t got = waitpid(c->pid, &c->status, WNOHANG);
    if (got == c->pid) return true;
    if (got < 0) return liveness_probe_stop("waitpid failed");
    return liveness_probe_fail("the child has not exited: hung in liveness after fork()");
}

static bool enough_rounds(void *ctx) {
    return atomic_load(&rounds) >= *(int *)ctx || liveness_probe_fail("the busy thread is not running");
}

TEST(fork_while_another_thread_uses_the_bus_leaves_the_child_a_working_bus) {
    const char *idle[] = {"fork.idle.**"};
    EXPECT_OK(liveness_attach("fork.idle", idle, 1, count_atomic, &idle_calls));
    worker w;
    EXPECT(worker_start(&w, busy, NULL));
    liveness_options o = liveness_options_default();
    o.timeout_ms = 10000; /* a child does its work in well under a second, even under ASan */
    int hung = 0, failed = 0;
    for (int i = 0; i < FORKS; i++) {
        int want = i / 4 + 1; /* fork at varied points of the other thread's work */
        EXPECT_OK(liveness_eventually(enough_rounds, &want, NULL));
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) FAIL_AT("fork failed");
        if (pid == 0) _exit(child_body());
        child c = {pid, 0};
        if (liveness_eventually(child_exited, &c, &o) != LIVENESS_OK) {
            fprintf(stderr, "child %d (fork #%d): %s\n", (int)pid, i, liveness_last_error_message());
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            if (++hung >= 3) break; /* enough to know; do not wait out 200 bounds */
        } else if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) {
            fprintf(stderr, "child of fork #%d: %s %d\n", i, WIFEXITED(c.status) ? "exit code" : "signal",
                    WIFEXITED(c.status) ? WEXITSTATUS(c.status) : WTERMSIG(c.status));
            failed++;
        }
    }
    atomic_store(&stop, 1);
    EXPECT_OK(worker_join(&w));
    EXPECT(liveness_detach("fork.idle"));
    if (hung || failed) FAIL_AT("%d of %d children hung, %d failed", hung, FORKS, failed);
}

RUN_TESTS()
