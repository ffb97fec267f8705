/* Runs every case of one conformance file: test_conformance tests/conformance/polling/deadline.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "support/json_file.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTORS.json\n", argv[0]);
        return 2;
    }
    cJSON *doc = read_json_file(argv[1]);
    const cJSON *cases = cJSON_GetObjectItem(doc, "cases");
    if (!cJSON_IsArray(cases) || cJSON_GetArraySize(cases) == 0) {
        fprintf(stderr, "%s: no cases\n", argv[1]);
        cJSON_Delete(doc);
        return 2;
    }
    bool polling = strstr(argv[1], "polling") != NULL;
    /* Polling cases run through both of C's public ways to wait; event cases once. */
    const char *runners[] = {polling ? "blocking" : "events", "poller"};
    int n_runners = polling ? 2 : 1;
    int failed_total = 0;
    for (int r = 0; r < n_runners; r++) {
        int passed = 0, failed = 0, partial = 0, not_run = 0;
        const char *why_not_run = "";
        const cJSON *c;
        cJSON_ArrayForEach(c, cases) {
            verdict v = {{0}, {0}, NULL};
            if (polling) run_polling_case(c, r == 0 ? RUN_BLOCKING : RUN_POLLER, &v);
            else run_event_case(c, &v);
            const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
            if (v.not_run) {
                not_run++;
                why_not_run = v.not_run;
                printf("not run [%s] %s: %s\n", runners[r], name, v.not_run);
            } else if (v.text[0]) {
                failed++;
                printf("FAIL [%s] %s: %s\n", runners[r], name, v.text);
            } else {
                passed++;
            }
            if (v.skipped[0]) {
                partial++;
                printf("not expressible in C [%s] %s: %s\n", runners[r], name, v.skipped);
            }
        }
        printf("%s [%s]: %d passed (%d of them with expectations C cannot express), %d failed\n", argv[1], runners[r],
               passed, partial, failed);
        if (not_run) printf("%s [%s]: not run by this driver (%s): %d\n", argv[1], runners[r], why_not_run, not_run);
        failed_total += failed;
    }
    cJSON_Delete(doc);
    return failed_total ? 1 : 0;
}
