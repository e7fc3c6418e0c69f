//! Interned names: each distinct id or version string is stored once and
//! items refer to it by a `u32`. Large collections that a session keeps
//! (everyone's segments, a re-check queue) repeat a few hundred coders,
//! transcripts, codes and versions hundreds of thousands of times.

use std::borrow::Borrow;
use std::hash::Hash;

#[derive(Debug, Clone)]
pub struct Names<T> {
    all: Vec<T>,
    /// Hashed with foldhash: these tables take a million look-ups a
    /// command on a large study, where SipHash cost 6 % of the time.
    index: foldhash::HashMap<T, u32>,
}

/// Two tables are equal when they number the same names alike.
impl<T: PartialEq> PartialEq for Names<T> {
    fn eq(&self, other: &Self) -> bool {
        self.all == other.all
    }
}

impl<T: Eq> Eq for Names<T> {}

impl<T> Default for Names<T> {
    fn default() -> Self {
        Names {
            all: Vec::new(),
            index: foldhash::HashMap::default(),
        }
    }
}

impl<T: Clone + Eq + Hash + Borrow<str>> Names<T> {
    /// The number of `name`, given one if it has none yet.
    pub fn intern(&mut self, name: &T) -> u32 {
        if let Some(&i) = self.index.get(name.borrow()) {
            return i;
        }
        self.add(name.clone())
    }

    /// The same from a borrowed name, made owned only when it is new.
    pub fn intern_str(&mut self, name: &str, owned: impl FnOnce(&str) -> T) -> u32 {
        match self.index.get(name) {
            Some(&i) => i,
            None => self.add(owned(name)),
        }
    }

    fn add(&mut self, name: T) -> u32 {
        let i = u32::try_from(self.all.len()).expect("fewer than 2^32 distinct names");
        self.index.insert(name.clone(), i);
        self.all.push(name);
        i
    }

    /// The number of `name`, if it has one.
    pub fn find(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The name numbered `i` (a number this table gave).
    pub fn get(&self, i: u32) -> &T {
        &self.all[i as usize]
    }

    /// Every name, in the order of their numbers.
    pub fn all(&self) -> &[T] {
        &self.all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_numbered_once() {
        let mut names: Names<String> = Names::default();
        let a = names.intern(&"a".to_string());
        let b = names.intern_str("b", str::to_string);
        assert_eq!((a, b), (0, 1));
        assert_eq!(names.intern_str("a", |_| unreachable!("already known")), 0);
        assert_eq!(names.find("b"), Some(1));
        assert_eq!(names.find("c"), None);
        assert_eq!(names.get(1), "b");
        assert_eq!(names.all(), ["a", "b"]);
    }
}
