/* Issue 12: liveness_eventually_settles() (blocking and through the poller) and the
 * on_evaluation hook of liveness_options, on the virtual clock; plus what SPEC §1 promises about
 * probes (never overlapping, on the caller's thread, never called after the wait settled). */
#include "support/harness.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>

#define MAX_CALLS 64
#define FAILS INT64_MIN /* a scripted read that fails */

/* A value probe playing a script of reads (the last repeats), each taking `cost_ms`. */
typedef struct {
    const int64_t *reads;
    int n_reads;
    int calls;
    double cost_ms;
    int running; /* > 1 would be two calls overlapping */
    bool overlapped;
    bool other_thread;
    pthread_t caller;
} reader;

static bool read_value(void *ctx, int64_t *value) {
    reader *r = ctx;
    if (++r->running > 1) r->overlapped = true;
    if (!pthread_equal(pthread_self(), r->caller)) r->other_thread = true;
    int64_t v = r->reads[r->calls < r->n_reads ? r->calls : r->n_reads - 1];
    r->calls++;
    liveness_virtual_clock_advance(r->cost_ms);
    r->running--;
    if (v == FAILS) return liveness_probe_fail_as("Flaky", "read failed");
    *value = v;
    return true;
}

#define READER(...)                                                                                \
    {(const int64_t[]){__VA_ARGS__}, (int)(sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), \
     0, 0, 0, false, false, pthread_self()}

static liveness_options every_10ms(double timeout_ms) {
    liveness_options o = liveness_options_default();
    o.timeout_ms = timeout_ms;
    o.interval_ms = 10;
    return o;
}

TEST(settles_returns_the_value_once_it_stayed_the_same_for_quiet) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader r = READER(1, 2, 3, 3, 3, 3, 99);
    liveness_options o = every_10ms(200);
    int64_t settled = -1;
    EXPECT_OK(liveness_eventually_settles(read_value, &r, 30, &o, &settled));
    EXPECT(settled == 3);
    EXPECT(r.calls == 6); /* 3 first read at 20 ms, still 3 at 50 ms: never read again */
    EXPECT(!r.overlapped && !r.other_thread);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(settles_accepts_a_null_out) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader r = READER(5, 5);
    liveness_options o = every_10ms(100);
    EXPECT_OK(liveness_eventually_settles(read_value, &r, 0, &o, NULL));
    EXPECT(r.calls == 2);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

