//! The `liveness` binary: exit status, the three formats, the config files, the allow comment.

use std::path::Path;
use std::process::Command;

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("liveness-lint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_liveness")).arg("lint").args(args).current_dir(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn exit_status() {
    let d = tmp("exit");
    write(&d, "tests/test_a.py", "import time\ntime.sleep(1)\n");
    write(&d, "src/a.py", "import time\ntime.sleep(1)\n");
    let (code, out, _) = lint(&d, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tests/test_a.py:2:1: [python/time-sleep] time.sleep(1)"), "{out}");
    assert!(out.contains("liveness.eventually_passes"), "{out}");
    assert!(!out.contains("src/a.py"), "{out}");
    assert_eq!(lint(&d, &["src"]).0, 0);
    assert_eq!(lint(&d, &["nope"]).0, 2);
    assert_eq!(lint(&d, &["--format", "xml"]).0, 2);
    assert_eq!(lint(&d, &["--bogus"]).0, 2);
    // A file named on the command line is judged by its path from the current folder.
    assert_eq!(lint(&d, &["tests/test_a.py"]).0, 1);
}

#[test]
fn json_and_sarif() {
    let d = tmp("sarif");
    write(&d, "a_test.go", "package a\nimport \"time\"\nfunc TestA(t *testing.T) { time.Sleep(time.Second) }\n");
    let (code, out, _) = lint(&d, &["--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["findings"][0];
    assert_eq!((f["path"].as_str(), f["line"].as_u64(), f["column"].as_u64()), (Some("a_test.go"), Some(3), Some(28)));
    assert_eq!(f["rule"], "go/time-sleep");
    assert!(f["suggestion"].as_str().unwrap().contains("Eventually"));

    let (code, out, _) = lint(&d, &["--format=sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The fields SARIF 2.1.0 requires, and the ones GitHub code scanning reads.
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "liveness lint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    let r = &run["results"][0];
    assert_eq!(r["ruleId"], "go/time-sleep");
    assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], "go/time-sleep");
    assert_eq!(r["level"], "warning");
    assert!(r["message"]["text"].as_str().unwrap().contains("time.Sleep"));
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "a_test.go");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 28);
}

#[test]
fn config_files() {
    // liveness.toml: include makes a file test code, exclude skips a file or a folder.
    let d = tmp("toml");
    let sleepy = "import time\ntime.sleep(1)\n";
    write(
        &d,
        "liveness.toml",
        "[lint]\ninclude = [\"checks/**\"]\nexclude = [\"tests/vendored/**\", \"tests/test_skip.py\"]\n",
    );
    write(&d, "checks/probe.py", sleepy);
    write(&d, "tests/vendored/test_v.py", sleepy);
    write(&d, "tests/test_skip.py", sleepy);
    let (code, out, _) = lint(&d, &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<_> =
        v["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["checks/probe.py"]);

    // pyproject.toml [tool.liveness.lint], conventions off.
    let d = tmp("pyproject");
    write(
        &d,
        "pyproject.toml",
        "[project]\nname = \"x\"\n[tool.liveness.lint]\nconventions = false\ninclude = [\"qa/*.py\"]\n",
    );
    write(&d, "tests/test_a.py", sleepy);
    write(&d, "qa/a.py", sleepy);
    let (_, out, _) = lint(&d, &[]);
    assert!(out.contains("qa/a.py:2:1") && !out.contains("tests/test_a.py"), "{out}");

    // package.json "liveness": {"lint": …}; the nearest config wins.
    let d = tmp("pkg");
    write(&d, "package.json", r#"{"name": "x", "liveness": {"lint": {"exclude": ["legacy/**"]}}}"#);
    write(&d, "legacy/a.test.js", "await new Promise(r => setTimeout(r, 10));\n");
    write(&d, "sub/package.json", r#"{"name": "sub"}"#);
    write(&d, "sub/b.test.js", "await new Promise(r => setTimeout(r, 10));\n");
    let (code, out, _) = lint(&d, &[]);
    assert_eq!(code, 1);
    assert!(out.contains("sub/b.test.js:1:1") && !out.contains("legacy"), "{out}");

    // A bad config is a config error (2), and so is an unknown key.
    let d = tmp("bad");
    write(&d, "liveness.toml", "[lint]\nincludes = [\"x\"]\n");
    write(&d, "tests/test_a.py", sleepy);
    let (code, _, err) = lint(&d, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown key lint.includes"), "{err}");
    // --config replaces the nearest one.
    write(&d, "ok.toml", "[lint]\nexclude = [\"tests/**\"]\n");
    assert_eq!(lint(&d, &["--config", "ok.toml"]).0, 0);
}

#[test]
fn allow_comments_in_every_syntax() {
    let cases = [
        ("tests/test_a.py", "import time\n# liveness: allow-sleep(simulated)\ntime.sleep(1)\n"),
        ("tests/a.rs", "#[test]\nfn t() {\n    std::thread::sleep(d); // liveness: allow-sleep(simulated)\n}\n"),
        ("a.test.ts", "/* liveness: allow-sleep(simulated) */\nawait new Promise(r => setTimeout(r, 10));\n"),
        ("test/a_test.exs", "# liveness: allow-sleep(simulated)\nProcess.sleep(10)\n"),
        ("tests/t.c", "void f(void) {\n  // liveness: allow-sleep(simulated)\n  usleep(10);\n}\n"),
        ("a_test.go", "package a\nfunc T() {\n\t// liveness: allow-sleep(simulated)\n\ttime.Sleep(1)\n}\n"),
        (
            "test/ATest.java",
            "class ATest { void t() {\n  // liveness: allow-sleep(simulated)\n  Thread.sleep(1);\n} }\n",
        ),
    ];
    for (rel, body) in cases {
        let d = tmp("allow");
        write(&d, rel, body);
        let (code, out, _) = lint(&d, &[]);
        assert_eq!(code, 0, "{rel}: {out}");
        write(&d, rel, &body.replace("(simulated)", ""));
        let (code, out, _) = lint(&d, &[]);
        assert_eq!(code, 1, "{rel}: {out}");
        assert!(out.contains("allow-sleep-without-reason"), "{rel}: {out}");
    }
}
