//! Emit cost with nothing attached (target ≤ 20 ns) and with one capture open.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use liveness::events::{Capture, EventName, event};
use serde_json::{Value, json};

static BASELINE: AtomicUsize = AtomicUsize::new(0);

fn per_op(n: u64, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

pub fn run(quick: bool) -> Value {
    let n: u64 = if quick { 2_000_000 } else { 20_000_000 };
    let name = EventName::new("bench.emit.idle").unwrap();
    let baseline = per_op(n, || {
        black_box(BASELINE.load(Ordering::Acquire));
    });
    let idle_named = per_op(n, || black_box(&name).emit());
    let idle_checked = per_op(n, || {
        let _ = black_box(event(black_box("bench.emit.idle"))).emit();
    });
    let captured_n = n / 20;
    let capture = Capture::open(&["bench.emit.**"]).unwrap();
    let with_capture = per_op(captured_n, || {
        let _ = event("bench.emit.captured").measure("n", 1.0).emit();
    });
    assert_eq!(capture.close().len() as u64, captured_n, "every emit was captured");

    println!("\nemit (ns per call; baseline = one atomic load in the same run: {baseline:.2} ns)");
    println!(
        "  nothing attached, pre-validated name   {idle_named:8.2} ns   ({:.1}× baseline; target ≤ 20 ns)",
        idle_named / baseline
    );
    println!(
        "  nothing attached, name checked         {idle_checked:8.2} ns   ({:.1}× baseline)",
        idle_checked / baseline
    );
    println!("  one capture open, one measurement      {with_capture:8.2} ns");
    json!({"baseline_atomic_load_ns": baseline, "idle_prevalidated_ns": idle_named,
           "idle_checked_name_ns": idle_checked, "one_capture_ns": with_capture})
}
