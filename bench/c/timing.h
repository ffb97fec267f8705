/* Clocks and the one sleep of the simulated system. */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <stdint.h>

/* CLOCK_MONOTONIC, in nanoseconds. */
int64_t mono_ns(void);

/* Process CPU time (CLOCK_PROCESS_CPUTIME_ID): what waiting costs the machine, whichever thread
 * spends it. */
int64_t process_cpu_ns(void);

/* nanosleep for `ms`, resumed after signals. Only the simulated system and the `sleep 50 ms`
 * variant (and the hand loops being measured) call it. */
void sleep_ms(double ms);

#endif
