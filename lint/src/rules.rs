//! The rules: for each language, the calls that sleep, found in the syntax tree (never by matching
//! text against patterns), with the names that imports give them resolved first.

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::lang::Lang;

/// One rule: what it finds and why that is flagged.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub why: &'static str,
}

macro_rules! rules {
    ($($konst:ident = $id:literal, $name:literal, $why:literal;)*) => {
        $(pub const $konst: &Rule = &Rule { id: $id, name: $name, why: $why };)*
        /// Every rule, in the order they are listed in SARIF.
        pub const ALL: &[&Rule] = &[$($konst),*];
    };
}

rules! {
    PY_TIME_SLEEP = "python/time-sleep", "time.sleep in a test",
        "time.sleep() waits a fixed time instead of for the state the test needs: too short on a slow machine (flaky), too long everywhere else (slow)";
    PY_ASYNC_SLEEP = "python/async-sleep", "asyncio.sleep(n > 0) in a test",
        "asyncio.sleep() with a delay waits a fixed time instead of for the state the test needs (sleep(0), a yield to the event loop, is not flagged)";
    JS_PROMISE_TIMEOUT = "js/promise-settimeout", "a Promise resolved by setTimeout, as a delay",
        "a Promise that setTimeout resolves is a sleep: the test waits a fixed time instead of for the state it needs";
    JS_TIMERS_PROMISES = "js/timers-promises-settimeout", "a promisified setTimeout as a delay",
        "setTimeout from timers/promises (or util.promisify(setTimeout)) is a sleep: the test waits a fixed time instead of for the state it needs";
    RS_THREAD_SLEEP = "rust/thread-sleep", "std::thread::sleep in a test",
        "std::thread::sleep waits a fixed time instead of for the state the test needs";
    RS_ASYNC_SLEEP = "rust/async-sleep", "tokio::time::sleep in a test",
        "tokio::time::sleep (or async-std's task::sleep) waits a fixed time instead of for the state the test needs";
    C_SLEEP = "c/sleep", "sleep/usleep/nanosleep/Sleep in a test",
        "sleep(), usleep(), nanosleep(), thrd_sleep() and Windows' Sleep() wait a fixed time instead of for the state the test needs";
    CPP_SLEEP_FOR = "cpp/sleep-for", "std::this_thread::sleep_for in a test",
        "std::this_thread::sleep_for/sleep_until wait a fixed time instead of for the state the test needs";
    GO_TIME_SLEEP = "go/time-sleep", "time.Sleep in a test",
        "time.Sleep waits a fixed time instead of for the state the test needs";
    GO_TIME_AFTER = "go/time-after", "a bare <-time.After(d) in a test",
        "receiving from time.After outside a select is time.Sleep by another name (a time.After case in a select, a timeout, is not flagged)";
    JAVA_THREAD_SLEEP = "java/thread-sleep", "Thread.sleep in a test",
        "Thread.sleep waits a fixed time instead of for the state the test needs";
    JAVA_TIMEUNIT_SLEEP = "java/timeunit-sleep", "TimeUnit.X.sleep in a test",
        "TimeUnit.X.sleep is Thread.sleep with a unit: it waits a fixed time instead of for the state the test needs";
    EX_PROCESS_SLEEP = "elixir/process-sleep", "Process.sleep in a test",
        "Process.sleep waits a fixed time instead of for the state (a message, a process's state) the test needs";
    EX_TIMER_SLEEP = "elixir/timer-sleep", ":timer.sleep in a test",
        ":timer.sleep waits a fixed time instead of for the state the test needs";
    ALLOW_NO_REASON = "allow-sleep-without-reason", "an allow-sleep comment without a reason",
        "`liveness: allow-sleep` needs a reason in parentheses, e.g. `liveness: allow-sleep(simulated shutdown delay)`, so that a reader knows why this sleep is the behaviour under test and not a wait";
}

/// A sleep found in a file, before the test-code and allow-comment filters.
pub struct Hit<'t> {
    pub node: Node<'t>,
    pub rule: &'static Rule,
    /// Rust only: the call is inside a `#[cfg(test)]` module or a `#[test]` function.
    pub in_test_region: bool,
}

pub fn text<'s>(node: Node, src: &'s [u8]) -> &'s str {
    node.utf8_text(src).unwrap_or("")
}

fn squash(node: Node, src: &[u8]) -> String {
    text(node, src).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every node of the tree, depth first.
pub fn visit<'t>(root: Node<'t>, f: &mut dyn FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    loop {
        f(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

fn field<'t>(node: Node<'t>, name: &str) -> Option<Node<'t>> {
    node.child_by_field_name(name)
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).filter(|n| !n.kind().contains("comment")).collect()
}

