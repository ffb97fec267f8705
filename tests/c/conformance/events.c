/* Event cases: names, patterns, emit, capture and the three assertions, through the C ABI. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

static void emit_all(const cJSON *events, verdict *v) {
    const cJSON *e;
    cJSON_ArrayForEach(e, events) {
        int status = emit_json_event(e);
        if (status != LIVENESS_OK) fail(v, "emit %s failed: %s", cJSON_GetObjectItem(e, "name")->valuestring, liveness_last_error_message());
    }
}

/* Whether `pattern` matches `name`: a capture of the pattern sees an emit of the name. */
static int matches(const char *pattern, const char *name, verdict *v) {
    const char *patterns[] = {pattern};
    liveness_capture *cap = NULL;
    if (liveness_capture_open(patterns, 1, &cap) != LIVENESS_OK) {
        fail(v, "pattern %s rejected: %s", pattern, liveness_last_error_message());
        return -1;
    }
    if (liveness_emit(name, NULL, NULL, 0, NULL) != LIVENESS_OK) fail(v, "emit %s: %s", name, liveness_last_error_message());
    size_t n = 0;
    liveness_capture_count(cap, &n);
    liveness_capture_close(cap);
    return (int)n;
}

static const char **strings_of(const cJSON *list, size_t *n) {
    *n = (size_t)cJSON_GetArraySize(list);
    const char **out = calloc(*n + 1, sizeof *out);
    for (size_t i = 0; i < *n; i++) out[i] = cJSON_GetArrayItem(list, (int)i)->valuestring;
    return out;
}

static void check_capture(const cJSON *c, verdict *v) {
    emit_all(cJSON_GetObjectItem(c, "before_emits"), v);
    size_t n_patterns;
    const char **patterns = strings_of(cJSON_GetObjectItem(c, "patterns"), &n_patterns);
    liveness_capture *cap = NULL;
    if (liveness_capture_open(patterns, n_patterns, &cap) != LIVENESS_OK) {
        fail(v, "capture_open: %s", liveness_last_error_message());
        free(patterns);
        return;
    }
    emit_all(cJSON_GetObjectItem(c, "emits"), v);
    char *text = NULL;
    liveness_capture_events_json(cap, &text);
    liveness_capture_close(cap);
    emit_all(cJSON_GetObjectItem(c, "after_emits"), v);
    cJSON *got = cJSON_Parse(text);
    const cJSON *names = cJSON_GetObjectItem(c, "expect_names");
    if (cJSON_GetArraySize(got) != cJSON_GetArraySize(names)) fail(v, "captured %s", text);
    for (int i = 0; i < cJSON_GetArraySize(names) && i < cJSON_GetArraySize(got); i++) {
        const char *want = cJSON_GetArrayItem(names, i)->valuestring;
        const char *name = cJSON_GetObjectItem(cJSON_GetArrayItem(got, i), "name")->valuestring;
        if (strcmp(want, name) != 0) fail(v, "event #%d is %s, expected %s", i + 1, name, want);
    }
    const cJSON *events = cJSON_GetObjectItem(c, "expect_events");
    for (int i = 0; events && i < cJSON_GetArraySize(events) && i < cJSON_GetArraySize(got); i++) {
        const cJSON *want = cJSON_GetArrayItem(events, i), *have = cJSON_GetArrayItem(got, i);
        const char *parts[] = {"measurements", "metadata"};
        for (int k = 0; k < 2; k++) {
            const cJSON *w = cJSON_GetObjectItem(want, parts[k]), *h = cJSON_GetObjectItem(have, parts[k]);
            if (!w) continue;
            /* same keys, values equal with numbers by value */
            bool same = cJSON_GetArraySize(w) == cJSON_GetArraySize(h);
            const cJSON *entry;
            cJSON_ArrayForEach(entry, w) {
                const cJSON *other = cJSON_GetObjectItem(h, entry->string);
                if (!other || !json_equal(entry, other)) same = false;
            }
            if (!same) fail(v, "event #%d %s differ: %s", i + 1, parts[k], text);
        }
    }
    cJSON_Delete(got);
    liveness_string_free(text);
    free(patterns);
}

/* `sibling`: another thread's scoped capture (threads do not inherit a scope, so its scope is
 * not the block's); `outside`: a thread in no scope, as one the system under test started. */
typedef struct {
    const cJSON *event;
    bool scoped;
    int status;
} emitter;

static void *emit_on_thread(void *arg) {
    emitter *e = arg;
    liveness_capture *own = NULL;
    const char *all[] = {"**"};
    if (e->scoped && liveness_capture_open_scoped(all, 1, &own) != LIVENESS_OK) {
        e->status = -2;
        return NULL;
    }
    e->status = emit_json_event(e->event);
    liveness_capture_close(own);
    return NULL;
}

