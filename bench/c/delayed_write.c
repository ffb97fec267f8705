/* Delayed write (seed 004): a writer thread, standing in for the system under test and unchanged
 * by liveness, writes a result file some time after the start; each waiter reads the file until it
 * holds the result. Overshoot runs from the writer's clock reading right after the write (file
 * closed) to the wait returning; CPU is process CPU per second of waiting over a cell's
 * repetitions. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "failures.h"
#include "scenarios.h"
#include "stats.h"
#include "timing.h"
#include "waiters.h"

#define TRIAL_TIMEOUT_S 30.0

static const waiter WAKE_ON_PATH = {WAITER_LIVENESS, 0, WAKE_ON_PATH_LABEL};
static const waiter LIVENESS = {WAITER_LIVENESS, 0, "liveness"};
static const waiter HAND_1MS = {WAITER_HAND_LOOP, 1, "hand loop 1 ms"};
static const waiter HAND_10MS = {WAITER_HAND_LOOP, 10, "hand loop 10 ms"};
static const waiter PUSH = {WAITER_PUSH, 0, PUSH_LABEL};
static const waiter *const WAITERS[] = {&WAKE_ON_PATH, &LIVENESS, &HAND_1MS, &HAND_10MS, &PUSH};

typedef struct {
    double ready_ms;
    char path[512];
    const char *result;
    int64_t written_ns;
    int write_errno;
} trial_ctx;

static void *writer(void *arg) {
    trial_ctx *t = arg;
    sleep_ms(t->ready_ms); /* the system under test takes its time */
    FILE *f = fopen(t->path, "w");
    if (!f || fputs(t->result, f) == EOF || fclose(f) != 0) {
        t->write_errno = errno ? errno : EIO;
    }
    t->written_ns = mono_ns();
    push_notify(); /* only the push waiter listens */
    return NULL;
}

static bool has_result(void *ctx) {
    const trial_ctx *t = ctx;
    char buf[PARAMS_MAX_WORD + 1];
    FILE *f = fopen(t->path, "r");
    if (!f) {
        return false;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, t->result) == 0;
}

/* One trial in a fresh directory: overshoot in `*out_ms`, CPU and wall time of the wait added up. */
static bool trial(const waiter *w, double ready_ms, const char *result, double *out_ms, double *cpu_s,
                  double *wall_s, char *err, size_t errlen) {
    char dir[256];
    snprintf(dir, sizeof dir, "/tmp/bench-delayed-write-XXXXXX");
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
        return false;
    }
    trial_ctx t = {.ready_ms = ready_ms, .result = result};
    snprintf(t.path, sizeof t.path, "%s/result.txt", dir);
    int64_t cpu0 = process_cpu_ns(), wall0 = mono_ns();
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, writer, &t);
    if (rc != 0) {
        snprintf(err, errlen, "pthread_create: %s", strerror(rc));
        rmdir(dir);
        return false;
    }
    wait_outcome outcome =
        w == &WAKE_ON_PATH
            ? liveness_wait(has_result, &t, TRIAL_TIMEOUT_S, NULL, 0, t.path, err, errlen)
            : waiter_wait_until(w, has_result, &t, TRIAL_TIMEOUT_S, err, errlen);
    int64_t returned = mono_ns();
    *cpu_s += (double)(process_cpu_ns() - cpu0) / 1e9;
    *wall_s += (double)(returned - wall0) / 1e9;
    pthread_join(thread, NULL);
    unlink(t.path);
    rmdir(dir);
    if (t.write_errno) {
        snprintf(err, errlen, "writing %s: %s", t.path, strerror(t.write_errno));
        return false;
    }
    if (outcome == WAIT_TIMED_OUT) {
        snprintf(err, errlen, "the file was written but the wait timed out after %.0f s", TRIAL_TIMEOUT_S);
    }
    if (outcome != WAIT_HELD) {
        return false;
    }
    double ms = (double)(returned - t.written_ns) / 1e6;
    *out_ms = ms > 0 ? ms : 0;
    return true;
}

void delayed_write_run(const params *p, cJSON *records) {
    const delayed_write_params *d = &p->delayed_write;
    printf("\ndelayed write (ms from 'file written' to 'wait returned', p50 / p99; ms of CPU per s of waiting)\n");
    for (size_t wi = 0; wi < sizeof WAITERS / sizeof *WAITERS; wi++) {
        const waiter *w = WAITERS[wi];
        printf("  %-24s", w->label);
        fflush(stdout);
        for (size_t c = 0; c < d->cells; c++) {
            size_t reps = (size_t)d->reps[c];
            double *samples = malloc((reps ? reps : 1) * sizeof *samples);
            if (!samples) {
                failure("delayed_write", w->label, "out of memory");
                break;
            }
            double cpu_s = 0, wall_s = 0;
            char err[1024] = "";
            size_t n = 0;
            for (; n < reps; n++) {
                double phase = fmod((double)n * p->overshoot.phase_step, 1.0);
                if (!trial(w, (double)d->ready_ms[c] * (1.0 + phase), d->result, &samples[n], &cpu_s, &wall_s, err,
                           sizeof err)) {
                    break;
                }
            }
            if (n < reps) {
                free(samples);
                printf("\n");
                failure("delayed_write", w->label, "written at %llu ms: %s", (unsigned long long)d->ready_ms[c], err);
                break;
            }
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "scenario", "delayed_write");
            cJSON_AddStringToObject(r, "library", w->label);
            cJSON_AddNumberToObject(r, "ready_ms", (double)d->ready_ms[c]);
            stats_summary(samples, n, r);
            free(samples);
            double cpu = wall_s > 0 ? cpu_s * 1000.0 / wall_s : 0;
            cJSON_AddNumberToObject(r, "cpu_ms_per_s", cpu);
            printf(" %8.3f / %7.3f cpu %6.2f", cJSON_GetObjectItem(r, "p50_ms")->valuedouble,
                   cJSON_GetObjectItem(r, "p99_ms")->valuedouble, cpu);
            fflush(stdout);
            cJSON_AddItemToArray(records, r);
        }
        printf("\n");
    }
}
