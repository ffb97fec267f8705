//! Wake hints: an event matching `wake_on` makes a waiting poller evaluate at once. The probe
//! still decides; the event only says "now is a good moment to look".

use super::bus::{attach_boxed, detach, internal_id};
use crate::error::Error;

/// Calls `on_wake` for each matching event while alive; dropping it detaches.
pub struct WakeSubscription {
    id: String,
}

impl WakeSubscription {
    pub fn new<S: AsRef<str>>(patterns: &[S], on_wake: impl Fn() + Send + Sync + 'static) -> Result<Self, Error> {
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
        Ok(WakeSubscription { id })
    }
}

impl Drop for WakeSubscription {
    fn drop(&mut self) {
        detach(&self.id);
    }
}
