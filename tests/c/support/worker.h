/*
 * A background thread that says when it is done, so that tests wait for it through liveness
 * (never by sleeping or by a join with a timeout): worker_join() waits with liveness_eventually()
 * until the thread has finished its work, then reaps it.
 */
#ifndef LIVENESS_TEST_WORKER_H
#define LIVENESS_TEST_WORKER_H

#include <pthread.h>
#include <stdbool.h>

#include <liveness.h>

typedef struct worker {
    pthread_t thread;
    void (*run)(void *arg);
    void *arg;
    int done; /* set with __atomic builtins: this header is also included from C++ */
    bool started;
} worker;

/* Starts `run(arg)` on a new thread. Returns false if the thread could not be created. */
bool worker_start(worker *w, void (*run)(void *arg), void *arg);

/* Waits (through liveness) until the worker is done, then reaps the thread. */
liveness_status worker_join(worker *w);

/* Sleeps `ms` milliseconds. Only the simulated systems under test use it: their delay IS the
 * behaviour under test (a shutdown that takes 5-30 ms, a write flushed after 30 ms). */
void simulated_delay_ms(int ms);
/* The same in microseconds (a breaker's per-failure processing time: a few ms split in three). */
void simulated_delay_us(long us);

#endif