/// The first argument of a call's argument list, if any.
fn first_arg<'t>(args: Option<Node<'t>>) -> Option<Node<'t>> {
    named_children(args?).into_iter().next()
}

/// A literal zero (`0`, `0.0`, `0ms`, `0_u64`), or a call of one argument that is (`Duration::from_millis(0)`,
/// `milliseconds(0)`), or `Duration::ZERO`: a yield, not a wait.
fn is_zero(node: Node, src: &[u8]) -> bool {
    let t = text(node, src).trim();
    if t.ends_with("::ZERO") || t == "ZERO" {
        return true;
    }
    if node.named_child_count() == 0 || node.kind().contains("literal") {
        // `0`, `0.0`, `0_u64`, `0ms`, `0.0f`: the number before any suffix.
        let t: String = t.chars().filter(|&c| c != '_').collect();
        let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (num, suffix) = t.split_at(end);
        let radix = suffix.starts_with(['x', 'X', 'b', 'B', 'o', 'O']);
        return !num.is_empty()
            && !radix
            && suffix.chars().all(|c| c.is_ascii_alphanumeric())
            && num.parse::<f64>() == Ok(0.0);
    }
    if node.kind().contains("call") {
        let args = field(node, "arguments")
            .or_else(|| named_children(node).into_iter().find(|n| n.kind().contains("argument")));
        if let Some(args) = args {
            let list = named_children(args);
            return list.len() == 1 && is_zero(list[0], src);
        }
    }
    if matches!(node.kind(), "parenthesized_expression" | "argument") && node.named_child_count() == 1 {
        return is_zero(node.named_child(0).unwrap(), src);
    }
    false
}

pub fn find<'t>(lang: Lang, root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    match lang {
        Lang::Python => python(root, src),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => javascript(root, src),
        Lang::Rust => rust(root, src),
        Lang::C | Lang::Cpp => c_family(root, src),
        Lang::Go => go(root, src),
        Lang::Java => java(root, src),
        Lang::Elixir => elixir(root, src),
    }
}

fn hit<'t>(node: Node<'t>, rule: &'static Rule) -> Hit<'t> {
    Hit { node, rule, in_test_region: false }
}

// ---------------------------------------------------------------- Python

const PY_SLEEP_MODULES: &[&str] = &["time", "asyncio", "trio", "anyio"];

fn python<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    // alias -> module (`import time as t`), bare name -> "module.sleep" (`from time import sleep as nap`)
    let mut modules: HashMap<String, String> =
        PY_SLEEP_MODULES.iter().map(|m| (m.to_string(), m.to_string())).collect();
    let mut functions: HashMap<String, String> = HashMap::new();
    visit(root, &mut |n| match n.kind() {
        "import_statement" => {
            for c in named_children(n) {
                if c.kind() == "aliased_import" {
                    if let (Some(name), Some(alias)) = (field(c, "name"), field(c, "alias")) {
                        modules.insert(text(alias, src).into(), text(name, src).into());
                    }
                }
            }
        }
        "import_from_statement" => {
            let Some(module) = field(n, "module_name") else { return };
            let module = text(module, src).to_string();
            if !PY_SLEEP_MODULES.contains(&module.as_str()) {
                return;
            }
            let mut c = n.walk();
            for name in n.children_by_field_name("name", &mut c) {
                let (orig, alias) = if name.kind() == "aliased_import" {
                    match (field(name, "name"), field(name, "alias")) {
                        (Some(o), Some(a)) => (text(o, src), text(a, src)),
                        _ => continue,
                    }
                } else {
                    (text(name, src), text(name, src))
                };
                if orig == "sleep" {
                    functions.insert(alias.into(), format!("{module}.sleep"));
                }
            }
        }
        _ => {}
    });
    let mut hits = Vec::new();
    visit(root, &mut |n| {
        if n.kind() != "call" {
            return;
        }
        let Some(f) = field(n, "function") else { return };
        let resolved = match f.kind() {
            "attribute" => {
                let (Some(obj), Some(attr)) = (field(f, "object"), field(f, "attribute")) else { return };
                if obj.kind() != "identifier" || text(attr, src) != "sleep" {
                    return;
                }
                match modules.get(text(obj, src)) {
                    Some(m) => format!("{m}.sleep"),
                    None => return,
                }
            }
            "identifier" => match functions.get(text(f, src)) {
                Some(r) => r.clone(),
                None => return,
            },
            _ => return,
        };
        let delay = first_arg(field(n, "arguments"))
            .map(|a| if a.kind() == "keyword_argument" { field(a, "value").unwrap_or(a) } else { a });
        if delay.is_some_and(|d| is_zero(d, src)) {
            return;
        }
        let rule = match resolved.as_str() {
            "time.sleep" => PY_TIME_SLEEP,
            m if PY_SLEEP_MODULES.iter().any(|x| format!("{x}.sleep") == m) => PY_ASYNC_SLEEP,
            _ => return,
        };
        hits.push(hit(n, rule));
    });
    hits
}

