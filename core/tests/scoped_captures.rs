//! Two tests running at once in one process (as `cargo test` runs them, on two threads), each
//! asserting on its own events: with scoped captures each sees only its own; without, each
//! sees the other's too (the problem scoped captures solve, kept here as the control).

use std::sync::{Arc, Barrier};
use std::thread;

use liveness::events::{Scope, emit, scoped};
use liveness::{Error, emitted, not_emitted};

const NO_EVENTS: [(&str, f64); 0] = [];

/// One "test": emits `job.tick` five times and `job.failed` only when `fails`, meeting the other
/// test at the barrier in between so that their blocks overlap for certain.
fn a_test(scoped: bool, fails: bool, barrier: Arc<Barrier>) -> Result<(), Error> {
    // The control's events are emitted in no scope, which every scoped capture sees: its own
    // names keep it from disturbing the scoped tests of this file, which run at the same time.
    let (tick, failed) = if scoped { ("job.tick", "job.failed") } else { ("control.tick", "control.failed") };
    let ticks = if scoped { emitted(tick).count(5).scoped() } else { emitted(tick).count(5) };
    let quiet = if scoped { not_emitted(failed).scoped() } else { not_emitted(failed) };
    let barrier2 = barrier.clone();
    let ticked = ticks.run(|| {
        barrier.wait();
        for _ in 0..5 {
            emit(tick, NO_EVENTS, NO_EVENTS).unwrap();
        }
        barrier.wait();
    });
    let quiet = quiet.run(|| {
        barrier2.wait();
        if fails {
            emit(failed, NO_EVENTS, NO_EVENTS).unwrap();
        }
        barrier2.wait();
    });
    ticked.and(quiet)
}

fn two_tests_at_once(scoped: bool) -> (Result<(), Error>, Result<(), Error>) {
    let barrier = Arc::new(Barrier::new(2));
    let b = barrier.clone();
    // The second test is the one whose own event is `job.failed`: it is the first test's
    // not_emitted that must not see it.
    let other = thread::spawn(move || a_test(scoped, true, b));
    let mine = a_test(scoped, false, barrier);
    (mine, other.join().unwrap())
}

#[test]
fn scoped_captures_see_only_their_own_tests_events() {
    let (mine, other) = two_tests_at_once(true);
    mine.expect("the first test sees its own 5 ticks and no failure");
    let report = other.expect_err("the second test's own job.failed is seen by its not_emitted").to_string();
    assert!(report.contains("job.failed"), "{report}");
    assert!(!report.contains("job.tick"), "only its own block's events are listed: {report}");
}

#[test]
fn unscoped_captures_see_the_other_tests_events() {
    let (mine, _) = two_tests_at_once(false);
    let report = mine.expect_err("10 ticks and the other's failure were seen").to_string();
    assert!(report.contains("control.tick") || report.contains("control.failed"), "{report}");
}

#[test]
fn a_spawned_thread_carries_the_scope_by_scope_run() {
    emitted("worker.done").scoped().assert(|| {
        let scope = Scope::current();
        thread::spawn(move || {
            let work = || emit("worker.done", NO_EVENTS, NO_EVENTS).unwrap();
            match scope {
                Some(s) => s.run(work),
                None => work(),
            }
        })
        .join()
        .unwrap();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_blocks_and_their_scoped_tasks_count_as_the_test() {
    let other = Scope::child_of(None);
    emitted("task.done")
        .count(2)
        .scoped()
        .run_async(async {
            // A task bound to the block's scope, on whichever worker polls it.
            tokio::spawn(scoped(async { emit("task.done", NO_EVENTS, NO_EVENTS).unwrap() })).await.unwrap();
            emit("task.done", NO_EVENTS, NO_EVENTS).unwrap();
            // Another test's task: not seen.
            tokio::spawn(other.bind(async { emit("task.done", NO_EVENTS, NO_EVENTS).unwrap() })).await.unwrap();
        })
        .await
        .unwrap();
}
