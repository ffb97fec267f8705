//! The event assertions of SPEC §5, as pure checks over what a capture recorded during a block.
//! Each binding opens a capture of everything, runs the block its own way, then calls these.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::event::Event;
use super::pattern::Pattern;
use super::value::Value;
use crate::error::Error;

/// Which events count, beyond their name.
pub enum Where<'a> {
    Any,
    /// A subset match: every listed key present with an equal value.
    Metadata(BTreeMap<String, Value>),
    /// The binding's predicate on the event.
    Predicate(&'a dyn Fn(&Event) -> bool),
}

impl Where<'_> {
    fn accepts(&self, event: &Event) -> bool {
        match self {
            Where::Any => true,
            Where::Metadata(want) => want.iter().all(|(k, v)| event.metadata.get(k) == Some(v)),
            Where::Predicate(p) => p(event),
        }
    }

    fn describe(&self) -> String {
        match self {
            Where::Any => String::new(),
            Where::Metadata(want) => format!(" where {}", Value::Map(want.clone()).to_json()),
            Where::Predicate(_) => " where <predicate>".to_owned(),
        }
    }

    /// Why an event with the right name is still not accepted.
    fn explain(&self, event: &Event) -> String {
        match self {
            Where::Any => String::new(),
            Where::Predicate(_) => "the where predicate returned false".to_owned(),
            Where::Metadata(want) => want
                .iter()
                .filter_map(|(k, v)| match event.metadata.get(k) {
                    None => Some(format!("metadata {k:?} missing, expected {v:?}")),
                    Some(got) if got != v => Some(format!("metadata {k:?} is {got:?}, expected {v:?}")),
                    Some(_) => None,
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    fn agreeing_keys(&self, event: &Event) -> usize {
        match self {
            Where::Metadata(want) => want.iter().filter(|(k, v)| event.metadata.get(k) == Some(*v)).count(),
            _ => 0,
        }
    }
}

/// What a failed event assertion expected, and what the block emitted instead.
#[derive(Debug, Clone, PartialEq)]
pub struct EventReport {
    /// The first line: what was expected and what was found.
    pub expectation: String,
    /// Every event emitted during the block, in order.
    pub events: Vec<Arc<Event>>,
    /// The closest events and what did not match: (position in `events`, explanation).
    pub near_misses: Vec<(usize, String)>,
}

/// At most this many emitted events are listed in a report.
pub const LISTED_EVENTS: usize = 20;
const NEAR_MISSES: usize = 3;

impl fmt::Display for EventReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expectation)?;
        if self.events.is_empty() {
            return f.write_str("\n  no events were emitted during the block");
        }
        let n = self.events.len();
        write!(f, "\n  emitted during the block ({n} event{}):", if n == 1 { "" } else { "s" })?;
        for (i, e) in self.events.iter().take(LISTED_EVENTS).enumerate() {
            write!(f, "\n    #{} {}", i + 1, e.summary())?;
        }
        if n > LISTED_EVENTS {
            write!(f, "\n    … and {} more", n - LISTED_EVENTS)?;
        }
        if !self.near_misses.is_empty() {
            f.write_str("\n  near misses:")?;
            for (i, why) in &self.near_misses {
                write!(f, "\n    #{} {}: {why}", i + 1, self.events[*i].name)?;
            }
        }
        Ok(())
    }
}

fn fail(expectation: String, events: &[Arc<Event>], near_misses: Vec<(usize, String)>) -> Error {
    Error::EventAssertion { report: Box::new(EventReport { expectation, events: events.to_vec(), near_misses }) }
}

/// Finds the events closest to matching, for the report.
fn near_misses(events: &[Arc<Event>], pattern: &Pattern, where_: &Where) -> Vec<(usize, String)> {
    let mut scored: Vec<(usize, usize, String)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (score, why) = match pattern.mismatch(&e.name) {
                None if where_.accepts(e) => return None,
                None => (100 + where_.agreeing_keys(e), where_.explain(e)),
                Some(m) => (pattern.agreement(&e.name), format!("name {m}")),
            };
            (score > 0).then_some((score, i, why))
        })
        .map(|(score, i, why)| (usize::MAX - score, i, why))
        .collect();
    scored.sort();
    scored.into_iter().take(NEAR_MISSES).map(|(_, i, why)| (i, why)).collect()
}

fn matching<'e>(events: &'e [Arc<Event>], pattern: &Pattern, where_: &Where) -> Vec<(usize, &'e Arc<Event>)> {
    events.iter().enumerate().filter(|(_, e)| pattern.matches(&e.name) && where_.accepts(e)).collect()
}

/// At least one (or exactly `count`) event matches `pattern` and `where_`.
pub fn check_emitted(events: &[Arc<Event>], pattern: &str, where_: &Where, count: Option<usize>) -> Result<(), Error> {
    let pattern = Pattern::new(pattern)?;
    let found = matching(events, &pattern, where_).len();
    let ok = match count {
        Some(n) => found == n,
        None => found > 0,
    };
    if ok {
        return Ok(());
    }
    let wanted = match count {
        Some(n) => format!("exactly {n} event{}", if n == 1 { "" } else { "s" }),
        None => "at least one event".to_owned(),
    };
    let expectation = format!("expected {wanted} matching {:?}{}, found {found}", pattern.as_str(), where_.describe());
    Err(fail(expectation, events, near_misses(events, &pattern, where_)))
}

/// No event matches `pattern` and `where_`.
pub fn check_not_emitted(events: &[Arc<Event>], pattern: &str, where_: &Where) -> Result<(), Error> {
    let pattern = Pattern::new(pattern)?;
    let found = matching(events, &pattern, where_);
    if found.is_empty() {
        return Ok(());
    }
    let offenders: Vec<(usize, String)> =
        found.iter().take(NEAR_MISSES).map(|(i, _)| (*i, "matched".to_owned())).collect();
    let expectation = format!(
        "expected no event matching {:?}{}, found {} (first: #{})",
        pattern.as_str(),
        where_.describe(),
        found.len(),
        found[0].0 + 1
    );
    Err(fail(expectation, events, offenders))
}

/// Events matching `patterns` were emitted in this order (other events may come between).
pub fn check_emitted_in_order<S: AsRef<str>>(events: &[Arc<Event>], patterns: &[S]) -> Result<(), Error> {
    if patterns.is_empty() {
        return Err(Error::invalid_argument("emitted_in_order needs at least one pattern"));
    }
    let parsed = patterns.iter().map(|p| Pattern::new(p.as_ref())).collect::<Result<Vec<_>, _>>()?;
    let mut position = 0usize;
    let mut matched: Vec<usize> = Vec::new();
    for pattern in &parsed {
        match events[position..].iter().position(|e| pattern.matches(&e.name)) {
            Some(offset) => {
                matched.push(position + offset);
                position += offset + 1;
            }
            None => {
                let listed: Vec<String> = parsed.iter().map(|p| format!("{:?}", p.as_str())).collect();
                let progress = match matched.last() {
                    None => format!("nothing matched {:?}", pattern.as_str()),
                    Some(last) => format!(
                        "the first {} matched (last at #{}), then nothing matched {:?}",
                        matched.len(),
                        last + 1,
                        pattern.as_str()
                    ),
                };
                let expectation = format!("expected events matching {} in this order; {progress}", listed.join(", "));
                let near = near_misses(events, pattern, &Where::Any);
                return Err(fail(expectation, events, near));
            }
        }
    }
    Ok(())
}