// ---------------------------------------------------------------- JavaScript / TypeScript

fn is_timers_promises(node: Node, src: &[u8]) -> bool {
    let t = text(node, src).trim_matches(|c| c == '"' || c == '\'' || c == '`');
    t == "timers/promises" || t == "node:timers/promises"
}

/// `require('timers/promises')`
fn is_require_timers(node: Node, src: &[u8]) -> bool {
    node.kind() == "call_expression"
        && field(node, "function").is_some_and(|f| text(f, src) == "require")
        && first_arg(field(node, "arguments")).is_some_and(|a| is_timers_promises(a, src))
}

/// `setTimeout`, `globalThis.setTimeout`, `window.setTimeout`, …
fn is_set_timeout(node: Node, src: &[u8]) -> bool {
    match node.kind() {
        "identifier" => text(node, src) == "setTimeout",
        "member_expression" => field(node, "property").is_some_and(|p| text(p, src) == "setTimeout"),
        _ => false,
    }
}

fn javascript<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut sleeps: HashSet<String> = HashSet::new(); // names bound to a promise-returning setTimeout
    let mut namespaces: HashSet<String> = HashSet::new(); // names bound to timers/promises itself
    visit(root, &mut |n| match n.kind() {
        "import_statement" => {
            if !field(n, "source").is_some_and(|s| is_timers_promises(s, src)) {
                return;
            }
            visit(n, &mut |c| match c.kind() {
                "import_specifier" => {
                    let Some(name) = field(c, "name") else { return };
                    if text(name, src) == "setTimeout" {
                        sleeps.insert(text(field(c, "alias").unwrap_or(name), src).into());
                    }
                }
                "namespace_import" => {
                    if let Some(id) = named_children(c).into_iter().find(|x| x.kind() == "identifier") {
                        namespaces.insert(text(id, src).into());
                    }
                }
                _ => {}
            });
        }
        "variable_declarator" => {
            let (Some(name), Some(value)) = (field(n, "name"), field(n, "value")) else { return };
            if is_require_timers(value, src) {
                match name.kind() {
                    "identifier" => {
                        namespaces.insert(text(name, src).into());
                    }
                    "object_pattern" => {
                        for p in named_children(name) {
                            match p.kind() {
                                "shorthand_property_identifier_pattern" if text(p, src) == "setTimeout" => {
                                    sleeps.insert("setTimeout".into());
                                }
                                "pair_pattern" if field(p, "key").is_some_and(|k| text(k, src) == "setTimeout") => {
                                    if let Some(v) = field(p, "value") {
                                        sleeps.insert(text(v, src).into());
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            } else if (value.kind() == "member_expression"
                && field(value, "object").is_some_and(|o| is_require_timers(o, src))
                && field(value, "property").is_some_and(|p| text(p, src) == "setTimeout")
                || is_promisified_timeout(value, src))
                && name.kind() == "identifier"
            {
                sleeps.insert(text(name, src).into());
            }
        }
        _ => {}
    });
    let mut hits = Vec::new();
    visit(root, &mut |n| match n.kind() {
        "call_expression" => {
            let Some(f) = field(n, "function") else { return };
            let is_sleep = match f.kind() {
                "identifier" => sleeps.contains(text(f, src)),
                "member_expression" => {
                    field(f, "property").is_some_and(|p| text(p, src) == "setTimeout")
                        && field(f, "object").is_some_and(|o| {
                            o.kind() == "identifier" && namespaces.contains(text(o, src)) || is_require_timers(o, src)
                        })
                }
                "call_expression" => is_promisified_timeout(f, src),
                _ => false,
            };
            if !is_sleep || first_arg(field(n, "arguments")).is_none_or(|a| is_zero(a, src)) {
                return;
            }
            hits.push(hit(outer_await(n), JS_TIMERS_PROMISES));
        }
        "new_expression" => {
            if field(n, "constructor").is_none_or(|c| text(c, src) != "Promise") {
                return;
            }
            let Some(executor) = first_arg(field(n, "arguments")) else { return };
            if !matches!(executor.kind(), "arrow_function" | "function_expression" | "function") {
                return;
            }
            let Some(resolve) = first_param(executor, src) else { return };
            let Some(body) = field(executor, "body") else { return };
            let mut found = false;
            visit(body, &mut |c| {
                if found || c.kind() != "call_expression" {
                    return;
                }
                if !field(c, "function").is_some_and(|f| is_set_timeout(f, src)) {
                    return;
                }
                let args = field(c, "arguments").map(named_children).unwrap_or_default();
                let Some(callback) = args.first() else { return };
                let resolves = if callback.kind() == "identifier" {
                    text(*callback, src) == resolve
                } else {
                    calls_name(*callback, &resolve, src)
                };
                let delayed = args.get(1).is_some_and(|d| !is_zero(*d, src));
                found = resolves && delayed;
            });
            if found {
                hits.push(hit(outer_await(n), JS_PROMISE_TIMEOUT));
            }
        }
        _ => {}
    });
    hits
}

/// `promisify(setTimeout)`, `util.promisify(setTimeout)`
fn is_promisified_timeout(node: Node, src: &[u8]) -> bool {
    node.kind() == "call_expression"
        && field(node, "function").is_some_and(|f| {
            f.kind() == "identifier" && text(f, src) == "promisify"
                || f.kind() == "member_expression" && field(f, "property").is_some_and(|p| text(p, src) == "promisify")
        })
        && first_arg(field(node, "arguments")).is_some_and(|a| is_set_timeout(a, src))
}

/// The name of a function's first parameter (`r` in `r => …`, `(resolve) => …`, `function (res: X) {}`).
fn first_param(func: Node, src: &[u8]) -> Option<String> {
    if let Some(p) = field(func, "parameter") {
        return Some(text(p, src).into());
    }
    let params = field(func, "parameters")?;
    let first = named_children(params).into_iter().next()?;
    let id = match first.kind() {
        "identifier" => first,
        _ => field(first, "pattern").filter(|p| p.kind() == "identifier")?,
    };
    Some(text(id, src).into())
}

/// Whether a callback calls `name` (`() => resolve()`, `function () { done(); }`).
fn calls_name(node: Node, name: &str, src: &[u8]) -> bool {
    let mut found = false;
    visit(node, &mut |c| {
        if c.kind() == "call_expression" && field(c, "function").is_some_and(|f| text(f, src) == name) {
            found = true;
        }
    });
    found
}

fn outer_await<'t>(node: Node<'t>) -> Node<'t> {
    match node.parent() {
        Some(p) if p.kind() == "await_expression" => p,
        _ => node,
    }
}

// ---------------------------------------------------------------- Rust

fn rust_use(node: Node, prefix: &str, src: &[u8], aliases: &mut HashMap<String, String>, globs: &mut Vec<String>) {
    let join = |p: &str, s: &str| if p.is_empty() { s.to_string() } else { format!("{p}::{s}") };
    match node.kind() {
        "identifier" | "scoped_identifier" | "crate" | "super" => {
            let path = join(prefix, &squash(node, src));
            let last = path.rsplit("::").next().unwrap_or(&path).to_string();
            aliases.insert(last, path);
        }
        "self" => {
            if let Some(last) = prefix.rsplit("::").next() {
                aliases.insert(last.to_string(), prefix.to_string());
            }
        }
        "use_as_clause" => {
            if let (Some(path), Some(alias)) = (field(node, "path"), field(node, "alias")) {
                let path = squash(path, src);
                let full = if path == "self" { prefix.to_string() } else { join(prefix, &path) };
                aliases.insert(text(alias, src).into(), full);
            }
        }
        "scoped_use_list" => {
            let p = field(node, "path").map(|p| join(prefix, &squash(p, src))).unwrap_or(prefix.to_string());
            if let Some(list) = field(node, "list") {
                rust_use(list, &p, src, aliases, globs);
            }
        }
        "use_list" => {
            for c in named_children(node) {
                rust_use(c, prefix, src, aliases, globs);
            }
        }
        "use_wildcard" => {
            if let Some(p) = named_children(node).into_iter().next() {
                globs.push(join(prefix, &squash(p, src)));
            }
        }
        _ => {}
    }
}

fn rust<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut aliases = HashMap::new();
    let mut globs = Vec::new();
    let mut file_is_test = false;
    visit(root, &mut |n| match n.kind() {
        "use_declaration" => {
            if let Some(arg) = field(n, "argument") {
                rust_use(arg, "", src, &mut aliases, &mut globs);
            }
        }
        "inner_attribute_item"
            if n.parent().is_some_and(|p| p.kind() == "source_file")
                && named_children(n).into_iter().any(|a| attribute_is_test(a, src)) =>
        {
            file_is_test = true;
        }
        _ => {}
    });
    let mut hits = Vec::new();
    visit(root, &mut |n| {
        if n.kind() != "call_expression" {
            return;
        }
        let Some(f) = field(n, "function") else { return };
        if !matches!(f.kind(), "identifier" | "scoped_identifier") {
            return;
        }
        let path = squash(f, src);
        let path = path.trim_start_matches("::");
        let mut segs: Vec<String> = path.split("::").map(String::from).collect();
        if let Some(full) = aliases.get(&segs[0]) {
            let mut v: Vec<String> = full.split("::").map(String::from).collect();
            v.extend(segs.drain(1..));
            segs = v;
        } else if segs.len() == 1 {
            // `use std::thread::*;` then `sleep(…)`
            match globs.iter().find(|g| matches!(g.as_str(), "std::thread" | "tokio::time" | "async_std::task")) {
                Some(g) => segs.splice(0..0, g.split("::").map(String::from)).for_each(drop),
                None => return,
            }
        }
        let resolved = segs.join("::");
        let rule = match resolved.as_str() {
            "std::thread::sleep" | "thread::sleep" | "std::thread::sleep_ms" | "thread::sleep_ms" => RS_THREAD_SLEEP,
            "tokio::time::sleep" | "tokio::time::sleep_until" | "async_std::task::sleep" => RS_ASYNC_SLEEP,
            _ => return,
        };
        if first_arg(field(n, "arguments")).is_some_and(|a| is_zero(a, src)) {
            return;
        }
        let node = match n.parent() {
            Some(p) if p.kind() == "await_expression" => p,
            _ => n,
        };
        hits.push(Hit { node, rule, in_test_region: file_is_test || in_rust_test_region(n, src) });
    });
    hits
}

/// `cfg(test)`, `cfg(all(test, …))`, `test`, `tokio::test`, `rstest`…
fn attribute_is_test(attr: Node, src: &[u8]) -> bool {
    let attr = if attr.kind() == "attribute" {
        attr
    } else {
        match named_children(attr).into_iter().find(|c| c.kind() == "attribute") {
            Some(a) => a,
            None => return false,
        }
    };
    let Some(path) = named_children(attr).into_iter().next() else { return false };
    let path = squash(path, src);
    if path == "cfg" {
        let args = field(attr, "arguments").map(|a| squash(a, src)).unwrap_or_default();
        let tokens: Vec<&str> = args.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
        return tokens.contains(&"test") && !args.contains("not(test");
    }
    path == "test" || path.ends_with("::test") || path == "rstest"
}

fn in_rust_test_region(node: Node, src: &[u8]) -> bool {
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(n.kind(), "function_item" | "mod_item" | "impl_item") {
            let mut prev = n.prev_named_sibling();
            while let Some(p) = prev {
                match p.kind() {
                    "attribute_item" => {
                        if attribute_is_test(p, src) {
                            return true;
                        }
                    }
                    "line_comment" | "block_comment" => {}
                    _ => break,
                }
                prev = p.prev_named_sibling();
            }
        }
        cur = n.parent();
    }
    false
}

// ---------------------------------------------------------------- C / C++

fn c_family<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut hits = Vec::new();
    visit(root, &mut |n| {
        if n.kind() != "call_expression" {
            return;
        }
        let Some(f) = field(n, "function") else { return };
        if !matches!(f.kind(), "identifier" | "qualified_identifier") {
            return;
        }
        let name = squash(f, src);
        let name = name.trim_start_matches("::");
        let rule = match name {
            "sleep" | "usleep" | "nanosleep" | "clock_nanosleep" | "thrd_sleep" | "Sleep" | "SleepEx" => C_SLEEP,
            "sleep_for" | "sleep_until" => CPP_SLEEP_FOR,
            _ if name.ends_with("this_thread::sleep_for") || name.ends_with("this_thread::sleep_until") => {
                CPP_SLEEP_FOR
            }
            _ => return,
        };
        if first_arg(field(n, "arguments")).is_some_and(|a| is_zero(a, src)) {
            return;
        }
        hits.push(hit(n, rule));
    });
    hits
}

