/* Polling cases, through the C ABI's public API, twice:
 *
 *  - RUN_BLOCKING: liveness_eventually(), _eventually_passes(), _always(), _never(),
 *    _eventually_changes(), _eventually_settles(), _sync_operation() on the virtual clock (liveness_virtual_clock_*),
 *    with probes that play the case's script as a C user's probes would: each call takes its
 *    duration by advancing the clock, emits its events through liveness_emit(), raises with
 *    liveness_probe_fail_as(), and stops the wait with liveness_probe_stop() where the case's
 *    fail_on / retry_on say so (C options have no such lists: a C probe classifies its own
 *    failures). Its on_evaluation hook records what the operation reports of each evaluation.
 *  - RUN_POLLER: the sans-IO poller (liveness_poller_*) as an event-loop host drives it, with a
 *    loop that only executes steps (PREPARE / EVALUATE / YIELD / WAIT / DONE) on its own clock
 *    and delivers wake hints from a liveness_attach() handler. Its calls are asynchronous: one
 *    still pending at its step's abandon_at_ms is abandoned there, so it is judged by the case's
 *    async_expect where there is one. What it sees of each evaluation it reports (number, start,
 *    duration, its own judgement) is checked against expect.on_evaluation, and the options'
 *    on_evaluation hook, called by the poller, must report the same. The loop drives the case's
 *    wait together with the waits of its `alongside` entries, all started at 0 on its one clock,
 *    each call pending for its duration while the others take their turns (host_loop).
 *    RUN_BLOCKING cannot run those cases (a blocking wait has its thread to itself): it says so.
 *
 * What a C bool probe cannot say (a value other than true/false, "nothing", a text for an
 * accepted value) is named per case by c_cannot_express() and reported, never silently skipped. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define MAX_STARTS 4096
#define MAX_KEYS 64
#define MAX_PATTERNS 16
#define MAX_INTERVALS 64

typedef struct {
    const cJSON *entries;
    int size;
    bool repeat_last;
    int calls;
    bool overrun;
} script;

/* The next scripted call, or NULL past the end of a script without repeat_last. */
static const cJSON *script_next(script *s) {
    const cJSON *e;
    if (s->calls < s->size) e = cJSON_GetArrayItem(s->entries, s->calls);
    else if (s->repeat_last && s->size > 0) e = cJSON_GetArrayItem(s->entries, s->size - 1);
    else {
        s->overrun = true;
        return NULL;
    }
    s->calls++;
    return e;
}

/* The script and repeat_last of `owner` (the case, or one of its alongside entries). */
static script script_of(const cJSON *owner) {
    const cJSON *entries = cJSON_GetObjectItem(owner, "script");
    return (script){entries, cJSON_GetArraySize(entries), cJSON_IsTrue(cJSON_GetObjectItem(owner, "repeat_last")), 0, false};
}

static bool listed(const cJSON *list, const char *kind) {
    const cJSON *k;
    cJSON_ArrayForEach(k, list) {
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0) return true;
    }
    return false;
}

static const char *str_of(const cJSON *obj, const char *key) {
    const cJSON *x = cJSON_GetObjectItem(obj, key);
    return cJSON_IsString(x) ? x->valuestring : "";
}

/* What an on_evaluation hook receives, as the runner keeps it. */
typedef struct {
    int64_t number;
    double started_ms, duration_ms;
    bool accepted;
} evaluation;

typedef struct {
    evaluation at[MAX_STARTS];
    int n;
} evaluations;

static void record_evaluation(evaluations *list, evaluation e) {
    if (list->n < MAX_STARTS) list->at[list->n++] = e;
}

typedef struct c_options c_options;

/* One run of a case: the case as the probes play it, and what they observed. */
typedef struct {
    const char *op;
    const cJSON *fail_on, *retry_on, *action;
    script s;
    /* Observed. */
    const char *result;
    char detail[4096]; /* the message, or the propagated kind */
    double starts[MAX_STARTS];
    int n_starts;
    double elapsed;
    int action_calls;
    const char *raised_kind, *raised_text; /* the last raise: what a PROBE_FAILED propagated */
    const cJSON *value;                    /* RUN_POLLER: the accepted value */
    int64_t value_out;                     /* RUN_BLOCKING, eventually_changes/_settles: the out value */
    bool has_value_out;
    evaluations hooked; /* what the options' on_evaluation hook received */
    evaluations hosted; /* RUN_POLLER: what the host reported to the poller */
    bool no_turn;   /* RUN_POLLER: two calls followed each other without a yield or a wait */
    int no_turn_at; /* ... the second one's number */
    /* eventually_changes: JSON values as the int64 keys a C value probe reads (see key_of). */
    const cJSON *keys[MAX_KEYS];
    int n_keys;
    /* RUN_POLLER's loop state. */
    liveness_poller *poller;
    c_options *co; /* what the poller was made with (its wake_on patterns) */
    double now;
    double due;            /* when the host loop gives the wait its next turn */
    unsigned long queued;  /* ... and its place among the waits due then */
    const cJSON *call;     /* the script entry (or action) of the call in flight, NULL when none */
    bool call_prepares;    /* ... it is the preparation */
    bool call_abandoned;   /* ... it is still pending at its abandon_at_ms: given up at `due` */
    const cJSON *baseline; /* the preparation's value (eventually_changes) */
    int zero_waits;        /* WAIT steps of 0 in a row */
    bool turned;
    uint32_t number;      /* of the evaluation in flight */
    double started;       /* ... and its start */
    const cJSON *previous; /* eventually_settles: the previous evaluation's value (NULL after a raise) */
} play;

