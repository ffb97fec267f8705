//! The seeds' experiments in Rust. "Before" is the seed's own code: a fixed sleep, then act.
//! "After" waits for the state with liveness. Failures are counted, not raised, so one run
//! shows both the time and the flakiness.

use std::thread;
use std::time::{Duration, Instant};

use liveness::{eventually, eventually_passes};

use super::rows::Row;
use crate::delayed_writer::{schedule_addition, scratch_dir};
use crate::jitter::shutdown_delay;
use crate::singleton::Adder;

const TESTS: u64 = 100;
const WRITES: u64 = 10;

/// How a test waits before acting.
#[derive(Clone, Copy)]
enum Wait {
    Sleep(u64),
    Liveness,
}

impl Wait {
    fn label(self) -> String {
        match self {
            Wait::Sleep(ms) => format!("sleep {ms} ms"),
            Wait::Liveness => "liveness".to_owned(),
        }
    }
}

/// Seed 004's "100 tests": each starts the registered adder while the previous test's instance
/// is still shutting down (a few ms, one in 25 takes 30 ms; `slowdown` stretches all of it, as
/// on an overloaded CI machine).
fn restart_race(wait: Wait, slowdown: u32) -> (Duration, u64) {
    let name = format!("demo-adder-{}-{slowdown}", wait.label());
    let mut failures = 0;
    let mut previous: Option<Adder> = None;
    let started = Instant::now();
    for n in 0..TESTS as i64 {
        let shutdown = shutdown_delay(25, Duration::from_millis(30)) * slowdown;
        drop(previous.take()); // the previous test ends; its adder stops asynchronously
        let adder = match wait {
            Wait::Sleep(ms) => {
                thread::sleep(Duration::from_millis(ms)); // the "before" column: the seed's sleep
                Adder::start(&name, shutdown).ok()
            }
            Wait::Liveness => eventually(|| Adder::start(&name, shutdown)).timeout(Duration::from_secs(5)).run().ok(),
        };
        match adder {
            Some(a) if a.add(n, 0) == n => previous = Some(a),
            _ => failures += 1,
        }
    }
    (started.elapsed(), failures)
}

/// Seed 004's `AdditionJob`: the result is flushed to a file `flush_ms` after the call.
fn delayed_write(wait: Wait, flush_ms: u64) -> (Duration, u64) {
    let dir = scratch_dir("demo-delayed-write");
    let mut failures = 0;
    let started = Instant::now();
    for _ in 0..WRITES {
        let path = schedule_addition(&dir, 1, 2, Duration::from_millis(flush_ms));
        let ok = match wait {
            Wait::Sleep(ms) => {
                thread::sleep(Duration::from_millis(ms)); // the "before" column: the seed's sleep
                std::fs::read_to_string(&path).is_ok_and(|s| s == "3")
            }
            Wait::Liveness => eventually_passes(|| assert_eq!(std::fs::read_to_string(&path).unwrap(), "3"))
                .timeout(Duration::from_secs(5))
                .run()
                .is_ok(),
        };
        failures += u64::from(!ok);
    }
    (started.elapsed(), failures)
}

fn row(scenario: &str, wait: Wait, runs: u64, (wall, failures): (Duration, u64)) -> Row {
    Row {
        binding: "rust".into(),
        scenario: scenario.into(),
        variant: wait.label(),
        wall_ms: wall.as_secs_f64() * 1000.0,
        failures,
        runs,
    }
}

pub fn run_all() -> Vec<Row> {
    let mut rows = Vec::new();
    for (scenario, slowdown) in [("restart race, 100 tests", 1), ("restart race, 100 tests, loaded (×3 slower)", 3)] {
        for wait in [Wait::Sleep(10), Wait::Sleep(50), Wait::Liveness] {
            rows.push(row(scenario, wait, TESTS, restart_race(wait, slowdown)));
        }
    }
    for (scenario, flush) in [("delayed write, flush 50 ms", 50), ("delayed write after spec change, flush 75 ms", 75)]
    {
        for wait in [Wait::Sleep(60), Wait::Liveness] {
            rows.push(row(scenario, wait, WRITES, delayed_write(wait, flush)));
        }
    }
    rows
}
