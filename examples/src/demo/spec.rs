//! demo/scenarios.json: the scenarios every door runs, with their names, delays and sleeps.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Delay {
    pub base_ms: u64,
    pub step: u64,
    pub spread_ms: u64,
    pub tail_every: u64,
    pub tail_ms: u64,
}

impl Delay {
    /// The simulated system's delay for test `i` (the file's `_doc` gives the formula).
    pub fn ms(&self, i: u64) -> u64 {
        if self.tail_every > 0 && i % self.tail_every == self.tail_every - 1 {
            self.tail_ms
        } else {
            self.base_ms + (i * self.step) % self.spread_ms.max(1)
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Hog {
    pub command: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    RestartRace,
    DelayedWrite,
    Breaker,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Load {
    Idle,
    Hog,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub kind: Kind,
    pub load: Load,
    pub tests: u64,
    pub before_sleep_ms: Vec<u64>,
    /// The seed's own figure, printed beside the doors'.
    pub seed: String,
    #[serde(default)]
    pub flush_ms: u64,
    #[serde(default)]
    pub threshold: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    pub delay: Delay,
    pub hog: Hog,
    pub scenarios: Vec<Scenario>,
}

impl Spec {
    pub fn read(path: &Path) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The label of a "before" variant, the same in every door.
pub fn sleep_label(ms: u64) -> String {
    format!("sleep {ms} ms")
}

pub const AFTER: &str = "liveness";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_follows_the_files_formula() {
        let d = Delay { base_ms: 1, step: 37, spread_ms: 8, tail_every: 25, tail_ms: 30 };
        assert_eq!([d.ms(0), d.ms(1), d.ms(2), d.ms(24)], [1, 6, 3, 30]);
    }

    #[test]
    fn the_committed_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/scenarios.json");
        let spec = Spec::read(&path).unwrap();
        assert!(spec.scenarios.iter().any(|s| s.kind == Kind::Breaker));
    }
}
