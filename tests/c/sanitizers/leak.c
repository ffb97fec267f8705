/* A canary for the sanitizer build: leaks on purpose. Under -DLIVENESS_SANITIZE=ON CTest expects
 * it to FAIL, which proves LeakSanitizer really runs under CTest (it needs ptrace-like access to
 * stop the threads; a sandbox without it would otherwise pass every leak silently). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    void *volatile lost = malloc(64);
    printf("leaking %p\n", lost);
    lost = NULL;
    return 0;
}
