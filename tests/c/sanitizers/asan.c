/* A canary for the sanitizer build: a heap buffer overflow that AddressSanitizer must catch. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    (void)argv;
    char *volatile buffer = malloc(8);
    buffer[8 + argc - 1] = 1;
    printf("%d\n", buffer[0]);
    free(buffer);
    return 0;
}
