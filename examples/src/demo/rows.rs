//! One measured row of the demo, as JSON lines shared by every binding (target/demo/<binding>.jsonl).

use std::path::Path;

use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub binding: String,
    pub scenario: String,
    /// "sleep 50 ms" and the like, or "liveness".
    pub variant: String,
    pub wall_ms: f64,
    pub failures: u64,
    pub runs: u64,
}

impl Row {
    pub fn is_liveness(&self) -> bool {
        self.variant == "liveness"
    }

    fn to_json(&self) -> Value {
        json!({"binding": self.binding, "scenario": self.scenario, "variant": self.variant,
               "wall_ms": self.wall_ms, "failures": self.failures, "runs": self.runs})
    }

    fn from_json(v: &Value) -> Option<Row> {
        Some(Row {
            binding: v.get("binding")?.as_str()?.to_owned(),
            scenario: v.get("scenario")?.as_str()?.to_owned(),
            variant: v.get("variant")?.as_str()?.to_owned(),
            wall_ms: v.get("wall_ms")?.as_f64()?,
            failures: v.get("failures")?.as_u64()?,
            runs: v.get("runs")?.as_u64()?,
        })
    }
}

pub fn write(path: &Path, rows: &[Row]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text: String = rows.iter().map(|r| format!("{}\n", r.to_json())).collect();
    std::fs::write(path, text)
}

/// Every row of every `*.jsonl` in `dir`, in file-name order; a malformed line is an error.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<Row>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for file in files {
        for (n, line) in std::fs::read_to_string(&file)?.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row = serde_json::from_str::<Value>(line).ok().as_ref().and_then(Row::from_json).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}:{}: not a demo row", file.display(), n + 1),
                )
            })?;
            rows.push(row);
        }
    }
    Ok(rows)
}
