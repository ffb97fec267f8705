//! Cost of one Poller decision cycle (next + started + finished), in virtual time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use liveness::Options;
use liveness::poll::{Failure, Operation, Outcome, Poller, Spelling, Step};
use serde_json::{Value, json};

pub fn run(quick: bool) -> Value {
    let n: u32 = if quick { 200_000 } else { 2_000_000 };
    let options = Options { timeout: Duration::from_secs(1_000_000), ..Options::default() };
    let mut p = Poller::new(Operation::Eventually, &options, Spelling::Snake).unwrap();
    let failure = Failure::raised("E", "not yet");
    let mut now = Duration::ZERO;
    let start = Instant::now();
    let mut cycles = 0u32;
    while cycles < n {
        match p.next(now) {
            Step::Evaluate => {
                p.started(now);
                now += Duration::from_micros(10);
                p.finished(now, Outcome::Rejected(black_box(failure.clone())));
                cycles += 1;
            }
            Step::Wait(d) => now += d,
            Step::Done(_) => unreachable!("the deadline is far away"),
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
    println!("\npoller: {ns:.1} ns per evaluation cycle (next + started + finished + next, same failure each time)");
    json!({"cycle_ns": ns})
}