/* A failed read leaves no previous value: the next read is new and its quiet starts then. */
TEST(settles_a_failed_read_restarts_the_quiet) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader r = READER(1, 1, FAILS, 1, 1, 1);
    liveness_options o = every_10ms(200);
    int64_t settled = -1;
    EXPECT_OK(liveness_eventually_settles(read_value, &r, 20, &o, &settled));
    EXPECT(settled == 1);
    EXPECT(r.calls == 6);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(settles_times_out_showing_how_the_value_kept_changing) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader r = READER(1, 1, 2, 3, 3, 4);
    liveness_options o = every_10ms(50);
    int64_t settled = -1;
    EXPECT_STATUS(liveness_eventually_settles(read_value, &r, 30, &o, &settled), LIVENESS_TIMEOUT);
    EXPECT(settled == -1); /* untouched */
    EXPECT_MESSAGE("eventually_settles: not settled for 0.03 s after 0.05 s (6 evaluations)");
    EXPECT_MESSAGE("the longest a value stayed the same was 0.02 s");
    EXPECT_MESSAGE("last: returned 4");
    EXPECT_MESSAGE("2\xc3\x97 returned 1");
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(settles_rejects_bad_arguments_before_reading) {
    reader r = READER(1);
    liveness_options o = liveness_options_default();
    EXPECT_STATUS(liveness_eventually_settles(NULL, &r, 10, &o, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`probe` is NULL");
    const double bad[] = {NAN, INFINITY, -1};
    for (size_t i = 0; i < 3; i++) {
        EXPECT_STATUS(liveness_eventually_settles(read_value, &r, bad[i], &o, NULL), LIVENESS_INVALID_ARGUMENT);
        EXPECT_MESSAGE("`quiet_ms`");
    }
    o.timeout_ms = 100;
    EXPECT_STATUS(liveness_eventually_settles(read_value, &r, 150, &o, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("invalid option `quiet_ms`");
    o.stable_for_ms = 10;
    EXPECT_STATUS(liveness_eventually_settles(read_value, &r, 10, &o, NULL), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("invalid option `stable_for_ms`");
    EXPECT(r.calls == 0);
}

/* ---- on_evaluation ---- */

typedef struct {
    liveness_evaluation seen[MAX_CALLS];
    int n;
    int stop_at; /* call liveness_probe_stop() at this evaluation (0 = never) */
} recorder;

static void record(void *context, const liveness_evaluation *e) {
    recorder *r = context;
    if (r->n < MAX_CALLS) r->seen[r->n++] = *e;
    if (r->stop_at && e->number == r->stop_at) liveness_probe_stop("the hook saw enough");
}

static int bool_calls;

static bool fails_twice(void *ctx) {
    (void)ctx;
    bool_calls++;
    liveness_virtual_clock_advance(bool_calls == 2 ? 2 : 0);
    return bool_calls >= 3 ? true : liveness_probe_fail("not yet");
}

#define EXPECT_SEEN(r, i, num, start, dur, acc)                                                    \
    do {                                                                                           \
        const liveness_evaluation *e_ = &(r).seen[i];                                              \
        if (e_->number != (num) || e_->started_ms != (start) || e_->duration_ms != (dur) ||        \
            e_->accepted != (acc))                                                                 \
            FAIL_AT("evaluation %d: #%lld %g+%g %d, expected #%d %g+%g %d", (i),                   \
                    (long long)e_->number, e_->started_ms, e_->duration_ms, e_->accepted, (num),   \
                    (double)(start), (double)(dur), (acc));                                        \
    } while (0)

TEST(on_evaluation_receives_each_evaluation_in_order) {
    EXPECT_OK(liveness_virtual_clock_install());
    recorder r = {.n = 0};
    liveness_options o = every_10ms(100);
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    bool_calls = 0;
    EXPECT_OK(liveness_eventually(fails_twice, NULL, &o));
    EXPECT(r.n == 3);
    EXPECT_SEEN(r, 0, 1, 0, 0, false);
    EXPECT_SEEN(r, 1, 2, 10, 2, false);
    EXPECT_SEEN(r, 2, 3, 20, 0, true);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

/* The baseline read is the preparation, not an evaluation: the hook sees only what follows. */
TEST(on_evaluation_skips_the_baseline_of_eventually_changes) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader values = READER(7, 7, 8);
    recorder r = {.n = 0};
    liveness_options o = every_10ms(100);
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    int64_t changed = 0;
    EXPECT_OK(liveness_eventually_changes(read_value, &values, &o, &changed));
    EXPECT(changed == 8 && values.calls == 3);
    EXPECT(r.n == 2);
    EXPECT_SEEN(r, 0, 1, 0, 0, false);
    EXPECT_SEEN(r, 1, 2, 10, 0, true);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

TEST(on_evaluation_of_settles_accepts_the_repeat) {
    EXPECT_OK(liveness_virtual_clock_install());
    reader values = READER(1, 1);
    recorder r = {.n = 0};
    liveness_options o = every_10ms(100);
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    EXPECT_OK(liveness_eventually_settles(read_value, &values, 10, &o, NULL));
    EXPECT(r.n == 2);
    EXPECT_SEEN(r, 0, 1, 0, 0, false);
    EXPECT_SEEN(r, 1, 2, 10, 0, true);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

/* C's way for a hook to "raise": liveness_probe_stop() stops the wait at once, as itself. */
TEST(on_evaluation_stopping_ends_the_wait_at_once) {
    EXPECT_OK(liveness_virtual_clock_install());
    recorder r = {.n = 0, .stop_at = 2};
    liveness_options o = every_10ms(1000);
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    bool_calls = -100; /* never passes */
    EXPECT_STATUS(liveness_eventually(fails_twice, NULL, &o), LIVENESS_PROBE_FAILED);
    EXPECT_MESSAGE("the hook saw enough");
    EXPECT(bool_calls == -98); /* two evaluations, none after the hook stopped the wait */
    EXPECT(r.n == 2);
    EXPECT_OK(liveness_virtual_clock_uninstall());
}

/* The poller calls the options' hook when its host reports an outcome. */
TEST(poller_settles_judged_by_the_host_and_reported_to_the_hook) {
    recorder r = {.n = 0};
    liveness_options o = liveness_options_default();
    o.interval_ms = 10;
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    liveness_poller *p = NULL;
    EXPECT_STATUS(liveness_poller_new(LIVENESS_OP_EVENTUALLY_SETTLES, NAN, &o, &p), LIVENESS_INVALID_ARGUMENT);
    EXPECT_MESSAGE("`quiet_ms`");
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY_SETTLES, 10, &o, &p));
    liveness_step s;
    EXPECT_OK(liveness_poller_next(p, 0, &s));
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_OK(liveness_poller_returned(p, 1, "42", false)); /* the first value is new */
    EXPECT_OK(liveness_poller_next(p, 1, &s));
    EXPECT(s.kind == LIVENESS_STEP_WAIT && s.wait_ms == 9);
    EXPECT_OK(liveness_poller_next(p, 10, &s));
    EXPECT(s.kind == LIVENESS_STEP_EVALUATE);
    EXPECT_OK(liveness_poller_started(p, 10, NULL));
    EXPECT_OK(liveness_poller_accepted(p, 10, "42")); /* equal to the previous one */
    EXPECT_OK(liveness_poller_next(p, 10, &s));
    EXPECT(s.kind == LIVENESS_STEP_DONE && s.status == LIVENESS_OK);
    EXPECT(r.n == 2);
    EXPECT_SEEN(r, 0, 1, 0, 1, false);
    EXPECT_SEEN(r, 1, 2, 10, 0, true);
    liveness_poller_free(p);
}

TEST(poller_hook_stopping_is_probe_failed_for_the_host) {
    recorder r = {.n = 0, .stop_at = 1};
    liveness_options o = liveness_options_default();
    o.on_evaluation = record;
    o.on_evaluation_context = &r;
    liveness_poller *p = NULL;
    EXPECT_OK(liveness_poller_new(LIVENESS_OP_EVENTUALLY, 0, &o, &p));
    liveness_step s;
    EXPECT_OK(liveness_poller_next(p, 0, &s));
    EXPECT_OK(liveness_poller_started(p, 0, NULL));
    EXPECT_STATUS(liveness_poller_raised(p, 0, "E", "no"), LIVENESS_PROBE_FAILED);
    EXPECT_MESSAGE("the hook saw enough");
    liveness_poller_free(p);
}

RUN_TESTS()
