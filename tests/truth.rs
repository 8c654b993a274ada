//! The emitted facts of each sample with a hand-made truth equal it exactly: every fact,
//! no extra ones. Truths live in `tests/truth/<doc>.tsv` (transcribed by hand; see its
//! README) and are checked by their own identities with `tests/truth/check_truth.py`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::{SAMPLES, root};

/// (table, row, column, side, under, value, flag, unit) → how many times it occurs.
type Bag = BTreeMap<[String; 8], usize>;

fn truth(doc: &str) -> Bag {
    let text = std::fs::read_to_string(root().join("tests/truth").join(format!("{doc}.tsv"))).expect("truth file");
    let mut bag = Bag::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 8, "truth line {line:?}");
        let key = [0, 1, 2, 3, 4, 5, 6, 7].map(|i| f[i].to_string());
        *bag.entry(key).or_default() += 1;
    }
    bag
}

fn emitted(doc: &str) -> Bag {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mut bag = Bag::new();
    for f in SAMPLES.facts().iter().filter(|f| f["doc"] == doc) {
        let flag = if f.get("inferred") == Some(&Value::Bool(true)) { "inferred" } else { "" };
        let key = [
            s(f, "table"),
            s(f, "row"),
            s(f, "column"),
            s(f, "side"),
            s(f, "under"),
            s(f, "value"),
            flag.into(),
            s(f, "unit"),
        ];
        *bag.entry(key).or_default() += 1;
    }
    bag
}

fn assert_equal(doc: &str) {
    assert_equal_to(doc, doc, false);
}

