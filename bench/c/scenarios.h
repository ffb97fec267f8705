/* The scenarios of bench/README.md: each appends its records to `records` and prints its table. */
#ifndef BENCH_SCENARIOS_H
#define BENCH_SCENARIOS_H

#include <cjson/cJSON.h>

#include "params.h"

void overshoot_run(const params *p, cJSON *records);
void cpu_run(const params *p, cJSON *records);
void delayed_write_run(const params *p, cJSON *records);
void eval_overhead_run(const params *p, cJSON *records);
void suite_run(const params *p, cJSON *records);
void emit_run(const params *p, cJSON *records);
void poller_run(const params *p, cJSON *records);
void concurrency_run(const params *p, cJSON *records);

#endif
