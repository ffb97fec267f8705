//! Suite time: seed 004's experiment. Each test restarts a registered singleton whose previous
//! instance shuts down asynchronously, waiting for the name to be free with sleep(50 ms) or with
//! a polling waiter. Wall time and failures per run, idle and with the other cores busy.

use std::time::Instant;

use liveness_examples::singleton::Adder;
use serde_json::{Value, json};

use crate::hog::Hog;
use crate::params::Params;
use crate::waiters::{self, Waiter};

const NAME: &str = "bench-adder";

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
        let adder = match way {
            Way::Sleep => {
                std::thread::sleep(s.sleep); // the "before" being measured, not a wait of ours
                Adder::start(NAME, s.delay(i)).ok()
            }
            Way::Wait(w) => {
                let mut started = None;
                w.wait_until(|| Adder::start(NAME, s.delay(i)).map(|a| started = Some(a)).is_ok(), s.wait_timeout);
                started
            }
        };
        match adder {
            Some(a) => assert_eq!(a.add(2, 3), 5), // dropping it starts the asynchronous shutdown
            None => failures += 1,
        }
    }
    (start.elapsed().as_secs_f64(), tests, failures)
}

pub fn run(p: &Params) -> Vec<Value> {
    let ways = std::iter::once(Way::Sleep).chain(waiters::WITHOUT_HINT.map(Way::Wait));
    let ways: Vec<Way> = ways.collect();
    println!("\nsuite time ({} tests per run; wall s and failed tests per run)", p.suite.tests);
    let mut records = Vec::new();
    for load in &p.suite.loads {
        let _hog = (load == "hog").then(|| Hog::start(&p.hog_command));
        for &way in &ways {
            // The first test of a run must not inherit a name still taken by the previous run.
            liveness::eventually(|| !Adder::is_registered(NAME)).timeout(p.shutdowns.wait_timeout).run().unwrap();
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