/* ---- what every runner shares ---- */

static int operation_code(const char *op) {
    const struct {
        const char *name;
        liveness_operation code;
    } ops[] = {
        {"eventually", LIVENESS_OP_EVENTUALLY},
        {"eventually_passes", LIVENESS_OP_EVENTUALLY_PASSES},
        {"eventually_changes", LIVENESS_OP_EVENTUALLY_CHANGES},
        {"eventually_settles", LIVENESS_OP_EVENTUALLY_SETTLES},
        {"sync_operation", LIVENESS_OP_SYNC_OPERATION},
        {"always", LIVENESS_OP_ALWAYS},
        {"never", LIVENESS_OP_NEVER},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(op, ops[i].name) == 0) return (int)ops[i].code;
    return -1;
}

static void set_env(const cJSON *c) {
    const cJSON *env = cJSON_GetObjectItem(c, "env");
    if (!cJSON_GetObjectItem(env, "LIVENESS_TIMEOUT_SCALE")) unsetenv("LIVENESS_TIMEOUT_SCALE");
    const cJSON *var;
    cJSON_ArrayForEach(var, env) { setenv(var->string, var->valuestring, 1); }
}

static void clear_env(const cJSON *c) {
    const cJSON *var;
    cJSON_ArrayForEach(var, cJSON_GetObjectItem(c, "env")) { unsetenv(var->string); }
}

/* The case's options as C spells them, with the operations' duration arguments; retry_on /
 * fail_on are not C options (the probes apply them). The arrays hold what `o` points to for the
 * duration of the call, so a c_options is filled in place and never copied. */
struct c_options {
    liveness_options o;
    double during_ms, quiet_ms;
    const char *patterns[MAX_PATTERNS];
    double intervals[MAX_INTERVALS];
};

static void options_of(const cJSON *opts, c_options *out) {
    liveness_options *o = &out->o;
    *o = liveness_options_default();
    out->during_ms = out->quiet_ms = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, opts) {
        const char *k = x->string;
        if (strcmp(k, "timeout_ms") == 0) o->timeout_ms = json_number(x);
        else if (strcmp(k, "interval_ms") == 0) o->interval_ms = json_number(x);
        else if (strcmp(k, "min_interval_ms") == 0) o->min_interval_ms = json_number(x);
        else if (strcmp(k, "max_interval_ms") == 0) o->max_interval_ms = json_number(x);
        else if (strcmp(k, "delay_ms") == 0) o->delay_ms = json_number(x);
        else if (strcmp(k, "stable_for_ms") == 0) o->stable_for_ms = json_number(x);
        else if (strcmp(k, "at_least_ms") == 0) o->at_least_ms = json_number(x);
        else if (strcmp(k, "late_check_ms") == 0) o->late_check_ms = json_number(x);
        else if (strcmp(k, "backoff") == 0) o->backoff = json_number(x);
        else if (strcmp(k, "during_ms") == 0) out->during_ms = json_number(x);
        else if (strcmp(k, "quiet_ms") == 0) out->quiet_ms = json_number(x);
        else if (strcmp(k, "attempts") == 0) o->attempts = (int64_t)x->valuedouble;
        else if (strcmp(k, "message") == 0) o->message = x->valuestring;
        else if (strcmp(k, "intervals_ms") == 0) {
            /* A list, even an empty one: a non-NULL pointer (NULL/0 would mean "no list"). */
            const cJSON *d;
            size_t n = 0;
            cJSON_ArrayForEach(d, x) {
                if (n < MAX_INTERVALS) out->intervals[n++] = json_number(d);
            }
            o->intervals_ms = out->intervals;
            o->intervals_len = n;
        } else if (strcmp(k, "wake_on") == 0) {
            const cJSON *p;
            size_t n = 0;
            cJSON_ArrayForEach(p, x) {
                if (n < MAX_PATTERNS) out->patterns[n++] = p->valuestring;
            }
            o->wake_on = out->patterns;
            o->wake_on_len = n;
        }
    }
}

/* The options' on_evaluation hook: records what it was given. */
static void hook_records(void *context, const liveness_evaluation *e) {
    evaluations *list = context;
    record_evaluation(list, (evaluation){e->number, e->started_ms, e->duration_ms, e->accepted});
}

static bool is_settles(const play *pl) {
    return strcmp(pl->op, "eventually_settles") == 0;
}

static double duration_of(const cJSON *entry) {
    const cJSON *d = cJSON_GetObjectItem(entry, "duration_ms");
    return d ? json_number(d) : 0;
}

