/*
 * A minimal test harness for the plain-C suites (the cmocka and GoogleTest suites use their
 * frameworks instead). Each file defines cases with TEST(name) and ends with RUN_TESTS(); the
 * binary runs one case when given its name (that is how CTest lists every case separately) or
 * all of them without arguments.
 */
#ifndef LIVENESS_TEST_HARNESS_H
#define LIVENESS_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liveness.h>

typedef void (*harness_case_fn)(void);
typedef struct {
    const char *name;
    harness_case_fn fn;
} harness_case;

#define HARNESS_MAX_CASES 256
extern harness_case harness_cases[HARNESS_MAX_CASES];
extern int harness_case_count;
extern int harness_failures;

/* Registers a case before main runs (a GCC/Clang constructor keeps the list next to the code). */
#define TEST(case_name)                                                                            \
    static void case_name(void);                                                                   \
    __attribute__((constructor)) static void register_##case_name(void) {                          \
        harness_cases[harness_case_count].name = #case_name;                                       \
        harness_cases[harness_case_count].fn = case_name;                                          \
        harness_case_count++;                                                                      \
    }                                                                                              \
    static void case_name(void)

#define FAIL_AT(...)                                                                               \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                            \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n");                                                                     \
        harness_failures++;                                                                        \
        return;                                                                                    \
    } while (0)

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) FAIL_AT("expected %s", #cond);                                                \
    } while (0)

/* Checks a liveness call's status; on a mismatch shows both names and the error message. */
#define EXPECT_STATUS(call, expected)                                                              \
    do {                                                                                           \
        liveness_status got_ = (call);                                                             \
        if (got_ != (expected))                                                                    \
            FAIL_AT("%s returned %s, expected %s; message: %s", #call, liveness_status_name(got_), \
                    liveness_status_name(expected), liveness_last_error_message());                \
    } while (0)

#define EXPECT_OK(call) EXPECT_STATUS(call, LIVENESS_OK)

/* The last error message contains `needle`. */
#define EXPECT_MESSAGE(needle)                                                                     \
    do {                                                                                           \
        const char *msg_ = liveness_last_error_message();                                          \
        if (strstr(msg_, (needle)) == NULL)                                                        \
            FAIL_AT("last error message lacks \"%s\"; it is: \"%s\"", (needle), msg_);             \
    } while (0)

#define EXPECT_CONTAINS(haystack, needle)                                                          \
    do {                                                                                           \
        const char *h_ = (haystack);                                                               \
        if (h_ == NULL || strstr(h_, (needle)) == NULL)                                            \
            FAIL_AT("\"%s\" lacks \"%s\"", h_ ? h_ : "(null)", (needle));                          \
    } while (0)

#define RUN_TESTS()                                                                                \
    harness_case harness_cases[HARNESS_MAX_CASES];                                                 \
    int harness_case_count = 0;                                                                    \
    int harness_failures = 0;                                                                      \
    int main(int argc, char **argv) { return harness_main(argc, argv); }

static inline int harness_main(int argc, char **argv) {
    int ran = 0, failed = 0;
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < harness_case_count; i++) printf("%s\n", harness_cases[i].name);
        return 0;
    }
    for (int i = 0; i < harness_case_count; i++) {
        if (argc > 1 && strcmp(argv[1], harness_cases[i].name) != 0) continue;
        int before = harness_failures;
        harness_cases[i].fn();
        ran++;
        if (harness_failures != before) {
            failed++;
            fprintf(stderr, "FAILED %s\n", harness_cases[i].name);
        }
    }
    if (ran == 0) {
        fprintf(stderr, "no test named %s\n", argc > 1 ? argv[1] : "(any)");
        return 2;
    }
    printf("%d passed, %d failed\n", ran - failed, failed);
    return failed ? 1 : 0;
}

#endif
