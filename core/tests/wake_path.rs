//! `wake_on_path`: a change of a watched file re-evaluates a waiting probe at once (SPEC §5).
//! Each wait's interval is 20 s: a second evaluation within the test's run is the hint's doing.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use liveness::Error;
use liveness::events::waits_watching;
use liveness::eventually;
use liveness::ops::Wait;

/// A fresh directory of this test's own (tests run in parallel in one process).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("liveness-wake-path-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The system under test: once the waiter has evaluated once (and is parked), `write` runs on
/// another thread.
fn after_first_evaluation(
    evaluations: &Arc<AtomicU32>,
    write: impl FnOnce() + Send + 'static,
) -> thread::JoinHandle<()> {
    let e = Arc::clone(evaluations);
    thread::spawn(move || {
        eventually(|| e.load(Ordering::SeqCst) >= 1).run().unwrap();
        write();
    })
}

/// Writes "3" beside `target` and renames it into place: one change of `target`.
fn rename_into_place(dir: &Path, target: &Path) -> impl FnOnce() + Send + 'static {
    let (partial, target) = (dir.join("result.partial"), target.to_path_buf());
    move || {
        fs::write(&partial, "3").unwrap();
        fs::rename(&partial, &target).unwrap();
    }
}

fn reads(path: &Path, expected: &str) -> bool {
    fs::read_to_string(path).is_ok_and(|s| s == expected)
}

/// `wait` with a 20 s interval, watching `path`: within a test's run, only the hint can bring a
/// second evaluation.
fn woken_by<K>(wait: Wait<K>, path: &Path) -> Wait<K> {
    wait.interval(Duration::from_secs(20)).timeout(Duration::from_secs(40)).wake_on_path(path)
}

/// Not a speed target: without the hint the second evaluation comes after 20 s.
fn assert_woken(started: Instant) {
    assert!(started.elapsed() < Duration::from_secs(10), "the wait was not woken by the path");
}

#[test]
fn a_file_renamed_into_place_wakes_the_wait_at_once() {
    let dir = scratch("rename");
    let result = dir.join("result");
    let evaluations = Arc::new(AtomicU32::new(0));
    let system = after_first_evaluation(&evaluations, rename_into_place(&dir, &result));
    let started = Instant::now();
    let wait = eventually(|| {
        evaluations.fetch_add(1, Ordering::SeqCst);
        reads(&result, "3")
    });
    let seen = woken_by(wait, &result).run().unwrap();
    system.join().unwrap();
    assert_woken(started);
    assert!(seen);
    // The partial file's changes are another name's: only the rename wakes.
    assert_eq!(evaluations.load(Ordering::SeqCst), 2, "the first evaluation and the woken one");
}

#[test]
fn a_delayed_write_in_place_is_seen_without_waiting_for_the_interval() {
    // Seed 004: the result appears in a file some time after the call; written in place, the
    // file changes a few times (created empty, then written): each is a hint, never 20 s apart.
    let dir = scratch("in-place");
    let result = dir.join("sum");
    let evaluations = Arc::new(AtomicU32::new(0));
    let r = result.clone();
    let system = after_first_evaluation(&evaluations, move || fs::write(&r, "3").unwrap());
    let started = Instant::now();
    let wait = eventually(|| {
        evaluations.fetch_add(1, Ordering::SeqCst);
        reads(&result, "3")
    });
    let seen = woken_by(wait, &result).run().unwrap();
    system.join().unwrap();
    assert_woken(started);
    assert!(seen);
    assert!(evaluations.load(Ordering::SeqCst) <= 4, "one evaluation per change at most");
}

#[test]
fn a_directory_wakes_on_any_entry_and_its_watch_ends_with_the_last_wait() {
    let dir = scratch("dir");
    let evaluations = Arc::new(AtomicU32::new(0));
    let d = dir.clone();
    let system = after_first_evaluation(&evaluations, move || fs::write(d.join("done.flag"), "").unwrap());
    let mut watching = 0;
    let started = Instant::now();
    let wait = eventually(|| {
        evaluations.fetch_add(1, Ordering::SeqCst);
        watching = waits_watching(&dir);
        dir.join("done.flag").exists()
    });
    woken_by(wait, &dir).run().unwrap();
    system.join().unwrap();
    assert_woken(started);
    assert_eq!(watching, 1, "the wait watched its directory while it ran");
    assert_eq!(waits_watching(&dir), 0, "the last wait on the directory unwatched it");
}

#[test]
fn a_missing_directory_is_an_invalid_option_naming_wake_on_path() {
    let missing = std::env::temp_dir().join("liveness-no-such-dir").join("file");
    let err = eventually(|| true).wake_on_path(&missing).run().unwrap_err();
    assert!(matches!(err, Error::InvalidOption { ref option, .. } if option == "wake_on_path"), "{err}");
    assert!(err.to_string().contains("liveness-no-such-dir"), "{err}");
}

#[tokio::test]
async fn the_tokio_driver_is_woken_by_a_path_too() {
    let dir = scratch("tokio");
    let result = dir.join("result");
    let evaluations = Arc::new(AtomicU32::new(0));
    let system = after_first_evaluation(&evaluations, rename_into_place(&dir, &result));
    let started = Instant::now();
    let wait = eventually(|| {
        evaluations.fetch_add(1, Ordering::SeqCst);
        reads(&result, "3")
    });
    let seen = woken_by(wait, &result).run_async().await.unwrap();
    system.join().unwrap();
    assert_woken(started);
    assert!(seen);
    assert_eq!(evaluations.load(Ordering::SeqCst), 2);
}
