//! Patterns matched against short haystacks — a cell, a label, a line, a title — as the code
//! and `data/` write them (the `regex` crate's syntax, with `\p{Han}`, Unicode `\s` and
//! `\d`), compiled by `regex-lite`.
//!
//! Why: the `regex` crate's compiler builds a Unicode class into a UTF-8 automaton,
//! allocating and clearing two 400 KB maps for each pattern, and every worker compiles its
//! patterns once: about half of a worker's start-up, as much as a short document's
//! conversion (`scripts/bench_corpus.py`, per city folder). `regex-lite` compiles in a
//! fraction of that and matches by code point, which is quick on a cell.
//!
//! `regex-lite` has no literal search: run over a whole explanation, or over every line of a
//! document, it is many times slower than `regex`'s DFA (whole corpus 1.9 → 2.9 s). So a
//! pattern over many lines is [`Guarded`] by words its every match holds, and the narrative's
//! statements and comparisons are searched only in the sentences that hold words their every
//! match holds ([`Sentences`]).
//!
//! `regex-lite` knows no Unicode classes, so the three the patterns use are written out as
//! the code-point ranges `regex` gives them (Unicode 16, as in `regex-syntax` 0.8): the
//! meaning of every pattern is unchanged. Other Unicode classes and word boundaries (`\w`,
//! `\b`, other `\p{…}`), which `regex-lite` would take as ASCII ones, are refused.

mod sentences;

pub use regex_lite::Captures;
#[cfg(test)]
pub use sentences::stops;
pub use sentences::{Found, Reach, Sentences};

/// `\p{Han}`: the Han script (汉字, with 〇 and the radicals).
const HAN: &str = r"\x{2E80}-\x{2E99}\x{2E9B}-\x{2EF3}\x{2F00}-\x{2FD5}\x{3005}\x{3007}\x{3021}-\x{3029}\x{3038}-\x{303B}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FA6D}\x{FA70}-\x{FAD9}\x{16FE2}-\x{16FE3}\x{16FF0}-\x{16FF1}\x{20000}-\x{2A6DF}\x{2A700}-\x{2B739}\x{2B740}-\x{2B81D}\x{2B820}-\x{2CEA1}\x{2CEB0}-\x{2EBE0}\x{2EBF0}-\x{2EE5D}\x{2F800}-\x{2FA1D}\x{30000}-\x{3134A}\x{31350}-\x{323AF}";

/// `\s`: Unicode white space (the ideographic space U+3000 and no-break space among it).
const SPACE: &str = r"\x{9}-\x{D}\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}-\x{2029}\x{202F}\x{205F}\x{3000}";

/// `\d`: the decimal digits of every script (ASCII and full-width among them).
const DIGIT: &str = r"\x{30}-\x{39}\x{660}-\x{669}\x{6F0}-\x{6F9}\x{7C0}-\x{7C9}\x{966}-\x{96F}\x{9E6}-\x{9EF}\x{A66}-\x{A6F}\x{AE6}-\x{AEF}\x{B66}-\x{B6F}\x{BE6}-\x{BEF}\x{C66}-\x{C6F}\x{CE6}-\x{CEF}\x{D66}-\x{D6F}\x{DE6}-\x{DEF}\x{E50}-\x{E59}\x{ED0}-\x{ED9}\x{F20}-\x{F29}\x{1040}-\x{1049}\x{1090}-\x{1099}\x{17E0}-\x{17E9}\x{1810}-\x{1819}\x{1946}-\x{194F}\x{19D0}-\x{19D9}\x{1A80}-\x{1A89}\x{1A90}-\x{1A99}\x{1B50}-\x{1B59}\x{1BB0}-\x{1BB9}\x{1C40}-\x{1C49}\x{1C50}-\x{1C59}\x{A620}-\x{A629}\x{A8D0}-\x{A8D9}\x{A900}-\x{A909}\x{A9D0}-\x{A9D9}\x{A9F0}-\x{A9F9}\x{AA50}-\x{AA59}\x{ABF0}-\x{ABF9}\x{FF10}-\x{FF19}\x{104A0}-\x{104A9}\x{10D30}-\x{10D39}\x{10D40}-\x{10D49}\x{11066}-\x{1106F}\x{110F0}-\x{110F9}\x{11136}-\x{1113F}\x{111D0}-\x{111D9}\x{112F0}-\x{112F9}\x{11450}-\x{11459}\x{114D0}-\x{114D9}\x{11650}-\x{11659}\x{116C0}-\x{116C9}\x{116D0}-\x{116E3}\x{11730}-\x{11739}\x{118E0}-\x{118E9}\x{11950}-\x{11959}\x{11BF0}-\x{11BF9}\x{11C50}-\x{11C59}\x{11D50}-\x{11D59}\x{11DA0}-\x{11DA9}\x{11F50}-\x{11F59}\x{16130}-\x{16139}\x{16A60}-\x{16A69}\x{16AC0}-\x{16AC9}\x{16B50}-\x{16B59}\x{16D70}-\x{16D79}\x{1CCF0}-\x{1CCF9}\x{1D7CE}-\x{1D7FF}\x{1E140}-\x{1E149}\x{1E2F0}-\x{1E2F9}\x{1E4F0}-\x{1E4F9}\x{1E5F1}-\x{1E5FA}\x{1E950}-\x{1E959}\x{1FBF0}-\x{1FBF9}";