static void check_scoped_capture(const cJSON *c, verdict *v) {
    size_t n_patterns;
    const char **patterns = strings_of(cJSON_GetObjectItem(c, "patterns"), &n_patterns);
    liveness_capture *cap = NULL;
    bool scoped = cJSON_IsTrue(cJSON_GetObjectItem(c, "scoped"));
    liveness_status opened =
        scoped ? liveness_capture_open_scoped(patterns, n_patterns, &cap) : liveness_capture_open(patterns, n_patterns, &cap);
    free(patterns);
    if (opened != LIVENESS_OK) {
        fail(v, "capture_open: %s", liveness_last_error_message());
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "emits")) {
        const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(e, "from"));
        int status;
        if (strcmp(from, "block") == 0) {
            status = emit_json_event(e);
        } else if (strcmp(from, "nested") == 0) {
            liveness_capture *inner = NULL;
            const char *all[] = {"**"};
            status = liveness_capture_open_scoped(all, 1, &inner);
            if (status == LIVENESS_OK) status = emit_json_event(e);
            liveness_capture_close(inner);
        } else {
            emitter job = {e, strcmp(from, "sibling") == 0, -1};
            pthread_t thread;
            if (pthread_create(&thread, NULL, emit_on_thread, &job) != 0) {
                fail(v, "pthread_create failed");
                continue;
            }
            pthread_join(thread, NULL);
            status = job.status;
        }
        if (status != LIVENESS_OK) fail(v, "emit from %s failed (%d): %s", from, status, liveness_last_error_message());
    }
    char *text = NULL;
    liveness_capture_events_json(cap, &text);
    liveness_capture_close(cap);
    cJSON *got = cJSON_Parse(text);
    const cJSON *names = cJSON_GetObjectItem(c, "expect_names");
    bool same = cJSON_GetArraySize(got) == cJSON_GetArraySize(names);
    for (int i = 0; same && i < cJSON_GetArraySize(names); i++) {
        const char *name = cJSON_GetObjectItem(cJSON_GetArrayItem(got, i), "name")->valuestring;
        same = strcmp(cJSON_GetArrayItem(names, i)->valuestring, name) == 0;
    }
    if (!same) fail(v, "captured %s", text);
    cJSON_Delete(got);
    liveness_string_free(text);
}

static void emit_block(void *ctx) {
    const cJSON *e;
    cJSON_ArrayForEach(e, (const cJSON *)ctx) { emit_json_event(e); }
}

static void check_assertion(const cJSON *c, const char *kind, verdict *v) {
    emit_all(cJSON_GetObjectItem(c, "before_emits"), v);
    void *block = cJSON_GetObjectItem(c, "block_emits");
    const cJSON *where = cJSON_GetObjectItem(c, "where");
    char *where_json = where ? json_text(where) : NULL;
    const cJSON *count = cJSON_GetObjectItem(c, "count");
    const char *pattern = cJSON_GetStringValue(cJSON_GetObjectItem(c, "pattern"));
    liveness_status status;
    if (strcmp(kind, "assert_emitted") == 0) {
        status = liveness_assert_emitted(pattern, where_json, count ? (int64_t)count->valuedouble : LIVENESS_ANY_COUNT, emit_block, block);
    } else if (strcmp(kind, "assert_not_emitted") == 0) {
        status = liveness_assert_not_emitted(pattern, where_json, emit_block, block);
    } else {
        size_t n;
        const char **patterns = strings_of(cJSON_GetObjectItem(c, "patterns"), &n);
        status = liveness_assert_emitted_in_order(patterns, n, emit_block, block);
        free(patterns);
    }
    free(where_json);
    bool passes = cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "expect"), "passes"));
    if (passes && status != LIVENESS_OK) fail(v, "%s: %s", liveness_status_name(status), liveness_last_error_message());
    if (!passes) {
        if (status != LIVENESS_EVENT_ASSERTION) fail(v, "%s, expected LIVENESS_EVENT_ASSERTION", liveness_status_name(status));
        else check_message(cJSON_GetObjectItem(c, "expect"), liveness_last_error_message(), v, NULL, NULL);
    }
}

void run_event_case(const cJSON *c, verdict *v) {
    const char *kind = cJSON_GetObjectItem(c, "kind")->valuestring;
    const cJSON *x;
    if (strcmp(kind, "pattern") == 0) {
        const char *pattern = cJSON_GetObjectItem(c, "pattern")->valuestring;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "matches")) {
            if (matches(pattern, x->valuestring, v) != 1) fail(v, "%s does not match %s", pattern, x->valuestring);
        }
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "rejects")) {
            if (matches(pattern, x->valuestring, v) != 0) fail(v, "%s matches %s", pattern, x->valuestring);
        }
    } else if (strcmp(kind, "invalid_name") == 0) {
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "names")) {
            if (liveness_emit(x->valuestring, NULL, NULL, 0, NULL) != LIVENESS_INVALID_ARGUMENT)
                fail(v, "emit accepted the name \"%s\"", x->valuestring);
            if (liveness_has_subscribers(x->valuestring) || strlen(liveness_last_error_message()) == 0)
                fail(v, "has_subscribers did not reject the name \"%s\"", x->valuestring);
        }
    } else if (strcmp(kind, "invalid_pattern") == 0) {
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "patterns")) {
            const char *patterns[] = {x->valuestring};
            liveness_capture *cap = NULL;
            if (liveness_capture_open(patterns, 1, &cap) != LIVENESS_INVALID_ARGUMENT) {
                fail(v, "capture accepted the pattern \"%s\"", x->valuestring);
                liveness_capture_close(cap);
            }
        }
    } else if (strcmp(kind, "invalid_emit") == 0) {
        /* -1: a non-numeric measurement, which a C `double` cannot express (enforced by the type) */
        int status = emit_json_event(cJSON_GetObjectItem(c, "emit"));
        if (status != -1 && status != LIVENESS_INVALID_ARGUMENT) fail(v, "emit returned %s", liveness_status_name(status));
    } else if (strcmp(kind, "capture") == 0) {
        check_capture(c, v);
    } else if (strcmp(kind, "scoped_capture") == 0) {
        check_scoped_capture(c, v);
    } else if (strcmp(kind, "bridge_name") == 0) {
        /* The C ABI has no bridge (C code emits with liveness_emit and names its events itself):
         * nothing here gives a logger or span a name. */
        note_skipped(v, "bridge names: the C ABI has no bridge");
    } else if (strncmp(kind, "assert_", 7) == 0) {
        check_assertion(c, kind, v);
    } else {
        fail(v, "unknown event case kind %s", kind);
    }
}
