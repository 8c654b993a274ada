//! A pattern searched in a long text — an explanation of tens of thousands of characters —
//! only in the sentences where it can match.
//!
//! Why: `regex-lite` has no literal search of its own; run over a whole explanation for each
//! of some twenty patterns it costs more than `regex` compiling them, and that compile was
//! the larger part of a worker's start-up. Every match holds a word of a few (its first words,
//! its last, or words its caller names), and spans at most so many `。`: so only the
//! sentences around a sentence holding such a word are searched, and the matches are those
//! of a search of the whole text.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

use super::{Captures, PatternError, Regex, compile};

/// The sentence's end.
const STOP: char = '。';

/// Where a pattern can match: words one of which every match holds, and the most `。` a
/// match holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub needles: Vec<String>,
    pub stops: usize,
    /// Every match begins with a needle (they are its first words): a match is tried only
    /// where one occurs, anchored there.
    pub starts: bool,
}

impl Reach {
    /// Read from `pattern`: the words every match begins or ends with, and its `。`; `None`
    /// where a match may hold any number of `。` (`[^，]+`) or begin and end with too many
    /// things to list.
    pub fn of(pattern: &str) -> Option<Reach> {
        let hir = regex_syntax::parse(pattern).ok()?;
        let (needles, starts) = rarest_words(&hir).filter(|(n, _)| !n.iter().any(|w| w.contains(STOP)))?;
        Some(Reach { needles, stops: most_stops(&hir)?, starts })
    }
}

/// The most `。` a match of `pattern` holds, where that is bounded (what a caller's [`Reach`]
/// is tested against).
#[cfg(test)]
pub fn stops(pattern: &str) -> Option<usize> {
    most_stops(&regex_syntax::parse(pattern).ok()?)
}

/// A match in a long text: its groups, their positions counting from `at`.
pub struct Found<'t> {
    pub at: usize,
    pub caps: Captures<'t>,
}

impl Found<'_> {
    /// Where the whole match is in the text.
    pub fn span(&self) -> (usize, usize) {
        let m = self.caps.get(0).expect("a match");
        (self.at + m.start(), self.at + m.end())
    }
}

/// A compiled pattern and where in a text it can match.
pub struct Sentences {
    /// The pattern; anchored at its start where every match begins with a needle.
    regex: Regex,
    /// Where it can match; `None`: anywhere in the text.
    reach: Option<Reach>,
}

impl Sentences {
    /// `pattern` (no `^` or `$`), searched where `reach` says, or in the whole text.
    pub fn new(pattern: &str, reach: Option<Reach>) -> Result<Sentences, PatternError> {
        let regex = match &reach {
            Some(r) if r.starts => compile(&format!("^(?:{pattern})"))?,
            _ => compile(pattern)?,
        };
        Ok(Sentences { regex, reach })
    }

    /// Each match in `text`.
    pub fn captures_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Found<'t>> + 't {
        let found: Vec<Found<'t>> = match &self.reach {
            Some(reach) if reach.starts => starting_at_needles(&self.regex, reach, text),
            _ => self
                .windows(text)
                .into_iter()
                .flat_map(|(at, end)| self.regex.captures_iter(&text[at..end]).map(move |caps| Found { at, caps }))
                .collect(),
        };
        found.into_iter()
    }

    /// The stretches of `text` to search: around each sentence holding a needle, as many
    /// sentences either side as a match may span, joined where they meet. A match holds a
    /// needle, so it lies within one stretch; one overlapping a stretch lies within it.
    fn windows(&self, text: &str) -> Vec<(usize, usize)> {
        let Some(Reach { needles, stops, .. }) = &self.reach else { return vec![(0, text.len())] };
        let bounds = sentences(text);
        // Each needle is looked for once in the whole text (no needle holds a `。`).
        let mut held = vec![false; bounds.len()];
        for needle in needles {
            for (at, _) in text.match_indices(needle.as_str()) {
                held[bounds.partition_point(|&(_, end)| end <= at)] = true;
            }
        }
        let mut out: Vec<(usize, usize)> = Vec::new();
        for i in (0..bounds.len()).filter(|&i| held[i]) {
            let from = bounds[i.saturating_sub(*stops)].0;
            let to = bounds[(i + stops).min(bounds.len() - 1)].1;
            match out.last_mut() {
                Some(last) if last.1 >= from => last.1 = last.1.max(to),
                _ => out.push((from, to)),
            }
        }
        out
    }
}