/// Why a pattern was not compiled.
#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    /// A class or assertion `regex-lite` would read as ASCII where `regex` reads Unicode.
    #[error("{0} in {1:?}: write the characters out")]
    Unsupported(String, String),
    /// The pattern's syntax.
    #[error(transparent)]
    Syntax(#[from] regex_lite::Error),
}

/// Compiles `pattern`, its Unicode classes written out.
pub fn compile(pattern: &str) -> Result<Regex, PatternError> {
    Ok(Regex { inner: regex_lite::Regex::new(&written_out(pattern)?)?, firsts: first_chars(pattern) })
}

/// A compiled pattern. One anchored at the text's start (`^…`, as most cell, label and title
/// patterns are) knows the characters a match can begin with and answers "no match" for a
/// text that begins otherwise without running: every call of `regex-lite` takes a cache
/// from its pool and sets up its threads, which on a line or a cell costs more than the
/// match, and most lines are not what a given pattern looks for.
#[derive(Debug, Clone)]
pub struct Regex {
    inner: regex_lite::Regex,
    /// Every match begins at the text's start with one of these (`None`: not known).
    firsts: Option<Box<[char]>>,
}

impl Regex {
    /// Whether `text` may hold a match (false only when it surely does not).
    fn may_match(&self, text: &str) -> bool {
        self.firsts.as_ref().is_none_or(|firsts| text.chars().next().is_some_and(|c| firsts.contains(&c)))
    }

    /// Whether `text` holds a match.
    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.inner.is_match(text)
    }

    /// The first match.
    pub fn find<'t>(&self, text: &'t str) -> Option<regex_lite::Match<'t>> {
        if self.may_match(text) { self.inner.find(text) } else { None }
    }

    /// The first match's groups.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        if self.may_match(text) { self.inner.captures(text) } else { None }
    }

    /// Every match's groups, left to right.
    pub fn captures_iter<'r, 't>(&'r self, text: &'t str) -> regex_lite::CaptureMatches<'r, 't> {
        self.inner.captures_iter(text)
    }

    /// Every match, left to right.
    pub fn find_iter<'r, 't>(&'r self, text: &'t str) -> regex_lite::Matches<'r, 't> {
        self.inner.find_iter(text)
    }

    /// `text` with its first match replaced (borrowed where there is none).
    pub fn replace<'t, R: regex_lite::Replacer>(&self, text: &'t str, rep: R) -> std::borrow::Cow<'t, str> {
        if self.may_match(text) { self.inner.replace(text, rep) } else { std::borrow::Cow::Borrowed(text) }
    }

    /// `text` with every match replaced.
    pub fn replace_all<'t, R: regex_lite::Replacer>(&self, text: &'t str, rep: R) -> std::borrow::Cow<'t, str> {
        if self.may_match(text) { self.inner.replace_all(text, rep) } else { std::borrow::Cow::Borrowed(text) }
    }

    /// The pattern as compiled (its Unicode classes written out).
    pub fn as_str(&self) -> &str {
        self.inner.as_str()
    }
}

