//! The engine of `liveness lint`: finds the sleeps used as waits in test code, in Python,
//! JavaScript, TypeScript (and TSX), Rust, C, C++, Go, Java and Elixir, by parsing each file with
//! its tree-sitter grammar. One engine for every door: the `liveness` binary, and the Python and
//! Node packages through their native modules.

pub mod cli;
pub mod config;
pub mod glob;
pub mod lang;
pub mod output;
pub mod rules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use config::Config;
pub use lang::Lang;
pub use rules::Rule;

/// The marker of an allow comment: `liveness: allow-sleep(reason)`.
pub const ALLOW_MARKER: &str = "liveness: allow-sleep";

/// One sleep used as a wait in test code (or one allow comment without a reason).
#[derive(Clone, Debug)]
pub struct Finding {
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub rule: &'static Rule,
    pub lang: Lang,
    /// The call's text (its first line).
    pub call: String,
    /// Why it is flagged.
    pub message: String,
    /// What to write instead, in the file's language.
    pub suggestion: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Files parsed (in a language the linter reads, not excluded).
    pub files_scanned: usize,
    /// Of those, the ones that are test code as a whole (by convention or `include`).
    pub test_files: usize,
}

/// Whether a file is test code by its language's conventions; `rel` is its path relative to the
/// config's folder (or to the folder linted), with `/` between segments.
pub fn is_test_path(rel: &str, lang: Lang) -> bool {
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let Some((name, dirs)) = parts.split_last() else { return false };
    if dirs.iter().any(|d| matches!(*d, "tests" | "test" | "__tests__")) {
        return true;
    }
    if name.contains(".test.") || name.contains(".spec.") {
        return true;
    }
    let stem = name.split('.').next().unwrap_or(name);
    match lang {
        Lang::Python => {
            name.ends_with(".py") && (stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest")
        }
        Lang::Go => name.ends_with("_test.go"),
        Lang::Elixir => name.ends_with("_test.exs"),
        Lang::Java => stem.ends_with("Test") || stem.ends_with("Tests") || stem.ends_with("IT"),
        Lang::C | Lang::Cpp => stem.starts_with("test_") || stem.ends_with("_test"),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Rust => false,
    }
}

/// What an allow comment says: `Some(Some(reason))`, `Some(None)` (no reason), or `None` (no allow).
pub fn parse_allow(comment: &str) -> Option<Option<String>> {
    let at = comment.find(ALLOW_MARKER)?;
    let rest = &comment[at + ALLOW_MARKER.len()..];
    let Some(inner) = rest.strip_prefix('(') else { return Some(None) };
    let mut depth = 1;
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let reason = inner[..i].trim();
                    return Some((!reason.is_empty()).then(|| reason.to_string()));
                }
            }
            _ => {}
        }
    }
    Some(None)
}

/// Lints one file's text. `test_file`: the whole file is test code (by path or config); in Rust,
/// `#[cfg(test)]` modules and `#[test]` functions are test code in any file.
pub fn lint_source(path: &str, lang: Lang, src: &str, test_file: bool) -> Vec<Finding> {
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(&lang.grammar()).is_err() {
        return vec![];
    }
    let Some(tree) = parser.parse(src, None) else { return vec![] };
    let bytes = src.as_bytes();
    let root = tree.root_node();
    let position = |node: tree_sitter::Node| {
        let p = node.start_position();
        let line_start = node.start_byte() - p.column;
        let column = src.get(line_start..node.start_byte()).map_or(p.column, |s| s.chars().count()) + 1;
        (p.row + 1, column)
    };
    let mut findings = Vec::new();
    // Allow comments, by the (1-based) line each covers: its own and the next.
    let mut allowed: HashMap<usize, bool> = HashMap::new();
    rules::visit(root, &mut |n| {
        if !n.kind().contains("comment") || n.parent().is_some_and(|p| p.kind().contains("comment")) {
            return;
        }
        let Some(allow) = parse_allow(rules::text(n, bytes)) else { return };
        let line = n.end_position().row + 1;
        allowed.insert(line, allow.is_some());
        allowed.entry(line + 1).or_insert(allow.is_some());
        if allow.is_none() {
            let (line, column) = position(n);
            findings.push(Finding {
                path: path.to_string(),
                line,
                column,
                rule: rules::ALLOW_NO_REASON,
                lang,
                call: first_line(rules::text(n, bytes)),
                message: rules::ALLOW_NO_REASON.why.to_string(),
                suggestion: format!(
                    "give the reason: `{} {ALLOW_MARKER}(why this sleep is the behaviour under test)`",
                    lang.comment_prefix()
                ),
            });
        }
    });
    for hit in rules::find(lang, root, bytes) {
        if !(test_file || hit.in_test_region) {
            continue;
        }
        let (line, column) = position(hit.node);
        if allowed.get(&line) == Some(&true) {
            continue;
        }
        findings.push(Finding {
            path: path.to_string(),
            line,
            column,
            rule: hit.rule,
            lang,
            call: first_line(rules::text(hit.node, bytes)),
            message: hit.rule.why.to_string(),
            suggestion: format!(
                "{}; if the sleep is the behaviour under test (a simulated system's delay), say so: `{} {ALLOW_MARKER}(reason)`",
                lang.suggestion(),
                lang.comment_prefix()
            ),
        });
    }
    findings.sort_by_key(|f| (f.line, f.column));
    findings
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim_end();
    let more = s.lines().nth(1).is_some();
    let mut out: String = line.chars().take(120).collect();
    if more || line.chars().count() > 120 {
        out.push_str(" …");
    }
    out
}