/// Each sentence's start and end (after its `。`).
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let mut at = 0;
    for sentence in text.split_inclusive(STOP) {
        bounds.push((at, at + sentence.len()));
        at += sentence.len();
    }
    bounds
}

/// The matches of a pattern every match of which begins with a needle: tried, anchored, at
/// each needle from the end of the last match on, up to as many sentences on as a match may
/// span. The leftmost match begins at the first needle where one is found, and an anchored
/// search there prefers what the whole-text search prefers.
fn starting_at_needles<'t>(anchored: &Regex, reach: &Reach, text: &'t str) -> Vec<Found<'t>> {
    let bounds = sentences(text);
    let mut starts: Vec<usize> =
        reach.needles.iter().flat_map(|n| text.match_indices(n.as_str()).map(|(at, _)| at)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out = Vec::new();
    let mut done = 0;
    for at in starts {
        if at < done {
            continue;
        }
        let sentence = bounds.partition_point(|&(_, end)| end <= at);
        let end = bounds[(sentence + reach.stops).min(bounds.len() - 1)].1;
        if let Some(caps) = anchored.captures(&text[at..end]) {
            let found = Found { at, caps };
            done = found.span().1.max(at + 1);
            out.push(found);
        }
    }
    out
}

/// The words one of which every match begins with (`true`), or those one of which it ends
/// with: the first, unless they are too many (ten digits, where every match ends with `%`)
/// or the last are longer.
fn rarest_words(hir: &Hir) -> Option<(Vec<String>, bool)> {
    let shortest = |w: &Vec<String>| w.iter().map(String::len).min().unwrap_or(0);
    match (words(hir, ExtractKind::Prefix), words(hir, ExtractKind::Suffix)) {
        (Some(p), Some(s)) if p.len() > MOST_NEEDLES && s.len() <= MOST_NEEDLES => Some((s, false)),
        (Some(p), Some(s)) => Some(if shortest(&s) > shortest(&p) { (s, false) } else { (p, true) }),
        (Some(p), None) => Some((p, true)),
        (None, s) => s.map(|s| (s, false)),
    }
}

/// The most characters a word looked for holds: a word's start (or end) is as good a test as
/// the word, and the words, cut so, are few (the 210 ways a statement's `财政拨款收入` +
/// `预算数为` + digit can begin are one, `财政拨款`).
const NEEDLE_CHARS: usize = 4;

/// Words one of which every match begins (or ends) with, where there are few.
fn words(hir: &Hir, kind: ExtractKind) -> Option<Vec<String>> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let seq = Extractor::new().kind(kind).extract(hir);
    let mut words = Vec::new();
    for literal in seq.literals()? {
        let bytes = literal.as_bytes();
        // A literal the extractor cut may end (or begin) inside a character: keep the whole
        // characters on the word's own side.
        let whole = if prefix {
            &bytes[..std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len)]
        } else {
            &bytes[bytes.iter().take_while(|&&b| b & 0xC0 == 0x80).count()..]
        };
        let word = std::str::from_utf8(whole).ok().filter(|w| !w.is_empty())?;
        words.push(word.to_string());
    }
    // Each word costs a pass over the text: cut them shorter while there are many
    // (`增加0` … `减少9` are `增加`, `减少`), keeping none that holds another.
    let mut chars = words.iter().map(|w| w.chars().count()).max().unwrap_or(0).min(NEEDLE_CHARS);
    loop {
        let cut: Vec<String> = words.iter().map(|w| cut_to(w, chars, prefix)).collect();
        let kept = fewest(cut);
        if kept.len() <= MOST_NEEDLES || chars == 1 {
            return Some(kept);
        }
        chars -= 1;
    }
}

/// How many words are looked for at most, where cutting them shorter makes fewer.
const MOST_NEEDLES: usize = 4;

/// The first (or last) `chars` characters of `word`.
fn cut_to(word: &str, chars: usize, prefix: bool) -> String {
    if prefix {
        word.chars().take(chars).collect()
    } else {
        let skip = word.chars().count().saturating_sub(chars);
        word.chars().skip(skip).collect()
    }
}

