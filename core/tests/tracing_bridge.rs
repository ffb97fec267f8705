//! The `tracing` bridge seen from a test: real `tracing` macros, asserted on with `emitted`.
//!
//! These tests run at once on the test threads and their events are emitted in no scope, which
//! every capture sees: each test uses targets of its own.
#![cfg(feature = "tracing")]

use liveness::events::Value;
use liveness::{emitted, not_emitted};
use tracing_subscriber::layer::SubscriberExt;

fn with_layer<R>(layer: liveness::tracing::EventLayer, f: impl FnOnce() -> R) -> R {
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), f)
}

#[test]
fn an_info_event_becomes_an_event_named_after_its_target_with_typed_fields() {
    let events = with_layer(liveness::tracing::EventLayer::new(), || {
        let capture = liveness::events::Capture::open(&["shop.cart"]).unwrap();
        tracing::info!(target: "shop::cart", sku = 42u64, price = 9.5, gift = true, who = "ann", "item {} added", 7);
        capture.close()
    });
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.name, "shop.cart");
    assert_eq!(e.meta("sku"), Some(&Value::Int(42)));
    assert_eq!(e.meta("price"), Some(&Value::Float(9.5)));
    assert_eq!(e.meta("gift"), Some(&Value::Bool(true)));
    assert_eq!(e.meta("who"), Some(&Value::from("ann")));
    assert_eq!(e.meta("message"), Some(&Value::from("item 7 added")));
    assert_eq!(e.meta("level"), Some(&Value::from("INFO")));
    assert_eq!(e.meta("target"), Some(&Value::from("shop::cart")));
}

#[test]
fn an_event_field_names_the_event_and_assert_emitted_matches_metadata() {
    with_layer(liveness::tracing::EventLayer::new(), || {
        emitted("breaker.opened").with_meta("failures", 3).assert(|| {
            tracing::warn!(event = "breaker.opened", failures = 3, "too many failures");
        });
    });
}

#[test]
fn a_near_miss_is_reported_with_what_was_emitted() {
    let report = with_layer(liveness::tracing::EventLayer::new(), || {
        emitted("breaker.opened").with_meta("failures", 5).run(|| {
            tracing::warn!(event = "breaker.opened", failures = 3, "too many failures");
        })
    })
    .unwrap_err()
    .to_string();
    assert!(report.contains("breaker.opened"), "{report}");
    assert!(report.contains("failures"), "{report}");
}

#[test]
fn spans_close_as_events_when_asked_with_their_duration() {
    let events = with_layer(liveness::tracing::EventLayer::new().with_spans(), || {
        let capture = liveness::events::Capture::open(&["shop.checkout.**"]).unwrap();
        {
            let span = tracing::info_span!(target: "shop::checkout", "pay", order = 12, status = tracing::field::Empty);
            let _entered = span.enter();
            span.record("status", "paid");
        }
        capture.close()
    });
    let closed: Vec<_> = events.iter().filter(|e| e.name == "shop.checkout.pay").collect();
    assert_eq!(closed.len(), 1, "{events:?}");
    assert_eq!(closed[0].meta("order"), Some(&Value::Int(12)));
    assert_eq!(closed[0].meta("status"), Some(&Value::from("paid")));
    assert_eq!(closed[0].meta("span"), Some(&Value::from("pay")));
    assert!(closed[0].measurement("duration_ms").is_some_and(|d| d >= 0.0));
}

#[test]
fn spans_are_not_events_by_default() {
    with_layer(liveness::tracing::EventLayer::new(), || {
        not_emitted("shop.quiet.**").assert(|| {
            let span = tracing::info_span!(target: "shop::quiet", "pay");
            drop(span.enter());
        });
    });
}

#[test]
fn without_the_layer_nothing_is_seen() {
    // The control: the same macro with no bridge installed emits nothing liveness can see.
    not_emitted("shop.unbridged").assert(|| tracing::info!(target: "shop::unbridged", "item added"));
}
