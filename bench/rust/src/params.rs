//! The shared scenario set (`bench/scenarios.json`), read once: every harness takes its counts
//! from the same file so the languages measure the same thing.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

pub struct Overshoot {
    pub ready_ms: Vec<u64>,
    pub phase_step: f64,
    pub reps: Vec<usize>,
    pub min_reps: usize,
    pub cell_budget: Duration,
}

pub struct EvalOverhead {
    pub evaluations: u64,
    pub repeats: usize,
}

pub struct SuiteRuns {
    pub tests: u64,
    pub runs: usize,
    pub loads: Vec<String>,
    /// A run stops after the test that passes this (slow peers would take minutes).
    pub run_budget: Duration,
}

/// Seed 004's experiment: how long test `i`'s singleton takes to shut down.
pub struct Shutdowns {
    pub sleep: Duration,
    base_ms: u64,
    step: u64,
    spread_ms: u64,
    tail_every: u64,
    tail_ms: u64,
    pub wait_timeout: Duration,
}

impl Shutdowns {
    pub fn delay(&self, i: u64) -> Duration {
        let ms = if i % self.tail_every == self.tail_every - 1 {
            self.tail_ms
        } else {
            self.base_ms + (i * self.step) % self.spread_ms
        };
        Duration::from_millis(ms)
    }
}

pub struct Params {
    pub mode: String,
    pub overshoot: Overshoot,
    pub cpu_wait: Duration,
    pub eval: EvalOverhead,
    pub suite: SuiteRuns,
    pub shutdowns: Shutdowns,
    pub emit_iterations: u64,
    pub emit_repeats: usize,
    pub hog_command: Vec<String>,
    pub concurrency: crate::concurrency::Concurrency,
    pub delayed_write: crate::delayed_write::DelayedWrite,
}

fn num(v: &Value, path: &str) -> f64 {
    path.split('.')
        .fold(v, |v, key| &v[key])
        .as_f64()
        .unwrap_or_else(|| panic!("bench/scenarios.json: {path} is not a number"))
}

fn list<T>(v: &Value, path: &str, f: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    let items = path.split('.').fold(v, |v, key| &v[key]);
    let items = items.as_array().unwrap_or_else(|| panic!("bench/scenarios.json: {path} is not a list"));
    items.iter().map(|x| f(x).unwrap_or_else(|| panic!("bench/scenarios.json: bad item in {path}"))).collect()
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

impl Overshoot {
    /// When repetition `k` of a cell makes the condition true: spread over [t, 2t).
    pub fn ready_at(&self, ready_ms: u64, k: usize) -> Duration {
        let phase = (k as f64 * self.phase_step).fract();
        Duration::from_secs_f64(ready_ms as f64 * (1.0 + phase) / 1000.0)
    }
}

impl Params {
    pub fn load(file: &Path, mode: &str) -> Params {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let all: Value = serde_json::from_str(&text).expect("bench/scenarios.json is valid JSON");
        let m = &all["modes"][mode];
        assert!(m.is_object(), "bench/scenarios.json has no mode {mode:?}");
        let s = &all["suite"];
        Params {
            mode: mode.to_owned(),
            overshoot: Overshoot {
                ready_ms: list(m, "overshoot.ready_ms", Value::as_u64),
                phase_step: num(&all, "overshoot.phase_step"),
                reps: list(m, "overshoot.reps", |x| x.as_u64().map(|n| n as usize)),
                min_reps: num(m, "overshoot.min_reps") as usize,
                cell_budget: secs(num(m, "overshoot.cell_budget_s")),
            },
            cpu_wait: secs(num(m, "cpu.wait_s")),
            eval: EvalOverhead {
                evaluations: num(m, "eval_overhead.evaluations") as u64,
                repeats: num(m, "eval_overhead.repeats") as usize,
            },
            suite: SuiteRuns {
                tests: num(m, "suite.tests") as u64,
                runs: num(m, "suite.runs") as usize,
                loads: list(m, "suite.loads", |x| x.as_str().map(str::to_owned)),
                run_budget: secs(num(m, "suite.run_budget_s")),
            },
            shutdowns: Shutdowns {
                sleep: Duration::from_millis(num(s, "sleep_ms") as u64),
                base_ms: num(s, "base_ms") as u64,
                step: num(s, "step") as u64,
                spread_ms: num(s, "spread_ms") as u64,
                tail_every: num(s, "tail_every") as u64,
                tail_ms: num(s, "tail_ms") as u64,
                wait_timeout: secs(num(s, "wait_timeout_s")),
            },
            emit_iterations: num(m, "emit.iterations") as u64,
            emit_repeats: num(m, "emit.repeats") as usize,
            hog_command: list(&all, "hog.command", |x| x.as_str().map(str::to_owned)),
            concurrency: crate::concurrency::Concurrency::load(&all, m),
            delayed_write: crate::delayed_write::DelayedWrite {
                ready_ms: list(m, "delayed_write.ready_ms", Value::as_u64),
                reps: list(m, "delayed_write.reps", |x| x.as_u64().map(|n| n as usize)),
                result: all["delayed_write"]["result"].as_str().expect("delayed_write.result is text").to_owned(),
            },
        }
    }
}
