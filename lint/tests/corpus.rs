//! The labelled corpus: every `expect: RULE` marker must be found, and nothing else may be.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if liveness_lint::Lang::from_path(&p).is_some() {
            out.push(p);
        }
    }
}

#[test]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut expected = BTreeSet::new();
    let mut near_misses = 0;
    let mut languages = BTreeSet::new();
    for f in &all {
        let rel = f.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        languages.insert(liveness_lint::Lang::from_path(f).unwrap().name());
        for (i, line) in std::fs::read_to_string(f).unwrap().lines().enumerate() {
            near_misses += line.matches("near-miss").count();
            for part in line.split("expect: ").skip(1) {
                let rule = part.split_whitespace().next().unwrap();
                expected.insert((rel.clone(), i + 1, rule.to_string()));
            }
        }
    }
    let report = liveness_lint::lint_paths(std::slice::from_ref(&root), None).unwrap();
    let prefix = root.to_string_lossy().to_string() + "/";
    let found: BTreeSet<_> = report
        .findings
        .iter()
        .map(|f| (f.path.strip_prefix(&prefix).unwrap_or(&f.path).to_string(), f.line, f.rule.id.to_string()))
        .collect();
    assert_eq!(found.len(), report.findings.len(), "two findings of one rule on one line");
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    let tp = expected.intersection(&found).count();
    println!(
        "corpus: {} files, {} languages, {} expected findings, {} near misses; found {}, missed {}, extra {}; precision {:.3}, recall {:.3}",
        all.len(),
        languages.len(),
        expected.len(),
        near_misses,
        found.len(),
        missed.len(),
        extra.len(),
        tp as f64 / found.len().max(1) as f64,
        tp as f64 / expected.len().max(1) as f64,
    );
    assert_eq!(report.files_scanned, all.len());
    assert!(missed.is_empty() && extra.is_empty(), "missed: {missed:#?}\nextra (not expected): {extra:#?}");
    assert!(languages.len() >= 9, "a language lacks corpus files: {languages:?}");
}
