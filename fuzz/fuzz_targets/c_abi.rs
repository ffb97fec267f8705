//! The C ABI with arbitrary bytes decoded into calls: options structs with arbitrary doubles,
//! strings with arbitrary bytes (invalid UTF-8 included), JSON payloads, patterns, handlers that
//! fail or re-emit, and capture / poller / string lifecycles that use and free handles after they
//! were freed (checked handles: answered with LIVENESS_INVALID_ARGUMENT) and handle values that
//! liveness never made, whole waits driven through the poller's steps (prepare, yield, abandon,
//! hints with arbitrary times), and the virtual clock seam. Every call must return a status,
//! never crash, hang or panic.
#![no_main]

use std::ffi::{CString, c_char, c_void};
use std::ptr;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use liveness_capi::*;

/// Bytes as a C string: cut at the first NUL (C cannot pass one inside a string).
fn cstr(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL inside")
}

/// Names and patterns mostly from a small alphabet (so that they match each other), sometimes
/// anything.
#[derive(Arbitrary, Debug)]
enum Text {
    Pick(u8),
    Raw(Vec<u8>),
}

const WORDS: &[&str] = &[
    "a",
    "a.b",
    "a.b.c",
    "a.*",
    "a.**",
    "**",
    "*.b",
    "job.done",
    "a..b",
    "",
    "a.*.c",
    "liveness.handler.failure",
    "x-y_z.0",
    "a.b*",
    "{\"k\": 1}",
    "{\"k\": [1, {\"n\": null}]}",
    "[1]",
    "{",
    "{\"\\u0000\": \"\\ud800\"}",
];

