//! The event bus: delivery, captures from many threads, handler misbehaviour, assertions.
//! Tests run in parallel in one process and share the bus, so each uses its own name prefix.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use liveness::events::{
    Capture, HANDLER_FAILURE_EVENT, Value, attach, attach_with_reporter, detach, emit, emitted, emitted_in_order,
    event, has_subscribers, not_emitted, subscription_generation,
};
use liveness::{Error, eventually};

#[test]
fn eight_threads_of_100_000_emits_land_in_one_capture_in_order() {
    const THREADS: u64 = 8;
    const PER_THREAD: u64 = 100_000;
    let capture = Capture::open(&["stress.**"]).unwrap();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            thread::spawn(move || {
                for i in 0..PER_THREAD {
                    event("stress.tick").measure("t", t as f64).measure("i", i as f64).emit();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let events = capture.close();
    assert_eq!(events.len() as u64, THREADS * PER_THREAD);
    let mut next_per_thread: HashMap<u64, u64> = HashMap::new();
    let mut last_seq = None;
    for e in &events {
        let t = e.measurement("t").unwrap() as u64;
        let i = e.measurement("i").unwrap() as u64;
        let expected = next_per_thread.entry(t).or_insert(0);
        assert_eq!(i, *expected, "thread {t} out of order");
        *expected += 1;
        assert!(last_seq < Some(e.seq), "emit order");
        last_seq = Some(e.seq);
    }
    assert!(next_per_thread.values().all(|&n| n == PER_THREAD));
}

#[test]
fn the_subscription_generation_changes_at_every_attach_and_detach() {
    // Other tests attach in parallel, so only "changed" and "never 0 while attached" are stable.
    let capture = Capture::open(&["generation.**"]).unwrap();
    let before = subscription_generation();
    assert_ne!(before, 0, "something is attached: the capture");
    attach("generation.handler", &["generation.x"], |_| Ok(())).unwrap();
    let attached = subscription_generation();
    assert_ne!(attached, before);
    assert!(detach("generation.handler"));
    assert_ne!(subscription_generation(), attached);
    drop(capture);
}

#[test]
fn emit_validates_the_name_even_with_nothing_attached() {
    let err = event("bad..name").try_emit().unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }));
    assert!(err.to_string().contains("invalid event name \"bad..name\""), "{err}");
    assert!(emit("ok.name", [("n", 1.0)], [("k", "v")]).is_ok());
}

#[test]
fn has_subscribers_follows_attach_and_detach() {
    assert!(!has_subscribers("subs.x.y"));
    attach("subs-handler", &["subs.*.y"], |_| Ok(())).unwrap();
    assert!(has_subscribers("subs.x.y"));
    assert!(!has_subscribers("subs.x.z"));
    assert!(detach("subs-handler"));
    assert!(!detach("subs-handler"));
    assert!(!has_subscribers("subs.x.y"));
}

#[test]
fn duplicate_ids_and_bad_patterns_are_rejected() {
    attach("dup-handler", &["dup.a"], |_| Ok(())).unwrap();
    let err = attach("dup-handler", &["dup.b"], |_| Ok(())).unwrap_err();
    assert!(err.to_string().contains("already attached"), "{err}");
    detach("dup-handler");
    assert!(attach("bad-pattern", &["a.**.b"], |_| Ok(())).is_err());
    assert!(attach("no-pattern", &[] as &[&str], |_| Ok(())).is_err());
}

#[test]
fn a_handler_may_emit_from_inside_a_handler() {
    attach("relay", &["relay.in"], |e| {
        let n = e.measurement("n").unwrap_or(0.0);
        event("relay.out").measure("n", n + 1.0).try_emit().map_err(|e| e.to_string())
    })
    .unwrap();
    let captured = Capture::open(&["relay.**"]).unwrap();
    event("relay.in").measure("n", 1.0).emit();
    detach("relay");
    let names: Vec<(String, f64)> =
        captured.close().iter().map(|e| (e.name.to_string(), e.measurement("n").unwrap())).collect();
    // Emit order is the order of the emit calls: the outer event first, although the nested one
    // was delivered while the outer one was being dispatched.
    assert_eq!(names, vec![("relay.in".to_owned(), 1.0), ("relay.out".to_owned(), 2.0)]);
}

#[test]
fn a_handler_that_re_triggers_itself_is_stopped_and_detached() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    attach_with_reporter(
        "echo",
        &["echo.loop"],
        move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            event("echo.loop").try_emit().map_err(|e| e.to_string())
        },
        |_| {},
    )
    .unwrap();
    event("echo.loop").emit();
    assert!(!has_subscribers("echo.loop"), "the runaway handler was detached");
    assert!(calls.load(Ordering::SeqCst) <= 17);
}