/// Compares `doc`'s facts with the truth `truth_of`. `values_only` ignores the `inferred`
/// flags on both sides: a PDF prints what the OCR text lost, and a planted blank comes back
/// inferred where the truth has it printed; the values must still be the truth's.
pub fn assert_equal_to(doc: &str, truth_of: &str, values_only: bool) {
    let clear = |bag: Bag| -> Bag {
        if !values_only {
            return bag;
        }
        let mut out = Bag::new();
        for (mut k, n) in bag {
            k[6].clear();
            *out.entry(k).or_default() += n;
        }
        out
    };
    let want = clear(truth(truth_of));
    let got = clear(emitted(doc));
    let missing: Vec<_> = want.iter().filter(|(k, n)| got.get(*k) != Some(n)).collect();
    let extra: Vec<_> = got.iter().filter(|(k, n)| want.get(*k) != Some(n)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{doc}: facts differ from the truth\nmissing or miscounted: {missing:#?}\nextra: {extra:#?}"
    );
}

#[test]
fn qinglong_2023_budget_facts_equal_the_hand_made_truth() {
    assert_equal("qinglong-2023-budget");
}

#[test]
fn qinglong_2023_budget_document() {
    let doc = SAMPLES.json("qinglong-2023-budget.json");
    assert_eq!(doc["status"], "repaired");
    assert_eq!(doc["source"]["text_source"], "ocr_text");
    let m = &doc["metadata"];
    assert_eq!(
        (
            m["kind"].as_str(),
            m["year"].as_i64(),
            m["department_code"].as_str(),
            m["department"].as_str(),
            m["unit"].as_str()
        ),
        (Some("budget"), Some(2023), Some("436"), Some("青龙满族自治县行政审批局"), Some("万元"))
    );
    let ids: Vec<&str> = doc["tables"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in [
        "summary",
        "income",
        "expense",
        "fiscal_summary",
        "gpb_expense",
        "gpb_basic_expense",
        "gov_fund_expense",
        "soe_expense",
        "three_public",
    ] {
        assert!(ids.contains(&id), "{id} recognised");
    }
    let soe = doc["tables"].as_array().unwrap().iter().find(|t| t["id"] == "soe_expense").unwrap();
    assert_eq!(soe["empty"], true, "空表列示 makes a present, empty table");
    // No finding above info on the tables except the one inferred value (its performance
    // targets have theirs, see tests/other_tables.rs); no identity fails.
    let findings = doc["findings"].as_array().unwrap();
    let notable: Vec<&Value> =
        findings.iter().filter(|f| f["severity"] != "info" && f["table"] != "performance_targets").collect();
    assert_eq!(notable.len(), 1, "{notable:#?}");
    assert_eq!(notable[0]["kind"], "value_inferred");
    assert_eq!(doc["checks"]["violated"], 0);
    assert!(doc["checks"]["identities"].as_u64().unwrap() >= 200);
    // Every rounding difference is within the contract's tolerance and reported as info.
    for f in findings.iter().filter(|f| f["kind"] == "identity_rounding") {
        assert_eq!(f["severity"], "info");
        let diff: Decimal = f["difference"].as_str().unwrap().parse().unwrap();
        let tolerance: Decimal = f["tolerance"].as_str().unwrap().parse().unwrap();
        assert!(diff.abs() <= tolerance && diff.abs() == Decimal::new(1, 2), "{f}");
    }
    // The lost 本年支出合计 is inferred, marked, and attributed to its identity.
    let summary = doc["tables"].as_array().unwrap().iter().find(|t| t["id"] == "summary").unwrap();
    let row = summary["rows"].as_array().unwrap().iter().find(|r| r["key"] == "本年支出合计").unwrap();
    assert_eq!(row["cells"][0]["value"], "738.05");
    assert_eq!(row["cells"][0]["status"], "inferred");
    assert_eq!(row["cells"][0]["inferred_by"], "summary.expense.total");
}

#[test]
fn every_figure_repair_is_recorded_with_raw_text_and_rule() {
    let doc = SAMPLES.json("qinglong-2023-budget.json");
    let repairs = doc["repairs"].as_array().unwrap();
    let split: Vec<&Value> = repairs.iter().filter(|r| r["rule"] == "split-decimal").collect();
    // 155 figures with a space after the point in the table region, one of them (`37. 73.`)
    // header debris that is dropped, not joined.
    assert_eq!(split.len(), 154);
    for r in split {
        let raw = r["raw"].as_str().unwrap();
        assert!(raw.contains(". "), "{r}");
        assert_eq!(raw.replace(". ", "."), r["repaired"].as_str().unwrap());
    }
    let facts = SAMPLES.facts();
    let repaired = facts.iter().filter(|f| f["doc"] == "qinglong-2023-budget" && f["repaired"] == true).count();
    assert_eq!(repaired, 154, "each joined figure is a fact marked repaired");
}

#[test]
fn putuo_office_2025_budget_facts_equal_the_hand_made_truth() {
    assert_equal("putuo-office-2025-budget");
}

#[test]
fn putuo_office_2025_budget_document() {
    let doc = SAMPLES.json("putuo-office-2025-budget.json");
    assert_eq!(doc["status"], "ok", "a clean text PDF needs only normalisations");
    assert_eq!(doc["source"]["text_source"], "text_layer");
    assert_eq!(doc["source"]["pages"], 22);
    let m = &doc["metadata"];
    assert_eq!(
        (m["kind"].as_str(), m["year"].as_i64(), m["department"].as_str(), m["unit"].as_str()),
        (Some("budget"), Some(2025), Some("上海市普陀区人民政府办公室"), Some("元"))
    );
    let tables = doc["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 9);
    assert!(tables.iter().all(|t| t["layout"] == "shanghai"), "read with the Shanghai templates");
    let table = |id: &str| tables.iter().find(|t| t["id"] == id).unwrap();
    assert_eq!(table("gov_fund_expense")["empty"], true);
    assert_eq!(table("soe_expense")["empty"], true);
    assert_eq!(table("three_public")["unit"], "万元", "the 三公 table is in 万元, the document in 元");
    assert_eq!(table("income")["pages"], serde_json::json!([9, 10]), "continued on a second page");
    assert_eq!(doc["checks"]["violated"], 0);
    // 元 with 分 adds up exactly; the one difference is 机关运行经费 213.28万元 against
    // 公用经费 2,132,777.54元: two units, within one unit of the coarser.
    let rounding: Vec<_> =
        doc["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "identity_rounding").collect();
    assert!(rounding.iter().all(|f| f["message"].as_str().unwrap().contains("units differ")), "{rounding:#?}");
    assert!(doc["checks"]["identities"].as_u64().unwrap() >= 150);
    // Every thousands separator is a recorded normalisation, not a silent edit.
    let repairs = doc["repairs"].as_array().unwrap();
    assert!(repairs.iter().all(|r| r["rule"] == "thousands-separator"), "{repairs:#?}");
    assert!(repairs.iter().any(|r| r["raw"] == "91,016,775.35" && r["repaired"] == "91016775.35"));
}

#[test]
fn hebei_layout_pdf_gives_exactly_the_foundation_truth() {
    // The nine tables of the 青龙 sample exported from a spreadsheet by LibreOffice:
    // merged headers, wrapped labels, tables continued with their header repeated.
    assert_equal_to("qinglong-2023-budget-hebei", "qinglong-2023-budget", true);
    let doc = SAMPLES.json("qinglong-2023-budget-hebei.json");
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["metadata"]["department_code"], "436");
    assert_eq!(doc["checks"]["violated"], 0);
}

#[test]
fn predefined_cmaps_without_to_unicode_are_read() {
    // reportlab STSong-Light, no ToUnicode, not embedded: UniGB-UCS2-H and GBK-EUC-H.
    for doc_name in ["cmap-stsong-gbk", "cmap-stsong-gbk-euc"] {
        let doc = SAMPLES.json(&format!("{doc_name}.json"));
        let tables = doc["tables"].as_array().unwrap();
        assert_eq!(tables.len(), 1, "{doc_name}");
        assert_eq!(tables[0]["id"], "three_public");
        assert_eq!(doc["metadata"]["department"], "青龙满族自治县行政审批局", "a banner printed once under the title");
        assert_eq!(doc["metadata"]["year"], 2023);
        let facts: Vec<_> = SAMPLES.facts().into_iter().filter(|f| f["doc"] == doc_name).collect();
        let value = |row: &str, column: &str| {
            facts
                .iter()
                .find(|f| f["row"] == row && f["column"] == column)
                .map(|f| f["value"].as_str().unwrap().to_string())
        };
        assert_eq!(value("三公经费", "合计").as_deref(), Some("4.40"), "{doc_name}");
        assert_eq!(value("公务用车运行维护费", "一般公共预算财政拨款").as_deref(), Some("3.20"), "{doc_name}");
        assert_eq!(value("公务接待费", "合计").as_deref(), Some("1.20"), "{doc_name}");
        assert_eq!(facts.len(), 10, "{doc_name}");
        assert_eq!(doc["checks"]["violated"], 0);
        assert!(doc["repairs"].as_array().unwrap().is_empty(), "{doc_name}: a clean page needs no repair");
        // One table of nine: the other eight are reported missing, not invented.
        let missing = doc["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "missing_table").count();
        assert_eq!(missing, 8);
    }
}

#[test]
fn unruled_pdf_without_to_unicode_gives_exactly_the_foundation_truth() {
    // The same nine tables drawn with no lines at all, in STSong-Light (predefined CMap
    // UniGB-UCS2-H, no ToUnicode): columns come from x-alignment alone.
    assert_equal_to("qinglong-2023-budget-unruled", "qinglong-2023-budget", true);
    let doc = SAMPLES.json("qinglong-2023-budget-unruled.json");
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["checks"]["violated"], 0);
}

#[test]
fn putuo_finance_2024_final_accounts_facts_equal_the_hand_made_truth() {
    assert_equal("putuo-finance-2024-final");
    let doc = SAMPLES.json("putuo-finance-2024-final.json");
    let m = &doc["metadata"];
    assert_eq!(
        (m["kind"].as_str(), m["year"].as_i64(), m["department"].as_str(), m["unit"].as_str()),
        (Some("final_accounts"), Some(2024), Some("上海市普陀区财政局"), Some("万元"))
    );
    assert_eq!(doc["tables"].as_array().unwrap().len(), 9);
    // Two genuine inconsistencies of the publication, and only those, are errors: class 208
    // is 326.71 in both summaries and 326.72 in the coded tables (the same quantity one cent
    // apart), and the explanation states 财政拨款收入支出总计 0.3万元 for the table's 2961.68.
    let errors: Vec<&Value> = doc["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for e in errors.iter().filter(|e| e["kind"] == "identity_violation") {
        assert_eq!(e["row"], "社会保障和就业支出");
        assert_eq!((e["actual"].as_str(), e["expected"].as_str()), (Some("326.71"), Some("326.72")));
    }
    let narrative: Vec<_> = errors.iter().filter(|e| e["kind"] == "narrative_mismatch").collect();
    assert_eq!(narrative.len(), 1);
    assert_eq!(
        (narrative[0]["rule"].as_str(), narrative[0]["actual"].as_str()),
        (Some("nf.fiscal-total"), Some("0.3"))
    );
    // The 决算数/预算数 statements (percentages, 小于, per-subject amounts) all agree.
    assert!(doc["checks"]["narrative"].as_u64().unwrap() >= 25);
    assert_eq!(doc["status"], "flagged");
}

#[test]
fn the_final_accounts_template_is_nine_empty_tables_and_a_placeholder_finding() {
    let doc = SAMPLES.json("final-accounts-template-2024.json");
    assert_eq!(doc["metadata"]["kind"], "final_accounts");
    let tables = doc["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 9, "all nine standard tables are present");
    assert!(tables.iter().all(|t| t["empty"] == true && t["rows"].as_array().unwrap().is_empty()));
    assert!(!SAMPLES.facts().iter().any(|f| f["doc"] == "final-accounts-template-2024"), "a template has no facts");
    let findings = doc["findings"].as_array().unwrap();
    let placeholder: Vec<_> = findings.iter().filter(|f| f["kind"] == "placeholder").collect();
    assert_eq!(placeholder.len(), 1, "one clear finding: {findings:#?}");
    assert!(placeholder[0]["message"].as_str().unwrap().contains("a template, not a department's disclosure"));
    assert_eq!(doc["status"], "flagged");
}

#[test]
fn synthetic_final_accounts_fund_tables_equal_their_specification() {
    // The fund, state-capital and 三公 tables the real final account prints empty.
    assert_equal("synthetic-2024-final-funds");
    let doc = SAMPLES.json("synthetic-2024-final-funds.json");
    assert_eq!(doc["checks"]["violated"], 0);
    assert!(doc["checks"]["identities"].as_u64().unwrap() >= 18);
}

/// The samples read with the templates (national, Hebei, Shanghai, final accounts), not by OCR.
const TEMPLATE_SAMPLES: [&str; 7] = [
    "qinglong-2023-budget",
    "qinglong-2023-budget-hebei",
    "qinglong-2023-budget-unruled",
    "cmap-stsong-gbk",
    "putuo-office-2025-budget",
    "putuo-finance-2024-final",
    "synthetic-2024-final-funds",
];

#[test]
fn every_template_fact_has_a_measure_and_every_label_row_an_item() {
    let facts = SAMPLES.facts();
    let mut seen = 0;
    for f in facts.iter().filter(|f| TEMPLATE_SAMPLES.iter().any(|d| f["doc"] == *d)) {
        seen += 1;
        assert!(f["measure"].is_string(), "a template column has a measure: {f}");
        let coded = f["row"].as_str().unwrap().chars().all(|c| c.is_ascii_digit());
        assert_eq!(f["item"].is_string(), !coded, "an item exactly on a label row: {f}");
    }
    assert!(seen > 1000, "{seen}");
}

/// The same money carries the same `measure` and `item` whatever the layout prints: the
/// income table's fiscal appropriation is the summary's (one row in Shanghai, the fund types'
/// rows in the national layout); the year's income is the income table's 小计 (budget) or
/// 本年收入合计 (final accounts) and the summary's 本年收入合计; the fiscal summary's
/// general-public-budget spending (一般公共预算财政拨款 nationally, 一般公共预算 in Shanghai) is
/// the general-public-budget table's total.
#[test]
fn measures_and_items_name_the_same_money_across_layouts() {
    let facts = SAMPLES.facts();
    let sum = |doc: &str, table: &str, side: Option<&str>, items: &[&str], measure: &str| -> Option<Decimal> {
        let values: Vec<Decimal> = facts
            .iter()
            .filter(|f| f["doc"] == doc && f["table"] == table && f["measure"] == measure && f.get("under").is_none())
            .filter(|f| side.is_none_or(|s| f["side"] == s) && items.iter().any(|i| f["item"] == *i))
            .map(|f| f["value"].as_str().unwrap().parse().unwrap())
            .collect();
        (!values.is_empty()).then(|| values.iter().sum())
    };
    let funds = ["general_public_budget", "gov_fund_budget", "soe_budget"];
    for (doc, figure) in [
        ("qinglong-2023-budget", "budget_amount"),
        ("qinglong-2023-budget-hebei", "budget_amount"),
        ("putuo-office-2025-budget", "budget_amount"),
        ("putuo-finance-2024-final", "final_amount"),
    ] {
        let income = sum(doc, "income", None, &["total"], "fiscal_appropriation");
        let summary = sum(doc, "summary", Some("income"), &["fiscal_appropriation"], figure)
            .or_else(|| sum(doc, "summary", Some("income"), &funds, figure));
        assert!(income.is_some() && income == summary, "{doc}: fiscal appropriation {income:?} vs {summary:?}");
        let gpb = sum(doc, "gpb_expense", None, &["total"], "total");
        let fiscal = sum(doc, "fiscal_summary", Some("expense"), &["current_expense"], "general_public_budget")
            // Shanghai prints no 本年支出合计; with nothing carried forward it is the 支出总计.
            .or_else(|| sum(doc, "fiscal_summary", Some("expense"), &["grand_total"], "general_public_budget"));
        assert!(gpb.is_some() && gpb == fiscal, "{doc}: general public budget {gpb:?} vs {fiscal:?}");
    }
    for (doc, figure) in [
        ("qinglong-2023-budget", "budget_amount"),
        ("qinglong-2023-budget-hebei", "budget_amount"),
        ("putuo-finance-2024-final", "final_amount"),
    ] {
        let income = sum(doc, "income", None, &["total"], "current_income");
        let summary = sum(doc, "summary", Some("income"), &["current_income"], figure);
        assert!(income.is_some() && income == summary, "{doc}: the year's income {income:?} vs {summary:?}");
    }
    // One measure behind different printed headers.
    let printed: std::collections::BTreeSet<&str> = facts
        .iter()
        .filter(|f| f["table"] == "fiscal_summary" && f["measure"] == "general_public_budget")
        .map(|f| f["column"].as_str().unwrap())
        .collect();
    assert!(printed.contains("一般公共预算财政拨款") && printed.contains("一般公共预算"), "{printed:?}");
}
