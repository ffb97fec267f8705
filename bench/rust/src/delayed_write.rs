//! Delayed write (seed 004): a writer thread, standing in for the system under test and
//! unchanged by liveness, writes a result file some time after the start; each waiter reads the
//! file until it holds the result. Overshoot runs from the writer's clock reading right after the
//! write (file closed) to the wait returning; CPU is process CPU per second of waiting over the
//! cell's repetitions.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use liveness::eventually;
use serde_json::{Value, json};

use crate::cpu::process_cpu;
use crate::params::Params;
use crate::stats::{summary, with};
use crate::waiters::{self, Waiter};

pub const WAKE_ON_PATH_LABEL: &str = "liveness + wake_on_path";

pub struct DelayedWrite {
    pub ready_ms: Vec<u64>,
    pub reps: Vec<usize>,
    pub result: String,
}

/// `None` is liveness with `wake_on_path` (it names the trial's file); the rest are the shared waiters.
const WAITERS: [Option<Waiter>; 5] = [
    None,
    Some(Waiter::Liveness),
    Some(Waiter::HandLoop(Duration::from_millis(1))),
    Some(Waiter::HandLoop(Duration::from_millis(10))),
    Some(Waiter::Push),
];

fn label(w: Option<Waiter>) -> String {
    w.map_or_else(|| WAKE_ON_PATH_LABEL.to_owned(), Waiter::label)
}

fn has_result(path: &Path, result: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|s| s == result)
}

/// One trial in a fresh directory: (overshoot, CPU, wall time of the wait).
fn trial(w: Option<Waiter>, ready_after: Duration, result: &str, k: usize) -> (Duration, Duration, Duration) {
    let dir = std::env::temp_dir().join(format!("bench-delayed-write-{}-{k}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the trial's directory");
    let path: PathBuf = dir.join("result.txt");
    let (cpu0, wall0) = (process_cpu(), Instant::now());
    let (p, r) = (path.clone(), result.to_owned());
    let writer = thread::spawn(move || {
        thread::sleep(ready_after); // the system under test takes its time
        std::fs::write(&p, r).expect("write the result file");
        let written = Instant::now();
        waiters::notify_push(); // only the push waiter listens
        written
    });
    let timeout = Duration::from_secs(30);
    let held = match w {
        None => eventually(|| has_result(&path, result)).timeout(timeout).wake_on_path(&path).run().is_ok(),
        Some(waiter) => waiter.wait_until(|| has_result(&path, result), timeout),
    };
    let returned = Instant::now();
    let cpu = process_cpu() - cpu0;
    let written = writer.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(held, "{}: the file was written but the wait timed out", label(w));
    (returned.saturating_duration_since(written), cpu, returned - wall0)
}

pub fn run(p: &Params) -> Vec<Value> {
    let d = &p.delayed_write;
    println!("\ndelayed write (ms from 'file written' to 'wait returned', p50 / p99; ms of CPU per s of waiting)");
    let mut records = Vec::new();
    for w in WAITERS {
        print!("  {:<24}", label(w));
        for (&ready_ms, &reps) in d.ready_ms.iter().zip(&d.reps) {
            let trials: Vec<_> = (0..reps).map(|k| trial(w, p.overshoot.ready_at(ready_ms, k), &d.result, k)).collect();
            let cpu: Duration = trials.iter().map(|t| t.1).sum();
            let wall: Duration = trials.iter().map(|t| t.2).sum();
            let cpu_ms_per_s = cpu.as_secs_f64() * 1000.0 / wall.as_secs_f64();
            let s = summary(trials.iter().map(|t| t.0).collect());
            print!(
                " {:>8.3} / {:>7.3} cpu {cpu_ms_per_s:6.2}",
                s["p50_ms"].as_f64().unwrap(),
                s["p99_ms"].as_f64().unwrap()
            );
            let base = json!({"scenario": "delayed_write", "library": label(w), "ready_ms": ready_ms,
                              "cpu_ms_per_s": cpu_ms_per_s});
            records.push(with(base, s));
        }
        println!();
    }
    records
}
