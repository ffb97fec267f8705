//! Runs the language-neutral vectors of `tests/conformance/` (see its README) against the core.
//!
//! Polling cases run through the operations a Rust user calls, in virtual time, with each of the
//! Rust drivers: `.run()` on a `liveness::testing::VirtualClock`, `.run_async()` and the
//! `*_async` operations on tokio's paused clock. Each scripted evaluation takes its
//! `duration_ms`, each wait advances the clock by exactly what was asked, so the schedule is
//! checked to the nanosecond without a single real sleep. Event cases use the real process-wide
//! bus (`Capture` + the `check_*` functions). Each test runs every case and reports all failing
//! cases at once, each with the reason.

#![cfg(feature = "tokio")]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fs;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Mutex as StdMutex};
use std::time::Duration;

use liveness::events::{
    self, Capture, Event, EventName, Pattern, Scope, Value, Where, check_emitted, check_emitted_in_order,
    check_not_emitted,
};
use liveness::ops::{ActionOutcome, Passes, Truthy, Wait};
use liveness::policy::{Options, TIMEOUT_SCALE_VAR, duration_from_millis, timeout_from_millis};
use liveness::poll::Failure;
use liveness::testing::VirtualClock;
use liveness::{
    Error, always, always_async, eventually, eventually_async, eventually_changes, eventually_changes_async,
    eventually_passes, eventually_passes_async, eventually_settles, eventually_settles_async, never, never_async,
    sync_operation, sync_operation_async,
};
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
    run_where(area, |_| true, run);
}

/// Runs the cases `runnable` selects, as `run_all`.
fn run_where(area: &str, runnable: impl Fn(&Json) -> bool, run: impl Fn(&Case) -> Result<(), String>) {
    let cases: Vec<Case> = load(area).into_iter().filter(|c| runnable(&c.json)).collect();
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
// Polling, through the public API: `eventually(..).run()` etc. on a `VirtualClock` (the blocking
// driver), and `.run_async()` / `eventually_async(..)` on tokio's paused clock (the tokio driver).

/// `LIVENESS_TIMEOUT_SCALE` is process-wide and read by the Rust binding at each call: every
/// polling case sets (or clears) it and runs under this lock, so parallel tests never see
/// another's.
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
#[derive(Default)]
struct Observed {
    end: Option<End>,
    evaluations: usize,
    starts: Vec<f64>,
    elapsed: f64,
    action_calls: usize,
    /// Per evaluation after the first: whether a task of the event loop ran since the last one.
    turns: Vec<bool>,
    /// What the `on_evaluation` hook saw: (number, started ms, duration ms, accepted).
    hooked: Vec<(u32, f64, f64, bool)>,
}

/// Where the runner's `on_evaluation` hook writes (per case).
type Hooked = Arc<StdMutex<Vec<(u32, f64, f64, bool)>>>;

/// Duration options: numbers, or the strings "NaN" / "Infinity" / "-Infinity". A Rust caller
/// cannot make such a `Duration`: the conversion's own rejection is the invalid option.
fn millis(option: &str, v: &Json) -> Result<Duration, Error> {
    duration_from_millis(option, number(option, v))
}

fn number(option: &str, v: &Json) -> f64 {
    match v {
        Json::Number(n) => n.as_f64().expect("a JSON number"),
        Json::String(s) if s == "NaN" => f64::NAN,
        Json::String(s) if s == "Infinity" => f64::INFINITY,
        Json::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        other => panic!("option {option}: not a number: {other}"),
    }
}

/// The options of a case, as a Rust caller builds them.
struct Parsed {
    options: Options,
    during: Option<Duration>,
    quiet: Option<Duration>,
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
        "late_check_ms",
        "during_ms",
        "quiet_ms",
        "intervals_ms",
        "backoff",
        "at_least_ms",
        "retry_on",
        "fail_on",
        "wake_on",
    ];
    if let Some(unknown) = o.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        panic!("unknown option {unknown:?}");
    }
    let mut options = Options::default();
    if let Some(v) = o.get("timeout_ms") {
        // A Rust caller passes `liveness::FOREVER` for an infinite timeout.
        options.timeout = timeout_from_millis("timeout", number("timeout", v))?;
    }
    if let Some(v) = o.get("interval_ms") {
        options.interval = Some(millis("interval", v)?);
    }
    if let Some(v) = o.get("intervals_ms") {
        let list = v.as_array().expect("intervals_ms: a list");
        options.intervals = Some(list.iter().map(|d| millis("intervals", d)).collect::<Result<_, _>>()?);
    }
    if let Some(v) = o.get("backoff") {
        options.backoff = Some(number("backoff", v));
    }
    if let Some(v) = o.get("late_check_ms") {
        options.late_check = millis("late_check", v)?;
    }
    if let Some(v) = o.get("at_least_ms") {
        options.at_least = millis("at_least", v)?;
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
    if let Some(v) = o.get("wake_on") {
        options.wake_on = strings(v);
    }
    let during = match operation {
        "always" | "never" => {
            Some(millis("during", o.get("during_ms").unwrap_or_else(|| panic!("{operation} needs during_ms")))?)
        }
        _ => None,
    };
    let quiet = match operation {
        "eventually_settles" => {
            Some(millis("quiet", o.get("quiet_ms").unwrap_or_else(|| panic!("{operation} needs quiet_ms")))?)
        }
        _ => None,
    };
    Ok(Parsed {
        options,
        during,
        quiet,
        retry_on: o.get("retry_on").map(strings),
        fail_on: o.get("fail_on").map(strings).unwrap_or_default(),
    })
}