/* Emits the entry's `emits` (a name or a list) through the public emit, while the call runs. */
static void emit_during(const cJSON *entry) {
    const cJSON *emits = cJSON_GetObjectItem(entry, "emits");
    if (cJSON_IsString(emits)) liveness_emit(emits->valuestring, NULL, NULL, 0, NULL);
    const cJSON *name;
    if (cJSON_IsArray(emits)) cJSON_ArrayForEach(name, emits) { liveness_emit(name->valuestring, NULL, NULL, 0, NULL); }
}

/* Whether a raise of `kind` stops the wait at once rather than being retried. */
static bool stops(const play *pl, const char *kind) {
    return listed(pl->fail_on, kind) || (pl->retry_on && !listed(pl->retry_on, kind));
}

/* Whether an evaluation's value is accepted, as the vectors define it per operation (for
 * eventually_changes: differs from the baseline; for eventually_settles: equals the previous
 * value, NULL when there is none). */
static bool accepts(const play *pl, const cJSON *value, const cJSON *reference) {
    if (strcmp(pl->op, "eventually_passes") == 0) return !cJSON_IsFalse(value);
    if (strcmp(pl->op, "eventually_changes") == 0) return !json_equal(value, reference);
    if (is_settles(pl)) return reference && json_equal(value, reference);
    return json_truthy(value);
}

static void record_start(play *pl, double at) {
    if (pl->n_starts < MAX_STARTS) pl->starts[pl->n_starts++] = at;
}

/* ---- RUN_BLOCKING: the blocking operations, probes on the virtual clock ---- */

static double clock_now(void) {
    double t = NAN;
    liveness_virtual_clock_now_ms(&t);
    return t;
}

/* One scripted call: records its start, emits while it runs, takes its duration. */
static const cJSON *play_call(play *pl) {
    record_start(pl, clock_now());
    const cJSON *e = script_next(&pl->s);
    if (!e) return NULL;
    emit_during(e);
    liveness_virtual_clock_advance(duration_of(e));
    return e;
}

/* A scripted raise, as a C probe says it: a failure of that kind, or a stop. C's stop has no
 * kind of its own, so its text carries it ("Fatal: boom"). */
static bool raise_as_c(play *pl, const cJSON *raises) {
    pl->raised_kind = str_of(raises, "kind");
    pl->raised_text = str_of(raises, "text");
    if (stops(pl, pl->raised_kind)) {
        char text[512];
        snprintf(text, sizeof text, "%s: %s", pl->raised_kind, pl->raised_text);
        return liveness_probe_stop(text);
    }
    return liveness_probe_fail_as(pl->raised_kind, pl->raised_text);
}

static bool bool_probe(void *ctx) {
    play *pl = ctx;
    const cJSON *e = play_call(pl);
    if (!e) return liveness_probe_stop("called past the end of the script");
    const cJSON *raises = cJSON_GetObjectItem(e, "raises");
    if (raises) return raise_as_c(pl, raises);
    /* A rejected value is a bare false: reported as "returned false". */
    return accepts(pl, cJSON_GetObjectItem(e, "returns"), NULL);
}

static bool action_probe(void *ctx) {
    play *pl = ctx;
    pl->action_calls++;
    emit_during(pl->action);
    liveness_virtual_clock_advance(duration_of(pl->action));
    const cJSON *raises = cJSON_GetObjectItem(pl->action, "raises");
    if (!raises) return true;
    /* A failed action propagates as itself: no stop needed. */
    pl->raised_kind = str_of(raises, "kind");
    pl->raised_text = str_of(raises, "text");
    return liveness_probe_fail_as(pl->raised_kind, pl->raised_text);
}

/* A C value probe reads an int64: whole numbers are themselves, any other JSON value (a string,
 * null, a boolean) the key of its first equal value in this case, as a C test would map the ids
 * it compares onto integers. Equality is kept (1 and 1.0 are one key), so is "changed". */
static int64_t key_of(play *pl, const cJSON *value) {
    if (cJSON_IsNumber(value) && value->valuedouble == floor(value->valuedouble) && fabs(value->valuedouble) < 9e15)
        return (int64_t)value->valuedouble;
    for (int i = 0; i < pl->n_keys; i++)
        if (json_equal(pl->keys[i], value)) return (INT64_C(1) << 62) + i;
    if (pl->n_keys < MAX_KEYS) pl->keys[pl->n_keys++] = value;
    return (INT64_C(1) << 62) + pl->n_keys - 1;
}

static bool value_probe(void *ctx, int64_t *value) {
    play *pl = ctx;
    const cJSON *e = play_call(pl);
    if (!e) return liveness_probe_stop("called past the end of the script");
    const cJSON *raises = cJSON_GetObjectItem(e, "raises");
    if (raises) return raise_as_c(pl, raises);
    *value = key_of(pl, cJSON_GetObjectItem(e, "returns"));
    return true;
}

