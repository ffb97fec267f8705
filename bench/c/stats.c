#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_percentile(const double *sorted, size_t n, double p) {
    if (n == 0) {
        return 0;
    }
    size_t rank = (size_t)llround(p / 100.0 * (double)(n - 1));
    return sorted[rank < n ? rank : n - 1];
}

void stats_summary(double *ms, size_t n, cJSON *record) {
    qsort(ms, n, sizeof *ms, by_value);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += ms[i];
    }
    cJSON_AddNumberToObject(record, "n", (double)n);
    cJSON_AddNumberToObject(record, "p50_ms", stats_percentile(ms, n, 50));
    cJSON_AddNumberToObject(record, "p99_ms", stats_percentile(ms, n, 99));
    cJSON_AddNumberToObject(record, "mean_ms", n ? sum / (double)n : 0);
}
