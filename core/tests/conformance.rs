//! Runs the language-neutral vectors of `tests/conformance/` (see its README) against the core.
//!
//! Polling cases drive the sans-IO `Poller` in virtual time: each scripted evaluation takes its
//! `duration_ms`, each wait advances the clock by exactly what was asked, so the schedule is
//! checked to the nanosecond without a single real sleep. Event cases use the real process-wide
//! bus (`Capture` + the `check_*` functions). Each test runs every case and reports all failing
//! cases at once, each with the reason.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use liveness::Error;
use liveness::events::{
    self, Capture, Event, EventName, Pattern, Value, Where, check_emitted, check_emitted_in_order, check_not_emitted,
};
use liveness::policy::{Options, TIMEOUT_SCALE_VAR, duration_from_millis};
use liveness::poll::{Failure, Operation, Outcome, Poller, Spelling, Step};
use serde_json::{Map, Value as Json};

// ---------------------------------------------------------------------------------------------
// Loading

/// One case and the file it came from.
struct Case {
    file: String,
    json: Json,
}

impl Case {
    fn name(&self) -> &str {
        self.json["name"].as_str().unwrap_or("<unnamed>")
    }
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

/// Every case of every `*.json` file under `tests/conformance/<area>/`, plus `<area>.json` if any.
fn load(area: &str) -> Vec<Case> {
    let root = vectors_dir();
    let mut files: Vec<PathBuf> = Vec::new();
    let single = root.join(format!("{area}.json"));
    if single.is_file() {
        files.push(single);
    }
    if let Ok(dir) = fs::read_dir(root.join(area)) {
        let mut found: Vec<PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        files.extend(found);
    }
    assert!(!files.is_empty(), "no vectors found for {area} under {}", root.display());
    let mut cases = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
        let list = doc["cases"].as_array().unwrap_or_else(|| panic!("{file}: no \"cases\" array"));
        cases.extend(list.iter().map(|c| Case { file: file.clone(), json: c.clone() }));
    }
    cases
}

