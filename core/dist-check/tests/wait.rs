//! What a user of the packaged crate writes (`make test-dist-rust` runs it with `cargo test`).
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use liveness::{emitted, events::event, eventually};

#[test]
fn waits_for_state_another_thread_sets() {
    let count = Arc::new(AtomicU32::new(0));
    let writer = Arc::clone(&count);
    let worker = std::thread::spawn(move || {
        (0..5).for_each(|_| {
            writer.fetch_add(1, Ordering::SeqCst);
        })
    });
    eventually(|| count.load(Ordering::SeqCst) == 5).timeout(Duration::from_secs(5)).assert();
    liveness::assert_eventually!(count.load(Ordering::SeqCst) == 5, timeout = Duration::from_secs(5));
    worker.join().unwrap();
}

#[test]
fn a_failing_wait_says_what_happened() {
    let error = eventually(|| false).timeout(Duration::from_millis(50)).run().unwrap_err();
    let report = format!("{error:?}");
    assert!(report.contains("eventually: not met after"), "{report}");
}

#[test]
fn captures_what_a_block_emitted() {
    emitted("dist_check.done")
        .with_meta("run", "packaged")
        .assert(|| event("dist_check.done").meta("run", "packaged").emit());
}
