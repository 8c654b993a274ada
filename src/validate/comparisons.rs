//! A final account's explanation compares 决算数 with 预算数 (`年初预算为X万元，支出决算为Y万元，
//! 完成年初预算的Z%。决算数小于预算数`) and with last year (`减少Y万元，下降Z%`). Each
//! statement is checked against itself — the percentage against the two amounts, the
//! direction word against their order — and, where it names a subject (`…（类）…（款）…
//! （项）`), its 决算数 against the table. A contradiction is a `narrative_contradiction`.

use std::str::FromStr;

use regex::Regex;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use super::narrative::{Compared, excerpt, subject_row};
use crate::label::label_key;
use crate::layout::Narrative;
use crate::model::{Finding, Severity, Table};

/// The comparison patterns of a statement catalogue.
#[derive(Debug, Clone, Deserialize)]
pub struct Patterns {
    pub budget_vs_actual: String,
    pub direction: String,
    pub year_on_year: String,
    pub subject: String,
}

/// The start of a numbered item: `1、`, `11、`.
static ITEM: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"(?:^|[^[0-9].])[0-9]{1,2}、").expect("item"));

/// The patterns compiled.
pub struct Compiled {
    bva: Regex,
    direction: Regex,
    yoy: Regex,
    subject: Regex,
}

/// Every catalogue's comparison patterns, compiled once, by disclosure kind.
pub static COMPILED: std::sync::LazyLock<Vec<(crate::model::Kind, Compiled)>> = std::sync::LazyLock::new(|| {
    super::narrative::STATEMENTS
        .iter()
        .filter_map(|s| {
            let p = s.comparisons.as_ref()?;
            Some((
                s.kind,
                Compiled {
                    bva: Regex::new(&p.budget_vs_actual).ok()?,
                    direction: Regex::new(&p.direction).ok()?,
                    yoy: Regex::new(&p.year_on_year).ok()?,
                    subject: Regex::new(&p.subject).ok()?,
                },
            ))
        })
        .collect()
});

fn number(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.replace(',', "")).ok()
}

/// `100 × part / whole`, rounded to the stated percentage's decimals.
fn percent(part: Decimal, whole: Decimal, like: Decimal) -> Option<Decimal> {
    (!whole.is_zero()).then(|| {
        (part * Decimal::from(100) / whole).round_dp_with_strategy(like.scale(), RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Checks every comparison found in the narrative.
pub fn check(patterns: &Compiled, tables: &[Table], narrative: &Narrative, out: &mut Compared) {
    let Compiled { bva, direction, yoy, subject } = patterns;
    let text = &narrative.text;
    let mut report = |start: usize, end: usize, message: String, table: Option<(&Table, usize)>| {
        out.mismatched += 1;
        let mut f = Finding::new(
            Severity::Error,
            "narrative_contradiction",
            format!("{message} («{}»)", excerpt(text, start, end)),
        );
        f.page = narrative.page_at(start);
        if let Some((t, r)) = table {
            f.table = Some(t.id.clone());
            f.row = Some(t.rows[r].key.clone());
        }
        f
    };
    let mut findings = Vec::new();
    for caps in bva.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let (Some(budget), Some(actual)) = (number(&caps["budget"]), number(&caps["actual"])) else { continue };
        out.checked += 1;
        if let Some(pct) = caps.name("pct").and_then(|p| number(p.as_str()))
            && let Some(computed) = percent(actual, budget, pct)
            && (computed - pct).abs() > Decimal::new(1, pct.scale())
        {
            let m = format!("{actual} of a budget of {budget} is {computed}%, the text says {pct}%");
            findings.push(report(whole.start(), whole.end(), m, None));
        }
        // A few characters on: 24 bytes, cut back to a character boundary.
        let after = crate::label::prefix_within(&text[whole.end()..], 24);
        if let Some(d) = direction.captures(after) {
            let word = &d["dir"];
            let level = (actual - budget).abs() * Decimal::from(100) <= budget.abs();
            let holds = match word {
                "大于" => actual > budget,
                "小于" => actual < budget,
                _ => level, // 等于 / 持平: within 1 %
            };
            if !holds {
                let m = format!("决算数{word}预算数, but the 决算数 {actual} and the 预算数 {budget} say otherwise");
                findings.push(report(whole.start(), whole.end() + d.get(0).expect("match").end(), m, None));
            }
        }
        // The subject the statement is about: named at the start of its numbered item
        // (`1、一般公共服务支出（类）…（项）。主要用于：…。年初预算为…`); its 决算数 is in the table.
        let window_start = text[..whole.start()].char_indices().rev().nth(120).map_or(0, |(i, _)| i);
        let window = &text[window_start..whole.start()];
        let item = ITEM.find_iter(window).last().map(|m| &window[m.start()..]);
        if let Some(s) = item.and_then(|item| subject.captures(item)) {
            let names: Vec<String> =
                ["class", "section", "item"].iter().filter_map(|n| s.name(n).map(|m| label_key(m.as_str()))).collect();
            let table = tables.iter().find(|t| t.id == "gpb_expense");
            if let Some(table) = table
                && let Some(r) = subject_row(table, &names)
                && let Some(printed) = table.rows[r].cells.iter().find(|c| c.column == "合计").and_then(|c| c.value)
                && printed.round_dp(actual.scale()) != actual
            {
                let m = format!("the text's 决算 {actual} for {} differs from the table's {printed}", names.join("-"));
                findings.push(report(whole.start(), whole.end(), m, Some((table, r))));
            }
        }
    }
    for caps in yoy.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let (Some(current), Some(delta), Some(pct)) =
            (number(&caps["current"]), number(&caps["delta"]), number(&caps["pct"]))
        else {
            continue;
        };
        out.checked += 1;
        let up = &caps["change"] == "增加";
        if up != (&caps["trend"] == "增长") {
            let m = format!("{}… then {}: the two words disagree", &caps["change"], &caps["trend"]);
            findings.push(report(whole.start(), whole.end(), m, None));
            continue;
        }
        let previous = if up { current - delta } else { current + delta };
        if let Some(computed) = percent(delta, previous, pct)
            && (computed - pct).abs() > Decimal::new(1, pct.scale())
        {
            let m = format!("a change of {delta} from last year's {previous} is {computed}%, the text says {pct}%");
            findings.push(report(whole.start(), whole.end(), m, None));
        }
    }
    out.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_stated_decimals() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(percent(d("2940.05"), d("2993.92"), d("98.20")), Some(d("98.20")));
        assert_eq!(percent(d("56.95"), d("3052.34"), d("1.87")), Some(d("1.87")));
        assert_eq!(percent(d("1"), d("0"), d("1.0")), None);
    }

    #[test]
    fn a_statement_followed_by_mixed_text_does_not_panic() {
        let (_, patterns) = COMPILED.iter().find(|(k, _)| *k == crate::model::Kind::FinalAccounts).expect("patterns");
        // The 24 bytes after the statement end inside 年: `。主要原因是2023` is 22 bytes.
        for text in [
            "年初预算为100.00万元,支出决算为90.00万元,完成年初预算的90%。主要原因是2023年度项目减少。",
            "年初预算为100.00万元,支出决算为90.00万元。决算数小于预算数的主要原因是2023年项目减少。",
        ] {
            let narrative = Narrative { text: text.to_string(), pages: vec![(0, 1)] };
            let mut out = Compared::default();
            check(patterns, &[], &narrative, &mut out);
            assert_eq!(out.checked, 1, "{text}");
            assert_eq!(out.mismatched, 0, "{text}: {:?}", out.findings);
        }
    }
}
