#include <unistd.h>

void worker_loop(void) {
    for (;;) {
        usleep(1000); // near-miss: a sleep in non-test code
    }
}
