//! Events: names and patterns, the process-wide bus, handlers, captures, assertions and wake
//! hints, from the bus and from the file system (SPEC §5). Events are for verification; to wait, poll the state with `eventually`.

mod assertion;
mod builder;
mod bus;
mod capture;
mod event;
mod expect;
mod fields;
mod fork;
mod index;
mod name;
mod path_wake;
mod pattern;
mod scope;
mod value;
mod wake;

pub use assertion::{EventReport, LISTED_EVENTS, Where, check_emitted, check_emitted_in_order, check_not_emitted};
pub use builder::{EventBuilder, event};
pub use bus::{
    HANDLER_FAILURE_EVENT, HandlerFailure, HandlerResult, MAX_CASCADE_CALLS, MAX_NESTING, any_attached, attach,
    attach_with_reporter, bus_time, detach, detach_and_wait, emit, emit_event, emit_event_in, emit_named,
    has_subscribers, subscription_generation,
};
pub use capture::Capture;
pub use event::Event;
pub use expect::{Emitted, EmittedInOrder, NotEmitted, emitted, emitted_in_order, not_emitted};
pub use fields::{FieldKey, FieldMap};
pub use name::{EventName, bridge_event_name, bridge_name, validate_name};
pub use path_wake::{PathWatch, validate_paths, waits_watching};
pub use pattern::{Mismatch, Pattern};
pub use scope::{Scope, ScopeGuard, Scoped, scoped, unscoped};
pub use value::{HostValue, MAX_METADATA_LEVEL, MAX_PAYLOAD_DEPTH, Number, Value};
pub use wake::WakeSubscription;
