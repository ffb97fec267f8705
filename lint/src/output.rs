//! The report as text (for people), JSON (for scripts) and SARIF 2.1.0 (for code scanning).

use serde_json::{Value, json};

use crate::{Finding, Report, rules};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}:{}: [{}] {}\n    why: {}\n    fix: {}\n",
            f.path, f.line, f.column, f.rule.id, f.call, f.message, f.suggestion
        ));
    }
    out.push_str(&format!(
        "liveness lint: {} in {} ({} of them test code as a whole)\n",
        plural(report.findings.len(), "finding"),
        plural(report.files_scanned, "file"),
        report.test_files
    ));
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "rule": f.rule.id,
        "language": f.lang.name(),
        "call": f.call,
        "message": f.message,
        "suggestion": f.suggestion,
    })
}

pub fn json(report: &Report) -> String {
    let v = json!({
        "tool": "liveness lint",
        "version": env!("CARGO_PKG_VERSION"),
        "files_scanned": report.files_scanned,
        "test_files": report.test_files,
        "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

pub fn sarif(report: &Report) -> String {
    let rules_json: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.name },
                "fullDescription": { "text": r.why },
                "defaultConfiguration": { "level": "warning" },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule.id,
                "ruleIndex": rules::ALL.iter().position(|r| r.id == f.rule.id).unwrap_or(0),
                "level": "warning",
                "message": { "text": format!("`{}`: {}. Fix: {}", f.call, f.message, f.suggestion) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.path },
                        "region": { "startLine": f.line, "startColumn": f.column },
                    }
                }],
            })
        })
        .collect();
    let v = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "liveness lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/liveness-dev/liveness",
                "rules": rules_json,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}
