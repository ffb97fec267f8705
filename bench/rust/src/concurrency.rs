//! Concurrency (issue 19): N waits at once in one process, all on one cheap probe that another
//! thread makes true at T. Per cell: the process CPU from the start of the waits to the last
//! one returning, the overshoot of each wait (flip → its return) as p50 / p99 / max, and, on
//! tokio, how late a 10 ms ticker task on the same runtime ran (the event-loop delay).
//!
//! Two drivers: OS threads with the blocking API (up to `thread_max_n`), and a current-thread
//! tokio runtime with `run_async` (every n, as local tasks), as a `#[tokio::test]` runs its tasks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use liveness::eventually;
use serde_json::{Value, json};

use crate::cpu::process_cpu;
use crate::params::Params;
use crate::stats::{ms, percentile};
use crate::waiters::Waiter;

/// `modes.<mode>.concurrency` and the shared `concurrency` block of bench/scenarios.json.
pub struct Concurrency {
    pub ready: Duration,
    pub n: Vec<usize>,
    pub thread_max_n: usize,
    pub wait_timeout: Duration,
    pub tick: Duration,
}

impl Concurrency {
    pub fn load(all: &Value, mode: &Value) -> Concurrency {
        let m = &mode["concurrency"];
        let num =
            |v: &Value, key: &str| v[key].as_f64().unwrap_or_else(|| panic!("bench/scenarios.json: concurrency.{key}"));
        let n = m["n"].as_array().expect("bench/scenarios.json: concurrency.n is a list");
        Concurrency {
            ready: Duration::from_secs_f64(num(m, "ready_ms") / 1000.0),
            n: n.iter().map(|x| x.as_u64().expect("concurrency.n holds counts") as usize).collect(),
            thread_max_n: num(m, "thread_max_n") as usize,
            wait_timeout: Duration::from_secs_f64(num(m, "wait_timeout_s")),
            tick: Duration::from_secs_f64(num(&all["concurrency"], "loop_delay_tick_ms") / 1000.0),
        }
    }

    /// The counts a thread driver takes: those up to `thread_max_n`, and that cap itself when a
    /// larger count is listed.
    fn thread_counts(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.n.iter().copied().filter(|&n| n <= self.thread_max_n).collect();
        if self.n.iter().any(|&n| n > self.thread_max_n) {
            out.push(self.thread_max_n);
        }
        out
    }

    /// When cell `i` (from 0) of a row flips: T × (1 + frac((i + 1) × phase)), over [T, 2T).
    fn ready_at(&self, p: &Params, i: usize) -> Duration {
        self.ready.mul_f64(1.0 + ((i + 1) as f64 * p.overshoot.phase_step).fract())
    }
}

const WAITERS: [Waiter; 3] =
    [Waiter::Liveness, Waiter::HandLoop(Duration::from_millis(1)), Waiter::HandLoop(Duration::from_millis(50))];

/// What one cell measured.
struct Cell {
    cpu: Duration,
    /// flip → return of every wait that held.
    overshoots: Vec<Duration>,
    timed_out: usize,
    loop_delays: Option<Vec<Duration>>,
}

/// The setter: the system under test becomes ready at `ready` (after the start signal).
fn flip_after(flag: Arc<AtomicBool>, ready: Duration, start: Arc<Barrier>) -> thread::JoinHandle<Instant> {
    thread::spawn(move || {
        start.wait();
        thread::sleep(ready);
        let at = Instant::now();
        flag.store(true, Ordering::SeqCst);
        at
    })
}

fn threads_cell(waiter: Waiter, n: usize, ready: Duration, timeout: Duration) -> Cell {
    let flag = Arc::new(AtomicBool::new(false));
    // The waits, the setter and this thread start together, once every thread exists.
    let start = Arc::new(Barrier::new(n + 2));
    let waits: Vec<_> = (0..n)
        .map(|_| {
            let (flag, start) = (flag.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                let held = waiter.wait_until(|| flag.load(Ordering::SeqCst), timeout);
                (Instant::now(), held)
            })
        })
        .collect();
    let setter = flip_after(flag, ready, start.clone());
    let cpu0 = process_cpu();
    start.wait();
    let returns: Vec<(Instant, bool)> = waits.into_iter().map(|h| h.join().expect("a wait thread")).collect();
    let cpu = process_cpu() - cpu0;
    let flipped = setter.join().expect("the setter");
    summarize(cpu, flipped, returns, None)
}

async fn tokio_wait(waiter: Waiter, flag: Arc<AtomicBool>, timeout: Duration) -> bool {
    let probe = move || flag.load(Ordering::SeqCst);
    match waiter {
        Waiter::HandLoop(period) => {
            // waiters.rs's hand loop, awaiting tokio's sleep instead of blocking the thread.
            let deadline = Instant::now() + timeout;
            while !probe() {
                if Instant::now() >= deadline {
                    return false;
                }
                tokio::time::sleep(period).await;
            }
            true
        }
        _ => eventually(probe).timeout(timeout).run_async().await.is_ok(),
    }
}

