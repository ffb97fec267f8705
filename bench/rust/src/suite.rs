//! Suite time: seed 004's experiment. Each test restarts a registered singleton whose previous
//! instance shuts down asynchronously, waiting for the name to be free with sleep(50 ms) or with
//! a polling waiter. Wall time and failures per run, idle and with the other cores busy.
//! Two floors come with them: the push waiter (notified by the singleton's shutdown thread) and
//! the arithmetic one, the sum of the shutdown delays the run waits for.

use std::time::{Duration, Instant};

use liveness_examples::singleton::Adder;
use serde_json::{Value, json};

use crate::hog::Hog;
use crate::params::Params;
use crate::waiters::{self, Waiter};

const NAME: &str = "bench-adder";

/// The push waiter's system under test: seed 004's Adder with one line more, a notification
/// right after the shutdown thread frees the name. A twin, because the examples crate's Adder
/// notifies nobody (a system written to be waited for would); same rule and same shutdown
/// thread otherwise, with its own registry so that the twin's name never blocks the Adder's.
mod pushed {
    use std::sync::Mutex;
    use std::thread;
    use std::time::Duration;

    use crate::waiters::notify_push;

    static TAKEN: Mutex<bool> = Mutex::new(false);

    pub struct Adder {
        shutdown: Duration,
    }

    impl Adder {
        /// Registers and starts; None while the previous instance has not shut down.
        pub fn start(shutdown: Duration) -> Option<Adder> {
            let mut taken = TAKEN.lock().unwrap();
            // Lazily: an Adder made and dropped on a refused start would schedule a shutdown that
            // frees the name early (`then_some` did, and the floor came out at 0.05× the delays).
            (!std::mem::replace(&mut *taken, true)).then(|| Adder { shutdown })
        }

        pub fn add(&self, x: i64, y: i64) -> i64 {
            x + y
        }

        pub fn is_registered() -> bool {
            *TAKEN.lock().unwrap()
        }
    }

    impl Drop for Adder {
        fn drop(&mut self) {
            let delay = self.shutdown;
            thread::spawn(move || {
                thread::sleep(delay); // the simulated termination, as in the seed's Adder
                *TAKEN.lock().unwrap() = false;
                notify_push();
            });
        }
    }
}

/// Waits with `waiter` until `start` succeeds; what it started, if anything.
fn started_by<A>(waiter: Waiter, mut start: impl FnMut() -> Option<A>, timeout: Duration) -> Option<A> {
    let mut started = None;
    waiter.wait_until(
        || {
            started = start();
            started.is_some()
        },
        timeout,
    );
    started
}

#[derive(Clone, Copy)]
enum Way {
    Sleep,
    Wait(Waiter),
}

impl Way {
    fn label(self) -> String {
        match self {
            Way::Sleep => "sleep 50 ms".into(),
            Way::Wait(w) => w.label(),
        }
    }
}

/// One run of the suite: (wall seconds, tests run, failed tests).
fn one_run(way: Way, p: &Params) -> (f64, u64, u64) {
    let s = &p.shutdowns;
    let start = Instant::now();
    let (mut tests, mut failures) = (0, 0);
    for i in 0..p.suite.tests {
        if start.elapsed() > p.suite.run_budget {
            break;
        }
        tests += 1;
        let delay = s.delay(i);
        // Each arm drops the adder it used, which starts the asynchronous shutdown.
        let sum = match way {
            Way::Sleep => {
                std::thread::sleep(s.sleep); // the "before" being measured, not a wait of ours
                Adder::start(NAME, delay).ok().map(|a| a.add(2, 3))
            }
            Way::Wait(Waiter::Push) => {
                started_by(Waiter::Push, || pushed::Adder::start(delay), s.wait_timeout).map(|a| a.add(2, 3))
            }
            Way::Wait(w) => started_by(w, || Adder::start(NAME, delay).ok(), s.wait_timeout).map(|a| a.add(2, 3)),
        };
        match sum {
            Some(v) => assert_eq!(v, 5),
            None => failures += 1,
        }
    }
    (start.elapsed().as_secs_f64(), tests, failures)
}

pub fn run(p: &Params) -> Vec<Value> {
    let ways = std::iter::once(Way::Sleep).chain(waiters::SUITE.map(Way::Wait));
    let ways: Vec<Way> = ways.collect();
    println!("\nsuite time ({} tests per run; wall s and failed tests per run)", p.suite.tests);
    let mut records = Vec::new();
    for load in &p.suite.loads {
        let _hog = (load == "hog").then(|| Hog::start(&p.hog_command));
        for &way in &ways {
            // The first test of a run must not inherit a name still taken by the previous run.
            liveness::eventually(|| !Adder::is_registered(NAME) && !pushed::Adder::is_registered())
                .timeout(p.shutdowns.wait_timeout)
                .run()
                .unwrap();
            let mut line = format!("  {load:<5} {:<24}", way.label());
            for run in 0..p.suite.runs {
                let (wall, tests, failures) = one_run(way, p);
                line.push_str(&format!(" {wall:7.2} s {failures:3} failed"));
                if tests < p.suite.tests {
                    line.push_str(&format!(" ({tests} tests: budget)"));
                }
                records.push(json!({"scenario": "suite", "library": way.label(), "load": load, "run": run,
                                    "tests": tests, "suite_tests": p.suite.tests, "wall_s": wall,
                                    "failures": failures}));
            }
            println!("{line}");
        }
    }
    records
}
