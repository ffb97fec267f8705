#include "failures.h"

#include <stdarg.h>
#include <stdio.h>

#define MAX_KEPT 64

static char kept[MAX_KEPT][160];
static size_t n_failed;

void failure(const char *scenario, const char *label, const char *fmt, ...) {
    if (n_failed < MAX_KEPT) {
        snprintf(kept[n_failed], sizeof kept[n_failed], "%s: %s", scenario, label);
    }
    n_failed++;
    fflush(stdout);
    fprintf(stderr, "\n  !! %s: %s could not be measured: ", scenario, label);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

size_t failures_count(void) {
    return n_failed;
}

void failures_print(void) {
    if (n_failed == 0) {
        return;
    }
    fprintf(stderr, "could not be measured:\n");
    for (size_t i = 0; i < n_failed && i < MAX_KEPT; i++) {
        fprintf(stderr, "  %s\n", kept[i]);
    }
    if (n_failed > MAX_KEPT) {
        fprintf(stderr, "  ... and %zu more\n", n_failed - MAX_KEPT);
    }
}
