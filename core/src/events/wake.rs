//! Wake hints: an event matching `wake_on`, or a change of a path in `wake_on_path`, makes a
//! waiting poller evaluate at once. The probe still decides; the hint only says "now is a good
//! moment to look".

use std::path::PathBuf;
use std::sync::Arc;

use super::bus::{attach_boxed, detach, internal_id};
use super::path_wake::PathWatch;
use crate::error::Error;

/// Calls `on_wake` for each matching event (and each change of a watched path) while alive;
/// dropping it detaches and unwatches.
pub struct WakeSubscription {
    id: Option<String>,
    paths: Option<PathWatch>,
}

impl WakeSubscription {
    pub fn new<S: AsRef<str>>(patterns: &[S], on_wake: impl Fn() + Send + Sync + 'static) -> Result<Self, Error> {
        Self::for_sources(patterns, &[], "wake_on_path", on_wake)
    }

    /// Every wake source of one wait: event `patterns` (may be empty) and file-system `paths`
    /// (may be empty; an invalid one is an error naming `path_option`, the binding's spelling of
    /// `wake_on_path`).
    pub fn for_sources<S: AsRef<str>>(
        patterns: &[S],
        paths: &[PathBuf],
        path_option: &str,
        on_wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        let on_wake = Arc::new(on_wake);
        let paths = if paths.is_empty() {
            None
        } else {
            let on_wake = Arc::clone(&on_wake);
            Some(PathWatch::new(paths, path_option, move || on_wake())?)
        };
        let id = if patterns.is_empty() {
            None
        } else {
            let id = internal_id("wake");
            attach_boxed(
                &id,
                patterns,
                Box::new(move |_event| {
                    on_wake();
                    Ok(())
                }),
                None,
            )?;
            Some(id)
        };
        Ok(WakeSubscription { id, paths })
    }

    /// Why a path of the subscription is not watched (its wait polls on its schedule), if so.
    pub fn degraded(&self) -> Option<&str> {
        self.paths.as_ref().and_then(PathWatch::degraded)
    }
}

impl Drop for WakeSubscription {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            detach(id);
        }
    }
}
