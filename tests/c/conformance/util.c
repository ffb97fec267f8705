#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

void fail(verdict *v, const char *fmt, ...) {
    if (v->text[0]) return; /* keep the first problem */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->text, sizeof v->text, fmt, ap);
    va_end(ap);
}

void note_skipped(verdict *v, const char *fmt, ...) {
    size_t used = strlen(v->skipped);
    if (used + 3 >= sizeof v->skipped) return;
    if (used) {
        strcpy(v->skipped + used, "; ");
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->skipped + used, sizeof v->skipped - used, fmt, ap);
    va_end(ap);
}

double json_number(const cJSON *j) {
    if (cJSON_IsNumber(j)) return j->valuedouble;
    if (cJSON_IsString(j)) {
        if (strcmp(j->valuestring, "NaN") == 0) return NAN;
        if (strcmp(j->valuestring, "Infinity") == 0) return INFINITY;
        if (strcmp(j->valuestring, "-Infinity") == 0) return -INFINITY;
    }
    return NAN;
}

bool json_truthy(const cJSON *j) {
    if (cJSON_IsFalse(j) || cJSON_IsNull(j)) return false;
    if (cJSON_IsNumber(j)) return j->valuedouble != 0.0;
    if (cJSON_IsString(j)) return j->valuestring[0] != '\0';
    return true;
}

bool json_equal(const cJSON *a, const cJSON *b) {
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) return a->valuedouble == b->valuedouble;
    return cJSON_Compare(a, b, true);
}

char *json_text(const cJSON *j) {
    return cJSON_PrintUnformatted(j);
}

static int count_of(const char *haystack, const char *needle) {
    int n = 0;
    size_t len = strlen(needle);
    if (len == 0) return 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + len, needle)) n++;
    return n;
}

void check_message(const cJSON *expect, const char *message, verdict *v,
                   bool (*skip)(void *ctx, const char *key, const char *fragment), void *ctx) {
#define SKIPPED(key, fragment) (skip && skip(ctx, key, fragment))
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(expect, "message_contains")) {
        if (SKIPPED("message_contains", item->valuestring)) continue;
        if (!strstr(message, item->valuestring)) fail(v, "message lacks \"%s\":\n%s", item->valuestring, message);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(expect, "message_not_contains")) {
        if (SKIPPED("message_not_contains", item->valuestring)) continue;
        if (strstr(message, item->valuestring)) fail(v, "message has \"%s\":\n%s", item->valuestring, message);
    }
    const char *from = message;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(expect, "message_order")) {
        if (SKIPPED("message_order", item->valuestring)) continue;
        const char *at = strstr(from, item->valuestring);
        if (!at) {
            fail(v, "message lacks \"%s\" in order:\n%s", item->valuestring, message);
            break;
        }
        from = at + strlen(item->valuestring);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(expect, "message_count")) {
        if (SKIPPED("message_count", item->string)) continue;
        int n = count_of(message, item->string);
        if (n != item->valueint) fail(v, "\"%s\" occurs %d times, expected %d:\n%s", item->string, n, item->valueint, message);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(expect, "message_max_count")) {
        if (SKIPPED("message_max_count", item->string)) continue;
        int n = count_of(message, item->string);
        if (n > item->valueint) fail(v, "\"%s\" occurs %d times, at most %d expected:\n%s", item->string, n, item->valueint, message);
    }
#undef SKIPPED
}

int emit_json_event(const cJSON *event) {
    const cJSON *name = cJSON_GetObjectItem(event, "name");
    const cJSON *measurements = cJSON_GetObjectItem(event, "measurements");
    const cJSON *metadata = cJSON_GetObjectItem(event, "metadata");
    int n = cJSON_GetArraySize(measurements);
    const char *names[64];
    double values[64];
    int i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, measurements) {
        if (!cJSON_IsNumber(m) || i >= 64) return -1;
        names[i] = m->string;
        values[i] = m->valuedouble;
        i++;
    }
    char *meta = metadata ? cJSON_PrintUnformatted(metadata) : NULL;
    int status = liveness_emit(cJSON_IsString(name) ? name->valuestring : NULL, names, values, (size_t)n, meta);
    free(meta);
    return status;
}
