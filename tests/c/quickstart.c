/* The README's C quick start: wait for a background job instead of sleeping. */
#include <liveness.h>
#include <stdio.h>

static bool job_finished(void *ctx) {
    int *polls = ctx;
    return ++*polls >= 3 || liveness_probe_fail("job still running"); /* stand-in for a real check */
}

int main(void) {
    int polls = 0;
    liveness_options opts = liveness_options_default();
    opts.timeout_ms = 2000;
    if (liveness_eventually(job_finished, &polls, &opts) != LIVENESS_OK) {
        fprintf(stderr, "%s\n", liveness_last_error_message());
        return 1;
    }
    printf("job finished after %d polls\n", polls);
    return 0;
}