/// Runs every case, then fails once, listing every failing case and why.
fn run_all(area: &str, run: impl Fn(&Case) -> Result<(), String>) {
    let cases = load(area);
    let mut failures = Vec::new();
    for case in &cases {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(case)))
            .unwrap_or_else(|panic| Err(format!("runner panicked: {}", panic_text(&panic))));
        if let Err(why) = outcome {
            failures.push(format!("{} [{}]\n    {}", case.name(), case.file, why.replace('\n', "\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {area} vectors failed:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
    eprintln!("{} {area} vectors passed", cases.len());
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "<non-text panic>".into())
}

// ---------------------------------------------------------------------------------------------
// JSON helpers shared by both areas

/// JSON truthiness, the `eventually` rule the vectors are written in.
fn truthy(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
    }
}

/// Equality as every host sees data: numbers by value (`1 == 1.0`).
fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Milliseconds (as the vectors write them) to a duration, exactly to the nanosecond.
fn ms(v: f64) -> Duration {
    Duration::from_nanos((v * 1e6).round() as u64)
}

fn as_ms(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e6
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// Checks the `message_*` expectations of a case against an error's text.
fn check_message(expect: &Json, message: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    for fragment in strings(&expect["message_contains"]) {
        if !message.contains(&fragment) {
            problems.push(format!("message lacks {fragment:?}"));
        }
    }
    for fragment in strings(&expect["message_not_contains"]) {
        if message.contains(&fragment) {
            problems.push(format!("message contains {fragment:?}"));
        }
    }
    let order = strings(&expect["message_order"]);
    let mut from = 0;
    for fragment in &order {
        match message[from..].find(fragment.as_str()) {
            Some(i) => from += i + fragment.len(),
            None => {
                problems.push(format!("message does not have {order:?} in this order"));
                break;
            }
        }
    }
    for (key, bound) in [("message_count", false), ("message_max_count", true)] {
        if let Some(map) = expect[key].as_object() {
            for (fragment, n) in map {
                let n = n.as_u64().unwrap_or(0) as usize;
                let found = message.matches(fragment.as_str()).count();
                if (bound && found > n) || (!bound && found != n) {
                    let how = if bound { "at most" } else { "exactly" };
                    problems.push(format!("{fragment:?} occurs {found} times, expected {how} {n}"));
                }
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("{}\n--- message ---\n{message}", problems.join("; "))) }
}

// ---------------------------------------------------------------------------------------------
// Polling

/// `LIVENESS_TIMEOUT_SCALE` is process-wide and read by the Rust door (`with_env_scale`) when it
/// builds a poller: every polling case sets
/// (or clears) it and builds its poller under this lock, so parallel tests never see another's.
static ENV: Mutex<()> = Mutex::new(());

/// How the operation ended.
#[derive(Debug)]
enum End {
    Ok(Option<Json>),
    Timeout(String),
    Violated(String),
    Propagated(String),
    InvalidOption(String),
}

/// What the runner observed, compared with `expect` afterwards.
struct Observed {
    end: End,
    evaluations: usize,
    starts: Vec<f64>,
    elapsed: f64,
    action_calls: usize,
}

/// Duration options: numbers, or the strings "NaN" / "Infinity" / "-Infinity".
fn millis(option: &str, v: &Json) -> Result<Duration, Error> {
    let n = match v {
        Json::Number(n) => n.as_f64().expect("a JSON number"),
        Json::String(s) if s == "NaN" => f64::NAN,
        Json::String(s) if s == "Infinity" => f64::INFINITY,
        Json::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        other => panic!("option {option}: not a duration: {other}"),
    };
    duration_from_millis(option, n)
}

/// The options of a case, as a Rust caller would build them; `Err` is the conversion's own
/// rejection (negative, NaN, infinite).
struct Parsed {
    op: Operation,
    options: Options,
    retry_on: Option<Vec<String>>,
    fail_on: Vec<String>,
}

fn parse_options(operation: &str, o: &Map<String, Json>) -> Result<Parsed, Error> {
    const KNOWN: &[&str] = &[
        "timeout_ms",
        "interval_ms",
        "min_interval_ms",
        "max_interval_ms",
        "delay_ms",
        "attempts",
        "message",
        "stable_for_ms",
        "during_ms",
        "retry_on",
        "fail_on",
    ];
    if let Some(unknown) = o.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        panic!("unknown option {unknown:?}");
    }
    let mut options = Options::default();
    if let Some(v) = o.get("timeout_ms") {
        options.timeout = millis("timeout", v)?;
    }
    if let Some(v) = o.get("interval_ms") {
        options.interval = Some(millis("interval", v)?);
    }
    if let Some(v) = o.get("min_interval_ms") {
        options.min_interval = millis("min_interval", v)?;
    }
    if let Some(v) = o.get("max_interval_ms") {
        options.max_interval = millis("max_interval", v)?;
    }
    if let Some(v) = o.get("delay_ms") {
        options.delay = millis("delay", v)?;
    }
    if let Some(v) = o.get("stable_for_ms") {
        options.stable_for = millis("stable_for", v)?;
    }
    if let Some(v) = o.get("attempts") {
        options.attempts = Some(u32::try_from(v.as_u64().expect("attempts: a count")).expect("attempts fits u32"));
    }
    if let Some(v) = o.get("message") {
        options.message = Some(v.as_str().expect("message: text").to_owned());
    }
    let during = || -> Result<Duration, Error> {
        millis("during", o.get("during_ms").unwrap_or_else(|| panic!("{operation} needs during_ms")))
    };
    let op = match operation {
        "eventually" => Operation::Eventually,
        "eventually_passes" => Operation::EventuallyPasses,
        "eventually_changes" => Operation::EventuallyChanges,
        "sync_operation" => Operation::SyncOperation,
        "always" => Operation::Always { during: during()? },
        "never" => Operation::Never { during: during()? },
        other => panic!("unknown operation {other:?}"),
    };
    Ok(Parsed {
        op,
        options,
        retry_on: o.get("retry_on").map(strings),
        fail_on: o.get("fail_on").map(strings).unwrap_or_default(),
    })
}

/// Sets the case's environment (clearing the scale when the case does not name it) and builds
/// the poller while the lock is held.
fn new_poller(case: &Json, parsed: &Parsed) -> Result<Poller, Error> {
    let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    let env = case["env"].as_object().cloned().unwrap_or_default();
    // SAFETY: every reader of this variable in this process (with_env_scale below) runs under ENV.
    unsafe {
        std::env::remove_var(TIMEOUT_SCALE_VAR);
        for (k, v) in &env {
            std::env::set_var(k, v.as_str().expect("env values are text"));
        }
    }
    let poller = parsed.options.clone().with_env_scale().and_then(|o| Poller::new(parsed.op, &o, Spelling::Snake));
    unsafe {
        for k in env.keys() {
            std::env::remove_var(k);
        }
    }
    poller
}

/// A scripted call of the probe (or the action).
enum Call {
    Returns(Json),
    Raises { kind: String, text: String },
}

fn call_of(entry: &Json) -> Call {
    if let Some(r) = entry.get("raises") {
        Call::Raises {
            kind: r["kind"].as_str().expect("raises.kind").to_owned(),
            text: r["text"].as_str().unwrap_or("").to_owned(),
        }
    } else {
        Call::Returns(entry.get("returns").cloned().expect("a script entry returns or raises"))
    }
}

fn repr(v: &Json) -> String {
    v.to_string()
}

/// The scripted probe in virtual time.
struct Script<'a> {
    entries: &'a [Json],
    repeat_last: bool,
    calls: usize,
}

impl Script<'_> {
    /// The next call and its duration.
    fn next(&mut self) -> Result<(Duration, Call), String> {
        let entry = match self.entries.get(self.calls) {
            Some(e) => e,
            None if self.repeat_last && !self.entries.is_empty() => self.entries.last().unwrap(),
            None => return Err(format!("the probe was called {} times, past the end of the script", self.calls + 1)),
        };
        self.calls += 1;
        Ok((ms(entry["duration_ms"].as_f64().unwrap_or(0.0)), call_of(entry)))
    }
}

