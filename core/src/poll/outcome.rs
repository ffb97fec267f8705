//! What one evaluation produced, as the binding judged it.

use std::borrow::Cow;
use std::fmt;

/// A failure's text: borrowed when it is a constant (a `false` returned, a C probe's bare
/// `false`), so the rejections of a busy wait allocate nothing; owned when a binding rendered it.
pub type Text = Cow<'static, str>;

/// Why an evaluation did not count as accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The probe raised: an exception, a rejected Promise, a Rust panic or `Err`, a C failure.
    Raised { kind: Text, text: Text },
    /// The probe returned a value that is not accepted, shown in the binding's repr. `nullish` marks
    /// `None`/`null`/`undefined`, so that a block of assertions handed to `eventually` by mistake
    /// gets a hint.
    Returned { repr: Text, nullish: bool },
}

impl Failure {
    pub fn raised(kind: impl Into<Text>, text: impl Into<Text>) -> Self {
        Failure::Raised { kind: kind.into(), text: text.into() }
    }

    pub fn returned(repr: impl Into<Text>, nullish: bool) -> Self {
        Failure::Returned { repr: repr.into(), nullish }
    }

    /// `eventually_changes` saw the baseline again: the Poller words it, once for every binding.
    pub(crate) fn unchanged(repr: impl fmt::Display) -> Self {
        Failure::Returned { repr: format!("{repr} (unchanged)").into(), nullish: false }
    }

    /// Whether `other` is the same failure: as `==`, but a text that is the very same constant
    /// on both sides (a busy wait's repeated `false`) is not compared byte by byte.
    #[inline]
    pub(crate) fn same_as(&self, other: &Failure) -> bool {
        fn same(a: &Text, b: &Text) -> bool {
            std::ptr::eq(a.as_ref(), b.as_ref()) || a == b
        }
        match (self, other) {
            (Failure::Raised { kind, text }, Failure::Raised { kind: k, text: t }) => same(kind, k) && same(text, t),
            (Failure::Returned { repr, nullish }, Failure::Returned { repr: r, nullish: n }) => {
                nullish == n && same(repr, r)
            }
            _ => false,
        }
    }

    /// The error type's name, or `None` for a rejected value.
    pub fn kind(&self) -> Option<&str> {
        match self {
            Failure::Raised { kind, .. } => Some(kind.as_ref()),
            Failure::Returned { .. } => None,
        }
    }

    /// A one-line label for the history: the whole text on one line (a multi-line message, such
    /// as Jest's `expect(received).toBe(expected)` with its Expected/Received lines, compacted),
    /// cut from the middle so that its end survives: the end is where the values that tell two
    /// runs apart usually are.
    pub(crate) fn label(&self) -> String {
        const MAX: usize = 60;
        let full = match self {
            Failure::Raised { kind, text } if text.is_empty() => kind.to_string(),
            Failure::Raised { kind, text } => format!("{kind} {}", one_line(text)),
            Failure::Returned { repr, .. } => format!("returned {}", one_line(repr)),
        };
        shorten_middle(&full, MAX)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Raised { kind, text } if text.is_empty() => f.write_str(kind),
            Failure::Raised { kind, text } => write!(f, "{kind}: {text}"),
            Failure::Returned { repr, .. } => write!(f, "returned {repr}"),
        }
    }
}

/// One evaluation's result, as the binding judged it by the operation's acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted by the operation's rule. `text` is the value's repr; only `never` needs it (its
    /// failure shows the value that held), so bindings may leave it out elsewhere.
    Accepted {
        text: Option<String>,
    },
    Rejected(Failure),
}

/// The lines of `text` joined by single spaces, blank lines and indentation dropped.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `text` in at most `max` characters: its start and its end, with "…" for what was cut.
fn shorten_middle(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let head = (max - 1) * 2 / 5;
    let tail = max - 1 - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{}…{}", start.trim_end(), end.trim_start())
}

pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

/// The length (in chars) of a binding's repr in a report line.
const REPR_MAX_CHARS: usize = 200;

/// Cuts a binding's repr to a length that fits in a report line.
pub fn shorten_repr(repr: &str) -> String {
    shorten(repr, REPR_MAX_CHARS)
}

/// `shorten_repr` of a repr the binding already owns: kept as it is when it fits, so a door that
/// reports a value's text per evaluation does not copy it each time.
pub fn shorten_repr_owned(repr: String) -> String {
    if repr.chars().count() <= REPR_MAX_CHARS { repr } else { shorten(&repr, REPR_MAX_CHARS) }
}

#[cfg(test)]
mod tests {
    use super::{Failure, shorten_repr, shorten_repr_owned};

    #[test]
    fn an_owned_repr_is_shortened_as_a_borrowed_one() {
        for text in ["false".to_owned(), "é".repeat(200), "é".repeat(201), "x".repeat(500)] {
            assert_eq!(shorten_repr_owned(text.clone()), shorten_repr(&text));
        }
    }

    #[test]
    fn labels_keep_what_tells_two_failures_apart() {
        let jest = |received: u32| {
            Failure::raised(
                "Error",
                format!("expect(received).toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: {received}"),
            )
        };
        let (one, two) = (jest(1).label(), jest(2).label());
        assert_ne!(one, two, "the runs must not look identical");
        assert!(one.ends_with("Expected: 3 Received: 1"), "{one}");
        assert!(one.chars().count() <= 60 && one.starts_with("Error expect(received)"), "{one}");
        assert_eq!(Failure::returned("false", false).label(), "returned false");
    }
}
