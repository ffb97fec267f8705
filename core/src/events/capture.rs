//! A capture records every matching event from any thread while it is open (a scoped one: only
//! those of its scope and of no scope).

use std::sync::{Arc, Mutex};

use super::bus::{attach_boxed, detach, internal_id};
use super::event::Event;
use super::scope::{Scope, sees};
use crate::error::Error;

/// An open capture; dropping it closes it.
pub struct Capture {
    id: String,
    events: Arc<Mutex<Vec<Arc<Event>>>>,
}

impl Capture {
    /// Starts recording events that match any of `patterns` (`["**"]` records everything).
    pub fn open<S: AsRef<str>>(patterns: &[S]) -> Result<Capture, Error> {
        Capture::open_in(patterns, None)
    }

    /// Starts recording the matching events emitted in `scope` or a scope nested in it, and
    /// those emitted in no scope at all (SPEC §5, scoped captures); never those of another scope.
    pub fn open_scoped<S: AsRef<str>>(patterns: &[S], scope: &Scope) -> Result<Capture, Error> {
        Capture::open_in(patterns, Some(scope.clone()))
    }

    fn open_in<S: AsRef<str>>(patterns: &[S], scope: Option<Scope>) -> Result<Capture, Error> {
        let id = internal_id("capture");
        let events: Arc<Mutex<Vec<Arc<Event>>>> = Arc::default();
        let sink = events.clone();
        let record = move |event: &Arc<Event>| {
            if scope.as_ref().is_none_or(|mine| sees(mine, event.scope.as_ref())) {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(event.clone());
            }
            Ok(())
        };
        attach_boxed(&id, patterns, Box::new(record), None)?;
        Ok(Capture { id, events })
    }

    /// The events recorded so far, in emit order (the process-wide sequence).
    pub fn events(&self) -> Vec<Arc<Event>> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner()).clone();
        // Each thread appends in its own order; sorting by sequence restores the global order.
        events.sort_by_key(|e| e.seq);
        events
    }

    pub fn len(&self) -> usize {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stops recording and returns what was recorded.
    pub fn close(self) -> Vec<Arc<Event>> {
        detach(&self.id);
        self.events()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        detach(&self.id);
    }
}