fn run_polling(case: &Json) -> Result<Observed, String> {
    let operation = case["operation"].as_str().ok_or("no operation")?;
    let options = case["options"].as_object().cloned().unwrap_or_default();
    let entries = case["script"].as_array().cloned().unwrap_or_default();
    let mut script =
        Script { entries: &entries, repeat_last: case["repeat_last"].as_bool().unwrap_or(false), calls: 0 };
    let mut observed =
        Observed { end: End::Ok(None), evaluations: 0, starts: Vec::new(), elapsed: 0.0, action_calls: 0 };

    // Options are converted and validated (with the scale) before anything is called.
    let parsed = match parse_options(operation, &options).and_then(|p| new_poller(case, &p).map(|poller| (p, poller))) {
        Ok(both) => both,
        Err(Error::InvalidOption { option, .. }) => {
            observed.end = End::InvalidOption(option);
            return Ok(observed);
        }
        Err(other) => return Err(format!("unexpected error building the poller: {other}")),
    };
    let (parsed, mut poller) = parsed;
    let stops = |kind: &str| {
        parsed.fail_on.iter().any(|k| k == kind)
            || parsed.retry_on.as_ref().is_some_and(|r| !r.iter().any(|k| k == kind))
    };

    let mut now = Duration::ZERO;
    if operation == "sync_operation" {
        observed.action_calls = 1;
        if let Call::Raises { kind, .. } = call_of(&case["action"]) {
            observed.end = End::Propagated(kind);
            return Ok(observed);
        }
    }
    let mut baseline = None;
    if operation == "eventually_changes" {
        let (cost, call) = script.next()?;
        observed.starts.push(as_ms(now));
        now += cost;
        match call {
            Call::Raises { kind, .. } => {
                observed.evaluations = script.calls;
                observed.elapsed = as_ms(now);
                observed.end = End::Propagated(kind);
                return Ok(observed);
            }
            Call::Returns(v) => baseline = Some(v),
        }
    }

    let mut last_accepted: Option<Json> = None;
    let mut zero_waits = 0;
    for _ in 0..1_000_000 {
        match poller.next(now) {
            Step::Evaluate => {
                zero_waits = 0;
                poller.started(now);
                observed.starts.push(as_ms(now));
                let (cost, call) = script.next()?;
                now += cost;
                let outcome = match call {
                    Call::Raises { kind, .. } if stops(&kind) => {
                        observed.end = End::Propagated(kind);
                        break;
                    }
                    Call::Raises { kind, text } => Outcome::Rejected(Failure::Raised { kind, text }),
                    Call::Returns(v) => {
                        let accepted = match operation {
                            "eventually_passes" => v != Json::Bool(false),
                            "eventually_changes" => !json_eq(&v, baseline.as_ref().unwrap()),
                            _ => truthy(&v),
                        };
                        if accepted {
                            let text = Some(repr(&v));
                            last_accepted = Some(v);
                            Outcome::Accepted { text }
                        } else if operation == "eventually_changes" {
                            Outcome::Rejected(Failure::Returned {
                                repr: format!("{} (unchanged)", repr(&v)),
                                nullish: false,
                            })
                        } else {
                            Outcome::Rejected(Failure::Returned { repr: repr(&v), nullish: v.is_null() })
                        }
                    }
                };
                poller.finished(now, outcome);
            }
            Step::Wait(d) => {
                if d.is_zero() {
                    zero_waits += 1;
                    if zero_waits > 3 {
                        return Err(format!(
                            "the poller keeps asking to wait 0 at {:.3} ms: it would spin",
                            as_ms(now)
                        ));
                    }
                }
                now += d;
            }
            Step::Done(Ok(())) => {
                let returns_value = !matches!(parsed.op, Operation::Always { .. } | Operation::Never { .. });
                observed.end = End::Ok(if returns_value { last_accepted.clone() } else { None });
                break;
            }
            Step::Done(Err(report)) => {
                observed.end = if report.is_violation() {
                    End::Violated(report.to_string())
                } else {
                    End::Timeout(report.to_string())
                };
                break;
            }
        }
    }
    observed.evaluations = script.calls;
    observed.elapsed = as_ms(now);
    Ok(observed)
}