/// A scripted call of the probe (or the action).
#[derive(Clone)]
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
        Call::Returns(entry.get("returns").cloned().unwrap_or(Json::Null))
    }
}

/// One scripted evaluation: how long it takes, what it emits while it runs, how it ends.
#[derive(Clone)]
struct Entry {
    cost: Duration,
    emits: Vec<String>,
    call: Call,
}

fn entry_of(entry: &Json) -> Entry {
    Entry {
        cost: ms(entry["duration_ms"].as_f64().unwrap_or(0.0)),
        emits: match &entry["emits"] {
            Json::String(name) => vec![name.clone()],
            other => strings(other),
        },
        call: call_of(entry),
    }
}

/// A probe's result as the vectors judge it: a Rust user's own type, implementing the public
/// acceptance traits (JSON truthiness for `eventually`, "not `false`" for `eventually_passes`).
struct Scripted(Call);

impl Truthy for Scripted {
    type Value = Json;
    fn truthy(self) -> Result<Json, Failure> {
        match self.0 {
            Call::Returns(v) if truthy(&v) => Ok(v),
            Call::Returns(v) => Err(Failure::returned(v.to_string(), v.is_null())),
            Call::Raises { kind, text } => Err(Failure::raised(kind, text)),
        }
    }
}

impl Passes for Scripted {
    type Value = Json;
    fn passes(self) -> Result<Json, Failure> {
        match self.0 {
            Call::Returns(Json::Bool(false)) => Err(Failure::returned("false", false)),
            Call::Returns(v) => Ok(v),
            Call::Raises { kind, text } => Err(Failure::raised(kind, text)),
        }
    }
}

impl ActionOutcome for Scripted {
    fn action_outcome(self) -> Result<(), Failure> {
        match self.0 {
            Call::Returns(_) => Ok(()),
            Call::Raises { kind, text } => Err(Failure::raised(kind, text)),
        }
    }
}

/// `eventually_changes`' values: JSON compared as every host compares data (`1 == 1.0`).
struct Compared(Json);

