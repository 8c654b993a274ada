//! Each line of a layout's text made comparable (NFKC, white space removed) once, for the
//! metadata's searches.

use std::cell::OnceCell;

use crate::label::nfkc;
use crate::page::Line;

/// Each line's text made comparable once, for the metadata's searches (each of which used to
/// normalise every line again: 7 % of a conversion).
pub(super) struct Texts<'l> {
    pub(super) lines: &'l [Line],
    /// NFKC.
    nfkc: Vec<OnceCell<String>>,
    /// NFKC without white space.
    compact: Vec<OnceCell<String>>,
}

impl<'l> Texts<'l> {
    pub(super) fn new(lines: &'l [Line]) -> Texts<'l> {
        Texts { lines, nfkc: vec![OnceCell::new(); lines.len()], compact: vec![OnceCell::new(); lines.len()] }
    }

    pub(super) fn nfkc(&self, i: usize) -> &str {
        self.nfkc[i].get_or_init(|| nfkc(&self.lines[i].text()))
    }

    pub(super) fn compact(&self, i: usize) -> &str {
        self.compact[i].get_or_init(|| self.nfkc(i).chars().filter(|c| !c.is_whitespace()).collect())
    }

    /// The first of `find` over the lines' compact texts.
    pub(super) fn find_compact<T>(&self, find: impl Fn(&str) -> Option<T>) -> Option<T> {
        (0..self.lines.len()).find_map(|i| find(self.compact(i)))
    }
}
