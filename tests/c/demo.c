/*
 * The C door of `make demo`: every scenario of demo/scenarios.json through liveness' C API,
 * written to target/demo/c.json in the format of the other doors ({"door", "rows": [{scenario,
 * variant, wall_ms, failures, tests}]}). "Before" is the seed's own code: a fixed sleep, then act.
 * "After" waits for the state with liveness. Failures are counted, not raised, so one run shows
 * both time and flakiness. Same semantics as the Rust door (examples/src/demo/run.rs).
 *
 *   liveness_c_demo SCENARIOS.json OUT.json
 */
#define _GNU_SOURCE /* sched_getaffinity / CPU_COUNT: the hog uses the cores this process may use */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/services.h"
#include "support/json_file.h"

#define WAIT_TIMEOUT_MS 5000
#define MAX_HOGS 256

extern char **environ;

/* The file's "delay": delay_ms(i) (the formula is in demo/scenarios.json's _doc). */
typedef struct delay {
    int base_ms, step, spread_ms, tail_every, tail_ms;
} delay;

static int delay_ms(const delay *d, int i) {
    if (d->tail_every > 0 && i % d->tail_every == d->tail_every - 1) return d->tail_ms;
    return d->base_ms + (int)(((long)i * d->step) % (d->spread_ms > 0 ? d->spread_ms : 1));
}

typedef struct scenario {
    const char *name;
    const char *kind;
    const char *load;
    int tests, flush_ms, threshold;
    const cJSON *before_sleep_ms;
} scenario;

/* How a test waits before acting: the seed's sleep (sleep_ms > 0), or liveness (0). */
typedef struct wait_kind {
    int sleep_ms;
    char label[32];
} wait_kind;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static liveness_options wait_options(void) {
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = WAIT_TIMEOUT_MS;
    return opts;
}

/* ---- restart race (seed 004's "100 tests") --------------------------------------------- */

static bool adder_started(void *s) {
    return adder_start(s) || liveness_probe_fail("already started");
}

/* Test i starts the registered adder right after test i-1 stopped it; the adder of test i takes
 * delay_ms(i) to shut down. */
static int restart_race(const scenario *s, const delay *d, const wait_kind *w) {
    adder_service adder;
    adder_service_init(&adder, 1);
    liveness_options opts = wait_options();
    int failures = 0;
    for (int i = 0; i < s->tests; i++) {
        bool up;
        if (w->sleep_ms > 0) {
            simulated_delay_ms(w->sleep_ms); /* the "before" column: the seed's sleep */
            up = adder_start(&adder);
        } else {
            up = liveness_eventually(adder_started, &adder, &opts) == LIVENESS_OK;
        }
        if (!up || adder_add(&adder, i, 0) != i) {
            failures++;
            continue;
        }
        pthread_mutex_lock(&adder.lock);
        adder.shutdown_ms = delay_ms(d, i);
        pthread_mutex_unlock(&adder.lock);
        adder_stop_async(&adder); /* the test ends; its adder stops asynchronously */
    }
    /* The last stop frees the name on its own: waited for (through liveness) before the next variant. */
    adder_service_destroy(&adder);
    return failures;
}

/* ---- delayed write (seed 004's AdditionJob) -------------------------------------------- */

static bool holds_3(const addition_job *job) {
    char buf[32];
    return addition_job_read(job, buf, sizeof buf) && strcmp(buf, "3") == 0;
}

static bool eventually_holds_3(void *job) {
    return holds_3(job) || liveness_probe_fail("the file does not hold 3 yet");
}

/* The jobs are freed by the caller, after the timing (their writers may still be flushing). */
static int delayed_write(const scenario *s, const wait_kind *w, addition_job *jobs) {
    liveness_options opts = wait_options();
    int failures = 0;
    for (int i = 0; i < s->tests; i++) {
        bool ok = addition_job_schedule(&jobs[i], 1, 2, s->flush_ms);
        if (ok && w->sleep_ms > 0) {
            simulated_delay_ms(w->sleep_ms); /* the "before" column: the seed's sleep */
            ok = holds_3(&jobs[i]);
        } else if (ok) {
            ok = liveness_eventually(eventually_holds_3, &jobs[i], &opts) == LIVENESS_OK;
        }
        failures += !ok;
    }
    return failures;
}

/* ---- breaker tripped fire-and-forget (seed 000) ----------------------------------------- */

typedef struct breaker_test {
    circuit_breaker *breaker;
    liveness_status sync_status;
} breaker_test;

static bool send_failures(void *p) {
    circuit_breaker *b = ((breaker_test *)p)->breaker;
    for (int f = 0; f < b->threshold; f++) breaker_record_failure_async(b);
    return true;
}

/* Open *and* done with its mailbox: the state flips before the event is emitted, and a
 * failure leaves the mailbox only once its event is out. */