/// Folders the walk never enters (a path given explicitly is still linted).
fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || matches!(name, "node_modules" | "target" | "__pycache__")
}

fn rel_to(path: &Path, base: &Path) -> Option<String> {
    let r = path.strip_prefix(base).ok()?;
    Some(r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

/// A file to lint, decided by the walk (which is cheap and in order); the parsing is shared out.
struct Job {
    shown: String,
    abs: PathBuf,
    lang: Lang,
    test_file: bool,
}

impl Job {
    fn run(&self) -> Result<Vec<Finding>, String> {
        let bytes = std::fs::read(&self.abs).map_err(|e| format!("{}: {e}", self.shown))?;
        Ok(lint_source(&self.shown, self.lang, &String::from_utf8_lossy(&bytes), self.test_file))
    }
}

struct Walker {
    forced: Option<Config>,
    cache: HashMap<PathBuf, Option<Config>>,
    jobs: Vec<Job>,
}

impl Walker {
    fn config_for(&mut self, dir: &Path) -> Result<Option<Config>, String> {
        if let Some(c) = &self.forced {
            return Ok(Some(c.clone()));
        }
        if let Some(c) = self.cache.get(dir) {
            return Ok(c.clone());
        }
        let c = Config::nearest(dir)?;
        self.cache.insert(dir.to_path_buf(), c.clone());
        Ok(c)
    }

    /// `base`: what paths are relative to when no config says (the folder given to the command).
    fn file(&mut self, display: &Path, abs: &Path, base: &Path, explicit: bool) -> Result<(), String> {
        let Some(lang) = Lang::from_path(abs) else { return Ok(()) };
        let dir = abs.parent().unwrap_or(Path::new("/"));
        let config = self.config_for(dir)?;
        let (rel, include, conventions) = match &config {
            Some(c) => match rel_to(abs, &c.root) {
                Some(rel) => {
                    if !explicit && c.exclude.iter().any(|g| glob::matches(g, &rel)) {
                        return Ok(());
                    }
                    let include = c.include.iter().any(|g| glob::matches(g, &rel));
                    (rel, include, c.conventions)
                }
                None => (rel_to(abs, base).unwrap_or_else(|| display.to_string_lossy().into()), false, c.conventions),
            },
            None => (rel_to(abs, base).unwrap_or_else(|| display.to_string_lossy().into()), false, true),
        };
        let test_file = include || conventions && is_test_path(&rel, lang);
        let shown = display.to_string_lossy();
        let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
        self.jobs.push(Job { shown, abs: abs.to_path_buf(), lang, test_file });
        Ok(())
    }

    fn dir(&mut self, display: &Path, abs: &Path, base: &Path) -> Result<(), String> {
        let mut entries: Vec<_> =
            std::fs::read_dir(abs).map_err(|e| format!("{}: {e}", display.display()))?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        let config = self.config_for(abs)?;
        for e in entries {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = e.file_type() else { continue };
            let (d, a) = (display.join(&*name), abs.join(&*name));
            if ft.is_dir() {
                if skipped_dir(&name) {
                    continue;
                }
                if let Some(c) = &config {
                    if let Some(rel) = rel_to(&a, &c.root) {
                        if c.exclude.iter().any(|g| glob::matches_dir(g, &rel)) {
                            continue;
                        }
                    }
                }
                self.dir(&d, &a, base)?;
            } else if ft.is_file() {
                self.file(&d, &a, base, false)?;
            }
        }
        Ok(())
    }
}

/// Lints files and folders (recursively). `config`: one config file for everything, instead of
/// the nearest one up from each file. Errors are usage or config errors (a missing path, a bad
/// config file).
pub fn lint_paths(paths: &[PathBuf], config: Option<&Path>) -> Result<Report, String> {
    let forced = match config {
        None => None,
        Some(file) => {
            let abs = std::path::absolute(file).map_err(|e| format!("{}: {e}", file.display()))?;
            match Config::load(&abs)? {
                Some(c) => Some(c),
                None => Some(Config {
                    source: Some(abs.clone()),
                    ..Config::defaults(abs.parent().unwrap_or(Path::new("/")).into())
                }),
            }
        }
    };
    let mut w = Walker { forced, cache: HashMap::new(), jobs: Vec::new() };
    for p in paths {
        let abs = std::path::absolute(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let meta = std::fs::metadata(&abs).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            w.dir(p, &abs, &abs)?;
        } else {
            // A file named on the command line: its path from the current folder decides.
            let base = std::env::current_dir().unwrap_or_default();
            w.file(p, &abs, &base, true)?;
        }
    }
    // Parsing is the cost: one thread per core, each on every n-th file, the results put back in
    // the walk's order.
    let jobs = w.jobs;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 16).min(jobs.len().max(1));
    let mut results: Vec<Option<Result<Vec<Finding>, String>>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let jobs = &jobs;
                scope.spawn(move || (t..jobs.len()).step_by(threads).map(|i| (i, jobs[i].run())).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("a lint thread panicked") {
                results[i] = Some(r);
            }
        }
    });
    let mut report = Report {
        files_scanned: jobs.len(),
        test_files: jobs.iter().filter(|j| j.test_file).count(),
        ..Report::default()
    };
    for r in results.into_iter().flatten() {
        report.findings.extend(r?);
    }
    Ok(report)
}
