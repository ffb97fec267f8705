//! The Rust door of the demo: every scenario of demo/scenarios.json, through liveness' public
//! API. "Before" is the seed's own code: a fixed sleep, then act. "After" waits for the state
//! with liveness. Failures are counted, not raised, so one run shows both time and flakiness.

use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use liveness::{emitted, eventually, eventually_passes, sync_operation};

use super::results::{DoorResults, Row};
use super::spec::{AFTER, Delay, Hog, Kind, Load, Scenario, Spec, sleep_label};
use crate::circuit_breaker::{CircuitBreaker, State};
use crate::delayed_writer::{schedule_addition, scratch_dir};
use crate::singleton::Adder;

const WAIT_TIMEOUT: Duration = Duration::from_secs(5);

/// How a test waits before acting: the seed's sleep, or liveness.
#[derive(Clone, Copy)]
enum Wait {
    Sleep(u64),
    Liveness,
}

impl Wait {
    fn label(self) -> String {
        match self {
            Wait::Sleep(ms) => sleep_label(ms),
            Wait::Liveness => AFTER.to_owned(),
        }
    }

    fn sleep(ms: u64) {
        thread::sleep(Duration::from_millis(ms)); // the "before" column: the seed's sleep
    }
}

/// Seed 004's "100 tests": test i starts the registered adder right after test i-1 stopped it.
fn restart_race(s: &Scenario, delay: &Delay, wait: Wait) -> u64 {
    let name = format!("demo-adder-{}-{}", s.name, wait.label());
    let mut failures = 0;
    let mut previous: Option<Adder> = None;
    for i in 0..s.tests {
        drop(previous.take()); // the previous test ends; its adder stops asynchronously
        let shutdown = Duration::from_millis(delay.ms(i));
        let adder = match wait {
            Wait::Sleep(ms) => {
                Wait::sleep(ms);
                Adder::start(&name, shutdown).ok()
            }
            Wait::Liveness => eventually(|| Adder::start(&name, shutdown)).timeout(WAIT_TIMEOUT).run().ok(),
        };
        match adder {
            Some(a) if a.add(i as i64, 0) == i as i64 => previous = Some(a),
            _ => failures += 1,
        }
    }
    drop(previous);
    // The last stop frees the name on its own; wait for it so that the next variant starts clean.
    let _ = eventually(|| !Adder::is_registered(&name)).timeout(WAIT_TIMEOUT).run();
    failures
}

/// Seed 004's `AdditionJob`: the result is flushed to its file `flush_ms` after the call.
fn delayed_write(s: &Scenario, wait: Wait) -> u64 {
    let dir = scratch_dir("demo-delayed-write");
    let mut failures = 0;
    for _ in 0..s.tests {
        let path = schedule_addition(&dir, 1, 2, Duration::from_millis(s.flush_ms));
        let ok = match wait {
            Wait::Sleep(ms) => {
                Wait::sleep(ms);
                std::fs::read_to_string(&path).is_ok_and(|t| t == "3")
            }
            Wait::Liveness => eventually_passes(|| assert_eq!(std::fs::read_to_string(&path).unwrap(), "3"))
                .timeout(WAIT_TIMEOUT)
                .run()
                .is_ok(),
        };
        failures += u64::from(!ok);
    }
    failures
}

/// Seed 000: the breaker tripped through fire-and-forget failures.
fn breaker(s: &Scenario, delay: &Delay, wait: Wait) -> u64 {
    let threshold = s.threshold.max(1);
    let mut failures = 0;
    for i in 0..s.tests {
        let name = format!("demo-breaker-{}-{i}", wait.label());
        let latency = Duration::from_millis(delay.ms(i)) / threshold;
        let b = CircuitBreaker::start(&name, threshold, latency);
        let fire = || (0..threshold).for_each(|_| b.fail());
        let ok = match wait {
            Wait::Sleep(ms) => {
                fire();
                Wait::sleep(ms);
                b.status() == State::Open
            }
            Wait::Liveness => emitted("breaker.state_change")
                .with_meta("breaker", name.as_str())
                .with_meta("to", "open")
                .run(|| sync_operation(fire, || b.status() == State::Open).timeout(WAIT_TIMEOUT).run())
                .is_ok_and(|r| r.is_ok()),
        };
        failures += u64::from(!ok);
    }
    failures
}

/// The loaded machine: `command` on every core but one until dropped.
struct HogGuard(Vec<Child>);

impl HogGuard {
    fn start(hog: &Hog) -> Result<HogGuard, String> {
        let cores = thread::available_parallelism().map_or(2, |n| n.get());
        let mut guard = HogGuard(Vec::new());
        let (program, args) = hog.command.split_first().ok_or("the hog command is empty")?;
        for _ in 0..cores.saturating_sub(1).max(1) {
            let child = Command::new(program).args(args).stdin(Stdio::null()).spawn();
            guard.0.push(child.map_err(|e| format!("cannot start the hog {program:?}: {e}"))?);
        }
        Ok(guard)
    }
}

impl Drop for HogGuard {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn run_scenario(spec: &Spec, s: &Scenario) -> Result<Vec<Row>, String> {
    let _hog = match s.load {
        Load::Hog => Some(HogGuard::start(&spec.hog)?),
        Load::Idle => None,
    };
    let waits = s.before_sleep_ms.iter().map(|&ms| Wait::Sleep(ms)).chain([Wait::Liveness]);
    Ok(waits
        .map(|wait| {
            let started = Instant::now();
            let failures = match s.kind {
                Kind::RestartRace => restart_race(s, &spec.delay, wait),
                Kind::DelayedWrite => delayed_write(s, wait),
                Kind::Breaker => breaker(s, &spec.delay, wait),
            };
            let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
            Row { scenario: s.name.clone(), variant: wait.label(), wall_ms, failures, tests: s.tests }
        })
        .collect())
}

/// Every scenario of `spec`, in its order.
pub fn run_all(spec: &Spec) -> Result<DoorResults, String> {
    let mut rows = Vec::new();
    for s in &spec.scenarios {
        rows.extend(run_scenario(spec, s)?);
    }
    Ok(DoorResults { door: "rust".into(), rows })
}
