/* The overloaded CI machine: busy processes on every core but one, from hog_start to hog_stop. */
#ifndef BENCH_HOG_H
#define BENCH_HOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "params.h"

#define HOG_MAX 1024

typedef struct {
    pid_t pids[HOG_MAX];
    size_t n;
} hog;

/* fork/exec max(1, cores - 1) copies of hog.command; false (none left running) on failure. */
bool hog_start(hog *h, const params *p, char *err, size_t errlen);

/* Kills and reaps every copy. */
void hog_stop(hog *h);

#endif
