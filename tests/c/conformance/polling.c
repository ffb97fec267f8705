/* Polling cases: the sans-IO poller of the C ABI, driven with a virtual clock. The runner plays
 * the probe from the case's script and classifies each call the way the vectors define it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define MAX_STARTS 4096

typedef struct {
    const cJSON *entries;
    int size;
    bool repeat_last;
    int calls;
} script;

/* The next scripted call, or NULL past the end of a script without repeat_last. */
static const cJSON *script_next(script *s) {
    const cJSON *e;
    if (s->calls < s->size) e = cJSON_GetArrayItem(s->entries, s->calls);
    else if (s->repeat_last && s->size > 0) e = cJSON_GetArrayItem(s->entries, s->size - 1);
    else return NULL;
    s->calls++;
    return e;
}

static bool listed(const cJSON *list, const char *kind) {
    const cJSON *k;
    cJSON_ArrayForEach(k, list) {
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0) return true;
    }
    return false;
}

typedef struct {
    const char *result;
    char detail[2048]; /* the message, the propagated kind or the invalid option's message */
    int evaluations;
    double starts[MAX_STARTS];
    int n_starts;
    double elapsed;
    int action_calls;
    const cJSON *value;
} observed;

static int operation_code(const char *op) {
    const char *names[] = {"eventually", "eventually_passes", "eventually_changes", "sync_operation", "always", "never"};
    for (int i = 0; i < 6; i++)
        if (strcmp(op, names[i]) == 0) return i;
    return -1;
}

static void set_env(const cJSON *c) {
    const cJSON *env = cJSON_GetObjectItem(c, "env");
    if (!cJSON_GetObjectItem(env, "LIVENESS_TIMEOUT_SCALE")) unsetenv("LIVENESS_TIMEOUT_SCALE");
    const cJSON *var;
    cJSON_ArrayForEach(var, env) { setenv(var->string, var->valuestring, 1); }
}

static liveness_options options_of(const cJSON *opts, double *during_ms) {
    liveness_options o = liveness_options_default();
    const cJSON *x;
    *during_ms = 0;
    cJSON_ArrayForEach(x, opts) {
        const char *k = x->string;
        if (strcmp(k, "timeout_ms") == 0) o.timeout_ms = json_number(x);
        else if (strcmp(k, "interval_ms") == 0) o.interval_ms = json_number(x);
        else if (strcmp(k, "min_interval_ms") == 0) o.min_interval_ms = json_number(x);
        else if (strcmp(k, "max_interval_ms") == 0) o.max_interval_ms = json_number(x);
        else if (strcmp(k, "delay_ms") == 0) o.delay_ms = json_number(x);
        else if (strcmp(k, "stable_for_ms") == 0) o.stable_for_ms = json_number(x);
        else if (strcmp(k, "during_ms") == 0) *during_ms = json_number(x);
        else if (strcmp(k, "attempts") == 0) o.attempts = (int64_t)x->valuedouble;
        else if (strcmp(k, "message") == 0) o.message = x->valuestring;
    }
    return o;
}

static void observe(const cJSON *c, observed *seen, verdict *v) {
    const char *op = cJSON_GetObjectItem(c, "operation")->valuestring;
    const cJSON *opts = cJSON_GetObjectItem(c, "options");
    script s = {cJSON_GetObjectItem(c, "script"), 0, cJSON_IsTrue(cJSON_GetObjectItem(c, "repeat_last")), 0};
    s.size = cJSON_GetArraySize(s.entries);
    const cJSON *fail_on = cJSON_GetObjectItem(opts, "fail_on");
    const cJSON *retry_on = cJSON_GetObjectItem(opts, "retry_on");
    double during_ms;
    liveness_options o = options_of(opts, &during_ms);
    int code = operation_code(op);
    set_env(c);

    liveness_poller *p = NULL;
    if (liveness_poller_new(code, during_ms, &o, &p) != LIVENESS_OK) {
        seen->result = "invalid_option";
        snprintf(seen->detail, sizeof seen->detail, "%s", liveness_last_error_message());
        return;
    }
    double now = 0;
    const cJSON *baseline = NULL, *last_accepted = NULL;
    seen->result = NULL;
    if (strcmp(op, "sync_operation") == 0) {
        seen->action_calls = 1;
        const cJSON *raises = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "action"), "raises");
        if (raises) {
            seen->result = "propagated";
            snprintf(seen->detail, sizeof seen->detail, "%s", cJSON_GetObjectItem(raises, "kind")->valuestring);
        }
    }
    if (!seen->result && strcmp(op, "eventually_changes") == 0) {
        const cJSON *e = script_next(&s);
        seen->starts[seen->n_starts++] = now;
        now += json_number(cJSON_GetObjectItem(e, "duration_ms"));
        const cJSON *raises = cJSON_GetObjectItem(e, "raises");
        if (raises) {
            seen->result = "propagated";
            snprintf(seen->detail, sizeof seen->detail, "%s", cJSON_GetObjectItem(raises, "kind")->valuestring);
        } else {
            baseline = cJSON_GetObjectItem(e, "returns");
        }
    }
    int zero_waits = 0;
    for (long i = 0; !seen->result && i < 1000000; i++) {
        liveness_step step;
        if (liveness_poller_next(p, now, &step) != LIVENESS_OK) {
            fail(v, "liveness_poller_next: %s", liveness_last_error_message());
            break;
        }
        if (step.kind == LIVENESS_STEP_WAIT) {
            if (step.wait_ms == 0 && ++zero_waits > 3) {
                fail(v, "the poller keeps asking to wait 0 at %.3f ms: it would spin", now);
                break;
            }
            now += step.wait_ms;
            continue;
        }
        zero_waits = 0;
        if (step.kind == LIVENESS_STEP_DONE) {
            if (step.status == LIVENESS_OK) {
                seen->result = "ok";
                seen->value = last_accepted;
            } else {
                seen->result = step.status == LIVENESS_VIOLATED ? "violated" : "timeout";
                snprintf(seen->detail, sizeof seen->detail, "%s", liveness_last_error_message());
            }
            break;
        }
        liveness_poller_started(p, now, NULL);
        if (seen->n_starts < MAX_STARTS) seen->starts[seen->n_starts++] = now;
        const cJSON *e = script_next(&s);
        if (!e) {
            fail(v, "the probe was called %d times, past the end of the script", s.calls + 1);
            break;
        }
        now += json_number(cJSON_GetObjectItem(e, "duration_ms"));
        const cJSON *raises = cJSON_GetObjectItem(e, "raises");
        if (raises) {
            const char *kind = cJSON_GetObjectItem(raises, "kind")->valuestring;
            if (listed(fail_on, kind) || (retry_on && !listed(retry_on, kind))) {
                seen->result = "propagated"; /* a C probe does this with liveness_probe_stop() */
                snprintf(seen->detail, sizeof seen->detail, "%s", kind);
                break;
            }
            liveness_poller_raised(p, now, kind, cJSON_GetObjectItem(raises, "text")->valuestring);
            continue;
        }
        const cJSON *value = cJSON_GetObjectItem(e, "returns");
        bool accepted = strcmp(op, "eventually_passes") == 0    ? !cJSON_IsFalse(value)
                        : strcmp(op, "eventually_changes") == 0 ? !json_equal(value, baseline)
                                                                : json_truthy(value);
        char *text = json_text(value);
        if (accepted) {
            last_accepted = value;
            liveness_poller_accepted(p, now, text);
        } else if (strcmp(op, "eventually_changes") == 0) {
            char unchanged[512];
            snprintf(unchanged, sizeof unchanged, "%s (unchanged)", text);
            liveness_poller_returned(p, now, unchanged, false);
        } else {
            liveness_poller_returned(p, now, text, cJSON_IsNull(value));
        }
        free(text);
    }
    liveness_poller_free(p);
    if (!seen->result) seen->result = "unfinished";
    seen->evaluations = s.calls;
    seen->elapsed = now;
}

