//! The OCR confusions seen in the wild (`data/ocr/confusions.toml`): characters an OCR
//! engine reads as look-alikes in the templates' words, and ordinals it misreads.

use std::sync::LazyLock;

use crate::pattern::Regex;

/// The OCR confusions of `data/ocr/confusions.toml`.
#[derive(serde::Deserialize)]
struct Confusions {
    pair: Vec<Pair>,
    ordinal: Vec<Ordinal>,
}

#[derive(serde::Deserialize)]
struct Pair {
    read: String,
    printed: String,
}

#[derive(serde::Deserialize)]
struct Ordinal {
    pattern: String,
    replace: String,
}

/// A pattern and its replacement.
type Rewrite = (Regex, String);

static CONFUSIONS: LazyLock<(Vec<Pair>, Vec<Rewrite>)> = LazyLock::new(|| {
    let c: Confusions =
        serde_json::from_str(crate::knowledge::data!("ocr/confusions")).expect("data/ocr/confusions.toml");
    let ordinals = c
        .ordinal
        .into_iter()
        .map(|o| (crate::pattern::compile(&o.pattern).expect("ordinal pattern"), o.replace))
        .collect();
    (c.pair, ordinals)
});

/// Undoes the OCR confusions of `data/ocr/confusions.toml` (`住房保障文出` → `住房保障支出`,
/// `1，一般…` → `1.一般…`); `None` when there is none.
pub fn unconfuse(text: &str) -> Option<String> {
    let (_, ordinals) = &*CONFUSIONS;
    let mut out = unconfuse_words(text);
    for (pattern, replace) in ordinals {
        // A copy only where a pattern changed something: every title candidate comes here.
        if let std::borrow::Cow::Owned(changed) = pattern.replace(out.as_deref().unwrap_or(text), replace.as_str()) {
            out = Some(changed);
        }
    }
    out.filter(|out| out != text)
}

/// Undoes the confused words only (`人员支册` → `人员支出`), not the list numbers: for header
/// words, where a piece may begin with a mark of the word it continues (`上年结余` / `、结转`).
pub fn unconfuse_words(text: &str) -> Option<String> {
    let (pairs, _) = &*CONFUSIONS;
    let mut out: Option<String> = None;
    for p in pairs {
        let current = out.as_deref().unwrap_or(text);
        if current.contains(&p.read) {
            out = Some(current.replace(&p.read, &p.printed));
        }
    }
    out.filter(|out| out != text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colon_of_qizhong_read_as_a_comma_is_undone_in_header_words_too() {
        assert_eq!(unconfuse_words("其中,基本支出").as_deref(), Some("其中:基本支出"));
        assert_eq!(unconfuse_words("其中:基本支出"), None);
    }
}