fn tokio_cell(waiter: Waiter, n: usize, ready: Duration, timeout: Duration, tick: Duration) -> Cell {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let flag = Arc::new(AtomicBool::new(false));
    let start = Arc::new(Barrier::new(2));
    let setter = flip_after(flag.clone(), ready, start.clone());
    // run_async's future is not Send (the probe's report state stays on its task): local tasks.
    let local = tokio::task::LocalSet::new();
    let (cpu, returns, delays) = local.block_on(&runtime, async move {
        let done = Arc::new(AtomicBool::new(false));
        let delays = Arc::new(Mutex::new(Vec::new()));
        // The event-loop delay: how late a task asking for `tick` is woken, while the waits run.
        let ticker = {
            let (done, delays) = (done.clone(), delays.clone());
            tokio::task::spawn_local(async move {
                while !done.load(Ordering::SeqCst) {
                    let asked = Instant::now();
                    tokio::time::sleep(tick).await;
                    delays.lock().unwrap().push(asked.elapsed().saturating_sub(tick));
                }
            })
        };
        let cpu0 = process_cpu();
        start.wait();
        let waits: Vec<_> = (0..n)
            .map(|_| {
                let flag = flag.clone();
                tokio::task::spawn_local(async move {
                    let held = tokio_wait(waiter, flag, timeout).await;
                    (Instant::now(), held)
                })
            })
            .collect();
        let mut returns = Vec::with_capacity(n);
        for w in waits {
            returns.push(w.await.expect("a wait task"));
        }
        let cpu = process_cpu() - cpu0;
        done.store(true, Ordering::SeqCst);
        ticker.await.expect("the ticker");
        let delays = std::mem::take(&mut *delays.lock().unwrap());
        (cpu, returns, delays)
    });
    let flipped = setter.join().expect("the setter");
    summarize(cpu, flipped, returns, Some(delays))
}

fn summarize(
    cpu: Duration,
    flipped: Instant,
    returns: Vec<(Instant, bool)>,
    loop_delays: Option<Vec<Duration>>,
) -> Cell {
    let timed_out = returns.iter().filter(|r| !r.1).count();
    let overshoots = returns.iter().filter(|r| r.1).map(|r| r.0.saturating_duration_since(flipped)).collect();
    Cell { cpu, overshoots, timed_out, loop_delays }
}

fn record(driver: &str, waiter: Waiter, n: usize, ready: Duration, mut cell: Cell) -> Value {
    cell.overshoots.sort();
    let o = &cell.overshoots;
    let mut r = json!({
        "scenario": "concurrency", "library": waiter.label(), "driver": driver, "n": n, "ready_ms": ms(ready),
        "cpu_ms": ms(cell.cpu), "overshoot_p50_ms": ms(percentile(o, 50.0)), "overshoot_p99_ms": ms(percentile(o, 99.0)),
        "overshoot_max_ms": ms(o.last().copied().unwrap_or_default()), "timed_out": cell.timed_out,
    });
    if let Some(mut d) = cell.loop_delays {
        d.sort();
        r["loop_delay_p50_ms"] = json!(ms(percentile(&d, 50.0)));
        r["loop_delay_p99_ms"] = json!(ms(percentile(&d, 99.0)));
    }
    print!(
        " {:>7.0} / {:>7.2} / {:>7.2}",
        r["cpu_ms"].as_f64().unwrap(),
        r["overshoot_p50_ms"].as_f64().unwrap(),
        r["overshoot_max_ms"].as_f64().unwrap()
    );
    use std::io::Write;
    std::io::stdout().flush().ok();
    r
}

pub fn run(p: &Params) -> Vec<Value> {
    let c = &p.concurrency;
    println!("\nconcurrency (N waits at once, true after ~{} ms; per N: CPU ms / overshoot p50 / max ms)", ms(c.ready));
    let mut records = Vec::new();
    let threads = c.thread_counts();
    for (driver, counts) in [("threads", &threads), ("tokio", &c.n)] {
        println!(
            "  {driver:<8} {:<16} {}",
            "",
            counts.iter().map(|n| format!("{:>27}", format!("N = {n}"))).collect::<String>()
        );
        for waiter in WAITERS {
            print!("  {driver:<8} {:<16}", waiter.label());
            for (i, &n) in counts.iter().enumerate() {
                let ready = c.ready_at(p, i);
                let cell = if driver == "threads" {
                    threads_cell(waiter, n, ready, c.wait_timeout)
                } else {
                    tokio_cell(waiter, n, ready, c.wait_timeout, c.tick)
                };
                records.push(record(driver, waiter, n, ready, cell));
            }
            println!();
        }
    }
    records
}
