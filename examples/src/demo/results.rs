//! target/demo/<door>.json: one door's measurements, one row per scenario and variant.

use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub scenario: String,
    /// "sleep 50 ms" and the like, or "liveness".
    pub variant: String,
    pub wall_ms: f64,
    pub failures: u64,
    pub tests: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorResults {
    pub door: String,
    pub rows: Vec<Row>,
}

impl DoorResults {
    pub fn write(&self, path: &Path) -> Result<(), String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self).expect("rows serialize");
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn read(path: &Path) -> Result<DoorResults, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not a door's results: {e}", path.display()))
    }
}