// ---------------------------------------------------------------- Go

fn go<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut time_names: HashSet<String> = HashSet::new();
    let mut imports_time = false;
    visit(root, &mut |n| {
        if n.kind() == "import_spec" && field(n, "path").is_some_and(|p| text(p, src).trim_matches('"') == "time") {
            imports_time = true;
            let name = field(n, "name").map(|x| text(x, src).to_string()).unwrap_or("time".into());
            time_names.insert(name);
        }
    });
    if !imports_time {
        time_names.insert("time".into());
    }
    let is_time_call = |call: Node, func: &str| -> bool {
        call.kind() == "call_expression"
            && field(call, "function").is_some_and(|f| {
                f.kind() == "selector_expression"
                    && field(f, "operand")
                        .is_some_and(|o| o.kind() == "identifier" && time_names.contains(text(o, src)))
                    && field(f, "field").is_some_and(|x| text(x, src) == func)
            })
    };
    let mut hits = Vec::new();
    visit(root, &mut |n| match n.kind() {
        "call_expression"
            if is_time_call(n, "Sleep") && !first_arg(field(n, "arguments")).is_some_and(|a| is_zero(a, src)) =>
        {
            hits.push(hit(n, GO_TIME_SLEEP));
        }
        "unary_expression" => {
            let op = field(n, "operator").map(|o| text(o, src)) == Some("<-");
            let after = field(n, "operand").is_some_and(|o| is_time_call(o, "After"));
            let bare = n.parent().is_some_and(|p| p.kind() == "expression_statement");
            if op && after && bare {
                hits.push(hit(n, GO_TIME_AFTER));
            }
        }
        _ => {}
    });
    hits
}

