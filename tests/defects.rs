//! Planted defects in copies of the real sample: each must be found, located and explained.

use std::path::Path;

use serde_json::Value;

use crate::common::{convert, root};

/// Converts a copy of the 青龙 sample with `edit` applied to its lines (1-based).
fn planted(edit: impl Fn(&mut Vec<String>)) -> Value {
    let text = std::fs::read_to_string(root().join("samples/ocr-text/qinglong-2023-budget.txt")).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    edit(&mut lines);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("planted.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let run = convert(&[Path::new(&path)]);
    assert_eq!(run.status, 0, "a flagged document is still a document: {}", run.stderr);
    run.json("planted.json")
}

fn findings<'a>(doc: &'a Value, kind: &str) -> Vec<&'a Value> {
    doc["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

#[test]
fn a_removed_table_is_a_missing_table_error() {
    // Lines 304–321: the 三公 table, title to last row.
    let doc = planted(|l| {
        l.drain(303..321);
    });
    assert_eq!(doc["status"], "flagged");
    let missing = findings(&doc, "missing_table");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0]["table"], "three_public");
    assert_eq!(missing[0]["severity"], "error");
}

#[test]
fn a_misread_figure_breaks_its_identities_with_every_cell_named() {
    // 30201 办公费 19.00 → 19.60 in both columns (line 252).
    let doc = planted(|l| l[251] = l[251].replace("19.00", "19.60"));
    assert_eq!(doc["status"], "flagged");
    let violations = findings(&doc, "identity_violation");
    let hierarchy: Vec<_> = violations.iter().filter(|f| f["rule"] == "gpb_basic_expense.hierarchy").collect();
    assert!(!hierarchy.is_empty(), "{violations:#?}");
    let f = hierarchy[0];
    assert_eq!(f["row"], "302");
    assert_eq!(f["actual"], "68.69");
    assert_eq!(f["expected"], "69.29");
    assert_eq!(f["difference"], "-0.60");
    assert!(f["cells"].as_array().unwrap().iter().any(|c| c == "gpb_basic_expense/30201/合计"), "{f}");
}

#[test]
fn a_blanked_total_is_inferred_and_marked() {
    // The expense table's 合计 row loses its 合计 figure (line 128).
    let doc = planted(|l| l[127] = "1\t\t合计\t\t528. 41\t209. 65\t\t\t".into());
    assert_eq!(doc["status"], "repaired", "{:#?}", findings(&doc, "identity_violation"));
    let inferred = findings(&doc, "value_inferred");
    let f = inferred.iter().find(|f| f["table"] == "expense").expect("expense 合计 inferred");
    assert_eq!(f["row"], "合计");
    assert_eq!(f["column"], "合计");
    // 528.41 + 209.65 = 738.06 within rounding, but the summary restates the total: its
    // 本年支出合计 (itself lost, inferred first from 支出总计) pins it to the printed 738.05.
    assert_eq!(f["expected"], "738.05");
    assert_eq!(f["rule"], "x.summary-expense.current");
}

#[test]
fn a_figure_read_as_letters_is_unreadable_then_inferred_with_its_evidence() {
    // 卫生健康支出 (210) in the expense table: `30. 61` read as `3O. 61` (line 135).
    let doc = planted(|l| l[134] = l[134].replacen("30. 61", "3O. 61", 1));
    assert_eq!(doc["status"], "flagged", "a cell that could not be read flags the document");
    let unreadable = findings(&doc, "unreadable_cell");
    assert_eq!(unreadable.len(), 1);
    assert_eq!((&unreadable[0]["table"], &unreadable[0]["row"]), (&"expense".into(), &"210".into()));
    let expense = doc["tables"].as_array().unwrap().iter().find(|t| t["id"] == "expense").unwrap();
    let row = expense["rows"].as_array().unwrap().iter().find(|r| r["key"] == "210").unwrap();
    let cell = row["cells"].as_array().unwrap().iter().find(|c| c["column"] == "合计").unwrap();
    assert_eq!(cell["raw"], "3O. 61", "the raw text is kept");
    assert_eq!(cell["value"], "30.61");
    assert_eq!(cell["status"], "inferred");
    assert!(
        findings(&doc, "value_inferred").iter().any(|f| f["message"].as_str().unwrap().contains("could not be read"))
    );
}