static void run_blocking(const cJSON *c, play *pl) {
    c_options *co = calloc(1, sizeof *co);
    options_of(cJSON_GetObjectItem(c, "options"), co);
    liveness_options o = co->o; /* its pointers point into *co, which lives until the end */
    double during_ms = co->during_ms;
    o.on_evaluation = hook_records;
    o.on_evaluation_context = &pl->hooked;
    if (liveness_virtual_clock_install() != LIVENESS_OK) {
        pl->result = "clock";
        snprintf(pl->detail, sizeof pl->detail, "liveness_virtual_clock_install: %s", liveness_last_error_message());
        free(co);
        return;
    }
    liveness_status st;
    const char *op = pl->op;
    if (strcmp(op, "eventually") == 0) st = liveness_eventually(bool_probe, pl, &o);
    else if (strcmp(op, "eventually_passes") == 0) st = liveness_eventually_passes(bool_probe, pl, &o);
    else if (strcmp(op, "always") == 0) st = liveness_always(bool_probe, pl, during_ms, &o);
    else if (strcmp(op, "never") == 0) st = liveness_never(bool_probe, pl, during_ms, &o);
    else if (strcmp(op, "sync_operation") == 0) st = liveness_sync_operation(action_probe, bool_probe, pl, &o);
    else {
        int64_t out = INT64_MIN;
        if (is_settles(pl)) st = liveness_eventually_settles(value_probe, pl, co->quiet_ms, &o, &out);
        else st = liveness_eventually_changes(value_probe, pl, &o, &out);
        pl->value_out = out;
        pl->has_value_out = st == LIVENESS_OK;
    }
    free(co);
    snprintf(pl->detail, sizeof pl->detail, "%s", liveness_last_error_message());
    pl->elapsed = clock_now();
    liveness_virtual_clock_uninstall();
    switch (st) {
    case LIVENESS_OK: pl->result = "ok"; break;
    case LIVENESS_TIMEOUT: pl->result = "timeout"; break;
    case LIVENESS_VIOLATED: pl->result = "violated"; break;
    case LIVENESS_INVALID_ARGUMENT: pl->result = "invalid_option"; break;
    case LIVENESS_PROBE_FAILED:
        pl->result = "propagated";
        /* The error that came out unchanged: its kind and text are in the message. */
        if (pl->raised_kind && strstr(pl->detail, pl->raised_kind) && strstr(pl->detail, pl->raised_text)) {
            snprintf(pl->detail, sizeof pl->detail, "%s", pl->raised_kind);
        }
        break;
    default: pl->result = liveness_status_name(st); break;
    }
}

/* ---- RUN_POLLER: an event-loop host's loop over the sans-IO poller ---- */

/* The host's wake subscription: a hint is reported with the time it happened. */
static bool poller_hint(const char *event_json, void *ctx) {
    (void)event_json;
    play *pl = ctx;
    liveness_poller_wake(pl->poller, pl->now);
    return true;
}

/* A scripted call's start, for the loop-turn rule: two calls must have a yield or a wait between. */
static void poller_call_starts(play *pl) {
    if (pl->n_starts > 0 && !pl->turned && !pl->no_turn) {
        pl->no_turn = true;
        pl->no_turn_at = pl->n_starts + 1;
    }
    pl->turned = false;
    record_start(pl, pl->now);
}

static void propagate(play *pl, const cJSON *raises) {
    pl->result = "propagated";
    snprintf(pl->detail, sizeof pl->detail, "%s", str_of(raises, "kind"));
}

/* The host reports the outcome of the evaluation in flight: what it saw of it is recorded. */
static void hosted(play *pl, bool accepted) {
    record_evaluation(&pl->hosted, (evaluation){pl->number, pl->started, pl->now - pl->started, accepted});
}

/* The call `e` starts now and stays pending for its duration: the wait's task is due again when
 * it finishes, or at the step's abandon_at_ms when the host gives it up first. */
static void call_starts(play *pl, const liveness_step *step, const cJSON *e, bool preparing) {
    emit_during(e);
    double ends = pl->now + duration_of(e);
    pl->call = e;
    pl->call_prepares = preparing;
    pl->call_abandoned = step->abandon_at_ms >= 0 && ends > step->abandon_at_ms;
    pl->due = pl->call_abandoned ? step->abandon_at_ms : ends;
}

