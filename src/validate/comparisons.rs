//! The comparisons the explanation makes, checked against themselves and the tables. A final
//! account compares 决算数 with 预算数 (`年初预算为X万元，支出决算为Y万元，完成年初预算的Z%。
//! 决算数小于预算数`); every kind compares with last year (`X万元，比上年减少Y万元，下降Z%`,
//! `比2025年年初预算数P万元增加Y万元`) and splits a change into its parts (`增加Y万元，主要是
//! 基本支出增加A万元，项目支出增加B万元`). Each statement is checked against itself — the
//! percentage against the amounts, the direction words against each other and the amounts, the
//! parts against the whole — and, where it names a subject (`…（类）…（款）…（项）`), its 决算数
//! against the table. A contradiction is a `narrative_contradiction`.
//!
//! Rounding: every printed amount stands for an interval of half a unit of its last digit
//! (at least of its second decimal) either way; a percentage holds when it is within one unit of its last digit of the range
//! those intervals give (printed percentages are rounded or cut). Parts hold when their sum is
//! within half a unit per printed figure of the whole.

use std::str::FromStr;
use std::sync::{LazyLock, OnceLock};

use rust_decimal::{Decimal, RoundingStrategy};

use super::narrative::{Compared, Patterns, STATEMENTS, excerpt, subject_row};
use crate::label::label_key;
use crate::layout::Narrative;
use crate::model::{Finding, FindingKind, Kind, Severity, Table};
use crate::pattern::{Reach, Regex, Sentences};

/// One part of a change: `基本支出增加362.10万元`.
static PART: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?:^|[,，、;；:：])(?P<name>[^,，、;；:：]*?)(?P<c>增加|减少)(?P<d>[0-9][0-9,]*(?:\.[0-9]+)?)万元",
    )
    .expect("part")
});

/// The start of a numbered item: `1、`, `11、`.
static ITEM: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"(?:^|[^[0-9].])[0-9]{1,2}、").expect("item"));

/// The patterns compiled: those over the whole explanation searched sentence by sentence,
/// those over a few characters (after a statement, before it) as they are.
pub struct Compiled {
    bva: Option<Sentences>,
    direction: Option<Regex>,
    yoy: Vec<Sentences>,
    subject: Option<Regex>,
    change_parts: Option<Sentences>,
    complete_parts: Vec<Vec<String>>,
}

fn compile(pattern: &str) -> Regex {
    crate::pattern::compile(pattern).expect("data/narrative/*.toml comparison patterns compile (tested)")
}

fn sentences(pattern: &str) -> Sentences {
    Sentences::new(pattern, Reach::of(pattern)).expect("data/narrative/*.toml comparison patterns compile (tested)")
}

/// Every catalogue's comparison patterns by disclosure kind (read with its statements),
/// compiled when a document of that kind first needs them (a budget never compiles the final
/// accounts' patterns).
static COMPARISONS: LazyLock<Vec<(Kind, &'static Patterns, OnceLock<Compiled>)>> = LazyLock::new(|| {
    STATEMENTS.iter().filter_map(|s| Some((s.kind, s.comparisons.as_ref()?, OnceLock::new()))).collect()
});

impl Compiled {
    fn of(p: &Patterns) -> Compiled {
        Compiled {
            bva: p.budget_vs_actual.as_deref().map(sentences),
            direction: p.direction.as_deref().map(compile),
            yoy: p.year_on_year.iter().map(|y| sentences(y)).collect(),
            subject: p.subject.as_deref().map(compile),
            change_parts: p.change_parts.as_deref().map(sentences),
            complete_parts: p.complete_parts.clone(),
        }
    }
}

fn number(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.replace(',', "")).ok()
}

/// One unit of a printed figure's last digit (`12.30` → 0.01).
fn unit(x: Decimal) -> Decimal {
    Decimal::new(1, x.scale())
}

/// How far a printed amount in 万元 may be from what it rounds: half a unit of its last digit,
/// and of the second decimal for one printed with fewer (`17万元` is 17.00 with its zeros
/// dropped, as `下降22.73%` of `比上年减少5万元` shows).
fn half(x: Decimal) -> Decimal {
    Decimal::new(5, x.scale().max(2) + 1)
}