/// The characters every match of `pattern` begins with, when it matches only at the text's
/// start and they are few (a literal, or a small class); `None` otherwise, or where a match
/// may be empty. Read from the pattern's syntax tree as written (`regex-syntax`'s parser, not
/// its translation, which resolves Unicode classes: that took as long as compiling), and
/// only where no flag changes what a character matches.
fn first_chars(pattern: &str) -> Option<Box<[char]>> {
    if !pattern.contains('^') || has_flags(pattern) {
        return None;
    }
    let ast = regex_syntax::ast::parse::Parser::new().parse(pattern).ok()?;
    if !anchored(&ast) {
        return None;
    }
    let mut firsts = Vec::new();
    match begins_with(&ast, &mut firsts)? {
        true => None,
        false => Some(firsts.into_boxed_slice()),
    }
}

/// Whether `pattern` has a group that sets flags (`(?i)`, `(?m:…)`; `(?:…)` sets none).
fn has_flags(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| !pattern[i + 2..].starts_with(':'))
}

/// Whether every match of `ast` begins with `^` (with no flags, the text's start).
fn anchored(ast: &regex_syntax::ast::Ast) -> bool {
    use regex_syntax::ast::{AssertionKind, Ast};
    match ast {
        Ast::Assertion(a) => matches!(a.kind, AssertionKind::StartLine | AssertionKind::StartText),
        Ast::Concat(c) => c.asts.first().is_some_and(anchored),
        Ast::Alternation(a) => a.asts.iter().all(anchored),
        Ast::Group(g) => anchored(&g.ast),
        _ => false,
    }
}

/// The most characters a class may have for a match's first to be listed.
const MOST_FIRSTS: u32 = 64;

/// Adds to `firsts` the characters a match of `ast` may begin with; whether it may be empty
/// (so what follows it may begin a match too). `None` where they are too many to list.
fn begins_with(ast: &regex_syntax::ast::Ast, firsts: &mut Vec<char>) -> Option<bool> {
    use regex_syntax::ast::{Ast, RepetitionKind, RepetitionRange};
    match ast {
        Ast::Empty(_) | Ast::Assertion(_) => Some(true),
        Ast::Literal(literal) => {
            add(firsts, literal.c);
            Some(false)
        }
        Ast::ClassBracketed(class) if !class.negated => {
            class_chars(&class.kind, firsts)?;
            Some(false)
        }
        Ast::Repetition(rep) => {
            let empty = match &rep.op.kind {
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => true,
                RepetitionKind::OneOrMore => false,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(min) | RepetitionRange::AtLeast(min) | RepetitionRange::Bounded(min, _),
                ) => *min == 0,
            };
            Some(begins_with(&rep.ast, firsts)? || empty)
        }
        Ast::Group(group) => begins_with(&group.ast, firsts),
        Ast::Concat(concat) => {
            for item in &concat.asts {
                if !begins_with(item, firsts)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        Ast::Alternation(alternation) => {
            let mut empty = false;
            for item in &alternation.asts {
                empty |= begins_with(item, firsts)?;
            }
            Some(empty)
        }
        // Any character, a Unicode or Perl class (`\p{Han}`, `\s`), a negated class, flags.
        _ => None,
    }
}

/// Adds the characters of a bracketed class; `None` where it holds a named class, an
/// operation on classes, or more than [`MOST_FIRSTS`] characters.
fn class_chars(set: &regex_syntax::ast::ClassSet, firsts: &mut Vec<char>) -> Option<()> {
    use regex_syntax::ast::{ClassSet, ClassSetItem};
    let ClassSet::Item(item) = set else { return None };
    let mut items = vec![item];
    while let Some(item) = items.pop() {
        match item {
            ClassSetItem::Empty(_) => {}
            ClassSetItem::Literal(literal) => add(firsts, literal.c),
            ClassSetItem::Range(range) => {
                if u32::from(range.end.c).saturating_sub(u32::from(range.start.c)) >= MOST_FIRSTS {
                    return None;
                }
                (range.start.c..=range.end.c).for_each(|c| add(firsts, c));
            }
            ClassSetItem::Union(union) => items.extend(&union.items),
            ClassSetItem::Bracketed(inner) if !inner.negated => class_chars(&inner.kind, firsts)?,
            _ => return None,
        }
        if firsts.len() > MOST_FIRSTS as usize {
            return None;
        }
    }
    Some(())
}

fn add(firsts: &mut Vec<char>, c: char) {
    if !firsts.contains(&c) {
        firsts.push(c);
    }
}

/// A pattern tried on many short texts (every line of a document), compiled on first use and
/// run only on a text that holds one of its needles, words every match of it holds: the
/// answers are the pattern's, and `regex-lite`, which has no literal search of its own, does
/// not run its automaton over every line.
pub struct Guarded {
    pattern: &'static str,
    needles: &'static [&'static str],
    compiled: std::sync::OnceLock<Regex>,
}