#[test]
fn a_handler_may_detach_itself() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    attach("once", &["once.ping"], move |_| {
        c.fetch_add(1, Ordering::SeqCst);
        detach("once");
        Ok(())
    })
    .unwrap();
    for _ in 0..3 {
        event("once.ping").emit();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_panicking_handler_is_detached_reported_and_the_emitter_unaffected() {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let r = reports.clone();
    let failures = Capture::open(&[HANDLER_FAILURE_EVENT]).unwrap();
    attach_with_reporter(
        "boom",
        &["boom.event"],
        |_| panic!("handler bug"),
        move |f| r.lock().unwrap().push(f.clone()),
    )
    .unwrap();
    let healthy = Capture::open(&["boom.event"]).unwrap();
    event("boom.event").emit();
    event("boom.event").emit();
    assert_eq!(healthy.close().len(), 2, "other handlers still receive both events");
    let reports = reports.lock().unwrap();
    assert_eq!(reports.len(), 1, "reported once, then detached");
    assert_eq!(reports[0].handler_id, "boom");
    assert!(reports[0].error.contains("handler bug"));
    let failure_events: Vec<_> =
        failures.close().into_iter().filter(|e| e.meta("handler") == Some(&Value::from("boom"))).collect();
    assert_eq!(failure_events.len(), 1);
    assert_eq!(failure_events[0].meta("event"), Some(&Value::from("boom.event")));
}

#[test]
fn a_handler_returning_an_error_is_detached() {
    attach_with_reporter("erring", &["erring.x"], |_| Err("nope".into()), |_| {}).unwrap();
    event("erring.x").emit();
    assert!(!has_subscribers("erring.x"));
}

#[test]
fn assert_emitted_checks_after_the_block_and_returns_its_value() {
    let v = emitted("assert.done").with_meta("id", 7).count(2).run(|| {
        event("assert.done").meta("id", 7).emit();
        event("assert.done").meta("id", 7.0).emit();
        event("assert.done").meta("id", 8).emit();
        "value"
    });
    assert_eq!(v.unwrap(), "value");
    let err = emitted("assert.done").count(1).run(|| {
        event("assert.done").emit();
        event("assert.done").emit();
    });
    assert!(err.unwrap_err().to_string().contains("expected exactly 1 event matching \"assert.done\", found 2"));
}

#[test]
fn assert_emitted_predicate_and_not_emitted() {
    emitted("pred.x")
        .matching(|e| e.measurement("ms").is_some_and(|ms| ms > 10.0))
        .run(|| event("pred.x").measure("ms", 12.0).emit())
        .unwrap();
    let err = not_emitted("pred.*").run(|| event("pred.y").emit()).unwrap_err();
    assert!(err.to_string().contains("expected no event matching \"pred.*\", found 1"), "{err}");
    not_emitted("pred.z").run(|| event("pred.y").emit()).unwrap();
}

#[test]
fn emitted_in_order_is_a_subsequence() {
    emitted_in_order(&["order.a", "order.c"])
        .run(|| {
            for n in ["order.a", "order.b", "order.c"] {
                event(n).emit();
            }
        })
        .unwrap();
    let err = emitted_in_order(&["order.c", "order.a"])
        .run(|| {
            for n in ["order.a", "order.b", "order.c"] {
                event(n).emit();
            }
        })
        .unwrap_err();
    assert!(err.to_string().contains("then nothing matched \"order.a\""), "{err}");
}

#[test]
fn a_failed_assertion_lists_at_most_twenty_events() {
    let err = emitted("many.missing")
        .run(|| {
            for i in 0..25 {
                event("many.present").measure("i", f64::from(i)).emit();
            }
        })
        .unwrap_err();
    let text = err.to_string();
    // Other tests may emit at the same time (the bus is process-wide): at least our 25.
    assert!(text.contains("emitted during the block ("), "{text}");
    assert!(text.contains("\n    … and "), "{text}");
    assert!(text.matches("\n    #").count() == 20 + 3, "20 listed events and 3 near misses: {text}");
    assert!(text.contains("name segment 2 is \"present\", the pattern wants \"missing\""), "{text}");
}

#[test]
fn capture_closes_when_the_block_panics() {
    let result = std::panic::catch_unwind(|| {
        let _ = emitted("unwind.x").run(|| panic!("block failed"));
    });
    assert!(result.is_err());
    assert!(!has_subscribers("unwind.x"), "the capture was closed by the unwind");
}

#[test]
fn events_from_other_threads_are_captured_but_waiting_is_on_state() {
    let done = Arc::new(AtomicU32::new(0));
    let d = done.clone();
    let value = emitted("bg.finished")
        .run(|| {
            thread::spawn(move || {
                event("bg.finished").emit();
                d.store(1, Ordering::SeqCst);
            });
            eventually(|| done.load(Ordering::SeqCst) == 1).run().unwrap()
        })
        .unwrap();
    assert!(value);
}

#[test]
fn handlers_that_re_emit_to_each_other_are_bounded_in_total_work_and_detached() {
    // Three handlers that re-emit and ignore the emit's error, as a C handler returning true
    // does: before the cascade bound, one emit made 3^16 calls (tens of millions).
    let calls = Arc::new(AtomicU32::new(0));
    let failures = Capture::open(&[HANDLER_FAILURE_EVENT]).unwrap();
    for id in ["fan.a", "fan.b", "fan.c"] {
        let c = calls.clone();
        attach_with_reporter(
            id,
            &["fan.go"],
            move |_| {
                // Stops the old unbounded cascade soon enough for the test to fail, not hang.
                if c.fetch_add(1, Ordering::SeqCst) < 200_000 {
                    event("fan.go").emit();
                }
                Ok(())
            },
            |_| {},
        )
        .unwrap();
    }
    event("fan.go").try_emit().expect("the emitter is unaffected");
    let made = calls.load(Ordering::SeqCst);
    assert!(made <= liveness::events::MAX_CASCADE_CALLS + 3, "{made} handler calls for one emit");
    assert!(!has_subscribers("fan.go"), "the handlers whose emits overran were detached");
    let reported: Vec<_> = failures
        .close()
        .into_iter()
        .filter(|e| e.meta("event") == Some(&Value::from("fan.go")))
        .map(|e| e.meta("error").map(|v| v.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(reported.len(), 3, "each failure goes through the handler-failure path: {reported:?}");
    assert!(reported.iter().any(|r| r.contains("re-triggering")), "{reported:?}");
}

#[test]
fn a_handler_that_ignores_the_nesting_error_is_still_detached() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    attach_with_reporter(
        "deaf.echo",
        &["deaf.loop"],
        move |_| {
            c.fetch_add(1, Ordering::SeqCst);
            event("deaf.loop").emit();
            Ok(())
        },
        |_| {},
    )
    .unwrap();
    event("deaf.loop").emit();
    assert!(!has_subscribers("deaf.loop"));
    assert!(calls.load(Ordering::SeqCst) <= 17);
}

#[test]
fn handlers_run_in_attach_order_whatever_their_patterns() {
    let order = Arc::new(Mutex::new(Vec::new()));
    for (id, pattern) in [("ord.1", "ord.**"), ("ord.2", "ord.x.y"), ("ord.3", "*.x.*"), ("ord.4", "ord.x.**")] {
        let o = order.clone();
        attach(id, &[pattern, "ord.x.y"], move |_| {
            o.lock().unwrap().push(id);
            Ok(())
        })
        .unwrap();
    }
    event("ord.x.y").emit();
    for id in ["ord.1", "ord.2", "ord.3", "ord.4"] {
        detach(id);
    }
    assert_eq!(*order.lock().unwrap(), ["ord.1", "ord.2", "ord.3", "ord.4"], "each once, in attach order");
}

#[test]
fn detach_and_wait_returns_only_after_a_call_on_another_thread_ended() {
    use std::sync::atomic::AtomicBool;
    use std::sync::mpsc;
    use std::time::Duration;

    let entered = Arc::new(AtomicBool::new(false));
    let (release, released) = mpsc::channel::<()>();
    let released = Mutex::new(released);
    let e = entered.clone();
    attach("quiet.slow", &["quiet.go"], move |_| {
        e.store(true, Ordering::SeqCst);
        let _ = released.lock().unwrap().recv();
        Ok(())
    })
    .unwrap();
    let emitter = thread::spawn(|| event("quiet.go").emit());
    eventually(|| entered.load(Ordering::SeqCst)).run().unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let d = done.clone();
    let detacher = thread::spawn(move || {
        let found = liveness::events::detach_and_wait("quiet.slow");
        d.store(true, Ordering::SeqCst);
        found
    });
    // Detached at once (no new calls) but still running on the emitter's thread: no return yet.
    eventually(|| !has_subscribers("quiet.go")).run().unwrap();
    liveness::always(|| !done.load(Ordering::SeqCst), Duration::from_millis(100)).run().unwrap();
    release.send(()).unwrap();
    eventually(|| done.load(Ordering::SeqCst)).run().unwrap();
    assert!(detacher.join().unwrap());
    emitter.join().unwrap();
}

#[test]
fn a_handler_may_detach_and_wait_for_itself() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    attach("self.quiet", &["self.quiet"], move |_| {
        c.fetch_add(1, Ordering::SeqCst);
        assert!(liveness::events::detach_and_wait("self.quiet"), "does not wait for its own call");
        Ok(())
    })
    .unwrap();
    event("self.quiet").emit();
    event("self.quiet").emit();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn integer_measurements_stay_integers() {
    let events = liveness::events::Capture::open(&["ints.**"]).unwrap();
    event("ints.counted").measure("count", 1).measure("ratio", 0.5).measure("whole", 2.0).emit();
    let got = events.close();
    let json = got[0].to_json();
    assert!(json.contains(r#""measurements":{"count":1,"ratio":0.5,"whole":2.0}"#), "{json}");
    assert_eq!(got[0].measurement("count"), Some(1.0));
    assert_eq!(got[0].measurements["count"], liveness::events::Number::Float(1.0), "compared by value");
}