const POLLING_KEYS: &[&str] = &[
    "name",
    "spec",
    "operation",
    "options",
    "env",
    "action",
    "script",
    "repeat_last",
    "expect",
    "async_expect",
    "host_dependent",
];

const EXPECT_KEYS: &[&str] = &[
    "result",
    "value",
    "evaluations",
    "starts_ms",
    "elapsed_ms",
    "propagated_kind",
    "invalid_option",
    "action_calls",
    "message_contains",
    "message_not_contains",
    "message_order",
    "message_count",
    "message_max_count",
];

fn check_polling(case: &Case) -> Result<(), String> {
    // A synchronous host: `expect` (async_expect is for hosts that abandon a pending evaluation).
    let expect = &case.json["expect"];
    let map = expect.as_object().ok_or("no expect")?;
    if let Some(unknown) = map.keys().find(|k| !EXPECT_KEYS.contains(&k.as_str())) {
        return Err(format!("unknown expect key {unknown:?}"));
    }
    let seen = run_polling(&case.json)?;
    let mut problems = Vec::new();
    let (result, message, detail) = match &seen.end {
        End::Ok(_) => ("ok", None, String::new()),
        End::Timeout(m) => ("timeout", Some(m.as_str()), m.clone()),
        End::Violated(m) => ("violated", Some(m.as_str()), m.clone()),
        End::Propagated(k) => ("propagated", None, k.clone()),
        End::InvalidOption(o) => ("invalid_option", None, o.clone()),
    };
    let want = expect["result"].as_str().ok_or("expect.result missing")?;
    if want != result {
        problems.push(format!("result {result} ({detail}), expected {want}"));
    }
    if let (Some(v), End::Ok(got)) = (expect.get("value"), &seen.end) {
        let got = got.clone().unwrap_or(Json::Null);
        if !json_eq(v, &got) {
            problems.push(format!("value {got}, expected {v}"));
        }
    }
    if let Some(n) = expect["evaluations"].as_u64() {
        if seen.evaluations as u64 != n {
            problems.push(format!("{} evaluations, expected {n}", seen.evaluations));
        }
    }
    if let Some(starts) = expect["starts_ms"].as_array() {
        let want: Vec<f64> = starts.iter().map(|s| s.as_f64().unwrap()).collect();
        if want.len() != seen.starts.len() || want.iter().zip(&seen.starts).any(|(a, b)| !close(*a, *b)) {
            problems.push(format!("starts {:?} ms, expected {want:?}", seen.starts));
        }
    }
    if let Some(e) = expect["elapsed_ms"].as_f64() {
        if !close(e, seen.elapsed) {
            problems.push(format!("ended at {} ms, expected {e}", seen.elapsed));
        }
    }
    if let Some(k) = expect["propagated_kind"].as_str() {
        if !matches!(&seen.end, End::Propagated(got) if got == k) {
            problems.push(format!("expected {k} to propagate"));
        }
    }
    if let Some(o) = expect["invalid_option"].as_str() {
        if !matches!(&seen.end, End::InvalidOption(got) if got == o) {
            problems.push(format!("expected option {o:?} to be named invalid"));
        }
    }
    if let Some(n) = expect["action_calls"].as_u64() {
        if seen.action_calls as u64 != n {
            problems.push(format!("action called {} times, expected {n}", seen.action_calls));
        }
    }
    let wants_message =
        ["message_contains", "message_not_contains", "message_order", "message_count", "message_max_count"]
            .iter()
            .any(|k| expect.get(*k).is_some());
    if wants_message {
        match message {
            Some(m) => {
                if let Err(why) = check_message(expect, m) {
                    problems.push(why);
                }
            }
            None => problems.push("message expectations, but no failure message".into()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        if let (Some(m), false) = (message, wants_message) {
            problems.push(format!("--- message ---\n{m}"));
        }
        Err(problems.join("; "))
    }
}

#[test]
fn polling_vectors() {
    run_all("polling", check_polling);
}

// ---------------------------------------------------------------------------------------------
// Events

/// Event cases share the one process-wide bus; they run one at a time.
static BUS: Mutex<()> = Mutex::new(());

fn value_of(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(value_of).collect()),
        Json::Object(map) => Value::Map(map.iter().map(|(k, v)| (k.clone(), value_of(v))).collect()),
    }
}