/* The call in flight has finished (or is given up) at pl->now: the host reports it. */
static void call_ends(play *pl) {
    const cJSON *e = pl->call;
    pl->call = NULL;
    if (pl->call_abandoned) {
        liveness_status st = liveness_poller_abandon(pl->poller, pl->now);
        pl->result = st == LIVENESS_TIMEOUT ? "timeout" : st == LIVENESS_VIOLATED ? "violated" : liveness_status_name(st);
        snprintf(pl->detail, sizeof pl->detail, "%s", liveness_last_error_message());
        return;
    }
    const cJSON *raises = cJSON_GetObjectItem(e, "raises");
    if (pl->call_prepares) {
        if (raises) propagate(pl, raises); /* a failed preparation ends the wait: the host reports it */
        else {
            pl->baseline = cJSON_GetObjectItem(e, "returns");
            liveness_poller_prepared(pl->poller, pl->now);
        }
    } else if (raises && stops(pl, str_of(raises, "kind"))) {
        propagate(pl, raises);
    } else if (raises) {
        hosted(pl, false);
        pl->previous = NULL; /* eventually_settles: a raise leaves no previous value */
        liveness_poller_raised(pl->poller, pl->now, str_of(raises, "kind"), str_of(raises, "text"));
    } else {
        const cJSON *value = cJSON_GetObjectItem(e, "returns");
        char *text = json_text(value);
        bool accepted = accepts(pl, value, is_settles(pl) ? pl->previous : pl->baseline);
        pl->previous = value;
        hosted(pl, accepted);
        if (accepted) {
            pl->value = value;
            liveness_poller_accepted(pl->poller, pl->now, text);
        } else {
            /* eventually_changes: the baseline seen again; the poller words it "(unchanged)".
             * eventually_settles: a new value, the start of its quiet period. */
            liveness_poller_returned(pl->poller, pl->now, text, cJSON_IsNull(value));
        }
        free(text);
    }
}

static bool wait_is_over(const play *pl) {
    return pl->result || pl->s.overrun;
}

/* One turn of the host loop for one wait, at pl->now: reports the call that has just finished,
 * then executes the poller's steps until the wait has to wait for something (a WAIT, a YIELD, a
 * call that takes time), with pl->due set to when it runs again, or is over. */
static void host_turn(play *pl, verdict *v) {
    if (pl->call) call_ends(pl);
    while (!wait_is_over(pl) && !pl->call) {
        liveness_step step;
        if (liveness_poller_next(pl->poller, pl->now, &step) != LIVENESS_OK) {
            fail(v, "liveness_poller_next: %s", liveness_last_error_message());
            pl->result = "poller error";
            return;
        }
        if (step.kind != LIVENESS_STEP_WAIT) pl->zero_waits = 0;
        switch (step.kind) {
        case LIVENESS_STEP_PREPARE: {
            liveness_poller_started(pl->poller, pl->now, NULL);
            const cJSON *e = pl->action;
            if (strcmp(pl->op, "sync_operation") == 0) {
                pl->action_calls++;
            } else {
                poller_call_starts(pl);
                e = script_next(&pl->s);
                if (!e) return;
            }
            call_starts(pl, &step, e, true);
            break;
        }
        case LIVENESS_STEP_EVALUATE: {
            liveness_poller_started(pl->poller, pl->now, &pl->number);
            pl->started = pl->now;
            poller_call_starts(pl);
            const cJSON *e = script_next(&pl->s);
            if (!e) return;
            call_starts(pl, &step, e, false);
            break;
        }
        case LIVENESS_STEP_YIELD: /* the loop runs the other waits due now, then this one again */
            pl->turned = true;
            pl->due = pl->now;
            return;
        case LIVENESS_STEP_WAIT:
            if (step.wait_ms == 0 && ++pl->zero_waits > 3) {
                fail(v, "the poller keeps asking to wait 0 at %.3f ms: it would spin", pl->now);
                pl->result = "spinning";
            }
            pl->turned = true;
            pl->due = pl->now + step.wait_ms;
            return;
        case LIVENESS_STEP_DONE:
            pl->result = step.status == LIVENESS_OK         ? "ok"
                         : step.status == LIVENESS_VIOLATED ? "violated"
                         : step.status == LIVENESS_TIMEOUT  ? "timeout"
                                                            : liveness_status_name(step.status);
            if (step.status != LIVENESS_OK) snprintf(pl->detail, sizeof pl->detail, "%s", liveness_last_error_message());
            return;
        default: fail(v, "unknown step kind %d", (int)step.kind); pl->result = "unknown step";
        }
        /* A call that takes no time has finished at once (a zero-cost async call completes at once). */
        if (pl->call && !pl->call_abandoned && pl->due == pl->now) call_ends(pl);
    }
}

/* The host's event loop on its own clock: runs `n` waits, all started at time 0, until the first
 * one (the case's) is over. Each turn goes to the wait due first; waits due at the same time take
 * their turns in the order they became due (at time 0: the order they started in), as a loop's
 * timer queue runs them. */
static void host_loop(play **plays, int n, verdict *v) {
    unsigned long queued = 0;
    for (int i = 0; i < n; i++) plays[i]->queued = queued++;
    play *wait = plays[n - 1];
    for (long turn = 0; !wait_is_over(wait); turn++) {
        if (turn == 1000000) {
            fail(v, "the wait is not over after %ld turns of the host loop", turn);
            break;
        }
        play *next = NULL;
        for (int i = 0; i < n; i++) {
            play *p = plays[i];
            if (wait_is_over(p)) continue;
            if (!next || p->due < next->due || (p->due == next->due && p->queued < next->queued)) next = p;
        }
        next->now = next->due;
        host_turn(next, v);
        next->queued = queued++;
    }
}

/* Makes the poller of `pl` with `opts`, as the options' C spelling; false (with the result) when
 * liveness_poller_new rejects them. */
