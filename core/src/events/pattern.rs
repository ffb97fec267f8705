//! Patterns over event names: exact segments, `*` for one segment, a trailing `**` for zero or
//! more segments.

use std::fmt;

use super::name::is_segment_byte;
use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Exact(String),
    AnyOne,
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    segments: Vec<Segment>,
    /// Ends in `**`: any number of further segments, including none.
    open_tail: bool,
}

/// How a name failed to match a pattern, for near-miss reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// Segment `index` (0-based) differs.
    Segment { index: usize, got: String, wanted: String },
    /// The name has a different number of segments.
    Length { got: usize, wanted: String },
}

impl Pattern {
    pub fn new(text: &str) -> Result<Pattern, Error> {
        let parts: Vec<&str> = text.split('.').collect();
        let mut segments = Vec::with_capacity(parts.len());
        let mut open_tail = false;
        for (i, part) in parts.iter().enumerate() {
            match *part {
                "**" if i == parts.len() - 1 => open_tail = true,
                "**" => return Err(bad_pattern(text, "`**` may only be the last segment")),
                "*" => segments.push(Segment::AnyOne),
                "" => return Err(bad_pattern(text, "empty segment")),
                p if p.bytes().all(is_segment_byte) => segments.push(Segment::Exact(p.to_owned())),
                _ => return Err(bad_pattern(text, "segments are letters, digits, '_', '-', `*` or a final `**`")),
            }
        }
        Ok(Pattern { text: text.to_owned(), segments, open_tail })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, name: &str) -> bool {
        self.mismatch(name).is_none()
    }

    /// `None` when `name` matches; else the first difference.
    pub fn mismatch(&self, name: &str) -> Option<Mismatch> {
        let mut parts = name.split('.');
        for (index, segment) in self.segments.iter().enumerate() {
            let Some(part) = parts.next() else {
                return Some(Mismatch::Length { got: index, wanted: self.wanted_len() });
            };
            if let Segment::Exact(want) = segment {
                if want != part {
                    return Some(Mismatch::Segment { index, got: part.to_owned(), wanted: want.clone() });
                }
            }
        }
        let rest = parts.count();
        if rest > 0 && !self.open_tail {
            return Some(Mismatch::Length { got: self.segments.len() + rest, wanted: self.wanted_len() });
        }
        None
    }

    /// How many leading segments of `name` agree with the pattern: the closeness of a near miss.
    pub fn agreement(&self, name: &str) -> usize {
        name.split('.')
            .zip(&self.segments)
            .take_while(|(part, seg)| match seg {
                Segment::AnyOne => true,
                Segment::Exact(want) => want == part,
            })
            .count()
    }

    /// The pattern's fixed segments, `None` for `*` (the bus's index is keyed by them).
    pub(crate) fn index_key(&self) -> impl Iterator<Item = Option<&str>> {
        self.segments.iter().map(|s| match s {
            Segment::Exact(text) => Some(text.as_str()),
            Segment::AnyOne => None,
        })
    }

    /// Ends in `**`.
    pub(crate) fn has_open_tail(&self) -> bool {
        self.open_tail
    }

    fn wanted_len(&self) -> String {
        if self.open_tail { format!("at least {}", self.segments.len()) } else { self.segments.len().to_string() }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Segment { index, got, wanted } => {
                write!(f, "segment {} is {got:?}, the pattern wants {wanted:?}", index + 1)
            }
            Mismatch::Length { got, wanted } => write!(f, "{got} segments, the pattern wants {wanted}"),
        }
    }
}

#[cold]
fn bad_pattern(text: &str, why: &str) -> Error {
    Error::invalid_argument(format!("invalid event pattern {text:?}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Pattern {
        Pattern::new(s).unwrap()
    }

    #[test]
    fn wildcards() {
        assert!(p("a.b.c").matches("a.b.c"));
        assert!(!p("a.b.c").matches("a.b"));
        assert!(p("a.*.c").matches("a.x.c"));
        assert!(!p("a.*.c").matches("a.x.y.c"));
        assert!(p("a.**").matches("a"));
        assert!(p("a.**").matches("a.b.c.d"));
        assert!(!p("a.**").matches("b.a"));
        assert!(p("**").matches("anything.at.all"));
        assert!(p("*.done").matches("x.done"));
    }

    #[test]
    fn bad_patterns() {
        for bad in ["", "a..b", "a.**.b", "**x", "a b", "a.*x"] {
            assert!(Pattern::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mismatches_say_where() {
        let m = p("breaker.state_change").mismatch("breaker.state_changed").unwrap();
        assert_eq!(m.to_string(), "segment 2 is \"state_changed\", the pattern wants \"state_change\"");
        assert_eq!(p("a.b").agreement("a.c"), 1);
    }
}