impl Guarded {
    /// `pattern`, every match of which holds one of `needles`.
    pub const fn new(pattern: &'static str, needles: &'static [&'static str]) -> Guarded {
        Guarded { pattern, needles, compiled: std::sync::OnceLock::new() }
    }

    fn regex(&self, text: &str) -> Option<&Regex> {
        self.needles.iter().any(|n| text.contains(n)).then(|| {
            self.compiled.get_or_init(|| compile(self.pattern).unwrap_or_else(|e| panic!("{}: {e}", self.pattern)))
        })
    }

    /// The first match's groups.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        self.regex(text)?.captures(text)
    }

    /// The first match.
    pub fn find<'t>(&self, text: &'t str) -> Option<regex_lite::Match<'t>> {
        self.regex(text)?.find(text)
    }

    /// Whether `text` holds a match.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex(text).is_some_and(|r| r.is_match(text))
    }
}

/// `pattern` with `\p{Han}`, `\s` and `\d` as code-point ranges.
fn written_out(pattern: &str) -> Result<String, PatternError> {
    let unsupported = |what: &str| PatternError::Unsupported(what.to_string(), pattern.to_string());
    let mut out = String::with_capacity(pattern.len());
    // Brackets open: 0 outside a class, 2 or more in a class nested in another (`[[0-9],]`),
    // which `regex-lite` lacks and is written as one class: a union is the same set.
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push(c);
                    break;
                };
                let ranges = match e {
                    's' => Some(SPACE),
                    'd' => Some(DIGIT),
                    'p' => {
                        let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                        if name != "{Han" {
                            return Err(unsupported(&format!("\\p{name}}}")));
                        }
                        Some(HAN)
                    }
                    'w' | 'W' | 'b' | 'B' | 'S' | 'D' | 'P' => return Err(unsupported(&format!("\\{e}"))),
                    _ => None,
                };
                match ranges {
                    Some(r) if depth > 0 => out.push_str(r),
                    Some(r) => {
                        out.push('[');
                        out.push_str(r);
                        out.push(']');
                    }
                    None => {
                        out.push(c);
                        out.push(e);
                    }
                }
            }
            '[' => {
                depth += 1;
                let negated = chars.peek() == Some(&'^');
                if depth > 1 {
                    if negated {
                        return Err(unsupported("a negated class inside a class"));
                    }
                } else {
                    out.push(c);
                    if negated {
                        out.push(chars.next().expect("peeked"));
                    }
                }
                // A `]` first in a class is a literal, not its end.
                if chars.peek() == Some(&']') {
                    out.push(chars.next().expect("peeked"));
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_classes_match_as_regex_reads_them() {
        let re = compile(r"^(\p{Han}+)\s*([\p{Han}()]{2,})\s+(\d+)$").unwrap();
        let caps = re.captures("一般公共服务\u{3000}(本级)  １２").unwrap();
        assert_eq!((&caps[1], &caps[2], &caps[3]), ("一般公共服务", "(本级)", "１２"));
        assert!(compile(r"^\p{Han}$").unwrap().is_match("〇"));
        assert!(!compile(r"^\p{Han}$").unwrap().is_match("、"));
        assert!(compile(r"^[0-9.\s]+$").unwrap().is_match("1.2\u{a0}3"));
        assert!(compile(r"^[^\s]+$").unwrap().is_match("x") && !compile(r"^[^\s]+$").unwrap().is_match("x y"));
        assert!(compile(r"^[\]a]+$").unwrap().is_match("]a"), "an escaped bracket inside a class");
        let nested = compile(r"^[[0-9],]+$|^x[^[0-9].]$").unwrap();
        assert!(nested.is_match("1,2") && nested.is_match("xa") && !nested.is_match("x1") && !nested.is_match("x."));
    }

    #[test]
    fn an_anchored_pattern_knows_what_its_matches_begin_with() {
        assert!(has_flags("(?i)^a") && has_flags("^(?m:a)") && !has_flags("^(?:a)"));
        let firsts = |p: &str| {
            first_chars(p).map(|f| {
                let mut f = f.to_vec();
                f.sort_unstable();
                f.into_iter().collect::<String>()
            })
        };
        assert_eq!(firsts(r"^[上土士]?[+＋]([一二三]?、)").as_deref(), Some("+上土士＋"));
        assert_eq!(firsts(r"^(?:预算年度|年度)\s*:").as_deref(), Some("年预"));
        assert_eq!(firsts(r"^([0-9]{1,2})[,，]\s*(\p{Han})").as_deref(), Some("0123456789"));
        // Not anchored everywhere, a match that may be empty, a class too large to list.
        for p in
            [r"(?:^|[^0-9.])[0-9]{1,2}、", r"a^b", r"^x?", r"^.*?[0-9]{4}年", r"^\p{Han}+", r"x$", r"(?i)^a", r"^[^a]"]
        {
            assert_eq!(firsts(p), None, "{p}");
        }
    }

    /// The characters a match begins with only spare a run, never change an answer: every
    /// anchored pattern of the cell, label and title rules, over every line and cell of the
    /// seed's text (and their tails, which begin anywhere), answers as `regex-lite` does.
    #[test]
    fn a_pattern_answers_as_regex_lite_does_on_every_line_of_the_seed() {
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/ocr-text/qinglong-2023-budget.txt"))
                .expect("the seed sample");
        let mut texts: Vec<&str> = seed.lines().flat_map(|l| std::iter::once(l).chain(l.split('\t'))).collect();
        let tails: Vec<&str> = texts.iter().flat_map(|t| t.char_indices().map(|(i, _)| &t[i..]).take(6)).collect();
        texts.extend(tails);
        let patterns = [
            r"^(?:(?:(?:单位|部门)?(?:预算|决算|公开)?(?:表[0-9]{1,2}|[0-9]{1,2}表)[.:、]?)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|[0-9]{1,2}[.、])",
            r"^(-?[0-9]+)\.\s+([0-9]{1,2})$",
            r"^[-—–－]+\s*(\p{Han}|、)",
            r"^([0-9]{3}|[0-9]{5}|[0-9]{7})\s*(\p{Han}.*)$",
            r"^([0-9]{1,2})[,，]\s*(\p{Han})",
            r"^[上土士]?[+＋]([一二三四五六七八九]?、)",
            r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))",
        ];
        let mut matched = 0;
        for p in patterns {
            let gated = compile(p).unwrap();
            assert!(gated.firsts.is_some(), "{p} is anchored and its first characters are few");
            let plain = regex_lite::Regex::new(&written_out(p).unwrap()).unwrap();
            for t in &texts {
                let (a, b) = (gated.captures(t), plain.captures(t));
                let groups =
                    |c: Option<Captures>| c.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>());
                let (a, b) = (groups(a), groups(b));
                matched += usize::from(b.is_some());
                assert_eq!(a, b, "{p} on {t:?}");
                assert_eq!(gated.replace(t, "#"), plain.replace(t, "#"), "{p} on {t:?}");
            }
        }
        assert!(matched > 100, "the seed holds matches of these patterns ({matched})");
    }

    #[test]
    fn ascii_only_readings_are_refused() {
        for p in [r"\w+", r"\bx", r"\p{Greek}", r"\S", r"[a[^b]]"] {
            assert!(matches!(compile(p), Err(PatternError::Unsupported(..))), "{p}");
        }
    }
}
