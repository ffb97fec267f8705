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

pub(crate) fn is_segment_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Checks `name` without allocating: this runs on every emit, even with nothing attached.
pub fn validate_name(name: &str) -> Result<(), Error> {
    let bytes = name.as_bytes();
    let mut segment_len = 0usize;
    for &b in bytes {
        if b == b'.' {
            if segment_len == 0 {
                return Err(bad_name(name));
            }
            segment_len = 0;
        } else if is_segment_byte(b) {
            segment_len += 1;
        } else {
            return Err(bad_name(name));
        }
    }
    if segment_len == 0 {
        return Err(bad_name(name));
    }
    Ok(())
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
}