static bool close_to(double a, double b) {
    return fabs(a - b) <= 1e-6;
}

void run_polling_case(const cJSON *c, verdict *v) {
    observed *seen = calloc(1, sizeof *seen);
    observe(c, seen, v);
    const cJSON *expect = cJSON_GetObjectItem(c, "expect");
    const char *want = cJSON_GetObjectItem(expect, "result")->valuestring;
    if (strcmp(want, seen->result) != 0) fail(v, "result %s (%s), expected %s", seen->result, seen->detail, want);
    const cJSON *x;
    if ((x = cJSON_GetObjectItem(expect, "value")) && !(seen->value && json_equal(seen->value, x))) {
        char *got = seen->value ? json_text(seen->value) : NULL, *exp = json_text(x);
        fail(v, "value %s, expected %s", got ? got : "(none)", exp);
        free(got);
        free(exp);
    }
    if ((x = cJSON_GetObjectItem(expect, "evaluations")) && x->valueint != seen->evaluations)
        fail(v, "%d evaluations, expected %d", seen->evaluations, x->valueint);
    if ((x = cJSON_GetObjectItem(expect, "starts_ms"))) {
        bool same = cJSON_GetArraySize(x) == seen->n_starts;
        for (int i = 0; same && i < seen->n_starts; i++) same = close_to(cJSON_GetArrayItem(x, i)->valuedouble, seen->starts[i]);
        if (!same) {
            char got[1024] = "";
            for (int i = 0; i < seen->n_starts && strlen(got) < 1000; i++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%g", i ? ", " : "", seen->starts[i]);
            char *exp = json_text(x);
            fail(v, "starts [%s], expected %s", got, exp);
            free(exp);
        }
    }
    if ((x = cJSON_GetObjectItem(expect, "elapsed_ms")) && !close_to(x->valuedouble, seen->elapsed))
        fail(v, "elapsed %g ms, expected %g", seen->elapsed, x->valuedouble);
    if ((x = cJSON_GetObjectItem(expect, "propagated_kind")) && strcmp(x->valuestring, seen->detail) != 0)
        fail(v, "propagated %s, expected %s", seen->detail, x->valuestring);
    if ((x = cJSON_GetObjectItem(expect, "action_calls")) && x->valueint != seen->action_calls)
        fail(v, "%d action calls, expected %d", seen->action_calls, x->valueint);
    if ((x = cJSON_GetObjectItem(expect, "invalid_option"))) {
        /* C spells duration options with their unit: `timeout_ms` for `timeout`. */
        char plain[128], with_unit[128];
        snprintf(plain, sizeof plain, "`%s`", x->valuestring);
        snprintf(with_unit, sizeof with_unit, "`%s_ms`", x->valuestring);
        if (!strstr(seen->detail, plain) && !strstr(seen->detail, with_unit))
            fail(v, "the error does not name option %s: %s", x->valuestring, seen->detail);
    }
    if (strcmp(seen->result, "timeout") == 0 || strcmp(seen->result, "violated") == 0)
        check_message(expect, seen->detail, v);
    free(seen);
}
