//! The bus's index: patterns in a trie of segments, so that finding who listens to a name costs
//! a walk over the name's segments instead of a match against every attached pattern
//! (10,000 handlers on other names used to cost an emit 1–2 ms; now it is one lookup per
//! segment), and attaching or detaching costs a few map operations instead of copying a list.

use std::collections::BTreeMap;

use super::pattern::Pattern;

/// Keyed by attach order, so dispatch follows it and removal is a map operation.
type Entries<V> = BTreeMap<u64, V>;

#[derive(Debug)]
struct Node<V> {
    // A B-tree, not a hash map: a name has a few short segments, and comparing them costs less
    // than hashing them (measured on the emit path).
    exact: BTreeMap<String, Node<V>>,
    any_one: Option<Box<Node<V>>>,
    /// Patterns that end here.
    ends: Entries<V>,
    /// Patterns that end here with `**`: they also take every longer name.
    open_tail: Entries<V>,
}

impl<V> Default for Node<V> {
    fn default() -> Self {
        Node { exact: BTreeMap::new(), any_one: None, ends: BTreeMap::new(), open_tail: BTreeMap::new() }
    }
}

impl<V> Node<V> {
    fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.any_one.is_none() && self.ends.is_empty() && self.open_tail.is_empty()
    }
}

/// Values (handlers) under the patterns they listen to.
#[derive(Debug)]
pub(crate) struct PatternIndex<V> {
    root: Node<V>,
}

impl<V> Default for PatternIndex<V> {
    fn default() -> Self {
        PatternIndex { root: Node::default() }
    }
}

impl<V: Clone> PatternIndex<V> {
    pub(crate) fn insert(&mut self, pattern: &Pattern, key: u64, value: V) {
        let mut node = &mut self.root;
        for segment in pattern.index_key() {
            node = match segment {
                Some(text) => node.exact.entry(text.to_owned()).or_default(),
                None => node.any_one.get_or_insert_with(Box::default),
            };
        }
        let slot = if pattern.has_open_tail() { &mut node.open_tail } else { &mut node.ends };
        slot.insert(key, value);
    }

    /// Removes `key` from under `pattern`, pruning the nodes left empty.
    pub(crate) fn remove(&mut self, pattern: &Pattern, key: u64) {
        let segments: Vec<Option<&str>> = pattern.index_key().collect();
        remove_at(&mut self.root, &segments, pattern.has_open_tail(), key);
    }

    /// Calls `found` with every value whose pattern matches `name` (a value listed under two
    /// matching patterns is found twice; the caller de-duplicates by key). `found` returns
    /// `false` to stop the walk.
    pub(crate) fn find(&self, name: &str, found: &mut impl FnMut(u64, &V) -> bool) {
        let segments: smallvec_free::Segments = smallvec_free::split(name);
        walk(&self.root, segments.as_slice(), found);
    }
}

fn remove_at<V>(node: &mut Node<V>, segments: &[Option<&str>], open_tail: bool, key: u64) -> bool {
    match segments.split_first() {
        None => {
            if open_tail {
                node.open_tail.remove(&key);
            } else {
                node.ends.remove(&key);
            }
        }
        Some((Some(text), rest)) => {
            if let Some(child) = node.exact.get_mut(*text) {
                if remove_at(child, rest, open_tail, key) {
                    node.exact.remove(*text);
                }
            }
        }
        Some((None, rest)) => {
            if let Some(child) = node.any_one.as_deref_mut() {
                if remove_at(child, rest, open_tail, key) {
                    node.any_one = None;
                }
            }
        }
    }
    node.is_empty()
}

fn walk<V>(node: &Node<V>, segments: &[&str], found: &mut impl FnMut(u64, &V) -> bool) -> bool {
    // `**` takes zero or more further segments.
    if !each(&node.open_tail, found) {
        return false;
    }
    let Some((first, rest)) = segments.split_first() else {
        return each(&node.ends, found);
    };
    if let Some(child) = node.exact.get(*first) {
        if !walk(child, rest, found) {
            return false;
        }
    }
    if let Some(child) = node.any_one.as_deref() {
        if !walk(child, rest, found) {
            return false;
        }
    }
    true
}

fn each<V>(entries: &Entries<V>, found: &mut impl FnMut(u64, &V) -> bool) -> bool {
    entries.iter().all(|(key, value)| found(*key, value))
}

/// A name's segments without a heap allocation for the usual few.
mod smallvec_free {
    const INLINE: usize = 8;

    pub(crate) enum Segments<'a> {
        Inline([&'a str; INLINE], usize),
        Heap(Vec<&'a str>),
    }

    impl<'a> Segments<'a> {
        pub(crate) fn as_slice(&self) -> &[&'a str] {
            match self {
                Segments::Inline(parts, len) => &parts[..*len],
                Segments::Heap(parts) => parts,
            }
        }
    }

    pub(crate) fn split(name: &str) -> Segments<'_> {
        let mut parts = [""; INLINE];
        let mut len = 0;
        for part in name.split('.') {
            if len == INLINE {
                return Segments::Heap(name.split('.').collect());
            }
            parts[len] = part;
            len += 1;
        }
        Segments::Inline(parts, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(index: &PatternIndex<&'static str>, name: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        index.find(name, &mut |_, v| {
            out.push(*v);
            true
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn finds_exactly_what_the_patterns_match() {
        let patterns = ["a.b.c", "a.*.c", "a.**", "**", "*.done", "a.b", "x.y.**"];
        let mut index = PatternIndex::default();
        for (key, text) in patterns.iter().enumerate() {
            index.insert(&Pattern::new(text).unwrap(), key as u64, *text);
        }
        for name in ["a", "a.b", "a.b.c", "a.x.c", "a.x.y.c", "x.done", "x.y", "x.y.z", "b.a", "a.b.c.d.e.f.g.h.i.j"] {
            let mut want: Vec<&str> =
                patterns.iter().copied().filter(|p| Pattern::new(p).unwrap().matches(name)).collect();
            want.sort_unstable();
            assert_eq!(found(&index, name), want, "{name}");
        }
    }

    #[test]
    fn removal_prunes_and_leaves_the_others() {
        let mut index = PatternIndex::default();
        let ab = Pattern::new("a.*.c").unwrap();
        index.insert(&ab, 1, "one");
        index.insert(&ab, 2, "two");
        index.remove(&ab, 1);
        assert_eq!(found(&index, "a.b.c"), vec!["two"]);
        index.remove(&ab, 2);
        assert!(index.root.is_empty());
    }
}
