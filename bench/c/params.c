/* Reads bench/scenarios.json with cJSON into a params struct (fixed-size, nothing to free). */
#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

typedef struct {
    char *err;
    size_t errlen;
    bool failed;
} problems;

static void complain(problems *pr, const char *fmt, ...) {
    if (pr->failed) {
        return; /* keep the first problem */
    }
    pr->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pr->err, pr->errlen, fmt, ap);
    va_end(ap);
}

/* The item at a dotted `path` under `root`, or NULL. */
static const cJSON *at(const cJSON *root, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *v = root;
    for (char *save = NULL, *key = strtok_r(buf, ".", &save); key && v; key = strtok_r(NULL, ".", &save)) {
        v = cJSON_GetObjectItemCaseSensitive(v, key);
    }
    return v;
}

static double num(problems *pr, const cJSON *root, const char *path) {
    const cJSON *v = at(root, path);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        complain(pr, "bench/scenarios.json: %s is not a number", path);
        return 0;
    }
    return v->valuedouble;
}

static uint64_t count(problems *pr, const cJSON *root, const char *path) {
    double d = num(pr, root, path);
    if (d < 0 || d != floor(d)) {
        complain(pr, "bench/scenarios.json: %s is not a whole number >= 0", path);
        return 0;
    }
    return (uint64_t)d;
}

static const cJSON *list(problems *pr, const cJSON *root, const char *path, size_t max, size_t *len) {
    const cJSON *v = at(root, path);
    *len = 0;
    if (!cJSON_IsArray(v)) {
        complain(pr, "bench/scenarios.json: %s is not a list", path);
        return NULL;
    }
    *len = (size_t)cJSON_GetArraySize(v);
    if (*len > max) {
        complain(pr, "bench/scenarios.json: %s has more than %zu items", path, max);
        *len = 0;
        return NULL;
    }
    return v;
}

static void counts(problems *pr, const cJSON *root, const char *path, uint64_t *out, size_t max, size_t *len) {
    const cJSON *items = list(pr, root, path, max, len);
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, items) {
        if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble != floor(x->valuedouble)) {
            complain(pr, "bench/scenarios.json: bad item in %s", path);
            return;
        }
        out[i++] = (uint64_t)x->valuedouble;
    }
}

static void words(problems *pr, const cJSON *root, const char *path, char (*out)[PARAMS_MAX_WORD], size_t max,
                  size_t *len) {
    const cJSON *items = list(pr, root, path, max, len);
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, items) {
        if (!cJSON_IsString(x) || strlen(x->valuestring) >= PARAMS_MAX_WORD) {
            complain(pr, "bench/scenarios.json: bad item in %s", path);
            return;
        }
        snprintf(out[i++], PARAMS_MAX_WORD, "%s", x->valuestring);
    }
}