fn metadata_of(json: &Json) -> BTreeMap<String, Value> {
    json.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), value_of(v))).collect()).unwrap_or_default()
}

/// Measurements as Rust takes them; `None` when one is not a number (not expressible in Rust).
fn measurements_of(json: &Json) -> Option<Vec<(String, f64)>> {
    match json.as_object() {
        None => Some(Vec::new()),
        Some(m) => m.iter().map(|(k, v)| v.as_f64().map(|f| (k.clone(), f))).collect(),
    }
}

fn emit(event: &Json) -> Result<(), String> {
    let name = event["name"].as_str().ok_or("an event without a name")?;
    let measurements = measurements_of(&event["measurements"]).ok_or("a non-numeric measurement")?;
    events::emit(name, measurements, metadata_of(&event["metadata"])).map_err(|e| format!("emit {name:?} failed: {e}"))
}

fn emit_all(list: &Json) -> Result<(), String> {
    list.as_array().map(|a| a.iter().try_for_each(emit)).unwrap_or(Ok(()))
}

/// An event compared with a vector's `{"name", "measurements", "metadata"}`.
fn event_matches(got: &Event, want: &Json) -> bool {
    let measurements: BTreeMap<String, f64> =
        measurements_of(&want["measurements"]).unwrap_or_default().into_iter().collect();
    got.name == want["name"].as_str().unwrap_or("")
        && got.measurements == measurements
        && got.metadata == metadata_of(&want["metadata"])
}