impl PartialEq for Compared {
    fn eq(&self, other: &Self) -> bool {
        json_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Compared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Rust probe of `eventually_changes` returns its value, so it "raises" by panicking: the
/// kind is the panic text's prefix. The failure's kind is then `panic`, its text `Kind: text`.
fn changes_value(call: Call) -> Compared {
    match call {
        Call::Returns(v) => Compared(v),
        Call::Raises { kind, text } => std::panic::panic_any(format!("{kind}: {text}")),
    }
}

/// The vector's kind of a failure (a panic's kind is its text's prefix, see `changes_value`).
fn vector_kind(failure: &Failure) -> String {
    match failure {
        Failure::Raised { kind, text } if kind == "panic" => text.split(':').next().unwrap_or("").to_owned(),
        Failure::Raised { kind, .. } => kind.to_string(),
        Failure::Returned { .. } => String::new(),
    }
}

/// The scripted probe: each call is one entry, on the runner's clock.
struct Script {
    entries: Vec<Entry>,
    repeat_last: bool,
    calls: usize,
    starts: Vec<Duration>,
    /// Counts the event loop's turns (the tokio runner's ticker task); one sample per call.
    turns: Vec<u64>,
    overrun: Option<String>,
}

impl Script {
    fn new(case: &Json) -> Script {
        Script {
            entries: case["script"].as_array().map(|a| a.iter().map(entry_of).collect()).unwrap_or_default(),
            repeat_last: case["repeat_last"].as_bool().unwrap_or(false),
            calls: 0,
            starts: Vec::new(),
            turns: Vec::new(),
            overrun: None,
        }
    }

    /// The next entry, recording its start; a call past the end of the script is the vector's
    /// bug, reported after the run (the probe then returns nothing).
    fn next(&mut self, now: Duration, turns: u64) -> Entry {
        self.starts.push(now);
        self.turns.push(turns);
        self.calls += 1;
        match self.entries.get(self.calls - 1) {
            Some(e) => e.clone(),
            None if self.repeat_last && !self.entries.is_empty() => self.entries.last().unwrap().clone(),
            None => {
                self.overrun = Some(format!("the probe was called {} times, past the end of the script", self.calls));
                Entry { cost: Duration::ZERO, emits: Vec::new(), call: Call::Returns(Json::Null) }
            }
        }
    }
}

/// Emits an entry's events, through the public API, while the evaluation runs.
fn emit_during(entry: &Entry) {
    for name in &entry.emits {
        events::emit::<String, _, _, Value>(name, Vec::new(), Vec::new()).expect("a valid event name");
    }
}

/// Sets the case's environment (clearing the scale when the case does not name it).
fn set_env(case: &Json) -> Vec<String> {
    let env = case["env"].as_object().cloned().unwrap_or_default();
    // SAFETY: every reader of this variable in this process runs under ENV.
    unsafe {
        std::env::remove_var(TIMEOUT_SCALE_VAR);
        for (k, v) in &env {
            std::env::set_var(k, v.as_str().expect("env values are text"));
        }
    }
    env.keys().cloned().collect()
}

fn clear_env(keys: Vec<String>) {
    // SAFETY: as in set_env.
    unsafe {
        for k in keys {
            std::env::remove_var(k);
        }
    }
}

/// The Rust outcome of a wait, as the vectors classify it.
fn end_of(result: Result<Option<Json>, Error>) -> End {
    match result {
        Ok(v) => End::Ok(v),
        Err(Error::Timeout { report }) => End::Timeout(report.to_string()),
        Err(Error::Violated { report }) => End::Violated(report.to_string()),
        Err(Error::Probe { failure }) => End::Propagated(vector_kind(&failure)),
        Err(Error::InvalidOption { option, .. }) => End::InvalidOption(option),
        Err(other) => End::Propagated(format!("unexpected error: {other}")),
    }
}

/// Applies the case's options, failure rules and hook to a builder.
fn configure<K>(wait: Wait<K>, parsed: &Parsed, hooked: &Hooked) -> Wait<K> {
    let seen = hooked.clone();
    let mut wait = wait.options(parsed.options.clone()).on_evaluation(move |e| {
        seen.lock().unwrap().push((e.number, as_ms(e.started), as_ms(e.duration), e.accepted));
    });
    if let Some(retry_on) = parsed.retry_on.clone() {
        wait = wait.retry_on(move |f| retry_on.contains(&vector_kind(f)));
    }
    let fail_on = parsed.fail_on.clone();
    if !fail_on.is_empty() {
        wait = wait.fail_on(move |f| fail_on.contains(&vector_kind(f)));
    }
    wait
}

/// Which driver runs the case.
#[derive(Clone, Copy, PartialEq)]
enum Driver {
    /// `.run()` on a `VirtualClock`.
    Blocking,
    /// `.run_async()` of the synchronous probes on tokio's paused clock (only cases whose calls
    /// take no time: a synchronous call cannot make paused tokio time pass).
    TokioSync,
    /// `eventually_async(..)` and its siblings on tokio's paused clock: the probe's time passes
    /// while it is pending (`tokio::time::advance`), so one running at the deadline is abandoned.
    TokioAsync,
}

/// Whether the case's calls all take no time (what `Driver::TokioSync` can run).
fn timeless(case: &Json) -> bool {
    let entries = case["script"].as_array().cloned().unwrap_or_default();
    entries.iter().chain(std::iter::once(&case["action"])).all(|e| e["duration_ms"].as_f64().unwrap_or(0.0) == 0.0)
}

fn run_polling(case: &Json, driver: Driver) -> Result<Observed, String> {
    let _env = ENV.lock().unwrap_or_else(|e| e.into_inner());
    // Cases that emit share the process-wide bus with the event cases' "**" captures.
    let _bus = case["script"].to_string().contains("\"emits\"").then(|| BUS.lock().unwrap_or_else(|e| e.into_inner()));
    let keys = set_env(case);
    let observed = match driver {
        Driver::Blocking => run_blocking(case),
        Driver::TokioSync | Driver::TokioAsync => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .map_err(|e| e.to_string())?;
            // A LocalSet, so that the waits `alongside` the case's can be spawned on this thread.
            tokio::task::LocalSet::new().block_on(&runtime, run_tokio(case, driver))
        }
    };
    clear_env(keys);
    observed
}

/// What every runner does after the wait: collect the script's record.
fn observed(
    end: End,
    script: &Script,
    elapsed: Duration,
    action_calls: usize,
    hooked: &Hooked,
) -> Result<Observed, String> {
    if let Some(why) = &script.overrun {
        return Err(why.clone());
    }
    Ok(Observed {
        end: Some(end),
        evaluations: script.calls,
        starts: script.starts.iter().map(|d| as_ms(*d)).collect(),
        elapsed: as_ms(elapsed),
        action_calls,
        turns: script.turns.windows(2).map(|w| w[1] > w[0]).collect(),
        hooked: hooked.lock().unwrap().clone(),
    })
}

fn run_blocking(case: &Json) -> Result<Observed, String> {
    let operation = case["operation"].as_str().ok_or("no operation")?;
    let options = case["options"].as_object().cloned().unwrap_or_default();
    let parsed = match parse_options(operation, &options) {
        Ok(p) => p,
        Err(Error::InvalidOption { option, .. }) => {
            return Ok(Observed { end: Some(End::InvalidOption(option)), ..Observed::default() });
        }
        Err(other) => return Err(format!("unexpected error converting the options: {other}")),
    };
    let hooked = Hooked::default();
    let clock = VirtualClock::new();
    let _installed = clock.install();
    let script = RefCell::new(Script::new(case));
    let action_calls = Cell::new(0);
    let action = entry_of(&case["action"]);
    // One evaluation: its time passes on the virtual clock, its events are emitted meanwhile.
    let call = || {
        let entry = script.borrow_mut().next(clock.now(), 0);
        emit_during(&entry);
        clock.advance(entry.cost);
        entry.call
    };
    let act = || {
        action_calls.set(action_calls.get() + 1);
        emit_during(&action);
        clock.advance(action.cost);
        Scripted(action.call.clone())
    };
    let during = parsed.during.unwrap_or_default();
    let quiet = parsed.quiet.unwrap_or_default();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match operation {
        "eventually" => configure(eventually(|| Scripted(call())), &parsed, &hooked).run().map(Some),
        "eventually_passes" => configure(eventually_passes(|| Scripted(call())), &parsed, &hooked).run().map(Some),
        "always" => configure(always(|| Scripted(call()), during), &parsed, &hooked).run().map(|()| None),
        "never" => configure(never(|| Scripted(call()), during), &parsed, &hooked).run().map(|()| None),
        "eventually_changes" => {
            configure(eventually_changes(|| changes_value(call())), &parsed, &hooked).run().map(|c| Some(c.0))
        }
        "sync_operation" => configure(sync_operation(act, || Scripted(call())), &parsed, &hooked).run().map(Some),
        "eventually_settles" => {
            configure(eventually_settles(|| changes_value(call()), quiet), &parsed, &hooked).run().map(|c| Some(c.0))
        }
        other => panic!("unknown operation {other:?}"),
    }));
    let end = match caught {
        Ok(result) => end_of(result),
        // The baseline's "raise" (a panic) propagates out of the wait.
        Err(panic) => End::Propagated(panic_text(&panic).split(':').next().unwrap_or("").to_owned()),
    };
    observed(end, &script.borrow(), clock.now(), action_calls.get(), &hooked)
}