static char *read_file(const char *file, problems *pr) {
    FILE *f = fopen(file, "rb");
    if (!f) {
        complain(pr, "%s: %s", file, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                free(text);
                text = NULL;
                break;
            }
            text = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!text) {
        complain(pr, "%s: out of memory", file);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

bool params_load(params *p, const char *file, const char *mode, char *err, size_t errlen) {
    problems pr = {err, errlen, false};
    memset(p, 0, sizeof *p);
    char *text = read_file(file, &pr);
    if (!text) {
        return false;
    }
    cJSON *all = cJSON_Parse(text);
    free(text);
    if (!all) {
        complain(&pr, "%s is not valid JSON", file);
        return false;
    }
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(all, "modes"), mode);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(all, "suite");
    if (!cJSON_IsObject(m)) {
        complain(&pr, "bench/scenarios.json has no mode \"%s\"", mode);
    } else if (!cJSON_IsObject(s)) {
        complain(&pr, "bench/scenarios.json has no suite object");
    } else {
        snprintf(p->mode, sizeof p->mode, "%s", mode);
        size_t n_reps = 0;
        counts(&pr, m, "overshoot.ready_ms", p->overshoot.ready_ms, PARAMS_MAX_CELLS, &p->overshoot.cells);
        counts(&pr, m, "overshoot.reps", p->overshoot.reps, PARAMS_MAX_CELLS, &n_reps);
        if (n_reps != p->overshoot.cells) {
            complain(&pr, "bench/scenarios.json: overshoot.reps and overshoot.ready_ms differ in length");
        }
        p->overshoot.min_reps = count(&pr, m, "overshoot.min_reps");
        p->overshoot.cell_budget_s = num(&pr, m, "overshoot.cell_budget_s");
        p->overshoot.phase_step = num(&pr, all, "overshoot.phase_step");
        p->cpu_wait_s = num(&pr, m, "cpu.wait_s");
        p->eval.evaluations = count(&pr, m, "eval_overhead.evaluations");
        p->eval.repeats = count(&pr, m, "eval_overhead.repeats");
        p->eval.budget_s = num(&pr, m, "eval_overhead.budget_s");
        p->suite.tests = count(&pr, m, "suite.tests");
        p->suite.runs = count(&pr, m, "suite.runs");
        words(&pr, m, "suite.loads", p->suite.loads, PARAMS_MAX_LOADS, &p->suite.n_loads);
        p->suite.run_budget_s = num(&pr, m, "suite.run_budget_s");
        p->shutdowns.sleep_ms = count(&pr, s, "sleep_ms");
        p->shutdowns.base_ms = count(&pr, s, "base_ms");
        p->shutdowns.step = count(&pr, s, "step");
        p->shutdowns.spread_ms = count(&pr, s, "spread_ms");
        p->shutdowns.tail_every = count(&pr, s, "tail_every");
        p->shutdowns.tail_ms = count(&pr, s, "tail_ms");
        p->shutdowns.wait_timeout_s = num(&pr, s, "wait_timeout_s");
        p->emit_iterations = count(&pr, m, "emit.iterations");
        p->emit_repeats = count(&pr, m, "emit.repeats");
        words(&pr, all, "hog.command", p->hog_command, PARAMS_MAX_ARGV - 1, &p->hog_len);
        p->concurrency.ready_ms = num(&pr, m, "concurrency.ready_ms");
        counts(&pr, m, "concurrency.n", p->concurrency.n, PARAMS_MAX_CELLS, &p->concurrency.n_len);
        p->concurrency.thread_max_n = count(&pr, m, "concurrency.thread_max_n");
        p->concurrency.wait_timeout_s = num(&pr, m, "concurrency.wait_timeout_s");
        size_t n_dw_reps = 0;
        counts(&pr, m, "delayed_write.ready_ms", p->delayed_write.ready_ms, PARAMS_MAX_CELLS, &p->delayed_write.cells);
        counts(&pr, m, "delayed_write.reps", p->delayed_write.reps, PARAMS_MAX_CELLS, &n_dw_reps);
        if (n_dw_reps != p->delayed_write.cells) {
            complain(&pr, "bench/scenarios.json: delayed_write.reps and delayed_write.ready_ms differ in length");
        }
        const cJSON *result = at(all, "delayed_write.result");
        if (!cJSON_IsString(result) || strlen(result->valuestring) >= sizeof p->delayed_write.result) {
            complain(&pr, "bench/scenarios.json: delayed_write.result is not a short string");
        } else {
            snprintf(p->delayed_write.result, sizeof p->delayed_write.result, "%s", result->valuestring);
        }
        if (!pr.failed && (p->shutdowns.tail_every == 0 || p->shutdowns.spread_ms == 0)) {
            complain(&pr, "bench/scenarios.json: suite.tail_every and suite.spread_ms must be > 0");
        }
        if (!pr.failed && p->hog_len == 0) {
            complain(&pr, "bench/scenarios.json: hog.command is empty");
        }
        if (!pr.failed && (p->eval.evaluations == 0 || p->emit_iterations == 0)) {
            complain(&pr, "bench/scenarios.json: eval_overhead.evaluations and emit.iterations must be > 0");
        }
    }
    cJSON_Delete(all);
    return !pr.failed;
}

uint64_t params_shutdown_ms(const params *p, uint64_t i) {
    const shutdown_params *s = &p->shutdowns;
    if (i % s->tail_every == s->tail_every - 1) {
        return s->tail_ms;
    }
    return s->base_ms + (i * s->step) % s->spread_ms;
}
