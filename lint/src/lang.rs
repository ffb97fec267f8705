//! The languages, how a file's language is told from its name, and the grammar of each.

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Rust,
    C,
    Cpp,
    Go,
    Java,
    Elixir,
}

impl Lang {
    /// The language of a file, from its extension; `None` for a file the linter does not read.
    pub fn from_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        Some(match ext {
            "py" | "pyi" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "rs" => Lang::Rust,
            "c" | "h" => Lang::C,
            "cc" | "cpp" | "cxx" | "c++" | "hpp" | "hh" | "hxx" => Lang::Cpp,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "ex" | "exs" => Lang::Elixir,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Rust => "rust",
            Lang::C => "c",
            Lang::Cpp => "cpp",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Elixir => "elixir",
        }
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::C => tree_sitter_c::LANGUAGE.into(),
            Lang::Cpp => tree_sitter_cpp::LANGUAGE.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
            Lang::Elixir => tree_sitter_elixir::LANGUAGE.into(),
        }
    }

    /// How this language spells a line comment (for the allow comment in messages).
    pub fn comment_prefix(self) -> &'static str {
        match self {
            Lang::Python | Lang::Elixir => "#",
            _ => "//",
        }
    }

    /// What to write instead of the sleep, in this language.
    pub fn suggestion(self) -> &'static str {
        match self {
            Lang::Python => {
                "wait for the state instead: `liveness.eventually_passes(lambda: ...)` (in async tests `await liveness.aio.eventually_passes(...)`)"
            }
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
                "wait for the state instead: `await eventuallyPasses(() => ...)` from the liveness npm package"
            }
            Lang::Rust => {
                "wait for the state instead: `liveness::eventually_passes(|| ...).run()` (async: `liveness::eventually_passes_async(...).await`, feature `tokio`)"
            }
            Lang::C | Lang::Cpp => {
                "wait for the state instead: `LIVENESS_ASSERT_EVENTUALLY(...)` from liveness_assert.h (libliveness)"
            }
            Lang::Go => {
                "wait for the state instead: Gomega's `Eventually(func() bool { ... }).Should(BeTrue())` or testify's `require.Eventually` (liveness has no Go door yet; its C ABI is reachable through cgo)"
            }
            Lang::Java => {
                "wait for the state instead: Awaitility's `await().atMost(...).until(() -> ...)` (liveness has no Java door yet; its C ABI is reachable through JNI/FFM)"
            }
            Lang::Elixir => {
                "wait for the state instead: `assert_receive` for a message, or a polling assert (an `eventually(fn -> ... end)` helper that retries until it passes); liveness has no Elixir door yet (a NIF over its C ABI would be one)"
            }
        }
    }
}
