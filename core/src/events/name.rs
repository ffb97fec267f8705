//! Event names: non-empty `a.b.c`, each segment `[A-Za-z0-9_-]+`.

use std::fmt;
use std::sync::Arc;

use crate::error::Error;

/// A validated event name. Validate once, emit many times for the cheapest possible `emit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventName(Arc<str>);

impl EventName {
    pub fn new(name: &str) -> Result<EventName, Error> {
        validate_name(name)?;
        Ok(EventName(Arc::from(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) const fn is_segment_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// What each byte may be in a name: 0 never, 1 inside a segment, 2 a separator.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if is_segment_byte(b as u8) {
            table[b] = 1;
        }
        b += 1;
    }
    table[b'.' as usize] = 2;
    table
};

/// Checks `name` without allocating: this runs on every emit, even with nothing attached, so it
/// is written without a branch per byte (a name is valid when no byte is foreign and no
/// separator starts, ends or doubles).
pub fn validate_name(name: &str) -> Result<(), Error> {
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return Err(bad_name(name));
    };
    let mut bad = u8::from(first == b'.') | u8::from(last == b'.');
    let mut previous_dot = 0u8;
    for &b in bytes {
        let class = BYTE_CLASS[b as usize];
        let dot = class >> 1;
        bad |= u8::from(class == 0) | (previous_dot & dot);
        previous_dot = dot;
    }
    if bad != 0 { Err(bad_name(name)) } else { Ok(()) }
}

/// The event name a bridge gives what a logger, a `tracing` target or a span is called (SPEC §5,
/// bridges): `::` and `.` separate segments, every other character a segment does not
/// admit becomes `_`, an empty segment becomes `_` — so any text gives a valid name
/// (`shop::cart` → `shop.cart`, `GET /users` → `GET__users`; the vectors are events/bridges.json).
pub fn bridge_name(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, part) in path.split("::").flat_map(|p| p.split('.')).enumerate() {
        if i > 0 {
            out.push('.');
        }
        if part.is_empty() {
            out.push('_');
        }
        out.extend(part.chars().map(|c| if c.is_ascii() && is_segment_byte(c as u8) { c } else { '_' }));
    }
    out
}

/// The name a bridge gives an event (SPEC §5, bridges): the explicit `event` field, extra or
/// attribute when it is a valid event name, else [`bridge_name`] of what the source is called.
/// Each bridge of every door asks this, so that an invalid explicit name falls back the same way.
pub fn bridge_event_name(explicit: Option<&str>, source: &str) -> String {
    match explicit {
        Some(name) if validate_name(name).is_ok() => name.to_owned(),
        _ => bridge_name(source),
    }
}

#[cold]
fn bad_name(name: &str) -> Error {
    Error::invalid_argument(format!(
        "invalid event name {name:?}: expected dot-separated segments of letters, digits, '_' or '-', like \"db.query.done\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dotted_segments() {
        for ok in ["a", "a.b", "db.query-done.v_2", "A9"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "a.", ".a", "a..b", "a b", "a.*", "é"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_explicit_name_is_used_only_when_valid() {
        assert_eq!(bridge_event_name(Some("breaker.opened"), "shop::cart"), "breaker.opened");
        assert_eq!(bridge_event_name(Some("not a name"), "shop::cart"), "shop.cart");
        assert_eq!(bridge_event_name(None, "shop::cart"), "shop.cart");
    }
}
