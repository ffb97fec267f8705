/* A canary for the sanitizer build: signed overflow. Under -DLIVENESS_SANITIZE=ON CTest expects
 * it to FAIL (UBSan with -fno-sanitize-recover stops the program). */
#include <limits.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    volatile int big = INT_MAX;
    int sum = big + argc; /* argc >= 1: overflows */
    printf("%d\n", sum);
    return 0;
}