// ---------------------------------------------------------------- Java

const TIME_UNITS: &[&str] = &["NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS"];

fn java<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut static_sleep = false;
    let mut static_units: HashSet<String> = HashSet::new();
    visit(root, &mut |n| {
        if n.kind() != "import_declaration" || !text(n, src).contains("static") {
            return;
        }
        let t = squash(n, src);
        let path = t.trim_start_matches("importstatic").trim_end_matches(';');
        if path == "java.lang.Thread.sleep" {
            static_sleep = true;
        } else if let Some(unit) = path.strip_prefix("java.util.concurrent.TimeUnit.") {
            if unit == "*" {
                static_units.extend(TIME_UNITS.iter().map(|u| u.to_string()));
            } else {
                static_units.insert(unit.into());
            }
        }
    });
    let mut hits = Vec::new();
    visit(root, &mut |n| {
        if n.kind() != "method_invocation" || field(n, "name").is_none_or(|x| text(x, src) != "sleep") {
            return;
        }
        let rule = match field(n, "object") {
            None if static_sleep => JAVA_THREAD_SLEEP,
            None => return,
            Some(o) => {
                let o = squash(o, src);
                if o == "Thread" || o == "java.lang.Thread" {
                    JAVA_THREAD_SLEEP
                } else if o
                    .strip_prefix("java.util.concurrent.")
                    .unwrap_or(&o)
                    .strip_prefix("TimeUnit.")
                    .is_some_and(|u| TIME_UNITS.contains(&u))
                    || static_units.contains(&o)
                {
                    JAVA_TIMEUNIT_SLEEP
                } else {
                    return;
                }
            }
        };
        if first_arg(field(n, "arguments")).is_some_and(|a| is_zero(a, src)) {
            return;
        }
        hits.push(hit(n, rule));
    });
    hits
}

// ---------------------------------------------------------------- Elixir

fn elixir<'t>(root: Node<'t>, src: &[u8]) -> Vec<Hit<'t>> {
    let mut hits = Vec::new();
    visit(root, &mut |n| {
        if n.kind() != "call" {
            return;
        }
        let Some(target) = field(n, "target") else { return };
        if target.kind() != "dot" {
            return;
        }
        let (Some(left), Some(right)) = (field(target, "left"), field(target, "right")) else { return };
        if text(right, src) != "sleep" {
            return;
        }
        let rule = match text(left, src) {
            "Process" => EX_PROCESS_SLEEP,
            ":timer" => EX_TIMER_SLEEP,
            _ => return,
        };
        let args = named_children(n).into_iter().find(|c| c.kind() == "arguments");
        if first_arg(args).is_some_and(|a| is_zero(a, src)) {
            return;
        }
        hits.push(hit(n, rule));
    });
    hits
}
