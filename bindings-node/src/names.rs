//! Event names interned per JavaScript thread: the TypeScript `emit` registers each distinct name
//! once (validated then), and every captured emit passes its small integer id instead of the
//! string, so no string is read from V8, checked or hashed per emit.
//!
//! The table is per thread, as a JavaScript environment (the main thread, a Worker) is, and the
//! same name always gets the same id: several copies of the TypeScript layer on one thread (Jest's
//! module registries) share it safely. It is never cleared, so an id stays valid; past
//! [`NAMES_MAX`] names nothing more is interned and such names take the JSON path.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use liveness::events;
use napi_derive::napi;

use crate::errors::{Result, invalid_argument, to_napi};

/// The most names a thread interns (a program emitting more distinct names is not the usual one).
const NAMES_MAX: usize = 65_536;

#[derive(Default)]
struct Names {
    ids: HashMap<Rc<str>, u32>,
    names: Vec<Rc<str>>,
}

thread_local! {
    static NAMES: RefCell<Names> = RefCell::new(Names::default());
}

/// Validates `name` (a TypeError for an invalid one) and gives its id on this thread, or -1 once
/// the table is full (the caller then emits with the name itself).
#[napi(catch_unwind)]
pub fn intern_name(name: String) -> Result<i32> {
    events::validate_name(&name).map_err(to_napi)?;
    Ok(NAMES.with(|table| {
        let mut table = table.borrow_mut();
        if let Some(id) = table.ids.get(name.as_str()) {
            return *id as i32;
        }
        if table.names.len() >= NAMES_MAX {
            return -1;
        }
        let id = table.names.len() as u32;
        let name: Rc<str> = name.into();
        table.names.push(name.clone());
        table.ids.insert(name, id);
        id as i32
    }))
}

/// The name interned under `id` on this thread. A clone, so that an emit from a handler (which
/// may intern a name) never meets the table borrowed.
pub fn interned(id: u32) -> Result<Rc<str>> {
    NAMES
        .with(|table| table.borrow().names.get(id as usize).cloned())
        .ok_or_else(|| invalid_argument(format!("emitFlat: no event name has the id {id} (a liveness bug)")))
}