impl Text {
    fn get(&self) -> CString {
        match self {
            Text::Pick(i) => cstr(WORDS[*i as usize % WORDS.len()].as_bytes()),
            Text::Raw(bytes) => cstr(bytes),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Opts {
    timeout_ms: f64,
    interval_ms: f64,
    min_interval_ms: f64,
    max_interval_ms: f64,
    delay_ms: f64,
    attempts: i64,
    message: Option<Text>,
    stable_for_ms: f64,
    wake_on: Vec<Text>,
    bad_size: bool,
    null: bool,
}

#[derive(Arbitrary, Debug)]
enum Handle {
    /// One that liveness handed out earlier in this input (maybe closed since).
    Made(u8),
    /// Any value at all.
    Raw(u64),
    Null,
}

#[derive(Arbitrary, Debug)]
enum Call {
    Emit { name: Text, measurements: Vec<(Text, f64)>, metadata: Option<Text>, names_null: bool },
    HasSubscribers(Text),
    Attach { id: u8, patterns: Vec<Text>, behaviour: u8 },
    Detach(u8),
    DetachWait(u8),
    CaptureOpen(Vec<Text>),
    CaptureCount(Handle),
    CaptureJson(Handle),
    CaptureClose(Handle),
    StringFree(u8),
    StringFreeVersion,
    PollerNew { operation: i32, during_ms: f64, opts: Opts },
    PollerNext(Handle, f64),
    PollerStarted(Handle, f64),
    PollerAccepted(Handle, f64, Option<Text>),
    PollerRaised(Handle, f64, Text, Text),
    PollerReturned(Handle, f64, Text, bool),
    PollerWake(Handle, f64),
    PollerPrepared(Handle, f64),
    PollerAbandon(Handle, f64),
    PollerFree(Handle),
    /// A whole wait driven by its steps, as an event-loop host would (each call's cost, hints).
    PollerDrive { h: Handle, costs: Vec<f64>, hints: Vec<f64> },
    ClockInstall,
    ClockAdvance(f64),
    ClockNow { null: bool },
    ClockUninstall,
    Eventually { opts: Opts, answers: u8 },
    AssertEmitted { pattern: Text, where_json: Option<Text>, count: i64, emit: Text },
    ProbeFail(Text),
    StatusName(i32),
}

unsafe extern "C" fn handler(event_json: *const c_char, ctx: *mut c_void) -> bool {
    let behaviour = ctx as usize as u8;
    let len = unsafe { std::ffi::CStr::from_ptr(event_json) }.to_bytes().len();
    match behaviour % 4 {
        0 => true,
        1 => false,
        2 => {
            let status = unsafe { liveness_emit(c"a.b".as_ptr(), ptr::null(), ptr::null(), 0, ptr::null()) };
            status == liveness_status::LIVENESS_OK
        }
        _ => len % 2 == 0,
    }
}

struct Probe {
    answers: u8,
    calls: u32,
}

unsafe extern "C" fn probe(ctx: *mut c_void) -> bool {
    let p = unsafe { &mut *(ctx as *mut Probe) };
    p.calls += 1;
    match (p.answers >> (p.calls % 8)) & 3 {
        0 => true,
        1 => false,
        2 => unsafe { liveness_probe_fail(c"not yet".as_ptr()) },
        _ => unsafe { liveness_probe_stop(c"stop".as_ptr()) },
    }
}

unsafe extern "C" fn block(ctx: *mut c_void) {
    let name = unsafe { &*(ctx as *const CString) };
    unsafe { liveness_emit(name.as_ptr(), ptr::null(), ptr::null(), 0, c"{\"k\": 1}".as_ptr()) };
}

/// Keeps the C strings of one options struct alive while it is used.
struct OptsHold {
    _message: Option<CString>,
    _wake: Vec<CString>,
    wake_ptrs: Vec<*const c_char>,
    value: liveness_options,
}

impl Opts {
    fn build(&self, blocking: bool) -> Option<OptsHold> {
        if self.null {
            return None;
        }
        let mut o = liveness_options_default();
        let small = |ms: f64| if blocking { ms.abs().min(3.0) } else { ms };
        o.timeout_ms = small(self.timeout_ms);
        o.interval_ms = small(self.interval_ms);
        o.min_interval_ms = small(self.min_interval_ms);
        o.max_interval_ms = small(self.max_interval_ms);
        o.delay_ms = small(self.delay_ms);
        o.stable_for_ms = small(self.stable_for_ms);
        o.attempts = self.attempts;
        if self.bad_size {
            o.struct_size = 3;
        }
        let message = self.message.as_ref().map(Text::get);
        o.message = message.as_ref().map_or(ptr::null(), |m| m.as_ptr());
        let wake: Vec<CString> = self.wake_on.iter().take(4).map(Text::get).collect();
        let wake_ptrs: Vec<*const c_char> = wake.iter().map(|w| w.as_ptr()).collect();
        let mut hold = OptsHold { _message: message, _wake: wake, wake_ptrs, value: o };
        hold.value.wake_on = if hold.wake_ptrs.is_empty() { ptr::null() } else { hold.wake_ptrs.as_ptr() };
        hold.value.wake_on_len = hold.wake_ptrs.len();
        Some(hold)
    }
}

fn texts(list: &[Text]) -> (Vec<CString>, Vec<*const c_char>) {
    let owned: Vec<CString> = list.iter().take(6).map(Text::get).collect();
    let ptrs = owned.iter().map(|s| s.as_ptr()).collect();
    (owned, ptrs)
}

#[derive(Default)]
struct State {
    captures: Vec<*mut liveness_capture>,
    pollers: Vec<*mut liveness_poller>,
    strings: Vec<*mut c_char>,
}

impl State {
    fn capture(&self, h: &Handle) -> *mut liveness_capture {
        match h {
            Handle::Made(i) if !self.captures.is_empty() => self.captures[*i as usize % self.captures.len()],
            Handle::Raw(v) => *v as usize as *mut liveness_capture,
            _ => ptr::null_mut(),
        }
    }

    fn poller(&self, h: &Handle) -> *mut liveness_poller {
        match h {
            Handle::Made(i) if !self.pollers.is_empty() => self.pollers[*i as usize % self.pollers.len()],
            Handle::Raw(v) => *v as usize as *mut liveness_poller,
            _ => ptr::null_mut(),
        }
    }
}

fn id(n: u8) -> CString {
    CString::new(format!("fuzz.{}", n % 8)).unwrap()
}

fuzz_target!(|calls: Vec<Call>| {
    let mut st = State::default();
    for call in calls.iter().take(64) {
        unsafe { run(&mut st, call) };
        // The message is always a valid C string.
        let _ = unsafe { std::ffi::CStr::from_ptr(liveness_last_error_message()) }.to_bytes().len();
    }
    // Leave nothing behind for the next input (libFuzzer checks for leaks).
    unsafe {
        for i in 0..8 {
            liveness_detach(id(i).as_ptr());
        }
        for c in st.captures.drain(..) {
            liveness_capture_close(c);
        }
        for p in st.pollers.drain(..) {
            liveness_poller_free(p);
        }
        for s in st.strings.drain(..) {
            liveness_string_free(s);
        }
        // The next input starts on the real clock (INVALID_ARGUMENT when none was installed).
        liveness_virtual_clock_uninstall();
    }
});

fn done_step() -> liveness_step {
    liveness_step {
        kind: liveness_step_kind::LIVENESS_STEP_DONE,
        wait_ms: 0.0,
        status: liveness_status::LIVENESS_OK,
        abandon_at_ms: LIVENESS_NO_ABANDON,
    }
}

/// Executes a poller's steps for a while, as an event-loop host: each call takes the next of
/// `costs` (arbitrary doubles: negative, NaN and huge ones are refused as times), a call that
/// runs past its step's abandon_at_ms is abandoned, hints arrive at arbitrary times.
unsafe fn drive(p: *mut liveness_poller, costs: &[f64], hints: &[f64]) {
    let mut now = 0.0f64;
    let mut costs = costs.iter().copied().cycle().take(64);
    let mut hints = hints.iter().copied();
    for _ in 0..64 {
        let mut step = done_step();
        if unsafe { liveness_poller_next(p, now, &mut step) } != liveness_status::LIVENESS_OK {
            return;
        }
        let cost = costs.next().unwrap_or(0.0);
        unsafe {
            match step.kind {
                liveness_step_kind::LIVENESS_STEP_PREPARE | liveness_step_kind::LIVENESS_STEP_EVALUATE => {
                    liveness_poller_started(p, now, ptr::null_mut());
                    if step.abandon_at_ms >= 0.0 && now + cost > step.abandon_at_ms {
                        assert!(liveness_poller_abandon(p, step.abandon_at_ms) != liveness_status::LIVENESS_OK);
                        return;
                    }
                    now += cost;
                    if step.kind == liveness_step_kind::LIVENESS_STEP_PREPARE {
                        liveness_poller_prepared(p, now);
                    } else {
                        liveness_poller_raised(p, now, c"E".as_ptr(), c"not yet".as_ptr());
                    }
                }
                liveness_step_kind::LIVENESS_STEP_YIELD => {}
                liveness_step_kind::LIVENESS_STEP_WAIT => now += step.wait_ms,
                liveness_step_kind::LIVENESS_STEP_DONE => return,
            }
            if let Some(at) = hints.next() {
                liveness_poller_wake(p, at);
            }
        }
    }
}

unsafe fn run(st: &mut State, call: &Call) {
    unsafe {
        match call {
            Call::Emit { name, measurements, metadata, names_null } => {
                let name = name.get();
                let (_keys, key_ptrs) =
                    texts(&measurements.iter().map(|(k, _)| Text::Raw(k.get().into_bytes())).collect::<Vec<_>>());
                let values: Vec<f64> = measurements.iter().take(6).map(|(_, v)| *v).collect();
                let metadata = metadata.as_ref().map(Text::get);
                liveness_emit(
                    name.as_ptr(),
                    if *names_null { ptr::null() } else { key_ptrs.as_ptr() },
                    values.as_ptr(),
                    key_ptrs.len(),
                    metadata.as_ref().map_or(ptr::null(), |m| m.as_ptr()),
                );
            }
            Call::HasSubscribers(name) => {
                liveness_has_subscribers(name.get().as_ptr());
            }
            Call::Attach { id: n, patterns, behaviour } => {
                let (_owned, ptrs) = texts(patterns);
                liveness_attach(
                    id(*n).as_ptr(),
                    ptrs.as_ptr(),
                    ptrs.len(),
                    Some(handler),
                    *behaviour as usize as *mut c_void,
                );
            }
            Call::Detach(n) => {
                liveness_detach(id(*n).as_ptr());
            }
            Call::DetachWait(n) => {
                liveness_detach_wait(id(*n).as_ptr());
            }
            Call::CaptureOpen(patterns) => {
                let (_owned, ptrs) = texts(patterns);
                let mut out = ptr::null_mut();
                if liveness_capture_open(ptrs.as_ptr(), ptrs.len(), &mut out) == liveness_status::LIVENESS_OK {
                    assert!(!out.is_null());
                    st.captures.push(out);
                } else {
                    assert!(out.is_null());
                }
            }
            Call::CaptureCount(h) => {
                let mut n = usize::MAX;
                liveness_capture_count(st.capture(h), &mut n);
            }
            Call::CaptureJson(h) => {
                let mut out = ptr::null_mut();
                if liveness_capture_events_json(st.capture(h), &mut out) == liveness_status::LIVENESS_OK {
                    assert!(std::ffi::CStr::from_ptr(out).to_bytes().first() == Some(&b'['));
                    st.strings.push(out);
                } else {
                    assert!(out.is_null());
                }
            }
            // Closed handles stay in the list: later calls use them after they were freed.
            Call::CaptureClose(h) => liveness_capture_close(st.capture(h)),
            // Freed strings stay in the list too (double frees are recognised and left alone).
            Call::StringFree(i) => {
                if !st.strings.is_empty() {
                    liveness_string_free(st.strings[*i as usize % st.strings.len()]);
                }
            }
            Call::StringFreeVersion => liveness_string_free(liveness_version() as *mut c_char),
            Call::PollerNew { operation, during_ms, opts } => {
                let hold = opts.build(false);
                let mut out = ptr::null_mut();
                let o = hold.as_ref().map_or(ptr::null(), |h| &h.value as *const liveness_options);
                if liveness_poller_new(*operation % 8, *during_ms, o, &mut out) == liveness_status::LIVENESS_OK {
                    st.pollers.push(out);
                }
            }
            Call::PollerNext(h, now) => {
                let mut step = done_step();
                liveness_poller_next(st.poller(h), *now, &mut step);
            }
            Call::PollerStarted(h, now) => {
                let mut n = 0u32;
                liveness_poller_started(st.poller(h), *now, &mut n);
            }
            Call::PollerAccepted(h, now, text) => {
                let text = text.as_ref().map(Text::get);
                liveness_poller_accepted(st.poller(h), *now, text.as_ref().map_or(ptr::null(), |t| t.as_ptr()));
            }
            Call::PollerRaised(h, now, kind, text) => {
                liveness_poller_raised(st.poller(h), *now, kind.get().as_ptr(), text.get().as_ptr());
            }
            Call::PollerReturned(h, now, repr, nullish) => {
                liveness_poller_returned(st.poller(h), *now, repr.get().as_ptr(), *nullish);
            }
            Call::PollerWake(h, at) => {
                liveness_poller_wake(st.poller(h), *at);
            }
            Call::PollerPrepared(h, now) => {
                liveness_poller_prepared(st.poller(h), *now);
            }
            Call::PollerAbandon(h, now) => {
                let status = liveness_poller_abandon(st.poller(h), *now);
                assert!(status != liveness_status::LIVENESS_OK, "abandon always ends the wait or is refused");
            }
            Call::PollerDrive { h, costs, hints } => drive(st.poller(h), costs, hints),
            Call::ClockInstall => {
                liveness_virtual_clock_install();
            }
            Call::ClockAdvance(ms) => {
                liveness_virtual_clock_advance(*ms);
            }
            Call::ClockNow { null } => {
                let mut now = f64::NAN;
                liveness_virtual_clock_now_ms(if *null { ptr::null_mut() } else { &mut now });
            }
            Call::ClockUninstall => {
                liveness_virtual_clock_uninstall();
            }
            Call::PollerFree(h) => liveness_poller_free(st.poller(h)),
            Call::Eventually { opts, answers } => {
                let hold = opts.build(true);
                let o = hold.as_ref().map_or(ptr::null(), |h| &h.value as *const liveness_options);
                let mut p = Probe { answers: *answers, calls: 0 };
                liveness_eventually(Some(probe), &mut p as *mut Probe as *mut c_void, o);
            }
            Call::AssertEmitted { pattern, where_json, count, emit } => {
                let name = emit.get();
                let where_json = where_json.as_ref().map(Text::get);
                liveness_assert_emitted(
                    pattern.get().as_ptr(),
                    where_json.as_ref().map_or(ptr::null(), |w| w.as_ptr()),
                    *count,
                    Some(block),
                    &name as *const CString as *mut c_void,
                );
            }
            Call::ProbeFail(text) => {
                liveness_probe_fail(text.get().as_ptr());
            }
            Call::StatusName(n) => {
                liveness_status_name(*n);
            }
        }
    }
}
