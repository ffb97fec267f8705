//! Overshoot: another thread makes the condition true at t; how long after that does the wait
//! return? liveness with default options, with a wake hint, and a hand-written 1 ms sleep loop.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use liveness::events::event;
use liveness::eventually;
use serde_json::{Value, json};

use crate::stats::{ms, percentile};

#[derive(Clone, Copy, PartialEq)]
enum Waiter {
    Defaults,
    WakeHint,
    HandLoop1ms,
}

impl Waiter {
    fn label(self) -> &'static str {
        match self {
            Waiter::Defaults => "liveness (defaults)",
            Waiter::WakeHint => "liveness + wake hint",
            Waiter::HandLoop1ms => "hand loop, sleep 1 ms",
        }
    }
}

/// One trial: returns the time from the condition becoming true to the wait returning.
fn trial(waiter: Waiter, ready_after: Duration) -> Duration {
    let flag = Arc::new(AtomicBool::new(false));
    let set_at = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let (f, s) = (flag.clone(), set_at.clone());
    let setter = thread::spawn(move || {
        thread::sleep(ready_after); // the system under test becomes ready at t
        *s.lock().unwrap() = Some(Instant::now());
        f.store(true, Ordering::SeqCst);
        if waiter == Waiter::WakeHint {
            event("bench.ready").emit().unwrap();
        }
    });
    match waiter {
        Waiter::Defaults => {
            eventually(|| flag.load(Ordering::SeqCst)).run().unwrap();
        }
        Waiter::WakeHint => {
            eventually(|| flag.load(Ordering::SeqCst)).wake_on("bench.ready").run().unwrap();
        }
        Waiter::HandLoop1ms => {
            while !flag.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
            }
        }
    }
    let returned = Instant::now();
    setter.join().unwrap();
    let set = set_at.lock().unwrap().expect("set before the flag");
    returned.saturating_duration_since(set)
}

pub fn run(quick: bool) -> Value {
    let plan: [(u64, usize); 4] =
        if quick { [(1, 40), (10, 20), (100, 5), (1000, 2)] } else { [(1, 300), (10, 200), (100, 40), (1000, 8)] };
    println!(
        "\novershoot (ms from 'condition true' to 'wait returned'; p50 / p99; target p50 ≤ 2 ms, wake hint ≤ 0.2 ms)"
    );
    println!("  {:<24} {:>16} {:>16} {:>16} {:>16}", "waiter", "ready at 1 ms", "10 ms", "100 ms", "1000 ms");
    let mut results = Vec::new();
    for waiter in [Waiter::Defaults, Waiter::WakeHint, Waiter::HandLoop1ms] {
        let mut line = format!("  {:<24}", waiter.label());
        let mut by_ready = Vec::new();
        for (ready_ms, reps) in plan {
            let mut samples: Vec<Duration> =
                (0..reps).map(|_| trial(waiter, Duration::from_millis(ready_ms))).collect();
            samples.sort();
            let (p50, p99) = (percentile(&samples, 50.0), percentile(&samples, 99.0));
            line.push_str(&format!(" {:>7.3} / {:>6.3}", ms(p50), ms(p99)));
            by_ready.push(json!({"ready_ms": ready_ms, "reps": reps, "p50_ms": ms(p50), "p99_ms": ms(p99)}));
        }
        println!("{line}");
        results.push(json!({"waiter": waiter.label(), "by_ready_time": by_ready}));
    }
    Value::Array(results)
}
