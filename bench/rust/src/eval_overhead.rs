//! Evaluation overhead: evaluations per second of a trivial probe at interval 0, liveness
//! against a hand-written loop — what the engine costs when waiting is not the cost.

use std::hint::black_box;
use std::time::{Duration, Instant};

use liveness::eventually;
use serde_json::{Value, json};

use crate::params::Params;

/// A probe that holds on its `n`-th call.
fn counter(n: u64) -> impl FnMut() -> bool {
    let mut calls = 0u64;
    move || {
        calls += 1;
        black_box(calls) >= n
    }
}

fn hand_loop(mut probe: impl FnMut() -> bool, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while !probe() {
        assert!(Instant::now() < deadline, "timed out");
    }
}

/// Best evaluations per second over `repeats` runs of `n` evaluations.
fn evals_per_s(n: u64, repeats: usize, run: impl Fn(u64)) -> f64 {
    (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            run(n);
            n as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

pub fn run(p: &Params) -> Vec<Value> {
    let (n, r) = (p.eval.evaluations, p.eval.repeats);
    let timeout = Duration::from_secs(60);
    let liveness = evals_per_s(n, r, |n| {
        // `interval = 0` is the adaptive schedule (SPEC §2): a busy loop is asked for as min = max = 0.
        eventually(counter(n))
            .min_interval(Duration::ZERO)
            .max_interval(Duration::ZERO)
            .timeout(timeout)
            .run()
            .unwrap();
    });
    let hand = evals_per_s(n, r, |n| hand_loop(counter(n), timeout));
    println!("\nevaluation overhead (interval 0, {n} evaluations of a trivial probe; evaluations per second)");
    println!("  {:<24} {liveness:14.0}   ({:.2}× the hand loop's time per evaluation)", "liveness", hand / liveness);
    println!("  {:<24} {hand:14.0}", "hand loop");
    [("liveness", liveness), ("hand loop", hand)]
        .into_iter()
        .map(|(library, v)| {
            json!({"scenario": "eval_overhead", "library": library, "interval_s": 0.0, "evaluations": n, "evals_per_s": v})
        })
        .collect()
}
