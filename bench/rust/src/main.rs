//! `make bench` (core part). Absolute times drift on a shared machine, so each figure comes
//! with a baseline measured in the same run: an atomic load for emit, a hand-written
//! `nanosleep(1 ms)` polling loop for overshoot and CPU.

mod cpu;
mod emit;
mod overshoot;
mod poller;
mod stats;

use serde_json::json;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    println!("liveness core benchmarks{}", if quick { " (quick)" } else { "" });

    let emit = emit::run(quick);
    let decision = poller::run(quick);
    let overshoot = overshoot::run(quick);
    let cpu = cpu::run(quick);

    let report = json!({"emit": emit, "poller": decision, "overshoot": overshoot, "cpu": cpu, "quick": quick});
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench/core.json");
    std::fs::create_dir_all(out.parent().unwrap()).expect("target/bench");
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()).expect("write the results");
    println!("\nresults: {}", out.display());
}
