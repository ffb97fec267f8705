//! Seed 004's `ExternalAdder`: a registered singleton whose shutdown finishes on another thread
//! after a varying delay. Until then, starting a new one fails with "already started".

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

static REGISTERED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Starting failed: the previous instance has not unregistered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyStarted(pub String);

impl std::fmt::Display for AlreadyStarted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is already started", self.0)
    }
}

impl std::error::Error for AlreadyStarted {}

/// A running adder, registered under its name.
#[derive(Debug)]
pub struct Adder {
    name: String,
    shutdown: Duration,
}

impl Adder {
    /// Registers and starts; fails while an instance of that name is registered.
    pub fn start(name: &str, shutdown: Duration) -> Result<Adder, AlreadyStarted> {
        let mut guard = REGISTERED.lock().unwrap();
        let names = guard.get_or_insert_with(HashSet::new);
        if !names.insert(name.to_owned()) {
            return Err(AlreadyStarted(name.to_owned()));
        }
        Ok(Adder { name: name.to_owned(), shutdown })
    }

    pub fn add(&self, x: i64, y: i64) -> i64 {
        x + y
    }

    pub fn is_registered(name: &str) -> bool {
        REGISTERED.lock().unwrap().as_ref().is_some_and(|n| n.contains(name))
    }
}

impl Drop for Adder {
    /// Stopping is asynchronous, like a linked process terminating: the name is freed later.
    fn drop(&mut self) {
        let (name, delay) = (std::mem::take(&mut self.name), self.shutdown);
        thread::spawn(move || {
            thread::sleep(delay); // the simulated termination: this delay is the behaviour under test
            if let Some(names) = REGISTERED.lock().unwrap().as_mut() {
                names.remove(&name);
            }
        });
    }
}