async fn run_tokio(case: &Json, driver: Driver) -> Result<Observed, String> {
    let operation = case["operation"].as_str().ok_or("no operation")?;
    let options = case["options"].as_object().cloned().unwrap_or_default();
    let parsed = match parse_options(operation, &options) {
        Ok(p) => p,
        Err(Error::InvalidOption { option, .. }) => {
            return Ok(Observed { end: Some(End::InvalidOption(option)), ..Observed::default() });
        }
        Err(other) => return Err(format!("unexpected error converting the options: {other}")),
    };
    let hooked = Hooked::default();
    let t0 = tokio::time::Instant::now();
    let script = Arc::new(StdMutex::new(Script::new(case)));
    let action_calls = Arc::new(AtomicUsize::new(0));
    let action = entry_of(&case["action"]);
    // The ticker: a task that counts the turns the event loop gives it. Each evaluation wakes it,
    // so it has run again by the next one only if the driver let the loop turn in between.
    let turns = Arc::new(AtomicU64::new(0));
    let poke = Arc::new(tokio::sync::Notify::new());
    let ticker = {
        let (turns, poke) = (turns.clone(), poke.clone());
        tokio::spawn(async move {
            loop {
                poke.notified().await;
                turns.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let start = {
        let (script, turns, poke) = (script.clone(), turns.clone(), poke.clone());
        move || {
            let entry = script.lock().unwrap().next(t0.elapsed(), turns.load(Ordering::SeqCst));
            poke.notify_one();
            emit_during(&entry);
            entry
        }
    };
    let during = parsed.during.unwrap_or_default();
    let quiet = parsed.quiet.unwrap_or_default();
    let alongside = spawn_alongside(case, t0)?;
    let result = if driver == Driver::TokioSync {
        let call = || start().call;
        let act = || {
            action_calls.fetch_add(1, Ordering::SeqCst);
            Scripted(action.call.clone())
        };
        let caught = AssertUnwindSafe(async {
            match operation {
                "eventually" => {
                    configure(eventually(|| Scripted(call())), &parsed, &hooked).run_async().await.map(Some)
                }
                "eventually_passes" => {
                    configure(eventually_passes(|| Scripted(call())), &parsed, &hooked).run_async().await.map(Some)
                }
                "always" => {
                    configure(always(|| Scripted(call()), during), &parsed, &hooked).run_async().await.map(|()| None)
                }
                "never" => {
                    configure(never(|| Scripted(call()), during), &parsed, &hooked).run_async().await.map(|()| None)
                }
                "eventually_changes" => configure(eventually_changes(|| changes_value(call())), &parsed, &hooked)
                    .run_async()
                    .await
                    .map(|c| Some(c.0)),
                "sync_operation" => {
                    configure(sync_operation(act, || Scripted(call())), &parsed, &hooked).run_async().await.map(Some)
                }
                "eventually_settles" => {
                    configure(eventually_settles(|| changes_value(call()), quiet), &parsed, &hooked)
                        .run_async()
                        .await
                        .map(|c| Some(c.0))
                }
                other => panic!("unknown operation {other:?}"),
            }
        });
        catch_panic(caught).await
    } else {
        // Each call is a future that takes its time on the paused clock while it is pending.
        let call = || {
            let entry = start();
            async move {
                pending_for(entry.cost).await;
                entry.call
            }
        };
        let act = || {
            action_calls.fetch_add(1, Ordering::SeqCst);
            let action = action.clone();
            async move {
                emit_during(&action);
                pending_for(action.cost).await;
                Scripted(action.call)
            }
        };
        let caught = AssertUnwindSafe(async {
            match operation {
                "eventually" => configure(eventually_async(|| async { Scripted(call().await) }), &parsed, &hooked)
                    .run_async()
                    .await
                    .map(Some),
                "eventually_passes" => {
                    configure(eventually_passes_async(|| async { Scripted(call().await) }), &parsed, &hooked)
                        .run_async()
                        .await
                        .map(Some)
                }
                "always" => configure(always_async(|| async { Scripted(call().await) }, during), &parsed, &hooked)
                    .run_async()
                    .await
                    .map(|()| None),
                "never" => configure(never_async(|| async { Scripted(call().await) }, during), &parsed, &hooked)
                    .run_async()
                    .await
                    .map(|()| None),
                "eventually_changes" => {
                    configure(eventually_changes_async(|| async { changes_value(call().await) }), &parsed, &hooked)
                        .run_async()
                        .await
                        .map(|c| Some(c.0))
                }
                "sync_operation" => {
                    configure(sync_operation_async(act, || async { Scripted(call().await) }), &parsed, &hooked)
                        .run_async()
                        .await
                        .map(Some)
                }
                "eventually_settles" => configure(
                    eventually_settles_async(|| async { changes_value(call().await) }, quiet),
                    &parsed,
                    &hooked,
                )
                .run_async()
                .await
                .map(|c| Some(c.0)),
                other => panic!("unknown operation {other:?}"),
            }
        });
        catch_panic(caught).await
    };
    ticker.abort();
    for wait in alongside {
        wait.abort();
    }
    let end = match result {
        Ok(result) => end_of(result),
        Err(text) => End::Propagated(text.split(':').next().unwrap_or("").to_owned()),
    };
    let script = script.lock().unwrap();
    observed(end, &script, t0.elapsed(), action_calls.load(Ordering::SeqCst), &hooked)
}

/// The case's `alongside` waits: `count` copies of each, `eventually` on their own script and
/// options, started with the case's wait on the same paused clock (their outcome is not checked:
/// they are the company that shares the clock's polling budget).
fn spawn_alongside(case: &Json, t0: tokio::time::Instant) -> Result<Vec<tokio::task::JoinHandle<()>>, String> {
    let mut waits = Vec::new();
    for entry in case["alongside"].as_array().into_iter().flatten() {
        let options = entry["options"].as_object().cloned().unwrap_or_default();
        for _ in 0..entry["count"].as_u64().ok_or("alongside without a count")? {
            let parsed = parse_options("eventually", &options).map_err(|e| format!("alongside options: {e}"))?;
            let script = Arc::new(StdMutex::new(Script::new(entry)));
            waits.push(tokio::task::spawn_local(async move {
                let call = || {
                    let entry = script.lock().unwrap().next(t0.elapsed(), 0);
                    async move {
                        pending_for(entry.cost).await;
                        entry.call
                    }
                };
                let hooked = Hooked::default();
                let wait = configure(eventually_async(|| async { Scripted(call().await) }), &parsed, &hooked);
                let _ = wait.run_async().await;
            }));
        }
    }
    Ok(waits)
}

/// Whether the case runs waits alongside its own: only a driver that runs waits concurrently on
/// one clock can (a blocking wait has its thread to itself).
fn alone(case: &Json) -> bool {
    case.get("alongside").is_none()
}

/// A probe's future that stays pending this long on the paused clock, as a real one waiting for
/// its system would. (A zero-cost call still completes at once.)
async fn pending_for(cost: Duration) {
    if !cost.is_zero() {
        // liveness: allow-sleep(the vector's probe cost, on tokio's paused clock)
        tokio::time::sleep(cost).await;
    }
}

/// Whether the case's times are all whole milliseconds: tokio's timers have a resolution of 1 ms
/// (a wait of 2.5 ms sleeps 3 ms), on the paused clock as on the real one, so a tokio runner can
/// only run these.
fn whole_milliseconds(case: &Json) -> bool {
    let whole = |v: &Json| v.as_f64().is_none_or(|f| f.fract() == 0.0);
    let script = case["script"].as_array().cloned().unwrap_or_default();
    let options = case["options"].as_object().cloned().unwrap_or_default();
    script.iter().chain(std::iter::once(&case["action"])).all(|e| whole(&e["duration_ms"]))
        && options.iter().filter(|(k, _)| k.ends_with("_ms")).all(|(_, v)| whole(v))
}

/// Awaits `f`, turning a panic that escapes it (the baseline's "raise") into its text.
async fn catch_panic<T>(f: AssertUnwindSafe<impl Future<Output = T>>) -> Result<T, String> {
    let mut f = std::pin::pin!(f);
    std::future::poll_fn(move |cx| match std::panic::catch_unwind(AssertUnwindSafe(|| f.as_mut().poll(cx))) {
        Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
        Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
        Err(panic) => std::task::Poll::Ready(Err(panic_text(&panic))),
    })
    .await
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
    "alongside",
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
    "loop_turns_between_evaluations",
    "on_evaluation",
];

fn check_polling(case: &Case, driver: Driver) -> Result<(), String> {
    // A driver that abandons a pending evaluation at the deadline is judged by `async_expect`.
    let expect = match driver {
        Driver::TokioAsync if case.json.get("async_expect").is_some() => &case.json["async_expect"],
        _ => &case.json["expect"],
    };
    let map = expect.as_object().ok_or("no expect")?;
    if let Some(unknown) = map.keys().find(|k| !EXPECT_KEYS.contains(&k.as_str())) {
        return Err(format!("unknown expect key {unknown:?}"));
    }
    let seen = run_polling(&case.json, driver)?;
    let mut problems = Vec::new();
    let (result, message, detail) = match seen.end.as_ref().ok_or("the wait did not end")? {
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
    if let (Some(v), Some(End::Ok(got))) = (expect.get("value"), &seen.end) {
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
        if !matches!(&seen.end, Some(End::Propagated(got)) if got == k) {
            problems.push(format!("expected {k} to propagate"));
        }
    }
    if let Some(o) = expect["invalid_option"].as_str() {
        if !matches!(&seen.end, Some(End::InvalidOption(got)) if got == o) {
            problems.push(format!("expected option {o:?} to be named invalid"));
        }
    }
    if let Some(n) = expect["action_calls"].as_u64() {
        if seen.action_calls as u64 != n {
            problems.push(format!("action called {} times, expected {n}", seen.action_calls));
        }
    }
    if let Some(list) = expect["on_evaluation"].as_array() {
        let want: Vec<(u32, f64, f64, bool)> = list
            .iter()
            .map(|e| {
                (
                    e["number"].as_u64().unwrap() as u32,
                    e["started_ms"].as_f64().unwrap(),
                    e["duration_ms"].as_f64().unwrap(),
                    e["accepted"].as_bool().unwrap(),
                )
            })
            .collect();
        let same = want.len() == seen.hooked.len()
            && want
                .iter()
                .zip(&seen.hooked)
                .all(|(a, b)| a.0 == b.0 && close(a.1, b.1) && close(a.2, b.2) && a.3 == b.3);
        if !same {
            problems.push(format!("on_evaluation saw {:?}, expected {want:?}", seen.hooked));
        }
    }
    // Only an event-loop driver has other tasks to let run.
    if expect["loop_turns_between_evaluations"].as_bool() == Some(true) && driver != Driver::Blocking {
        if let Some(i) = seen.turns.iter().position(|turned| !turned) {
            problems.push(format!("the event loop did not turn between evaluations #{} and #{}", i + 1, i + 2));
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
fn polling_vectors_blocking() {
    run_cases_where(Driver::Blocking, alone, "waits alongside: a blocking wait has its thread to itself");
}

/// A runner runs the cases its driver can express and says how many it cannot (and why).
fn run_cases_where(driver: Driver, runnable: impl Fn(&Json) -> bool, why: &str) {
    let skipped: Vec<String> =
        load("polling").iter().filter(|c| !runnable(&c.json)).map(|c| c.name().to_owned()).collect();
    run_where("polling", &runnable, |case| check_polling(case, driver));
    eprintln!("not run by this driver ({why}): {}: {}", skipped.len(), skipped.join(", "));
}

#[test]
fn polling_vectors_tokio_async_probes() {
    run_cases_where(Driver::TokioAsync, whole_milliseconds, "sub-millisecond times, below tokio's timer resolution");
}

#[test]
fn polling_vectors_tokio_sync_probes() {
    run_cases_where(
        Driver::TokioSync,
        |c| timeless(c) && whole_milliseconds(c) && alone(c),
        "a synchronous call that takes virtual time: paused tokio time cannot pass during one; waits alongside",
    );
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
        && got.measurements.iter().map(|(k, v)| (k.to_owned(), v.as_f64())).collect::<BTreeMap<_, _>>() == measurements
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
        "bridge_name" => {
            // Through the public API a Rust user meets it: the target of a `tracing` event.
            let source = c["source"].as_str().ok_or("no source")?;
            let want = c["expect"].as_str().ok_or("no expect")?;
            let got = events::bridge_name(source);
            if got != want {
                return Err(format!("bridge_name({source:?}) = {got:?}, expected {want:?}"));
            }
            tracing_target_names(source, want)
        }
        "scoped_capture" => {
            // Through the public API: a scoped capture runs its block in a new Scope; `sibling` is
            // a scope made outside it, `outside` runs in none.
            let patterns = strings(&c["patterns"]);
            let scope = Scope::new();
            let capture = if c["scoped"].as_bool().unwrap_or(false) {
                Capture::open_scoped(&patterns, &scope)
            } else {
                Capture::open(&patterns)
            }
            .map_err(|e| format!("capture failed: {e}"))?;
            let sibling = Scope::child_of(None);
            scope.run(|| -> Result<(), String> {
                for e in c["emits"].as_array().into_iter().flatten() {
                    let one = Json::Array(vec![e.clone()]);
                    match e["from"].as_str() {
                        Some("block") => emit_all(&one)?,
                        Some("nested") => Scope::new().run(|| emit_all(&one))?,
                        Some("sibling") => sibling.run(|| emit_all(&one))?,
                        Some("outside") => events::unscoped(|| emit_all(&one))?,
                        other => return Err(format!("unknown from {other:?}")),
                    }
                }
                Ok(())
            })?;
            let names: Vec<String> = capture.close().iter().map(|e| e.name.to_string()).collect();
            let want = strings(&c["expect_names"]);
            if names == want { Ok(()) } else { Err(format!("captured {names:?}, expected {want:?}")) }
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

/// A `tracing` target is a `&'static str` of the callsite, so the layer's own naming is checked
/// on the targets a macro can spell; the rest goes through `bridge_name`, which the layer calls.
#[cfg(feature = "tracing")]
fn tracing_target_names(source: &str, want: &str) -> Result<(), String> {
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::registry().with(liveness::tracing::EventLayer::new());
    let got = tracing::subscriber::with_default(subscriber, || {
        let capture = Capture::open(&["**"]).map_err(|e| e.to_string())?;
        match source {
            "shop::cart::v2" => tracing::info!(target: "shop::cart::v2", "x"),
            "my-app::worker_2" => tracing::info!(target: "my-app::worker_2", "x"),
            "shop.cart" => tracing::info!(target: "shop.cart", "x"),
            _ => return Ok(None),
        }
        Ok::<_, String>(capture.close().first().map(|e| e.name.clone()))
    })?;
    match got {
        Some(name) if name != want => Err(format!("tracing target {source:?} emitted {name:?}, expected {want:?}")),
        _ => Ok(()),
    }
}

#[cfg(not(feature = "tracing"))]
fn tracing_target_names(_: &str, _: &str) -> Result<(), String> {
    Ok(())
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
            Some("bridge_name") => &["name", "spec", "kind", "source", "expect"],
            Some("scoped_capture") => &["name", "spec", "kind", "scoped", "patterns", "emits", "expect_names"],
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
