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
        black_box(event(black_box("bench.emit.idle"))).emit();
    });
    let prevalidated = per_op(n, r, || black_box(&name).emit());
    let empty: RwLock<Vec<Callback>> = RwLock::new(Vec::new());
    let list_idle = per_op(n, r, || callback_list_emit(black_box(&empty), "bench.emit.idle", 1.0));

    // One listener that records what it is given, as a capture does.
    let captured_n = (n / 20).max(1);
    let capture = Capture::open(&["bench.emit.**"]).unwrap();
    let one_capture = per_op(captured_n, 1, || {
        event("bench.emit.captured").measure("n", 1.0).emit();
    });
    assert_eq!(capture.close().len() as u64, captured_n, "every emit was captured");
    let sink = std::sync::Arc::new(Mutex::new(Vec::new()));
    let s = sink.clone();
    let one: RwLock<Vec<Callback>> =
        RwLock::new(vec![Box::new(move |name: &str, v: f64| s.lock().unwrap().push((name.to_owned(), v)))]);
    let list_one = per_op(captured_n, 1, || callback_list_emit(&one, "bench.emit.captured", 1.0));
    assert_eq!(sink.lock().unwrap().len() as u64, captured_n);

    let (crowd_emit, crowd_list, attach_ns, push_ns) = crowded(n, r);
    let (plain_info, bridged_info) = tracing_bridge((n / 10).max(1), r);

    println!("\nemit (ns per call)");
    let rows = [
        ("liveness", "nothing attached", checked),
        ("liveness, pre-validated name", "nothing attached", prevalidated),
        ("atomic load", "nothing attached", atomic),
        ("callback list", "nothing attached", list_idle),
        ("liveness", "one capture", one_capture),
        ("callback list", "one capture", list_one),
        ("liveness", "10,000 handlers on other names", crowd_emit),
        ("callback list, filtered by name", "10,000 handlers on other names", crowd_list),
        ("liveness attach (ns per attach)", "attaching 20,000 handlers", attach_ns),
        ("Vec::push of a callback (ns per push)", "attaching 20,000 handlers", push_ns),
        ("tracing::info!, registry alone", "tracing, nothing captured", plain_info),
        ("tracing::info!, registry + liveness layer", "tracing, nothing captured", bridged_info),
    ];
    rows.iter()
        .map(|&(library, case, ns)| {
            println!("  {case:<17} {library:<30} {ns:10.2}");
            json!({"scenario": "emit", "library": library, "case": case, "ns_per_emit": ns})
        })
        .collect()
}

/// The bus with many handlers (issue 10, point 15): an emit nobody listens to while 10,000
/// handlers listen to other names, against a callback list that checks each entry's name (what
/// the bus did before its index); and attaching 20,000 handlers, against pushing onto a Vec.
fn crowded(n: u64, repeats: usize) -> (f64, f64, f64, f64) {
    const CROWD: usize = 10_000;
    const ATTACHES: usize = 20_000;
    let ids: Vec<String> = (0..ATTACHES).map(|i| format!("bench.crowd.{i}")).collect();
    let start = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        let pattern = format!("bench.crowd.h{i}.**");
        liveness::events::attach(id, &[pattern.as_str()], |_| Ok(())).unwrap();
    }
    let attach_ns = start.elapsed().as_nanos() as f64 / ATTACHES as f64;
    for id in &ids[CROWD..] {
        liveness::events::detach(id);
    }
    let crowd_emit = per_op((n / 100).max(1), repeats, || {
        black_box(event(black_box("bench.other.name"))).emit();
    });
    for id in &ids[..CROWD] {
        liveness::events::detach(id);
    }

    type Named = (String, Callback);
    let list: RwLock<Vec<Named>> = RwLock::new(
        (0..CROWD).map(|i| (format!("bench.crowd.h{i}"), Box::new(|_: &str, _: f64| {}) as Callback)).collect(),
    );
    let crowd_list = per_op((n / 100).max(1), repeats, || {
        let name = black_box("bench.other.name");
        for (wanted, cb) in list.read().unwrap().iter() {
            if name.starts_with(wanted.as_str()) {
                cb(name, 1.0);
            }
        }
    });
    let mut pushed: Vec<Named> = Vec::new();
    let start = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        pushed.push((
            id.clone(),
            Box::new(move |_: &str, v: f64| {
                black_box(v + i as f64);
            }),
        ));
    }
    let push_ns = start.elapsed().as_nanos() as f64 / ATTACHES as f64;
    black_box(&pushed);
    (crowd_emit, crowd_list, attach_ns, push_ns)
}

/// The tracing bridge with no capture open (issue 15): an enabled `tracing::info!` with two
/// fields through a registry with the liveness layer, against the same registry without it.
fn tracing_bridge(n: u64, repeats: usize) -> (f64, f64) {
    use tracing_subscriber::layer::SubscriberExt;
    let info = || tracing::info!(target: "bench::cart", sku = black_box(42u64), who = "ann", "item added");
    let plain = tracing::subscriber::with_default(tracing_subscriber::registry(), || per_op(n, repeats, info));
    let layered = tracing_subscriber::registry().with(liveness::tracing::EventLayer::new().with_spans());
    let bridged = tracing::subscriber::with_default(layered, || per_op(n, repeats, info));
    (plain, bridged)
}