fn check_event_case(case: &Case) -> Result<(), String> {
    let _bus = BUS.lock().unwrap_or_else(|e| e.into_inner());
    let c = &case.json;
    match c["kind"].as_str().ok_or("no kind")? {
        "pattern" => {
            let text = c["pattern"].as_str().ok_or("no pattern")?;
            let pattern = Pattern::new(text).map_err(|e| format!("pattern {text:?} rejected: {e}"))?;
            let mut problems = Vec::new();
            for name in strings(&c["matches"]) {
                if !pattern.matches(&name) {
                    problems.push(format!("{text:?} does not match {name:?}"));
                }
            }
            for name in strings(&c["rejects"]) {
                if pattern.matches(&name) {
                    problems.push(format!("{text:?} matches {name:?}"));
                }
            }
            if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
        }
        "invalid_name" => {
            let mut problems = Vec::new();
            for name in strings(&c["names"]) {
                if EventName::new(&name).is_ok() {
                    problems.push(format!("name {name:?} accepted"));
                }
                if events::emit::<String, _, _, Value>(&name, Vec::new(), Vec::new()).is_ok() {
                    problems.push(format!("emit({name:?}) accepted"));
                }
            }
            if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
        }
        "invalid_pattern" => {
            let mut problems = Vec::new();
            for p in strings(&c["patterns"]) {
                if Pattern::new(&p).is_ok() {
                    problems.push(format!("pattern {p:?} accepted"));
                }
                if Capture::open(&[p.as_str()]).is_ok() {
                    problems.push(format!("capture([{p:?}]) accepted"));
                }
            }
            if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
        }
        "invalid_emit" => {
            let event = &c["emit"];
            let name = event["name"].as_str().ok_or("no name")?;
            match measurements_of(&event["measurements"]) {
                // Rust measurements are f64: a non-numeric one does not compile. The name must
                // still be checked when it is invalid too.
                None if EventName::new(name).is_ok() => Ok(()),
                measurements => {
                    // With a capture open, so the check is not skipped for want of subscribers.
                    let capture = Capture::open(&["**"]).map_err(|e| e.to_string())?;
                    let result = events::emit(name, measurements.unwrap_or_default(), metadata_of(&event["metadata"]));
                    let recorded = capture.close().len();
                    match result {
                        Err(Error::InvalidArgument { .. }) if recorded == 0 => Ok(()),
                        Err(Error::InvalidArgument { .. }) => Err("rejected, yet delivered".into()),
                        Err(other) => Err(format!("rejected with the wrong error: {other:?}")),
                        Ok(()) => Err(format!("emit({name:?}) accepted")),
                    }
                }
            }
        }
        "capture" => {
            emit_all(&c["before_emits"])?;
            let patterns = strings(&c["patterns"]);
            let capture = Capture::open(&patterns).map_err(|e| format!("capture failed: {e}"))?;
            emit_all(&c["emits"])?;
            let got = capture.close();
            emit_all(&c["after_emits"])?;
            let mut problems = Vec::new();
            for event in c["after_emits"].as_array().into_iter().flatten() {
                let name = event["name"].as_str().unwrap_or("");
                if events::has_subscribers(name) {
                    problems.push(format!("{name:?} still has a subscriber after the capture closed"));
                }
            }
            let names: Vec<&str> = got.iter().map(|e| e.name.as_str()).collect();
            let want = strings(&c["expect_names"]);
            if names != want {
                problems.push(format!("captured {names:?}, expected {want:?}"));
            }
            if let Some(events) = c["expect_events"].as_array() {
                if events.len() != got.len() || !got.iter().zip(events).all(|(g, w)| event_matches(g, w)) {
                    let shown: Vec<String> = got.iter().map(|e| e.to_json()).collect();
                    problems.push(format!("captured {shown:?}, expected {}", Json::Array(events.clone())));
                }
            }
            if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
        }
        kind @ ("assert_emitted" | "assert_not_emitted" | "assert_emitted_in_order") => {
            emit_all(&c["before_emits"])?;
            let capture = Capture::open(&["**"]).map_err(|e| e.to_string())?;
            let emitted = emit_all(&c["block_emits"]);
            let recorded = capture.close();
            emitted?;
            let where_ = match c.get("where") {
                Some(w) => Where::Metadata(metadata_of(w)),
                None => Where::Any,
            };
            let pattern = c["pattern"].as_str().unwrap_or("");
            let result = match kind {
                "assert_emitted" => {
                    let count = c["count"].as_u64().map(|n| n as usize);
                    check_emitted(&recorded, pattern, &where_, count)
                }
                "assert_not_emitted" => check_not_emitted(&recorded, pattern, &where_),
                _ => check_emitted_in_order(&recorded, &strings(&c["patterns"])),
            };
            let expect = &c["expect"];
            match (expect["passes"].as_bool().ok_or("expect.passes missing")?, result) {
                (true, Ok(())) => Ok(()),
                (true, Err(e)) => Err(format!("failed, expected to pass:\n{e}")),
                (false, Ok(())) => Err("passed, expected to fail".into()),
                (false, Err(e @ Error::EventAssertion { .. })) => check_message(expect, &e.to_string()),
                (false, Err(other)) => Err(format!("failed with the wrong error: {other:?}")),
            }
        }
        other => Err(format!("unknown kind {other:?}")),
    }
}

