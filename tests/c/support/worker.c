#include "worker.h"

#include <time.h>

static void *worker_main(void *p) {
    worker *w = p;
    w->run(w->arg);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

bool worker_start(worker *w, void (*run)(void *arg), void *arg) {
    w->run = run;
    w->arg = arg;
    __atomic_store_n(&w->done, 0, __ATOMIC_RELAXED);
    w->started = pthread_create(&w->thread, NULL, worker_main, w) == 0;
    return w->started;
}

static bool worker_is_done(void *p) {
    worker *w = p;
    return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE) || liveness_probe_fail("the background thread is still running");
}

liveness_status worker_join(worker *w) {
    if (!w->started) return LIVENESS_OK;
    liveness_status status = liveness_eventually(worker_is_done, w, NULL);
    if (status == LIVENESS_OK) {
        pthread_join(w->thread, NULL); /* it has finished its work: this only reaps it */
        w->started = false;
    }
    return status;
}

void simulated_delay_ms(int ms) { simulated_delay_us((long)ms * 1000L); }

void simulated_delay_us(long us) {
    struct timespec ts = {us / 1000000L, (us % 1000000L) * 1000L};
    // liveness: allow-sleep(simulated_delay_us: the simulated system's delay)
    while (nanosleep(&ts, &ts) != 0) {
    }
}
