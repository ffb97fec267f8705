/* Keeps going when one library cannot be measured: the error is printed and remembered, the
 * other libraries still run, and the harness exits non-zero at the end. */
#ifndef BENCH_FAILURES_H
#define BENCH_FAILURES_H

#include <stddef.h>

void failure(const char *scenario, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

size_t failures_count(void);

/* Prints "could not be measured:" and the list to stderr (nothing when there were none). */
void failures_print(void);

#endif
