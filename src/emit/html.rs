//! The audit view (`--html`): per document a self-contained page — status and findings at
//! the top, then each rebuilt table as a grid beside the crop of the page it was read from —
//! and an index over the batch, sortable by status. Repaired, inferred and identity-failing
//! cells are marked apart, with the raw text and the rule or identity on hover, so a person
//! can check a flagged publication against the page by eye.
//!
//! Page crops are rendered by poppler's `pdftoppm` at 100 dpi around the table's cells (for
//! a scan, that is the scan itself) and embedded as PNG data, so a page is one file to send.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::{BBox, CellStatus, Document, FindingKind, OtherTable, ReportEntry, Row, Severity, Side, Table};

/// Resolution of the page crops.
const DPI: f32 = 100.0;

/// Chinese text needs a CJK font: the common ones of Linux (Noto / Source Han, installed by
/// the set-up as `fonts-noto-cjk`), macOS and Windows, before the generic family.
const STYLE: &str = "body{font:14px/1.4 'Noto Sans CJK SC','Source Han Sans SC','Noto Sans SC','PingFang SC',\
'Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}
.status{padding:.1em .5em;border-radius:.3em;color:#fff}
.ok{background:#2a7}.repaired{background:#c80}.flagged{background:#c33}.failed{background:#555}
.legend span{margin-right:1em;padding:0 .4em}
ul.findings li.error{color:#b00}ul.findings li.warning{color:#a60}ul.findings li.info{color:#666}
.pair{display:flex;gap:1.5em;align-items:flex-start}
table.grid{border-collapse:collapse}table.grid td,table.grid th{border:1px solid #bbb;padding:2px 6px}
table.grid td.num{text-align:right;font-family:monospace}
table.grid th.side{background:#f3f3f3}table.grid .side-start{border-left:3px double #888}
.cell-repaired{background:#fff0a0}.cell-inferred{background:#cfe6ff;font-style:italic}
.cell-violated{background:#ffd0d0;outline:2px solid #d00}.cell-unreadable{background:#eee;color:#b00}
img.crop{max-width:48vw;border:1px solid #999}
table.index th{cursor:pointer;text-align:left}table.index td,table.index th{padding:2px 10px}";

fn status_name(doc_status: crate::model::Status) -> &'static str {
    match doc_status {
        crate::model::Status::Ok => "ok",
        crate::model::Status::Repaired => "repaired",
        crate::model::Status::Flagged => "flagged",
        crate::model::Status::Failed => "failed",
    }
}

/// The document's audit page. Written with a compiled template (maud), which escapes every
/// text it is given.
pub fn document(doc: &Document) -> String {
    // Cells named by a failing identity, as `table/[side/]row/column` paths; their rules.
    let mut violated: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in doc.findings.iter().filter(|f| f.kind == FindingKind::IdentityViolation) {
        for cell in &f.cells {
            violated.entry(cell.clone()).or_default().push(f.rule.clone().unwrap_or_else(|| f.kind.to_string()));
        }
    }
    let status = status_name(doc.status);
    let infos = doc.findings.iter().filter(|f| f.severity == Severity::Info).count();
    let source = Path::new(&doc.source.path);
    let page = html! {
        (DOCTYPE)
        html lang="zh" {
            meta charset="utf-8";
            title { (doc.doc) " — gongkai" }
            style { (PreEscaped(STYLE)) }
            h1 { (doc.doc) " " span.status.(status) id="status" { (status) } }
            p {
                (doc.source.path) " · " (doc.source.pages) " pages · text from "
                (format!("{:?}", doc.source.text_source)) " · " (doc.tables.len()) " tables · "
                (doc.repairs.len()) " repairs"
            }
            p.legend {
                "Cells: " span.cell-repaired { "repaired" } span.cell-inferred { "inferred" }
                span.cell-violated { "in a failing identity" } span.cell-unreadable { "unreadable" }
                " (hover for the raw text and the rule)"
            }
            h2 { "Findings" }
            ul.findings {
                @for f in doc.findings.iter().filter(|f| f.severity != Severity::Info) {
                    @let severity = format!("{:?}", f.severity).to_lowercase();
                    li class=(severity) { (severity) " · " (f.kind) " · " (f.message) }
                }
                li.info { (infos) " info findings (rounding, OCR pages) in the JSON" }
            }
            @for table in &doc.tables {
                h2 id=(table.id) { (table.id) ": " (table.title) }
                div.pair {
                    (grid(table, &violated))
                    @if let Some(crop) = crop(source, table) {
                        img.crop alt=(format!("page {}", table.pages.first().unwrap_or(&0))) src=(crop);
                    }
                }
            }
            @if !doc.other_tables.is_empty() {
                h2 { "Other tables (as printed, not checked)" }
            }
            @for table in &doc.other_tables {
                h3 { (table.title) " · page " (table.page) }
                (other_grid(table))
            }
        }
    };
    page.into_string() + "\n"
}

/// A table that is not a standard one, as printed: its header paths over its cells.
fn other_grid(table: &OtherTable) -> Markup {
    let width = table.columns.len();
    html! {
        table.other {
            tr { @for column in &table.columns { th { (column) } } }
            @for row in &table.rows {
                tr {
                    @for position in 0..width {
                        @let cell = row.cells.iter().find(|c| c.column as usize == position);
                        td { @if let Some(cell) = cell { (cell.text) } }
                    }
                }
            }
        }
    }
}

/// A table as a grid: one row per printed row, one column per value column. A two-sided
/// table (收支总表) is shown as printed: its income and expense sides side by side, each under
/// its own headers, one printed line per grid line.
fn grid(table: &Table, violated: &BTreeMap<String, Vec<String>>) -> Markup {
    if table.rows.is_empty() {
        return html! { p { "(printed empty" @if let Some(note) = table.notes.first() { ": " (note) } ")" } };
    }
    if table.rows.iter().any(|r| r.side.is_some()) {
        return two_sided(table, violated);
    }
    let columns = columns(table.rows.iter());
    html! {
        table.grid {
            tr { th { "row" } @for c in &columns { th { (c) } } }
            @for row in &table.rows {
                tr { (cells(table, Some(row), &columns, violated, false)) }
            }
        }
    }
}

/// The value columns of `rows`, in the order they first hold a cell.
fn columns<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    rows.flat_map(|r| r.cells.iter().map(|c| c.column.as_str())).filter(|c| seen.insert(*c)).collect()
}

/// A two-sided table: per printed line, its income row beside its expense row.
fn two_sided(table: &Table, violated: &BTreeMap<String, Vec<String>>) -> Markup {
    let on = |side: Side| table.rows.iter().filter(move |r| r.side == Some(side));
    let (income, expense) = (columns(on(Side::Income)), columns(on(Side::Expense)));
    // The printed lines in order, each with its rows of each side (a row without a side is
    // shown on the income side, where the line starts).
    let mut lines: Vec<(Vec<&Row>, Vec<&Row>)> = Vec::new();
    let mut at: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for row in &table.rows {
        let i = *at.entry((row.page, row.line)).or_insert_with(|| {
            lines.push((Vec::new(), Vec::new()));
            lines.len() - 1
        });
        if row.side == Some(Side::Expense) { lines[i].1.push(row) } else { lines[i].0.push(row) }
    }
    html! {
        table.grid {
            tr {
                th.side colspan=(income.len() + 1) { "收入 income" }
                th.side.side-start colspan=(expense.len() + 1) { "支出 expense" }
            }
            tr {
                th { "row" } @for c in &income { th { (c) } }
                th.side-start { "row" } @for c in &expense { th { (c) } }
            }
            @for (left, right) in &lines {
                @for i in 0..left.len().max(right.len()) {
                    tr {
                        (cells(table, left.get(i).copied(), &income, violated, false))
                        (cells(table, right.get(i).copied(), &expense, violated, true))
                    }
                }
            }
        }
    }
}

/// A row's label and its cells under `columns` (empty ones for no row); `side_start` marks
/// the label cell where the second side begins.
fn cells(
    table: &Table,
    row: Option<&Row>,
    columns: &[&str],
    violated: &BTreeMap<String, Vec<String>>,
    side_start: bool,
) -> Markup {
    let label_class = side_start.then_some("side-start");
    let Some(row) = row else {
        return html! { th class=[label_class] {} @for _ in columns { td {} } };
    };
    let side = row.side.map(|s| format!("{s:?}").to_lowercase());
    html! {
        th class=[label_class] { (row.label) }
        @for column in columns {
            @if let Some(cell) = row.cells.iter().find(|c| c.column == *column) {
                @let path = match &side {
                    Some(side) => format!("{}/{side}/{}/{column}", table.id, row.key),
                    None => format!("{}/{}/{column}", table.id, row.key),
                };
                @let (class, hover) = marks(cell, violated.get(&path));
                td class=(class) title=(hover) data-cell=(path) {
                    (cell.value.map_or_else(|| cell.raw.clone(), |v| v.to_string()))
                }
            } @else {
                td {}
            }
        }
    }
}

/// A cell's classes and hover text: how it was read, and the identities it fails.
fn marks(cell: &crate::model::Cell, fails: Option<&Vec<String>>) -> (String, String) {
    let mut class = vec!["num"];
    let mut hover = vec![format!("raw: {}", cell.raw)];
    match cell.status {
        CellStatus::Repaired => class.push("cell-repaired"),
        CellStatus::Inferred => {
            class.push("cell-inferred");
            hover.push(format!("inferred by {}", cell.inferred_by.as_deref().unwrap_or("an identity")));
        }
        CellStatus::Unreadable => class.push("cell-unreadable"),
        CellStatus::Read => {}
    }
    if let Some(rules) = fails {
        class.push("cell-violated");
        hover.push(format!("fails {}", rules.join(", ")));
    }
    if let Some(c) = cell.confidence {
        hover.push(format!("OCR confidence {c:.0}"));
    }
    (class.join(" "), hover.join("; "))
}

/// The table's area of its first page, as a PNG data URL (PDF input only).
fn crop(pdf: &Path, table: &Table) -> Option<String> {
    if !pdf.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        return None;
    }
    let page = *table.pages.first()?;
    let boxes: Vec<BBox> =
        table.rows.iter().filter(|r| r.page == page).flat_map(|r| r.cells.iter().filter_map(|c| c.bbox)).collect();
    let top = boxes.iter().map(|b| b[1]).reduce(f32::min)?;
    let bottom = boxes.iter().map(|b| b[3]).reduce(f32::max)?;
    // The page's full width (labels and codes sit left of the figures), from a little above
    // the first figures (the header) to just below the last.
    let (x0, y0, x1, y1) = (0.0, (top - 120.0).max(0.0), 5000.0, bottom + 20.0);
    let px = |v: f32| ((v * DPI / 72.0).round() as i64).to_string();
    // A folder of its own (two documents' crops never share one), removed when dropped.
    let dir = tempfile::Builder::new().prefix("gongkai-crop-").tempdir().ok()?;
    let prefix = dir.path().join("crop");
    let n = page.to_string();
    let ok = Command::new("pdftoppm")
        .args(["-r", &DPI.to_string(), "-f", &n, "-l", &n, "-png", "-singlefile"])
        .args(["-x", &px(x0), "-y", &px(y0), "-W", &px(x1 - x0), "-H", &px(y1 - y0)])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .is_ok_and(|o| o.status.success());
    let png = if ok { std::fs::read(prefix.with_extension("png")).ok() } else { None };
    Some(format!("data:image/png;base64,{}", STANDARD.encode(png?)))
}

/// The batch's index: every document with its status and counts, sortable by any column.
pub fn index(entries: &[ReportEntry]) -> String {
    const SORT: &str = "document.querySelectorAll('#index th').forEach((th,i)=>th.onclick=()=>{\
         const b=document.querySelector('#index tbody');const key=r=>{const c=r.children[i];return c.dataset.sort??c.textContent};\
         const rows=[...b.rows].sort((x,y)=>{const a=key(x),c=key(y);return isNaN(a)||isNaN(c)?a.localeCompare(c):a-c});\
         if(th.dataset.asc==='1'){rows.reverse();th.dataset.asc='0'}else th.dataset.asc='1';rows.forEach(r=>b.appendChild(r))});";
    let page = html! {
        (DOCTYPE)
        html lang="zh" {
            meta charset="utf-8";
            title { "gongkai batch" }
            style { (PreEscaped(STYLE)) }
            h1 { "gongkai batch: " (entries.len()) " documents" }
            table.index id="index" {
                thead { tr {
                    th { "document" } th { "status" } th { "tables" } th { "facts" } th { "repairs" }
                    th { "errors" } th { "warnings" }
                } }
                tbody {
                    @for e in entries {
                        @let status = status_name(e.status);
                        tr {
                            td { a href=(format!("{}.html", e.doc)) { (e.doc) } }
                            td data-sort=(["failed", "flagged", "repaired", "ok"].iter().position(|s| *s == status).unwrap_or(0)) {
                                span.status.(status) { (status) }
                            }
                            td { (e.tables) } td { (e.facts) } td { (e.repairs) } td { (e.errors) } td { (e.warnings) }
                        }
                    }
                }
            }
            script { (PreEscaped(SORT)) }
        }
    };
    page.into_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(side: Side, label: &str, line: u32, value: &str) -> Row {
        Row {
            key: label.into(),
            label: label.into(),
            code: None,
            side: Some(side),
            under: None,
            seq: None,
            page: 1,
            line,
            cells: vec![crate::model::Cell {
                column: "预算数".into(),
                raw: value.into(),
                value: value.parse().ok(),
                status: CellStatus::Read,
                inferred_by: None,
                bbox: None,
                confidence: None,
                readings: Vec::new(),
            }],
        }
    }

    #[test]
    fn a_two_sided_table_shows_its_sides_side_by_side_line_by_line() {
        let table = Table {
            id: "summary".into(),
            layout: "national".into(),
            title: "部门预算收支总表".into(),
            pages: vec![1],
            unit: None,
            empty: false,
            notes: vec![],
            columns: vec![],
            rows: vec![
                row(Side::Income, "一般公共预算拨款收入", 5, "509.01"),
                row(Side::Expense, "一般公共服务支出", 5, "419.39"),
                row(Side::Expense, "外交支出", 6, "0"),
                row(Side::Income, "收入总计", 7, "738.05"),
                row(Side::Expense, "支出总计", 7, "738.05"),
            ],
        };
        let h = grid(&table, &BTreeMap::new()).into_string();
        assert_eq!(h.matches("<table class=\"grid\">").count(), 1, "one grid");
        assert!(h.contains("收入 income") && h.contains("支出 expense"), "each side under its header");
        let lines: Vec<&str> = h.split("<tr>").skip(3).collect();
        assert_eq!(lines.len(), 3, "one grid line per printed line: {h}");
        assert!(
            lines[0].contains("一般公共预算拨款收入") && lines[0].contains("summary/expense/一般公共服务支出/预算数")
        );
        assert!(lines[1].starts_with("<th></th><td></td>") && lines[1].contains("外交支出"), "{}", lines[1]);
        assert!(lines[1].contains("<th class=\"side-start\">外交支出</th>"), "{}", lines[1]);
        assert!(lines[2].contains("收入总计") && lines[2].contains("支出总计"));
    }
}