static bool opened(void *p) {
    circuit_breaker *b = ((breaker_test *)p)->breaker;
    if (breaker_status(b) != BREAKER_OPEN) return liveness_probe_fail("the breaker is still closed");
    return breaker_idle(b) || liveness_probe_fail("the breaker is still processing failures");
}

static void sync_send_until_open(void *p) {
    breaker_test *t = p;
    liveness_options opts = wait_options();
    t->sync_status = liveness_sync_operation(send_failures, opened, t, &opts);
}

/* The breakers are freed by the caller, after the timing (a worker may still be processing). */
static int breaker(const scenario *s, const delay *d, const wait_kind *w, circuit_breaker *breakers) {
    int threshold = s->threshold > 0 ? s->threshold : 1;
    int failures = 0;
    for (int i = 0; i < s->tests; i++) {
        circuit_breaker *b = &breakers[i];
        char name[32];
        snprintf(name, sizeof name, "demo-breaker-%d", i);
        breaker_init(b, name, threshold);
        breaker_set_latency_us(b, delay_ms(d, i) * 1000 / threshold);
        breaker_test t = {b, LIVENESS_OK};
        bool ok;
        if (w->sleep_ms > 0) {
            send_failures(&t);
            simulated_delay_ms(w->sleep_ms); /* the "before" column: the seed's sleep */
            ok = breaker_status(b) == BREAKER_OPEN;
        } else {
            char where[96];
            snprintf(where, sizeof where, "{\"breaker\":\"%s\",\"to\":\"open\"}", name);
            liveness_status emitted = liveness_assert_emitted("breaker.state_change", where, LIVENESS_ANY_COUNT,
                                                              sync_send_until_open, &t);
            ok = emitted == LIVENESS_OK && t.sync_status == LIVENESS_OK;
        }
        failures += !ok;
    }
    return failures;
}

/* ---- the loaded machine ---------------------------------------------------------------- */

typedef struct hog {
    pid_t pids[MAX_HOGS];
    int count;
} hog;

static int usable_cores(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 2;
}

static void hog_stop(hog *h) {
    for (int i = 0; i < h->count; i++) kill(h->pids[i], SIGKILL);
    for (int i = 0; i < h->count; i++) waitpid(h->pids[i], NULL, 0);
    h->count = 0;
}

/* The file's "hog.command" on every core but one (at least one), stdin from /dev/null. */
static bool hog_start(hog *h, const cJSON *command) {
    int argc = cJSON_GetArraySize(command);
    if (!cJSON_IsArray(command) || argc == 0) {
        fprintf(stderr, "demo: the hog command is empty\n");
        return false;
    }
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int a = 0; a < argc; a++) {
        const cJSON *arg = cJSON_GetArrayItem(command, a);
        argv[a] = cJSON_IsString(arg) ? arg->valuestring : "";
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    int wanted = usable_cores() - 1;
    if (wanted < 1) wanted = 1;
    if (wanted > MAX_HOGS) wanted = MAX_HOGS;
    bool ok = true;
    for (h->count = 0; h->count < wanted;) {
        int err = posix_spawnp(&h->pids[h->count], argv[0], &actions, NULL, argv, environ);
        if (err != 0) {
            fprintf(stderr, "demo: cannot start the hog %s: %s\n", argv[0], strerror(err));
            ok = false;
            break;
        }
        h->count++;
    }
    posix_spawn_file_actions_destroy(&actions);
    free(argv);
    if (!ok) hog_stop(h);
    return ok;
}

/* ---- the file and the results ---------------------------------------------------------- */

/* An integer field of `obj`; false (and a message) when it is missing and `required`. */
static bool int_field(const cJSON *obj, const char *key, bool required, int *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsNumber(v)) {
        *out = v->valueint;
        return true;
    }
    *out = 0;
    if (required) fprintf(stderr, "demo: %s is missing or not a number\n", key);
    return !required;
}

static const char *string_field(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(v)) return v->valuestring;
    fprintf(stderr, "demo: %s is missing or not a string\n", key);
    return NULL;
}

static bool read_delay(const cJSON *doc, delay *d) {
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(doc, "delay");
    return int_field(j, "base_ms", true, &d->base_ms) && int_field(j, "step", true, &d->step) &&
           int_field(j, "spread_ms", true, &d->spread_ms) && int_field(j, "tail_every", true, &d->tail_every) &&
           int_field(j, "tail_ms", true, &d->tail_ms);
}