static bool poller_starts(const cJSON *opts, play *pl) {
    pl->co = calloc(1, sizeof *pl->co);
    options_of(opts, pl->co);
    liveness_options *o = &pl->co->o;
    o->on_evaluation = hook_records;
    o->on_evaluation_context = &pl->hooked;
    double duration_ms = is_settles(pl) ? pl->co->quiet_ms : pl->co->during_ms;
    if (liveness_poller_new(operation_code(pl->op), duration_ms, o, &pl->poller) != LIVENESS_OK) {
        pl->result = "invalid_option";
        snprintf(pl->detail, sizeof pl->detail, "%s", liveness_last_error_message());
        return false;
    }
    pl->turned = true;
    return true;
}

static void poller_ends(play *pl) {
    if (pl->poller) liveness_poller_free(pl->poller);
    free(pl->co);
}

/* The case's `alongside` waits (`count` eventuallys per entry, each on its own copy of the
 * entry's script), started before the case's own, which comes last in `plays`. Returns how many
 * were made; a malformed entry is the vector's bug, reported. */
static int alongside_waits(const cJSON *c, play **plays, int max, verdict *v) {
    int n = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, cJSON_GetObjectItem(c, "alongside")) {
        const cJSON *key;
        cJSON_ArrayForEach(key, entry) {
            const char *known[] = {"count", "options", "script", "repeat_last"};
            bool ok = false;
            for (size_t i = 0; i < sizeof known / sizeof *known; i++) ok = ok || strcmp(key->string, known[i]) == 0;
            if (!ok) fail(v, "alongside: unknown key `%s`", key->string);
        }
        const cJSON *opts = cJSON_GetObjectItem(entry, "options");
        /* Hints reach the case's wait only: its probe is the only one that emits in these vectors. */
        if (cJSON_GetObjectItem(opts, "wake_on")) fail(v, "alongside: wake_on is not supported by this runner");
        const cJSON *count = cJSON_GetObjectItem(entry, "count");
        if (!cJSON_IsNumber(count)) fail(v, "alongside without a count");
        for (int i = 0; cJSON_IsNumber(count) && i < count->valueint; i++) {
            if (n == max) {
                fail(v, "alongside: more than %d waits", max);
                return n;
            }
            play *pl = plays[n++] = calloc(1, sizeof *pl);
            pl->op = "eventually";
            pl->fail_on = cJSON_GetObjectItem(opts, "fail_on");
            pl->retry_on = cJSON_GetObjectItem(opts, "retry_on");
            pl->s = script_of(entry);
            if (!poller_starts(opts, pl)) fail(v, "alongside: liveness_poller_new: %s", pl->detail);
        }
    }
    return n;
}

#define MAX_ALONGSIDE 64

static void run_poller(const cJSON *c, play *pl, verdict *v) {
    play *plays[MAX_ALONGSIDE + 1];
    int n = alongside_waits(c, plays, MAX_ALONGSIDE, v);
    plays[n] = pl;
    if (poller_starts(cJSON_GetObjectItem(c, "options"), pl)) {
        const char *hint_id = "conformance.poller.wake";
        liveness_options *o = &pl->co->o;
        if (o->wake_on_len > 0 && liveness_attach(hint_id, o->wake_on, o->wake_on_len, poller_hint, pl) != LIVENESS_OK)
            fail(v, "liveness_attach: %s", liveness_last_error_message());
        host_loop(plays, n + 1, v);
        if (o->wake_on_len > 0) liveness_detach(hint_id);
    }
    pl->elapsed = pl->now;
    /* The alongside waits still in progress are cancelled: freed, they leave the clock's budget. */
    for (int i = 0; i <= n; i++) {
        if (i < n && plays[i]->s.overrun) fail(v, "alongside wait %d: its probe was called past the end of its script", i + 1);
        poller_ends(plays[i]);
        if (i < n) free(plays[i]);
    }
}

/* ---- judging ---- */

static bool close_to(double a, double b) {
    return fabs(a - b) <= 1e-6;
}

/* The option as C names it: durations carry their unit (`timeout_ms` for `timeout`). */
static void c_option_name(const char *option, char *out, size_t n) {
    const char *durations[] = {"timeout", "interval",  "intervals", "min_interval", "max_interval",
                               "delay",   "stable_for", "during",   "at_least",     "quiet", "late_check"};
    for (size_t i = 0; i < sizeof durations / sizeof *durations; i++) {
        if (strcmp(option, durations[i]) == 0) {
            snprintf(out, n, "%s_ms", option);
            return;
        }
    }
    snprintf(out, n, "%s", option);
}

static bool is_bool_probe_operation(const char *op) {
    return strcmp(op, "eventually_changes") != 0 && strcmp(op, "eventually_settles") != 0;
}

/* Whether some scripted entry returns a value for which `pred` holds. */
static bool script_returns(const cJSON *c, bool (*pred)(const cJSON *)) {
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "script")) {
        const cJSON *r = cJSON_GetObjectItem(e, "returns");
        if (r && pred(r)) return true;
    }
    return false;
}

