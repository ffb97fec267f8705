#include "services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- restart race ---------------------------------------------------------------------- */

void adder_service_init(adder_service *s, unsigned seed) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->seed = seed;
}

bool adder_start(adder_service *s) {
    pthread_mutex_lock(&s->lock);
    bool started = !s->registered;
    if (started) {
        s->registered = true;
        s->generation++;
        s->shutdown_ms = 5 + (int)(rand_r(&s->seed) % 26); /* 5-30 ms, like a logging terminate */
    }
    pthread_mutex_unlock(&s->lock);
    return started;
}

int adder_add(adder_service *s, int x, int y) {
    pthread_mutex_lock(&s->lock);
    int sum = s->registered ? x + y : -1;
    pthread_mutex_unlock(&s->lock);
    return sum;
}

int adder_generation(adder_service *s) {
    pthread_mutex_lock(&s->lock);
    int g = s->generation;
    pthread_mutex_unlock(&s->lock);
    return g;
}

static void adder_terminate(void *arg) {
    adder_service *s = arg;
    pthread_mutex_lock(&s->lock);
    int ms = s->shutdown_ms;
    pthread_mutex_unlock(&s->lock);
    simulated_delay_ms(ms); /* the simulated terminate callback: its duration is the race */
    pthread_mutex_lock(&s->lock);
    s->registered = false;
    pthread_mutex_unlock(&s->lock);
}

void adder_stop_async(adder_service *s) {
    worker_join(&s->stopper); /* reap the previous shutdown, long finished */
    worker_start(&s->stopper, adder_terminate, s);
}

liveness_status adder_service_destroy(adder_service *s) {
    liveness_status status = worker_join(&s->stopper);
    pthread_mutex_destroy(&s->lock);
    return status;
}

/* ---- delayed file write ---------------------------------------------------------------- */

static void addition_flush(void *arg) {
    addition_job *job = arg;
    simulated_delay_ms(job->flush_ms); /* the simulated delayed_write flush */
    FILE *f = fopen(job->path, "w");
    if (f) {
        fprintf(f, "%d", job->result);
        fclose(f);
    }
}

bool addition_job_schedule(addition_job *job, int x, int y, int flush_ms) {
    memset(job, 0, sizeof *job);
    snprintf(job->path, sizeof job->path, "/tmp/liveness-job-XXXXXX");
    int fd = mkstemp(job->path);
    if (fd < 0) return false;
    close(fd);
    job->result = x + y;
    job->flush_ms = flush_ms;
    return worker_start(&job->writer, addition_flush, job);
}

bool addition_job_read(const addition_job *job, char *buf, size_t len) {
    FILE *f = fopen(job->path, "r");
    if (!f) return false;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
    return true;
}

liveness_status addition_job_destroy(addition_job *job) {
    liveness_status status = worker_join(&job->writer);
    unlink(job->path);
    return status;
}

/* ---- circuit breaker ------------------------------------------------------------------- */

void breaker_init(circuit_breaker *b, const char *name, int threshold) {
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    snprintf(b->name, sizeof b->name, "%s", name);
    b->threshold = threshold;
}

void breaker_record_failure(circuit_breaker *b) {
    pthread_mutex_lock(&b->lock);
    b->failures++;
    bool opened = b->state == BREAKER_CLOSED && b->failures >= b->threshold;
    if (opened) b->state = BREAKER_OPEN;
    int failures = b->failures;
    pthread_mutex_unlock(&b->lock);
    if (opened && liveness_has_subscribers("breaker.state_change")) {
        char meta[128];
        snprintf(meta, sizeof meta, "{\"breaker\":\"%s\",\"from\":\"closed\",\"to\":\"open\"}", b->name);
        const char *names[] = {"failures"};
        double values[] = {(double)failures};
        liveness_emit("breaker.state_change", names, values, 1, meta);
    }
}

void breaker_set_latency_us(circuit_breaker *b, int latency_us) {
    pthread_mutex_lock(&b->lock);
    b->latency_us = latency_us;
    pthread_mutex_unlock(&b->lock);
}

/* The mailbox worker: one failure at a time, until the mailbox is empty. `pending` drops only once
 * a failure is fully processed (its event emitted), so breaker_idle() means "all handled". */
static void drain_mailbox(void *arg) {
    circuit_breaker *b = arg;
    pthread_mutex_lock(&b->lock);
    while (b->pending > 0) {
        int latency_us = b->latency_us;
        pthread_mutex_unlock(&b->lock);
        simulated_delay_us(latency_us); /* the worker's processing time: the behaviour under test */
        breaker_record_failure(b);
        pthread_mutex_lock(&b->lock);
        b->pending--;
    }
    b->draining = false;
    pthread_mutex_unlock(&b->lock);
}

void breaker_record_failure_async(circuit_breaker *b) {
    pthread_mutex_lock(&b->lock);
    b->pending++;
    bool start = !b->draining;
    b->draining = true;
    pthread_mutex_unlock(&b->lock);
    if (!start) return; /* the running worker takes it */
    /* Only the sender starts workers, so the reap below never races another start (one thread
     * sends a breaker's casts, as a test does). */
    worker_join(&b->mailbox); /* reap the previous worker, which has emptied the mailbox */
    if (!worker_start(&b->mailbox, drain_mailbox, b)) drain_mailbox(b); /* no thread: process here */
}

breaker_state breaker_status(circuit_breaker *b) {
    pthread_mutex_lock(&b->lock);
    breaker_state s = b->state;
    pthread_mutex_unlock(&b->lock);
    return s;
}

bool breaker_idle(circuit_breaker *b) {
    pthread_mutex_lock(&b->lock);
    bool idle = b->pending == 0;
    pthread_mutex_unlock(&b->lock);
    return idle;
}

bool breaker_call(circuit_breaker *b, bool (*fn)(void *ctx), void *ctx) {
    char meta[64];
    snprintf(meta, sizeof meta, "{\"breaker\":\"%s\"}", b->name);
    if (breaker_status(b) == BREAKER_OPEN) {
        liveness_emit("breaker.call_rejected", NULL, NULL, 0, meta);
        return false;
    }
    bool ok = fn(ctx);
    liveness_emit(ok ? "breaker.call_success" : "breaker.call_failure", NULL, NULL, 0, meta);
    if (!ok) breaker_record_failure(b);
    return ok;
}

liveness_status breaker_destroy(circuit_breaker *b) {
    liveness_status status = worker_join(&b->mailbox);
    pthread_mutex_destroy(&b->lock);
    return status;
}
