/*
 * Simulated systems under test, ported from the seeds:
 *  - adder_service: seed 004's ExternalAdder, a singleton registered under a name whose shutdown
 *    takes 5-30 ms on another thread; starting the next one fails until the old one is gone
 *    (the restart race).
 *  - addition_job: seed 004's AdditionJob, which writes x + y to a new file after a flush delay
 *    (the delayed file write).
 *  - circuit_breaker: seed 000's CircuitBreaker, which opens after `threshold` failures and emits
 *    `breaker.state_change` with metadata {"breaker", "from", "to"}.
 */
#ifndef LIVENESS_TEST_SERVICES_H
#define LIVENESS_TEST_SERVICES_H

#include <pthread.h>
#include <stdbool.h>

#include "worker.h"

/* ---- restart race ---------------------------------------------------------------------- */

typedef struct adder_service {
    pthread_mutex_t lock;
    bool registered;       /* the name is taken */
    int generation;        /* incremented at each successful start: the "pid" */
    int shutdown_ms;       /* how long the current instance's terminate takes */
    unsigned seed;
    worker stopper;
} adder_service;

void adder_service_init(adder_service *s, unsigned seed);
/* Starts an instance. False ("already started") while the previous one is still registered. */
bool adder_start(adder_service *s);
int adder_add(adder_service *s, int x, int y);
/* Stops the instance asynchronously: its terminate runs 5-30 ms on another thread, then frees
 * the name. Like a test process exiting while its linked server is still shutting down. */
void adder_stop_async(adder_service *s);
int adder_generation(adder_service *s);
/* Waits (through liveness) for a pending shutdown, then frees the service. */
liveness_status adder_service_destroy(adder_service *s);

/* ---- delayed file write ---------------------------------------------------------------- */

typedef struct addition_job {
    char path[64];
    int result;
    int flush_ms;
    worker writer;
} addition_job;

/* Creates the output file and returns at once; the sum lands in it after `flush_ms`.
 * False if the file could not be created. */
bool addition_job_schedule(addition_job *job, int x, int y, int flush_ms);
/* Reads the output file into buf (NUL-terminated); false if it cannot be read. */
bool addition_job_read(const addition_job *job, char *buf, size_t len);
/* Waits (through liveness) for the writer, then removes the file. */
liveness_status addition_job_destroy(addition_job *job);

/* ---- circuit breaker ------------------------------------------------------------------- */

typedef enum { BREAKER_CLOSED, BREAKER_OPEN } breaker_state;

typedef struct circuit_breaker {
    pthread_mutex_t lock;
    char name[32];
    int failures;
    int threshold;
    breaker_state state;
    int latency_us;  /* the worker's processing time per fire-and-forget failure */
    int pending;     /* fire-and-forget failures sent, not yet fully processed: the mailbox */
    bool draining;   /* the mailbox worker is running */
    worker mailbox;  /* processes the pending failures one after another, in order */
} circuit_breaker;

void breaker_init(circuit_breaker *b, const char *name, int threshold);
/* How long the worker takes over each fire-and-forget failure (0 after breaker_init). */
void breaker_set_latency_us(circuit_breaker *b, int latency_us);
/* The synchronous path (seed 000's sync_record_failure): done when it returns. */
void breaker_record_failure(circuit_breaker *b);
/* The fire-and-forget path (seed 000's cast): puts the failure in the mailbox and returns; one
 * worker thread records the mailbox's failures in order, latency_us each. */
void breaker_record_failure_async(circuit_breaker *b);
breaker_state breaker_status(circuit_breaker *b);
/* Whether every fire-and-forget failure has been fully processed (its events emitted too):
 * the "mailbox is empty" a synchronous test helper waits for. */
bool breaker_idle(circuit_breaker *b);
/* Runs `fn(ctx)` through the breaker: rejected (false) while open. Emits breaker.call_success,
 * breaker.call_failure or breaker.call_rejected. */
bool breaker_call(circuit_breaker *b, bool (*fn)(void *ctx), void *ctx);
/* Waits (through liveness) for the mailbox worker, then frees the breaker. */
liveness_status breaker_destroy(circuit_breaker *b);

#endif