static bool is_null(const cJSON *j) {
    return cJSON_IsNull(j);
}

/* Whether the rejected values of the script are not all one value: a bool probe reports every
 * one of them as "returned false". */
static bool distinct_rejected_values(const cJSON *c) {
    const cJSON *e, *first = NULL;
    const char *op = cJSON_GetObjectItem(c, "operation")->valuestring;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "script")) {
        const cJSON *r = cJSON_GetObjectItem(e, "returns");
        if (!r) continue;
        bool rejected = strcmp(op, "eventually_passes") == 0 ? cJSON_IsFalse(r) : !json_truthy(r);
        if (!rejected) continue;
        if (!first) first = r;
        else if (!json_equal(first, r)) return true;
    }
    return false;
}

/* Why RUN_BLOCKING cannot check `fragment` of `key` in case `c`, or NULL when it can. A C bool
 * probe returns true or false: it cannot return "nothing" (the hint of an eventually that only
 * ever got nothing), tell two rejected values apart (each is "returned false"), or describe an
 * accepted value (never's report shows "true"). */
static const char *c_cannot_express(const cJSON *c, const char *key, const char *fragment) {
    const char *op = cJSON_GetObjectItem(c, "operation")->valuestring;
    if (!is_bool_probe_operation(op)) return NULL;
    if (strstr(fragment, "hint:") && strcmp(key, "message_contains") == 0 && script_returns(c, is_null))
        return "a bool probe cannot return nothing (no hint)";
    if (strstr(fragment, "returned") && strstr(key, "count") && distinct_rejected_values(c))
        return "a bool probe reports every rejected value as \"returned false\"";
    /* never's report, and at_least's "held too early", show the value that held. */
    if (strcmp(op, "never") == 0 || cJSON_GetObjectItem(cJSON_GetObjectItem(c, "options"), "at_least_ms")) {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "script")) {
            const cJSON *r = cJSON_GetObjectItem(e, "returns");
            if (!r || cJSON_IsTrue(r) || !json_truthy(r)) continue;
            char *text = json_text(r);
            bool named = strstr(fragment, text) != NULL;
            free(text);
            if (named) return "a bool probe's accepted value has no text (the report shows \"true\")";
        }
    }
    return NULL;
}

typedef struct {
    const cJSON *c;
    verdict *v;
} skip_ctx;

static bool skip_fragment(void *ctx, const char *key, const char *fragment) {
    skip_ctx *k = ctx;
    const char *why = c_cannot_express(k->c, key, fragment);
    if (why) note_skipped(k->v, "%s \"%s\" (%s)", key, fragment, why);
    return why != NULL;
}

static bool same_evaluation(const evaluation *a, const evaluation *b) {
    return a->number == b->number && close_to(a->started_ms, b->started_ms) && close_to(a->duration_ms, b->duration_ms) &&
           a->accepted == b->accepted;
}

static void describe_evaluations(const evaluations *list, char *out, size_t n) {
    out[0] = '\0';
    for (int i = 0; i < list->n && strlen(out) + 80 < n; i++) {
        const evaluation *e = &list->at[i];
        snprintf(out + strlen(out), n - strlen(out), "%s#%lld %g+%g %s", i ? ", " : "", (long long)e->number, e->started_ms,
                 e->duration_ms, e->accepted ? "accepted" : "rejected");
    }
}

static void check_same_evaluations(const char *what, const evaluations *got, const evaluations *want, verdict *v) {
    bool same = got->n == want->n;
    for (int i = 0; same && i < got->n; i++) same = same_evaluation(&got->at[i], &want->at[i]);
    if (!same) {
        char g[1024], w[1024];
        describe_evaluations(got, g, sizeof g);
        describe_evaluations(want, w, sizeof w);
        fail(v, "%s: [%s], expected [%s]", what, g, w);
    }
}

/* expect.on_evaluation: exactly these {number, started_ms, duration_ms, accepted}, in order. */
static void check_expected_evaluations(const cJSON *expected, const evaluations *got, verdict *v) {
    evaluations *want = calloc(1, sizeof *want); /* 128 KiB: not on the stack */
    const cJSON *e;
    cJSON_ArrayForEach(e, expected) {
        record_evaluation(want, (evaluation){(int64_t)cJSON_GetObjectItem(e, "number")->valuedouble,
                                              cJSON_GetObjectItem(e, "started_ms")->valuedouble,
                                              cJSON_GetObjectItem(e, "duration_ms")->valuedouble,
                                              cJSON_IsTrue(cJSON_GetObjectItem(e, "accepted"))});
    }
    check_same_evaluations("on_evaluation", got, want, v);
    free(want);
}

