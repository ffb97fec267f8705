//! The `[lint]` configuration: `liveness.toml` (`[lint]`), `pyproject.toml`
//! (`[tool.liveness.lint]`) or `package.json` (`"liveness": {"lint": …}`), the nearest one up from
//! the file linted, or the one given with `--config`.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    /// The folder the globs are relative to: the config file's own.
    pub root: PathBuf,
    /// The file it came from (none for the defaults).
    pub source: Option<PathBuf>,
    /// Files that are test code even though no convention says so.
    pub include: Vec<String>,
    /// Files and folders that are never linted.
    pub exclude: Vec<String>,
    /// Whether the languages' conventions (tests/, test_*.py, *_test.go, …) decide too.
    pub conventions: bool,
}

impl Config {
    pub fn defaults(root: PathBuf) -> Config {
        Config { root, source: None, include: vec![], exclude: vec![], conventions: true }
    }

    /// The config a file in `dir` gets: the nearest config file from `dir` up.
    pub fn nearest(dir: &Path) -> Result<Option<Config>, String> {
        let mut cur = Some(dir);
        while let Some(d) = cur {
            for name in ["liveness.toml", "pyproject.toml", "package.json"] {
                let file = d.join(name);
                if file.is_file() {
                    if let Some(c) = Config::load(&file)? {
                        return Ok(Some(c));
                    }
                }
            }
            cur = d.parent();
        }
        Ok(None)
    }

    /// A config file; `None` for a pyproject.toml or package.json that says nothing of liveness.
    pub fn load(file: &Path) -> Result<Option<Config>, String> {
        let err = |e: &dyn std::fmt::Display| format!("{}: {e}", file.display());
        let body = std::fs::read_to_string(file).map_err(|e| err(&e))?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let table: serde_json::Value = if name == "package.json" {
            let v: serde_json::Value = serde_json::from_str(&body).map_err(|e| err(&e))?;
            match v.get("liveness") {
                None => return Ok(None),
                Some(l) => l.get("lint").cloned().unwrap_or(serde_json::json!({})),
            }
        } else {
            let v: toml::Table = toml::from_str(&body).map_err(|e| err(&e))?;
            let v = serde_json::to_value(v).map_err(|e| err(&e))?;
            if name == "pyproject.toml" {
                match v.pointer("/tool/liveness") {
                    None => return Ok(None),
                    Some(l) => l.get("lint").cloned().unwrap_or(serde_json::json!({})),
                }
            } else {
                v.get("lint").cloned().unwrap_or(serde_json::json!({}))
            }
        };
        let root = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut c = Config::defaults(root);
        c.source = Some(file.to_path_buf());
        let obj = table.as_object().ok_or_else(|| err(&"the lint section must be a table"))?;
        for (k, v) in obj {
            match k.as_str() {
                "include" | "exclude" => {
                    let list = v
                        .as_array()
                        .and_then(|a| a.iter().map(|x| x.as_str().map(String::from)).collect::<Option<Vec<_>>>())
                        .ok_or_else(|| err(&format!("lint.{k} must be a list of glob strings")))?;
                    if k == "include" { c.include = list } else { c.exclude = list }
                }
                "conventions" => {
                    c.conventions = v.as_bool().ok_or_else(|| err(&"lint.conventions must be true or false"))?
                }
                _ => return Err(err(&format!("unknown key lint.{k} (known: include, exclude, conventions)"))),
            }
        }
        Ok(Some(c))
    }
}
