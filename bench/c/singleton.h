/* Seed 004's ExternalAdder, the suite's system under test: a registered singleton whose shutdown
 * finishes on another thread after a varying delay. Until then, starting a new one fails. */
#ifndef BENCH_SINGLETON_H
#define BENCH_SINGLETON_H

#include <stdbool.h>
#include <stdint.h>

#define ADDER_NAME_MAX 64

/* A running adder, registered under its name. */
typedef struct {
    char name[ADDER_NAME_MAX];
    uint64_t shutdown_ms;
} adder;

/* Registers and starts; false while an instance of that name is registered. */
bool adder_start(const char *name, uint64_t shutdown_ms, adder *out);

long adder_add(const adder *a, long x, long y);

/* Stopping is asynchronous, like a linked process terminating: a detached thread frees the name
 * shutdown_ms later. False when the thread could not be started (the name is then freed now). */
bool adder_stop(adder *a);

bool adder_is_registered(const char *name);

#endif