void run_polling_case(const cJSON *c, polling_runner runner, verdict *v) {
    if (runner == RUN_BLOCKING && cJSON_GetObjectItem(c, "alongside")) {
        v->not_run = "waits alongside: a blocking wait has its thread to itself";
        return;
    }
    play *pl = calloc(1, sizeof *pl);
    pl->op = cJSON_GetObjectItem(c, "operation")->valuestring;
    const cJSON *opts = cJSON_GetObjectItem(c, "options");
    pl->fail_on = cJSON_GetObjectItem(opts, "fail_on");
    pl->retry_on = cJSON_GetObjectItem(opts, "retry_on");
    pl->action = cJSON_GetObjectItem(c, "action");
    pl->s = script_of(c);
    set_env(c);
    if (runner == RUN_BLOCKING) run_blocking(c, pl);
    else run_poller(c, pl, v);
    clear_env(c);
    if (!pl->result) pl->result = "unfinished";
    if (pl->s.overrun) fail(v, "the probe was called %d times, past the end of the script", pl->s.calls + 1);

    /* An asynchronous host gives up a call still pending at the deadline: async_expect. */
    const cJSON *expect = cJSON_GetObjectItem(c, "expect");
    if (runner == RUN_POLLER && cJSON_GetObjectItem(c, "async_expect")) expect = cJSON_GetObjectItem(c, "async_expect");
    const char *want = cJSON_GetObjectItem(expect, "result")->valuestring;
    if (strcmp(want, pl->result) != 0) fail(v, "result %s (%s), expected %s", pl->result, pl->detail, want);
    const cJSON *x;
    if ((x = cJSON_GetObjectItem(expect, "value"))) {
        if (runner == RUN_POLLER) {
            if (!(pl->value && json_equal(pl->value, x))) {
                char *got = pl->value ? json_text(pl->value) : NULL, *exp = json_text(x);
                fail(v, "value %s, expected %s", got ? got : "(none)", exp);
                free(got);
                free(exp);
            }
        } else if (!is_bool_probe_operation(pl->op)) {
            int64_t key = key_of(pl, x);
            if (!pl->has_value_out || pl->value_out != key)
                fail(v, "value out %lld, expected %lld", (long long)pl->value_out, (long long)key);
        } else if (!cJSON_IsTrue(x)) {
            note_skipped(v, "value (a bool probe's accepted value is true)");
        }
    }
    if ((x = cJSON_GetObjectItem(expect, "evaluations")) && x->valueint != pl->s.calls)
        fail(v, "%d evaluations, expected %d", pl->s.calls, x->valueint);
    if ((x = cJSON_GetObjectItem(expect, "starts_ms"))) {
        bool same = cJSON_GetArraySize(x) == pl->n_starts;
        for (int i = 0; same && i < pl->n_starts; i++) same = close_to(cJSON_GetArrayItem(x, i)->valuedouble, pl->starts[i]);
        if (!same) {
            char got[1024] = "";
            for (int i = 0; i < pl->n_starts && strlen(got) < 1000; i++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%g", i ? ", " : "", pl->starts[i]);
            char *exp = json_text(x);
            fail(v, "starts [%s], expected %s", got, exp);
            free(exp);
        }
    }
    if ((x = cJSON_GetObjectItem(expect, "elapsed_ms")) && !close_to(x->valuedouble, pl->elapsed))
        fail(v, "elapsed %g ms, expected %g", pl->elapsed, x->valuedouble);
    if ((x = cJSON_GetObjectItem(expect, "propagated_kind")) && strcmp(x->valuestring, pl->detail) != 0)
        fail(v, "propagated %s, expected %s", pl->detail, x->valuestring);
    if ((x = cJSON_GetObjectItem(expect, "action_calls")) && x->valueint != pl->action_calls)
        fail(v, "%d action calls, expected %d", pl->action_calls, x->valueint);
    if ((x = cJSON_GetObjectItem(expect, "invalid_option"))) {
        char name[128], needle[160];
        c_option_name(x->valuestring, name, sizeof name);
        snprintf(needle, sizeof needle, "invalid option `%s`", name);
        if (!strstr(pl->detail, needle)) fail(v, "the error does not name option %s as C spells it: %s", name, pl->detail);
    }
    /* Only an event-loop host has a loop to let turn. */
    if (runner == RUN_POLLER && cJSON_IsTrue(cJSON_GetObjectItem(expect, "loop_turns_between_evaluations")) && pl->no_turn)
        fail(v, "no yield or wait between evaluations #%d and #%d", pl->no_turn_at - 1, pl->no_turn_at);
    /* The poller's host saw each evaluation itself; the hook the poller called must agree. */
    const evaluations *seen = runner == RUN_POLLER ? &pl->hosted : &pl->hooked;
    if (runner == RUN_POLLER)
        check_same_evaluations("the poller's on_evaluation hook (expected: what the host saw)", &pl->hooked, &pl->hosted, v);
    if ((x = cJSON_GetObjectItem(expect, "on_evaluation"))) check_expected_evaluations(x, seen, v);
    if (strcmp(pl->result, "timeout") == 0 || strcmp(pl->result, "violated") == 0) {
        skip_ctx k = {c, v};
        check_message(expect, pl->detail, v, runner == RUN_BLOCKING ? skip_fragment : NULL, &k);
    }
    free(pl);
}
