//! Glob patterns for the config's include/exclude lists: `**` (any number of path segments), `*`
//! (any run of characters in one segment), `?` (one character). A pattern without a `/` matches a
//! file's name in any folder, as in .gitignore.

pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if !pattern.contains('/') {
        return path.rsplit('/').next().is_some_and(|name| segment(pattern.as_bytes(), name.as_bytes()));
    }
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    segments(&p, &s)
}

/// Whether a folder matches, so that the walk need not enter it: `dir`, `dir/**`.
pub fn matches_dir(pattern: &str, dir: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    let pattern = pattern.strip_suffix("/**").unwrap_or(pattern);
    matches(pattern, dir)
}

fn segments(p: &[&str], s: &[&str]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(&"**") => (0..=s.len()).any(|i| segments(&p[1..], &s[i..])),
        Some(first) => !s.is_empty() && segment(first.as_bytes(), s[0].as_bytes()) && segments(&p[1..], &s[1..]),
    }
}

fn segment(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| segment(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && segment(&p[1..], &s[1..]),
        Some(c) => s.first() == Some(c) && segment(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(matches("**/*.py", "a/b/c.py"));
        assert!(matches("**/*.py", "c.py"));
        assert!(matches("*.py", "deep/x/c.py"));
        assert!(!matches("src/*.py", "src/a/c.py"));
        assert!(matches("src/**", "src/a/c.py"));
        assert!(matches("test_?.py", "x/test_a.py"));
        assert!(matches_dir("bench/**", "bench"));
        assert!(matches_dir("lint/tests/corpus", "lint/tests/corpus"));
        assert!(!matches_dir("lint/tests/corpus/**", "lint/tests"));
    }
}
