#include "singleton.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"
#include "waiters.h"

#define REGISTRY_MAX 16

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static char registry[REGISTRY_MAX][ADDER_NAME_MAX];
static size_t registry_len;

static ptrdiff_t find_locked(const char *name) {
    for (size_t i = 0; i < registry_len; i++) {
        if (strcmp(registry[i], name) == 0) {
            return (ptrdiff_t)i;
        }
    }
    return -1;
}

static void unregister(const char *name) {
    pthread_mutex_lock(&registry_lock);
    ptrdiff_t i = find_locked(name);
    if (i >= 0) {
        registry_len--;
        memcpy(registry[i], registry[registry_len], ADDER_NAME_MAX);
    }
    pthread_mutex_unlock(&registry_lock);
}

bool adder_start(const char *name, uint64_t shutdown_ms, adder *out) {
    if (strlen(name) >= ADDER_NAME_MAX) {
        return false;
    }
    pthread_mutex_lock(&registry_lock);
    bool free_name = find_locked(name) < 0 && registry_len < REGISTRY_MAX;
    if (free_name) {
        snprintf(registry[registry_len++], ADDER_NAME_MAX, "%s", name);
    }
    pthread_mutex_unlock(&registry_lock);
    if (free_name) {
        snprintf(out->name, sizeof out->name, "%s", name);
        out->shutdown_ms = shutdown_ms;
    }
    return free_name;
}

long adder_add(const adder *a, long x, long y) {
    (void)a;
    return x + y;
}

static void *shutdown_later(void *arg) {
    adder *a = arg;
    sleep_ms((double)a->shutdown_ms); /* the simulated termination: this delay is the behaviour under test */
    unregister(a->name);
    push_notify(); /* a system written to be waited for says so: the floor's push waiter wakes */
    free(a);
    return NULL;
}

bool adder_stop(adder *a) {
    adder *copy = malloc(sizeof *copy);
    pthread_attr_t attr;
    pthread_t thread;
    bool started = false;
    if (copy && pthread_attr_init(&attr) == 0) {
        *copy = *a;
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        started = pthread_create(&thread, &attr, shutdown_later, copy) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        free(copy);
        unregister(a->name);
    }
    return started;
}

bool adder_is_registered(const char *name) {
    pthread_mutex_lock(&registry_lock);
    bool found = find_locked(name) >= 0;
    pthread_mutex_unlock(&registry_lock);
    return found;
}
