/* Percentiles and the record shape of a sample of durations. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Sorts `ms` and adds `n`, `p50_ms`, `p99_ms`, `mean_ms` to `record`. */
void stats_summary(double *ms, size_t n, cJSON *record);

/* The value at percentile `p` of a sorted sample (nearest rank, as the Rust harness). */
double stats_percentile(const double *sorted, size_t n, double p);

#endif
