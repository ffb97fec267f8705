//! Cost of one Poller decision cycle (next + started + finished), in virtual time: the engine
//! every binding drives, without any waiting or host calls.

use std::hint::black_box;
use std::time::{Duration, Instant};

use liveness::Options;
use liveness::poll::{Driver, Failure, Operation, Outcome, Poller, Spelling, Step};
use serde_json::{Value, json};

use crate::params::Params;

pub fn run(p: &Params) -> Vec<Value> {
    let n = p.eval.evaluations;
    let options = Options { timeout: Duration::from_secs(1_000_000), ..Options::default() };
    let mut poller = Poller::new(Operation::Eventually, &options, Spelling::Snake, Driver::Blocking).unwrap();
    let failure = Failure::raised("E", "not yet");
    let mut now = Duration::ZERO;
    let start = Instant::now();
    let mut cycles = 0u64;
    while cycles < n {
        match poller.next(now) {
            Step::Evaluate { .. } => {
                poller.started(now);
                now += Duration::from_micros(10);
                poller.finished(now, Outcome::Rejected(black_box(failure.clone())));
                cycles += 1;
            }
            Step::Wait(d) => now += d,
            Step::Done(_) | Step::Prepare { .. } | Step::Yield => unreachable!("the deadline is far away"),
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!("\npoller: {ns:.1} ns per evaluation cycle (next + started + finished, same failure each time)");
    vec![json!({"scenario": "poller_cycle", "library": "liveness", "cycle_ns": ns})]
}
