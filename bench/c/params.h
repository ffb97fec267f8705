/* The shared scenario set (bench/scenarios.json), read once: every harness takes its counts from
 * the same file so the languages measure the same thing. */
#ifndef BENCH_PARAMS_H
#define BENCH_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARAMS_MAX_CELLS 16
#define PARAMS_MAX_LOADS 8
#define PARAMS_MAX_ARGV 16
#define PARAMS_MAX_WORD 256

typedef struct {
    uint64_t ready_ms[PARAMS_MAX_CELLS];
    uint64_t reps[PARAMS_MAX_CELLS];
    size_t cells;
    uint64_t min_reps;
    double cell_budget_s;
    double phase_step; /* repetition k is ready at t x (1 + frac(k x phase_step)): over [t, 2t) */
} overshoot_params;

typedef struct {
    uint64_t evaluations;
    uint64_t repeats;
    double budget_s;
} eval_params;

typedef struct {
    uint64_t tests;
    uint64_t runs;
    char loads[PARAMS_MAX_LOADS][PARAMS_MAX_WORD];
    size_t n_loads;
    double run_budget_s; /* a run stops after the test that passes this (slow peers) */
} suite_params;

/* Seed 004's experiment: how long test i's singleton takes to shut down. */
typedef struct {
    uint64_t sleep_ms;
    uint64_t base_ms;
    uint64_t step;
    uint64_t spread_ms;
    uint64_t tail_every;
    uint64_t tail_ms;
    double wait_timeout_s;
} shutdown_params;

/* The concurrency scenario: n waits at once on one probe that flips at about ready_ms. */
typedef struct {
    double ready_ms;
    uint64_t n[PARAMS_MAX_CELLS];
    size_t n_len;
    uint64_t thread_max_n; /* the thread driver takes the n up to this, and this when more is listed */
    double wait_timeout_s;
} concurrency_params;

/* Seed 004's delayed write: a writer thread writes `result` into a file after about ready_ms. */
typedef struct {
    uint64_t ready_ms[PARAMS_MAX_CELLS];
    uint64_t reps[PARAMS_MAX_CELLS];
    size_t cells;
    char result[PARAMS_MAX_WORD];
} delayed_write_params;

typedef struct {
    char mode[PARAMS_MAX_WORD];
    overshoot_params overshoot;
    double cpu_wait_s;
    eval_params eval;
    suite_params suite;
    shutdown_params shutdowns;
    uint64_t emit_iterations;
    uint64_t emit_repeats;
    char hog_command[PARAMS_MAX_ARGV][PARAMS_MAX_WORD];
    size_t hog_len;
    concurrency_params concurrency;
    delayed_write_params delayed_write;
} params;

/* Reads `file` for `mode`; false (with the reason in `err`) when the file is missing or malformed. */
bool params_load(params *p, const char *file, const char *mode, char *err, size_t errlen);

/* shutdown_ms(i) = tail_ms if i % tail_every == tail_every - 1 else base_ms + (i * step) % spread_ms */
uint64_t params_shutdown_ms(const params *p, uint64_t i);

#endif