/// `words` without those holding another (found wherever that one is), nor repeats.
fn fewest(mut words: Vec<String>) -> Vec<String> {
    words.sort_by_key(String::len);
    let mut kept: Vec<String> = Vec::new();
    for w in words {
        if !kept.iter().any(|k| w.contains(k.as_str())) {
            kept.push(w);
        }
    }
    kept
}

/// The most `。` a match holds; `None` where there is no bound (`[^，]+`).
fn most_stops(hir: &Hir) -> Option<usize> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => Some(std::str::from_utf8(&l.0).map_or(0, |s| s.matches(STOP).count())),
        HirKind::Class(Class::Unicode(c)) => {
            Some(usize::from(c.ranges().iter().any(|r| (r.start()..=r.end()).contains(&STOP))))
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Capture(c) => most_stops(&c.sub),
        HirKind::Concat(parts) => parts.iter().map(most_stops).sum(),
        HirKind::Alternation(parts) => parts.iter().map(most_stops).collect::<Option<Vec<_>>>()?.into_iter().max(),
        HirKind::Repetition(r) => match (most_stops(&r.sub)?, r.max) {
            (0, _) => Some(0),
            (n, Some(max)) => Some(n * max as usize),
            (_, None) => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `regex` finds in the whole text, as (start, text of group 1).
    fn whole(pattern: &str, text: &str) -> Vec<(usize, String)> {
        regex::Regex::new(pattern)
            .unwrap()
            .captures_iter(text)
            .map(|c| (c.get(0).unwrap().start(), c[1].to_string()))
            .collect()
    }

    fn found(s: &Sentences, text: &str) -> Vec<(usize, String)> {
        s.captures_iter(text).map(|f| (f.span().0, f.caps[1].to_string())).collect()
    }

    #[test]
    fn the_matches_are_those_of_the_whole_text() {
        let text =
            "收入1万元。支出2万元,收入3万元。收入4万元。比上年增加5万元。与2023年相比,增加6万元,增长7%。合计8万元";
        for pattern in [
            r"收入([0-9]+)万元",
            r"(?:较|比)上年增加([0-9]+)万元",
            r"([0-9]+)万元。与[0-9]{4}年相比[,，]?[^。]{0,30}?增加[0-9]+万元,增长[0-9]+%",
            r"([0-9]+)万元",
        ] {
            let s = Sentences::new(pattern, Reach::of(pattern)).unwrap();
            assert!(s.reach.is_some(), "{pattern}");
            assert_eq!(found(&s, text), whole(pattern, text), "{pattern}");
            assert!(!found(&s, text).is_empty(), "{pattern}");
        }
        let class = r"(\p{Han}+)\(类\)([0-9]+)万元";
        let text = "其中:一般公共服务支出(类)12万元。教育支出(类)3万元,其他";
        let reach = Reach { needles: vec!["(类)".into()], stops: 0, starts: false };
        assert_eq!(found(&Sentences::new(class, Some(reach)).unwrap(), text), whole(class, text));
    }

    #[test]
    fn only_sentences_near_a_needle_are_searched() {
        let pattern = r"([0-9]+)万元。与[0-9]{4}年相比[^。]*?增长[0-9]+%";
        let s = Sentences::new(pattern, Reach::of(pattern)).unwrap();
        assert_eq!(s.reach.as_ref().unwrap().stops, 1, "one 。 in the pattern, none in its classes");
        let text = "甲。乙1万元。与2023年相比增长3%。丙。丁。";
        // Every match ends with a digit and `%`: the sentence holding `3%`, and one either side.
        assert_eq!(s.windows(text), [("甲。".len(), text.find("丙").unwrap() + "丙。".len())]);
        assert_eq!(Reach::of(r"a[^，]+b"), None, "unbounded");
        assert_eq!(Sentences::new(r"a[^，]+b", None).unwrap().windows("x。y"), [(0, "x。y".len())]);
        let starts =
            words(&regex_syntax::parse(r#"[“"]?三公[”"]?经费(?:支出)?"#).unwrap(), ExtractKind::Prefix).unwrap();
        assert_eq!(starts, ["\"三", "“三", "三公"], "eighteen ways to begin, cut to three");
    }
}
