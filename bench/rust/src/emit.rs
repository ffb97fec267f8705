//! Emit cost with nothing attached and with one capture open, against the mechanisms a Rust
//! codebase would use instead: an atomic "anyone listening?" flag and a list of callbacks.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Instant;

use liveness::events::{Capture, EventName, event};
use serde_json::{Value, json};

use crate::params::Params;

static LISTENERS: AtomicUsize = AtomicUsize::new(0);

type Callback = Box<dyn Fn(&str, f64) + Send + Sync>;

/// Best nanoseconds per call over the repeats.
fn per_op(n: u64, repeats: usize, mut f: impl FnMut()) -> f64 {
    (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn callback_list_emit(list: &RwLock<Vec<Callback>>, name: &str, value: f64) {
    for cb in list.read().unwrap().iter() {
        cb(name, value);
    }
}

pub fn run(p: &Params) -> Vec<Value> {
    let (n, r) = (p.emit_iterations, p.emit_repeats);
    let name = EventName::new("bench.emit.idle").unwrap();
    let atomic = per_op(n, r, || {
        black_box(LISTENERS.load(Ordering::Acquire));
    });
    let checked = per_op(n, r, || {
        let _ = black_box(event(black_box("bench.emit.idle"))).emit();
    });
    let prevalidated = per_op(n, r, || black_box(&name).emit());
    let empty: RwLock<Vec<Callback>> = RwLock::new(Vec::new());
    let list_idle = per_op(n, r, || callback_list_emit(black_box(&empty), "bench.emit.idle", 1.0));

    // One listener that records what it is given, as a capture does.
    let captured_n = (n / 20).max(1);
    let capture = Capture::open(&["bench.emit.**"]).unwrap();
    let one_capture = per_op(captured_n, 1, || {
        let _ = event("bench.emit.captured").measure("n", 1.0).emit();
    });
    assert_eq!(capture.close().len() as u64, captured_n, "every emit was captured");
    let sink = std::sync::Arc::new(Mutex::new(Vec::new()));
    let s = sink.clone();
    let one: RwLock<Vec<Callback>> =
        RwLock::new(vec![Box::new(move |name: &str, v: f64| s.lock().unwrap().push((name.to_owned(), v)))]);
    let list_one = per_op(captured_n, 1, || callback_list_emit(&one, "bench.emit.captured", 1.0));
    assert_eq!(sink.lock().unwrap().len() as u64, captured_n);

    println!("\nemit (ns per call)");
    let rows = [
        ("liveness", "nothing attached", checked),
        ("liveness, pre-validated name", "nothing attached", prevalidated),
        ("atomic load", "nothing attached", atomic),
        ("callback list", "nothing attached", list_idle),
        ("liveness", "one capture", one_capture),
        ("callback list", "one capture", list_one),
    ];
    rows.iter()
        .map(|&(library, case, ns)| {
            println!("  {case:<17} {library:<30} {ns:10.2}");
            json!({"scenario": "emit", "library": library, "case": case, "ns_per_emit": ns})
        })
        .collect()
}