/// `100 × part / whole`, rounded to the stated percentage's decimals.
fn percent(part: Decimal, whole: Decimal, like: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| {
        (part * Decimal::from(100) / whole).round_dp_with_strategy(like.scale(), RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Whether a printed percentage can be `100 × part / whole` for figures that print as `part`
/// (± `part_slack`) and `whole` (± `whole_slack`): within one unit of its last digit of the range.
fn percent_holds(pct: Decimal, part: Decimal, part_slack: Decimal, whole: Decimal, whole_slack: Decimal) -> bool {
    let hundred = Decimal::from(100);
    let (whole_lo, whole_hi) = (whole - whole_slack, whole + whole_slack);
    if whole_lo <= Decimal::ZERO {
        return true; // a base that may be nothing: any percentage
    }
    let part_lo = (part - part_slack).max(Decimal::ZERO);
    let lo = part_lo * hundred / whole_hi;
    let hi = (part + part_slack) * hundred / whole_lo;
    pct >= lo - unit(pct) && pct <= hi + unit(pct)
}

/// Checks every comparison of a disclosure kind's catalogue found in the narrative.
pub fn check(kind: Kind, tables: &[Table], narrative: &Narrative, out: &mut Compared) {
    for (_, patterns, compiled) in COMPARISONS.iter().filter(|(k, _, _)| *k == kind) {
        check_with(compiled.get_or_init(|| Compiled::of(patterns)), tables, narrative, out);
    }
}

fn check_with(patterns: &Compiled, tables: &[Table], narrative: &Narrative, out: &mut Compared) {
    let text = &narrative.text;
    let mut found = Vec::new();
    if let Some(bva) = &patterns.bva {
        budget_vs_actual(patterns, bva, tables, text, out, &mut found);
    }
    for yoy in &patterns.yoy {
        year_on_year(yoy, text, out, &mut found);
    }
    if let Some(parts) = &patterns.change_parts {
        change_parts(parts, &patterns.complete_parts, text, out, &mut found);
    }
    for (start, end, message, at) in found {
        out.mismatched += 1;
        let mut f = Finding::new(
            Severity::Error,
            FindingKind::NarrativeContradiction,
            format!("{message} («{}»)", excerpt(text, start, end)),
        );
        f.page = narrative.page_at(start);
        if let Some((t, r)) = at {
            let table: &Table = &tables[t];
            f.table = Some(table.id.clone());
            f.row = Some(table.rows[r].key.clone());
        }
        out.findings.push(f);
    }
}

/// A contradiction: where in the text (start, end), what, and the table row it is about.
type Contradiction = (usize, usize, String, Option<(usize, usize)>);

fn budget_vs_actual(
    patterns: &Compiled,
    bva: &Sentences,
    tables: &[Table],
    text: &str,
    out: &mut Compared,
    found: &mut Vec<Contradiction>,
) {
    for matched in bva.captures_iter(text) {
        let ((start, end), caps) = (matched.span(), matched.caps);
        let (Some(budget), Some(actual)) = (number(&caps["budget"]), number(&caps["actual"])) else { continue };
        out.checked += 1;
        if let Some(pct) = caps.name("pct").and_then(|p| number(p.as_str()))
            && let Some(computed) = percent(actual, budget, pct)
            && !percent_holds(pct, actual, half(actual), budget, half(budget))
        {
            let m = format!("{actual} of a budget of {budget} is {computed}%, the text says {pct}%");
            found.push((start, end, m, None));
        }
        // A few characters on: 24 bytes, cut back to a character boundary.
        let after = crate::label::prefix_within(&text[end..], 24);
        if let Some(d) = patterns.direction.as_ref().and_then(|d| d.captures(after)) {
            let word = &d["dir"];
            let level = (actual - budget).abs() * Decimal::from(100) <= budget.abs();
            let holds = match word {
                "大于" => actual > budget,
                "小于" => actual < budget,
                _ => level, // 等于 / 持平: within 1 %
            };
            if !holds {
                let m = format!("决算数{word}预算数, but the 决算数 {actual} and the 预算数 {budget} say otherwise");
                found.push((start, end + d.get(0).expect("match").end(), m, None));
            }
        }
        // The subject the statement is about: named at the start of its numbered item
        // (`1、一般公共服务支出（类）…（项）。主要用于：…。年初预算为…`); its 决算数 is in the table.
        let window_start = text[..start].char_indices().rev().nth(120).map_or(0, |(i, _)| i);
        let window = &text[window_start..start];
        let item = ITEM.find_iter(window).last().map(|m| &window[m.start()..]);
        let subject = patterns.subject.as_ref().zip(item).and_then(|(s, item)| s.captures(item));
        if let Some(s) = subject {
            let names: Vec<String> =
                ["class", "section", "item"].iter().filter_map(|n| s.name(n).map(|m| label_key(m.as_str()))).collect();
            let table = tables.iter().position(|t| t.id == "gpb_expense");
            if let Some(t) = table
                && let Some(r) = subject_row(&tables[t], &names)
                && let Some(printed) = tables[t].rows[r].cells.iter().find(|c| c.column == "合计").and_then(|c| c.value)
                && printed.round_dp(actual.scale()) != actual
            {
                let m = format!("the text's 决算 {actual} for {} differs from the table's {printed}", names.join("-"));
                found.push((start, end, m, Some((t, r))));
            }
        }
    }
}

/// `X万元，比上年(P万元)增加Y万元，增长Z%`: the two words agree, X − P is the change, and Z is
/// the change over last year's figure (P, or X ∓ Y).
fn year_on_year(yoy: &Sentences, text: &str, out: &mut Compared, found: &mut Vec<Contradiction>) {
    for matched in yoy.captures_iter(text) {
        let ((start, end), caps) = (matched.span(), matched.caps);
        let (Some(current), Some(delta), Some(pct)) =
            (number(&caps["current"]), number(&caps["delta"]), number(&caps["pct"]))
        else {
            continue;
        };
        let printed_previous = caps.name("previous").and_then(|p| number(p.as_str()));
        out.checked += 1;
        let up = &caps["change"] == "增加";
        let at = (start, end);
        if up != (&caps["trend"] == "增长") && !(delta.is_zero() && pct.is_zero()) {
            let m = format!("{}… then {}: the two words disagree", &caps["change"], &caps["trend"]);
            found.push((at.0, at.1, m, None));
            continue;
        }
        let signed = if up { delta } else { -delta };
        let (previous, slack) = match printed_previous {
            Some(p) => {
                if (current - p - signed).abs() > half(current) + half(p) + half(delta) {
                    let m = format!(
                        "{current} against last year's {p} is a change of {}, the text says {signed}",
                        current - p
                    );
                    found.push((at.0, at.1, m, None));
                    continue;
                }
                (p, half(p))
            }
            None => (current - signed, half(current) + half(delta)),
        };
        if !percent_holds(pct, delta, half(delta), previous, slack) {
            let computed = percent(delta, previous, pct).unwrap_or_default();
            let m = format!("a change of {delta} from last year's {previous} is {computed}%, the text says {pct}%");
            found.push((at.0, at.1, m, None));
        }
    }
}

/// `增加Y万元，主要是基本支出增加A万元，项目支出增加B万元`: a complete set of parts adds up to
/// the change; any list is wrong where one direction word, turned, would make it add up.
fn change_parts(
    parts: &Sentences,
    complete: &[Vec<String>],
    text: &str,
    out: &mut Compared,
    found: &mut Vec<Contradiction>,
) {
    for matched in parts.captures_iter(text) {
        let ((start, end), caps) = (matched.span(), matched.caps);
        let Some(delta) = number(&caps["delta"]) else { continue };
        let signed = if &caps["change"] == "增加" { delta } else { -delta };
        let items: Vec<(String, Decimal, Decimal)> = PART
            .captures_iter(&caps["list"])
            .filter_map(|p| {
                let d = number(&p["d"])?;
                Some((p["name"].to_string(), if &p["c"] == "增加" { d } else { -d }, d))
            })
            .collect();
        if items.len() < 2 {
            continue;
        }
        out.checked += 1;
        let sum: Decimal = items.iter().map(|(_, s, _)| *s).sum();
        let slack = items.iter().map(|(_, _, d)| half(*d)).sum::<Decimal>() + half(delta);
        if (sum - signed).abs() <= slack {
            continue;
        }
        let names: Vec<&str> = items.iter().map(|(n, _, _)| n.trim_start_matches(['其', '中'])).collect();
        let is_complete =
            complete.iter().any(|set| set.len() == names.len() && set.iter().all(|s| names.contains(&s.as_str())));
        // The word that, turned, makes the parts add up.
        let turned = items
            .iter()
            .position(|(_, s, _)| (sum - s - s - signed).abs() <= slack)
            .map(|i| format!("{}'s direction word", names[i]))
            .or_else(|| ((sum + signed).abs() <= slack).then(|| "the whole's direction word".to_string()));
        if is_complete || turned.is_some() {
            let why = turned.map_or_else(String::new, |t| format!(": {t} is turned"));
            let m = format!("the parts of a change of {signed} add up to {sum}{why}");
            found.push((start, end, m, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(kind: Kind, text: &str) -> Compared {
        let narrative = Narrative { text: text.to_string(), pages: vec![(0, 1)] };
        let mut out = Compared::default();
        check(kind, &[], &narrative, &mut out);
        out
    }

    #[test]
    fn percentages_round_to_the_stated_decimals() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(percent(d("2940.05"), d("2993.92"), d("98.20")), Some(d("98.20")));
        assert_eq!(percent(d("56.95"), d("3052.34"), d("1.87")), Some(d("1.87")));
        assert_eq!(percent(d("1"), d("0"), d("1.0")), None);
        // 0.3 of 22.51 is 1.33 %; printed to one decimal the figures allow 1.3.
        assert!(percent_holds(d("1.3"), d("0.3"), d("0.05"), d("22.51"), d("0.1")));
        assert!(!percent_holds(d("3.3"), d("0.3"), d("0.05"), d("22.51"), d("0.1")));
    }

    #[test]
    fn a_statement_followed_by_mixed_text_does_not_panic() {
        // The 24 bytes after the statement end inside 年: `。主要原因是2023` is 22 bytes.
        for text in [
            "年初预算为100.00万元,支出决算为90.00万元,完成年初预算的90%。主要原因是2023年度项目减少。",
            "年初预算为100.00万元,支出决算为90.00万元。决算数小于预算数的主要原因是2023年项目减少。",
        ] {
            let out = findings(Kind::FinalAccounts, text);
            assert_eq!(out.checked, 1, "{text}");
            assert_eq!(out.mismatched, 0, "{text}: {:?}", out.findings);
        }
    }

    #[test]
    fn a_budget_against_last_year_is_checked_against_itself() {
        for (text, wrong) in [
            ("2026年收入预算632,065.7万元,比上年减少70,257.1万元,下降10%。", false),
            ("公务接待费17.69万元,比上年减少12.27万元,下降41%。", false),
            ("因公出国(境)费40万元,比上年增加0万元,增长0%。", false),
            ("2026年度收入预算51036.22万元,比2025年年初预算数45557.68万元增加5478.54万元,增长12.03%", false),
            ("2026年收入预算632,065.7万元,比上年增加70,257.1万元,下降10%。", true),
            ("公务接待费17.69万元,比上年减少12.27万元,下降43%。", true),
            ("2026年度收入预算51036.22万元,比2025年年初预算数45557.68万元增加5468.54万元,增长12.03%", true),
        ] {
            let out = findings(Kind::Budget, text);
            assert_eq!(out.checked, 1, "{text}");
            assert_eq!(out.mismatched, u32::from(wrong), "{text}: {:?}", out.findings);
        }
    }

    #[test]
    fn the_parts_of_a_change_add_up_to_it() {
        for (text, wrong) in [
            ("支出预算比2025年增加2,784.38万元,主要是基本支出增加362.10万元,项目支出增加2,422.28万元。", false),
            ("比2025年减少86,685.29万元,主要是基本支出增加4,372.14万元,项目支出减少91,057.43万元", false),
            ("比2025年减少86,685.29万元,主要是基本支出减少4,372.14万元,项目支出减少91,057.43万元", true),
            ("比2025年增加2,784.38万元,主要是基本支出增加362.10万元,项目支出增加2,422.38万元。", true),
            // An open list (其他收入 not named) is only wrong where a word is turned.
            (
                "比2025年增加2,734.52万元,主要是一般公共预算拨款增加800.94万元,政府性基金预算拨款增加1,066.60万元。",
                false,
            ),
            ("比2025年增加100万元,主要是事业收入增加60万元,其他收入减少40万元。", true),
        ] {
            let out = findings(Kind::Budget, text);
            assert_eq!(out.mismatched, u32::from(wrong), "{text}: {:?}", out.findings);
        }
    }
}
