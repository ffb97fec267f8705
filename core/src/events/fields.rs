//! The measurements and metadata of one event: a small map sorted by key, kept inline in the event.
//!
//! WHY not a `BTreeMap`: a captured event is kept until the capture closes, and an event usually
//! has one to a few entries. A `BTreeMap` with one entry allocates a whole ~460 B leaf node, and
//! each `String` key one more allocation; here up to `INLINE` entries, and keys of up to 24
//! bytes, live inside the event itself, so a typical captured event is one allocation.
//! Lookups are a binary search, iteration is in key order, as the map's was.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Index;

use compact_str::CompactString;
use smallvec::SmallVec;

/// How many entries stay inline: most events have no more measurements (or metadata) than this.
const INLINE: usize = 2;

/// A key of an event's field map: a string kept inline when it is at most 24 bytes long.
pub type FieldKey = CompactString;

/// An event's measurements or metadata: keys unique, in key order (as a `BTreeMap` would iterate).
#[derive(Clone, PartialEq)]
pub struct FieldMap<V> {
    entries: SmallVec<[(FieldKey, V); INLINE]>,
}

impl<V> FieldMap<V> {
    pub fn new() -> Self {
        FieldMap { entries: SmallVec::new() }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`; the value it had, if any (as `BTreeMap::insert`).
    pub fn insert(&mut self, key: impl Into<FieldKey>, value: V) -> Option<V> {
        let key = key.into();
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &V)> + DoubleEndedIterator {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> + DoubleEndedIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Sorts entries pushed in any order; of equal keys the last pushed wins, as when a
    /// `BTreeMap` is collected.
    fn sort_keeping_last(&mut self) {
        if self.entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return;
        }
        self.entries.sort_by(|a, b| a.0.cmp(&b.0)); // stable: equal keys stay in push order
        self.entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
    }
}

impl<V> Default for FieldMap<V> {
    fn default() -> Self {
        FieldMap::new()
    }
}

impl<V: fmt::Debug> fmt::Debug for FieldMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<FieldKey>, V> FromIterator<(K, V)> for FieldMap<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = FieldMap { entries: entries.into_iter().map(|(k, v)| (k.into(), v)).collect() };
        map.sort_keeping_last();
        map
    }
}

impl<V> From<BTreeMap<String, V>> for FieldMap<V> {
    fn from(map: BTreeMap<String, V>) -> Self {
        // Already sorted and unique.
        FieldMap { entries: map.into_iter().map(|(k, v)| (k.into(), v)).collect() }
    }
}

impl<V> From<FieldMap<V>> for BTreeMap<String, V> {
    fn from(map: FieldMap<V>) -> Self {
        map.entries.into_iter().map(|(k, v)| (k.into_string(), v)).collect()
    }
}

impl<V: PartialEq> PartialEq<BTreeMap<String, V>> for FieldMap<V> {
    fn eq(&self, other: &BTreeMap<String, V>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|((a, x), (b, y))| a == b && x == y)
    }
}

impl<V, Q: Borrow<str> + ?Sized> Index<&Q> for FieldMap<V> {
    type Output = V;

    /// The value of `key`; panics when there is none (as indexing a `BTreeMap`).
    fn index(&self, key: &Q) -> &V {
        let key = key.borrow();
        self.get(key).unwrap_or_else(|| panic!("no entry {key:?} in the event's fields"))
    }
}

impl<'a, V> IntoIterator for &'a FieldMap<V> {
    type Item = (&'a str, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (FieldKey, V)>, fn(&'a (FieldKey, V)) -> (&'a str, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<V> IntoIterator for FieldMap<V> {
    type Item = (FieldKey, V);
    type IntoIter = smallvec::IntoIter<[(FieldKey, V); INLINE]>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collected_entries_are_in_key_order_and_the_last_of_a_key_wins() {
        let map: FieldMap<i32> = [("b", 1), ("a", 2), ("c", 3), ("a", 4)].into_iter().collect();
        assert_eq!(map.iter().collect::<Vec<_>>(), [("a", &4), ("b", &1), ("c", &3)]);
        let btree: BTreeMap<String, i32> =
            [("b", 1), ("a", 2), ("c", 3), ("a", 4)].map(|(k, v)| (k.to_owned(), v)).into();
        assert_eq!(map, btree);
    }

    #[test]
    fn lookups_and_inserts_keep_the_order() {
        let mut map = FieldMap::new();
        assert_eq!(map.insert("m", 1), None);
        assert_eq!(map.insert("a", 2), None);
        assert_eq!(map.insert("z", 3), None);
        assert_eq!(map.insert("m", 4), Some(1));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "m", "z"]);
        assert_eq!(map.get("m"), Some(&4));
        assert_eq!(map["z"], 3);
        assert_eq!(map.get("q"), None);
        assert!(map.contains_key("a") && !map.contains_key("b"));
        assert_eq!(format!("{map:?}"), r#"{"a": 2, "m": 4, "z": 3}"#);
    }

    // compact_str inlines a short `String` it is converted from: this pins it (an upgrade that
    // kept the heap buffer would make every captured event one allocation per key bigger).
    #[test]
    fn short_keys_are_inline_whatever_they_came_from() {
        let map: FieldMap<i32> = [(String::from("from.a.string"), 1)].into_iter().collect();
        assert!(!map.entries[0].0.is_heap_allocated());
        let long = "a key longer than twenty-four bytes";
        let map: FieldMap<i32> = [(long, 1)].into_iter().collect();
        assert_eq!(map.keys().next(), Some(long));
    }
}
