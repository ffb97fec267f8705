//! The Rust harness of `make bench`: `liveness-bench --mode full|quick|smoke --out DIR` writes
//! `DIR/rust.json` (the shape is in bench/README.md). Rust's peer is the hand-written
//! `nanosleep` loop, so every liveness figure comes with that baseline from the same run.

mod concurrency;
mod cpu;
mod delayed_write;
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

    // `--only emit,poller`: a subset, for comparing one scenario across commits by hand.
    let only = arg("--only");
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|w| w == name));
    let mut records = Vec::new();
    type Scenario = fn(&params::Params) -> Vec<serde_json::Value>;
    let scenarios: [(&str, Scenario); 8] = [
        ("overshoot", overshoot::run),
        ("cpu", cpu::run),
        ("delayed_write", delayed_write::run),
        ("eval_overhead", eval_overhead::run),
        ("suite", suite::run),
        ("emit", emit::run),
        ("poller", poller::run),
        ("concurrency", concurrency::run),
    ];
    for (name, run) in scenarios {
        if wanted(name) {
            records.extend(run(&p));
        }
    }

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
