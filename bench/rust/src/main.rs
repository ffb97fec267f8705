//! The Rust harness of `make bench`: `liveness-bench --mode full|quick|smoke --out DIR` writes
//! `DIR/rust.json` (the shape is in bench/README.md). Rust's peer is the hand-written
//! `nanosleep` loop, so every liveness figure comes with that baseline from the same run.

mod cpu;
mod emit;
mod eval_overhead;
mod hog;
mod overshoot;
mod params;
mod poller;
mod stats;
mod suite;
mod waiters;

use std::path::{Path, PathBuf};

use serde_json::json;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let mode = arg("--mode").unwrap_or_else(|| "full".into());
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "target/bench".into()));
    let scenarios = arg("--scenarios")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios.json"));
    let p = params::Params::load(&scenarios, &mode);
    println!("rust harness ({} mode)", p.mode);

    let mut records = Vec::new();
    records.extend(overshoot::run(&p));
    records.extend(cpu::run(&p));
    records.extend(eval_overhead::run(&p));
    records.extend(suite::run(&p));
    records.extend(emit::run(&p));
    records.extend(poller::run(&p));

    // The toolchain that built this harness is the one on PATH when make runs it.
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "rustc".into());
    let report = json!({"language": "rust", "mode": p.mode, "runtime": rustc, "libraries": waiters::describe(),
                        "records": records});
    std::fs::create_dir_all(&out).expect("create the output directory");
    let file = out.join("rust.json");
    std::fs::write(&file, serde_json::to_string_pretty(&report).unwrap()).expect("write the results");
    println!("\nresults: {}", file.display());
}
