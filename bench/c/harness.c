/* The C harness of `make bench`: `harness --mode full|quick|smoke --scenarios PATH --out DIR`
 * writes DIR/c.json (the shape is in bench/README.md; the parameters come from
 * bench/scenarios.json). C's peer is the hand-written nanosleep loop, so every liveness figure
 * comes with that baseline from the same run, all through the C ABI (include/liveness.h).
 *
 * Files: params (scenarios.json), waiters (liveness and the hand loops), overshoot, cpu, delayed_write,
 * eval_overhead, suite (with singleton, the system under test, and hog, the loaded machine), emit,
 * poller, concurrency; timing, stats and failures are shared helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "failures.h"
#include "liveness.h"
#include "params.h"
#include "scenarios.h"
#include "timing.h"
#include "waiters.h"

#ifndef DEFAULT_SCENARIOS
#define DEFAULT_SCENARIOS "bench/scenarios.json"
#endif

#if defined(__clang__)
#define RUNTIME "clang " __clang_version__
#elif defined(__GNUC__)
#define RUNTIME "gcc " __VERSION__
#else
#define RUNTIME "cc"
#endif

static void usage(FILE *to) {
    fprintf(to, "usage: harness --mode full|quick|smoke [--scenarios PATH] --out DIR\n"
                "writes DIR/c.json (default scenarios: %s)\n",
            DEFAULT_SCENARIOS);
}

/* mkdir -p */
static bool make_dirs(const char *path) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *s = buf + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                return false;
            }
            *s = '/';
        }
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

static bool write_report(const char *dir, cJSON *report, char *file, size_t filelen) {
    snprintf(file, filelen, "%s/c.json", dir);
    if (!make_dirs(dir)) {
        return false;
    }
    char *text = cJSON_Print(report);
    FILE *f = text ? fopen(file, "w") : NULL;
    bool ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) {
        ok = false;
    }
    free(text);
    return ok;
}

int main(int argc, char **argv) {
    const char *mode = "full", *scenarios = DEFAULT_SCENARIOS, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        if (strcmp(argv[i], "--mode") == 0) {
            mode = argv[++i];
        } else if (strcmp(argv[i], "--scenarios") == 0) {
            scenarios = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0) {
            out = argv[++i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!out || (strcmp(mode, "full") != 0 && strcmp(mode, "quick") != 0 && strcmp(mode, "smoke") != 0)) {
        usage(stderr);
        return 2;
    }
    static params p;
    char err[512];
    if (!params_load(&p, scenarios, mode, err, sizeof err)) {
        fprintf(stderr, "harness: %s\n", err);
        return 2;
    }
    /* The timeouts of the scenarios are the measurement (cpu waits exactly wait_s): unscaled. */
    if (getenv("LIVENESS_TIMEOUT_SCALE")) {
        printf("(LIVENESS_TIMEOUT_SCALE ignored: the benchmark's timeouts are part of what it measures)\n");
        unsetenv("LIVENESS_TIMEOUT_SCALE");
    }
    const char *version = liveness_version();
    printf("c harness (%s mode, %s, liveness %s)\n", p.mode, RUNTIME, version);
    if (strcmp(version, LIVENESS_VERSION) != 0) {
        printf("(the header says liveness %s: the library and include/liveness.h differ)\n", LIVENESS_VERSION);
    }
    fflush(stdout);
    int64_t t0 = mono_ns();

    cJSON *records = cJSON_CreateArray();
    overshoot_run(&p, records);
    cpu_run(&p, records);
    delayed_write_run(&p, records);
    eval_overhead_run(&p, records);
    suite_run(&p, records);
    emit_run(&p, records);
    poller_run(&p, records);
    concurrency_run(&p, records);

    cJSON *report = cJSON_CreateObject();
    cJSON_AddStringToObject(report, "language", "c");
    cJSON_AddStringToObject(report, "mode", p.mode);
    cJSON_AddStringToObject(report, "runtime", RUNTIME);
    cJSON_AddItemToObject(report, "libraries", waiters_describe(&p));
    cJSON_AddItemToObject(report, "records", records);
    char file[4200];
    bool written = write_report(out, report, file, sizeof file);
    cJSON_Delete(report);
    if (!written) {
        fprintf(stderr, "harness: cannot write %s: %s\n", file, strerror(errno));
        return 1;
    }
    printf("\nresults: %s (%.1f s)\n", file, (double)(mono_ns() - t0) / 1e9);
    if (failures_count() > 0) {
        failures_print();
        return 1;
    }
    return 0;
}