static bool read_scenario(const cJSON *j, scenario *s) {
    s->name = string_field(j, "name");
    s->kind = string_field(j, "kind");
    s->load = string_field(j, "load");
    s->before_sleep_ms = cJSON_GetObjectItemCaseSensitive(j, "before_sleep_ms");
    if (!s->name || !s->kind || !s->load || !int_field(j, "tests", true, &s->tests) ||
        !int_field(j, "flush_ms", false, &s->flush_ms) || !int_field(j, "threshold", false, &s->threshold))
        return false;
    bool sleeps_ok = cJSON_IsArray(s->before_sleep_ms);
    const cJSON *ms;
    cJSON_ArrayForEach(ms, s->before_sleep_ms) sleeps_ok = sleeps_ok && cJSON_IsNumber(ms) && ms->valueint > 0;
    if (!sleeps_ok) { /* a sleep of 0 would be the liveness variant */
        fprintf(stderr, "demo: scenario \"%s\": before_sleep_ms is not a list of positive numbers\n", s->name);
        return false;
    }
    bool known_kind = !strcmp(s->kind, "restart_race") || !strcmp(s->kind, "delayed_write") || !strcmp(s->kind, "breaker");
    if (!known_kind || (strcmp(s->load, "idle") && strcmp(s->load, "hog"))) {
        fprintf(stderr, "demo: scenario \"%s\": unknown kind \"%s\" or load \"%s\"\n", s->name, s->kind, s->load);
        return false;
    }
    return true;
}

/* One variant of one scenario, timed; the systems it used are freed after the timing. */
static void run_variant(const scenario *s, const delay *d, const wait_kind *w, cJSON *rows) {
    size_t n = (size_t)(s->tests > 0 ? s->tests : 0);
    addition_job *jobs = !strcmp(s->kind, "delayed_write") ? calloc(n + 1, sizeof *jobs) : NULL;
    circuit_breaker *breakers = !strcmp(s->kind, "breaker") ? calloc(n + 1, sizeof *breakers) : NULL;
    double started = now_ms();
    int failures = jobs ? delayed_write(s, w, jobs) : breakers ? breaker(s, d, w, breakers) : restart_race(s, d, w);
    double wall_ms = now_ms() - started;
    for (size_t i = 0; jobs && i < n; i++) addition_job_destroy(&jobs[i]);
    for (size_t i = 0; breakers && i < n; i++) breaker_destroy(&breakers[i]);
    free(jobs);
    free(breakers);
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "scenario", s->name);
    cJSON_AddStringToObject(row, "variant", w->label);
    cJSON_AddNumberToObject(row, "wall_ms", wall_ms);
    cJSON_AddNumberToObject(row, "failures", failures);
    cJSON_AddNumberToObject(row, "tests", s->tests);
    cJSON_AddItemToArray(rows, row);
}

/* Every variant of one scenario (each sleep, then liveness), the hog running around them all. */
static bool run_scenario(const cJSON *doc, const scenario *s, const delay *d, cJSON *rows) {
    hog h = {.count = 0};
    if (!strcmp(s->load, "hog") &&
        !hog_start(&h, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "hog"), "command")))
        return false;
    const cJSON *ms;
    cJSON_ArrayForEach(ms, s->before_sleep_ms) {
        wait_kind w = {.sleep_ms = ms->valueint};
        snprintf(w.label, sizeof w.label, "sleep %d ms", w.sleep_ms);
        run_variant(s, d, &w, rows);
    }
    wait_kind after = {.sleep_ms = 0, .label = "liveness"};
    run_variant(s, d, &after, rows);
    hog_stop(&h);
    return true;
}

static bool write_results(const char *path, cJSON *results) {
    char *text = cJSON_Print(results);
    FILE *f = fopen(path, "w");
    bool ok = f && text && fprintf(f, "%s\n", text) > 0;
    if (f && fclose(f) != 0) ok = false;
    free(text);
    if (!ok) fprintf(stderr, "demo: cannot write %s\n", path);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SCENARIOS.json OUT.json\n", argv[0]);
        return 2;
    }
    cJSON *doc = read_json_file(argv[1]);
    const cJSON *scenarios = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    delay d;
    if (!cJSON_IsArray(scenarios) || !read_delay(doc, &d)) {
        fprintf(stderr, "demo: %s: not a demo scenario file (delay, scenarios)\n", argv[1]);
        cJSON_Delete(doc);
        return 1;
    }
    cJSON *results = cJSON_CreateObject();
    cJSON_AddStringToObject(results, "door", "c");
    cJSON *rows = cJSON_AddArrayToObject(results, "rows");
    /* The whole file is checked before the first scenario runs: a bad entry costs no run. */
    size_t n = (size_t)cJSON_GetArraySize(scenarios);
    scenario *all = calloc(n + 1, sizeof *all);
    bool ok = true;
    size_t i = 0;
    const cJSON *j;
    cJSON_ArrayForEach(j, scenarios) ok = ok && read_scenario(j, &all[i++]);
    for (i = 0; ok && i < n; i++) ok = run_scenario(doc, &all[i], &d, rows);
    free(all);
    ok = ok && write_results(argv[2], results);
    cJSON_Delete(results);
    cJSON_Delete(doc);
    return ok ? 0 : 1;
}