#[test]
fn event_vectors() {
    run_all("events", check_event_case);
}

// ---------------------------------------------------------------------------------------------
// The vectors themselves: every runner relies on these properties.

#[test]
fn vectors_are_well_formed() {
    let mut names = BTreeMap::new();
    let mut problems = Vec::new();
    for case in load("polling").into_iter().chain(load("events")) {
        let name = case.name().to_owned();
        if let Some(other) = names.insert(name.clone(), case.file.clone()) {
            problems.push(format!("{name}: defined in {other} and {}", case.file));
        }
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            problems.push(format!("{name}: not kebab-case"));
        }
        if case.json["spec"].as_str().is_none_or(|s| !s.starts_with('§')) {
            problems.push(format!("{name}: no spec reference"));
        }
        // A misspelt key would silently weaken a case in every runner.
        let allowed: &[&str] = match case.json["kind"].as_str() {
            None => POLLING_KEYS,
            Some("pattern") => &["name", "spec", "kind", "pattern", "matches", "rejects"],
            Some("invalid_name") => &["name", "spec", "kind", "names"],
            Some("invalid_pattern") => &["name", "spec", "kind", "patterns"],
            Some("invalid_emit") => &["name", "spec", "kind", "emit"],
            Some("capture") => &[
                "name",
                "spec",
                "kind",
                "patterns",
                "before_emits",
                "emits",
                "after_emits",
                "expect_names",
                "expect_events",
            ],
            Some(_) => &[
                "name",
                "spec",
                "kind",
                "pattern",
                "patterns",
                "where",
                "count",
                "before_emits",
                "block_emits",
                "expect",
            ],
        };
        let keys = case.json.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for key in keys.iter().filter(|k| !allowed.contains(&k.as_str())) {
            problems.push(format!("{name}: unknown key {key:?}"));
        }
        for key in ["expect", "async_expect"] {
            if let (None, Some(expect)) = (case.json["kind"].as_str(), case.json[key].as_object()) {
                for k in expect.keys().filter(|k| !EXPECT_KEYS.contains(&k.as_str())) {
                    problems.push(format!("{name}: unknown {key} key {k:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "malformed vectors:\n  {}", problems.join("\n  "));
}
