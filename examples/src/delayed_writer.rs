//! Seed 004's `AdditionJob`: the result is written to a file, but the write is buffered and
//! only flushed after a delay. The caller gets the path at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Schedules `x + y` to be written into a fresh file under `dir` after `flush`; returns its path.
pub fn schedule_addition(dir: &Path, x: i64, y: i64, flush: Duration) -> PathBuf {
    let path = dir.join(format!("addition-{}-{}.txt", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&path, "").expect("the output file can be created");
    let target = path.clone();
    thread::spawn(move || {
        thread::sleep(flush); // the delayed write: this delay is the behaviour under test
        std::fs::write(&target, (x + y).to_string()).expect("the output file can be written");
    });
    path
}

/// A scratch directory for one test run.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("liveness-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}
