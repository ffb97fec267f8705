//! Overshoot: another thread makes the condition true at t; how long after that does the wait
//! return? Measured from the instant the setter flips the condition.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use liveness::events::event;
use serde_json::{Value, json};

use crate::params::Params;
use crate::stats::{summary, with};
use crate::waiters::{self, WAKE_EVENT, Waiter};

/// One trial: the time from the condition becoming true to the wait returning.
fn trial(waiter: Waiter, ready_after: Duration) -> Duration {
    let flag = Arc::new(AtomicBool::new(false));
    let set_at = Arc::new(Mutex::new(None::<Instant>));
    let (f, s) = (flag.clone(), set_at.clone());
    let setter = thread::spawn(move || {
        thread::sleep(ready_after); // the system under test becomes ready at t
        *s.lock().unwrap() = Some(Instant::now());
        f.store(true, Ordering::SeqCst);
        match waiter {
            Waiter::WakeHint => event(WAKE_EVENT).emit(),
            Waiter::Push => waiters::notify_push(),
            _ => {}
        }
    });
    assert!(waiter.wait_until(|| flag.load(Ordering::SeqCst), Duration::from_secs(30)), "the condition came true");
    let returned = Instant::now();
    setter.join().unwrap();
    let set = set_at.lock().unwrap().expect("set before the flag");
    returned.saturating_duration_since(set)
}

pub fn run(p: &Params) -> Vec<Value> {
    let o = &p.overshoot;
    println!("\novershoot (ms from 'condition true' to 'wait returned'; p50 / p99)");
    print!("  {:<24}", "waiter");
    for r in &o.ready_ms {
        print!(" {:>18}", format!("ready at {r} ms"));
    }
    println!();
    let mut records = Vec::new();
    for waiter in waiters::ALL {
        print!("  {:<24}", waiter.label());
        for (&ready_ms, &reps) in o.ready_ms.iter().zip(&o.reps) {
            let started = Instant::now();
            let mut samples = Vec::new();
            while samples.len() < reps && (samples.len() < o.min_reps || started.elapsed() < o.cell_budget) {
                samples.push(trial(waiter, o.ready_at(ready_ms, samples.len())));
            }
            let s = summary(samples);
            print!(" {:>8.3} / {:>7.3}", s["p50_ms"].as_f64().unwrap(), s["p99_ms"].as_f64().unwrap());
            records.push(with(json!({"scenario": "overshoot", "library": waiter.label(), "ready_ms": ready_ms}), s));
        }
        println!();
    }
    records
}
