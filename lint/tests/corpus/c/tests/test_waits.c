#define _DEFAULT_SOURCE
#include <time.h>
#include <unistd.h>
#include "liveness.h"

static void simulated_device(void) {
    usleep(2000); /* liveness: allow-sleep(the simulated device's response time) */ /* near-miss */
}

int main(void) {
    start_worker();
    usleep(10000); /* expect: c/sleep */
    sleep(1); // expect: c/sleep
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL); // expect: c/sleep
    usleep(0); // near-miss: a yield
    LIVENESS_ASSERT_EVENTUALLY(done()); // near-miss: the replacement
    return 0;
}
