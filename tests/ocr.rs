//! The OCR path: the real tesseract reads real scans (OCR is on by default), and the facts
//! are measured against the hand truths of the tables they hold. Each scan's precision and
//! recall are printed (`cargo test ocr -- --nocapture`) and held here as floors, so they can
//! only improve. The documents come from the shared run over `samples/`, so each scan is
//! OCR'd once per test run.

use std::collections::BTreeSet;
use std::path::Path;

use gongkai::model::{CellStatus, Document, FindingKind, Status, TextSource};

use crate::common::{SAMPLES, root};

/// (table, row, column, side, under, value).
pub(crate) type Fact = (String, String, String, String, String, String);

/// The truth's facts of the given tables (all tables when `tables` is empty).
fn truth(file: &str, tables: &[&str]) -> BTreeSet<Fact> {
    let text = std::fs::read_to_string(root().join("tests/truth").join(file)).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        .filter(|f| tables.is_empty() || tables.contains(&f[0].as_str()))
        .map(|f| (f[0].clone(), f[1].clone(), f[2].clone(), f[3].clone(), f[4].clone(), f[5].clone()))
        .collect()
}

pub(crate) fn facts(doc: &Document) -> BTreeSet<Fact> {
    let side = |r: &gongkai::model::Row| r.side.map(|s| format!("{s:?}").to_lowercase()).unwrap_or_default();
    doc.tables
        .iter()
        .flat_map(|t| t.rows.iter().map(move |r| (t, r)))
        .flat_map(|(t, r)| r.cells.iter().filter_map(move |c| Some((t, r, c, c.value?))))
        .map(|(t, r, c, v)| {
            (t.id.clone(), r.key.clone(), c.column.clone(), side(r), r.under.clone().unwrap_or_default(), v.to_string())
        })
        .collect()
}

/// A scan's document from the shared run, and its (true positives, emitted, truth size).
fn read(stem: &str, truth_file: &str, tables: &[&str]) -> (Document, usize, usize, usize) {
    let text = std::fs::read_to_string(SAMPLES.out.path().join(format!("{stem}.json"))).unwrap();
    let doc: Document = serde_json::from_str(&text).unwrap();
    let (want, got) = (truth(truth_file, tables), facts(&doc));
    let tp = want.intersection(&got).count();
    let (p, r) = (tp as f64 / got.len().max(1) as f64, tp as f64 / want.len() as f64);
    eprintln!("{stem}: {tp} of {} truth facts, {} emitted: precision {p:.3}, recall {r:.3}", want.len(), got.len());
    // The engine's own accuracy beside it: figures as read, mended by a cell rule (`509.01|`,
    // `198. 30`), won back by the identities, inferred.
    let cells: Vec<&gongkai::model::Cell> = doc.tables.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells).collect();
    let won_back = doc.repairs.iter().filter(|r| r.rule == "identity-misread").count();
    let second = doc.repairs.iter().filter(|r| r.rule == "second-engine").count();
    let status = |s: CellStatus| cells.iter().filter(|c| c.status == s).count();
    eprintln!(
        "  engine exact {}, mended by cell rules {}, taken from the second engine {second}, won back by identities {won_back}, inferred {}",
        status(CellStatus::Read),
        status(CellStatus::Repaired) - won_back - second,
        status(CellStatus::Inferred)
    );
    for missed in want.difference(&got) {
        eprintln!("  missed {missed:?}");
    }
    for wrong in got.difference(&want) {
        eprintln!("  wrong  {wrong:?}");
    }
    (doc, tp, got.len(), want.len())
}

const QINGLONG: (&str, &[&str]) = ("qinglong-2023-budget.tsv", &["summary", "three_public"]);

#[test]
fn a_150_dpi_scan_gives_exactly_the_truth() {
    let (doc, tp, got, want) = read("qinglong-2023-budget-scan-150dpi", QINGLONG.0, QINGLONG.1);
    assert_eq!(doc.source.text_source, TextSource::Ocr);
    assert_eq!(doc.findings.iter().filter(|f| f.kind == FindingKind::OcrPage).count(), 3, "every page OCR'd");
    assert_eq!((tp, got), (want, want), "precision and recall 1.0");
    // Provenance: every figure read by OCR has its box and the engine's confidence, and its
    // fact says it came from OCR.
    let read = doc.tables.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells).filter(|c| c.value.is_some());
    for cell in read.filter(|c| c.status != CellStatus::Inferred) {
        assert!(cell.bbox.is_some() && cell.confidence.is_some(), "{cell:?}");
    }
    let facts = SAMPLES.facts();
    let mine: Vec<_> = facts.iter().filter(|f| f["doc"] == "qinglong-2023-budget-scan-150dpi").collect();
    assert!(!mine.is_empty() && mine.iter().all(|f| f["source"] == "ocr" && f["bbox"].is_array()));
    let text_layer: Vec<_> = facts.iter().filter(|f| f["doc"] == "putuo-office-2025-budget").collect();
    assert!(
        text_layer.iter().all(|f| f["source"] == "text_layer" && f["bbox"].is_array() && f["confidence"].is_null())
    );
}

#[test]
fn a_200_dpi_scan_gives_exactly_the_truth() {
    let (doc, tp, got, want) = read("qinglong-2023-budget-scan-200dpi", QINGLONG.0, QINGLONG.1);
    assert_eq!(doc.source.text_source, TextSource::Ocr);
    assert_eq!((tp, got), (want, want), "precision and recall 1.0");
}

#[test]
fn a_hidden_ocr_layer_that_fails_the_checks_is_read_afresh() {
    let (doc, tp, got, want) = read("qinglong-2023-budget-scan-ocr-layer", QINGLONG.0, QINGLONG.1);
    assert_eq!(doc.source.text_source, TextSource::Ocr);
    let rejected = doc.findings.iter().filter(|f| f.message.contains("hidden OCR layer")).count();
    assert_eq!(rejected, 3, "the debris-laden layer pages are rejected");
    assert_eq!((tp, got), (want, want), "precision and recall 1.0");
}

#[test]
fn a_ruled_real_document_without_unicode_is_read_by_ocr() {
    // The real 22-page 普陀 budget with its ToUnicode maps removed: every page is OCR'd.
    let (doc, tp, got, _) = read("putuo-office-2025-budget-no-tounicode", "putuo-office-2025-budget.tsv", &[]);
    assert_eq!(doc.source.text_source, TextSource::Ocr);
    assert_eq!(doc.findings.iter().filter(|f| f.kind == FindingKind::OcrPage).count(), 22);
    assert_eq!((tp, got), (221, 221), "precision and recall 1.0");
}

/// Other engines' output read as is: tesseract's TSV and hOCR (word boxes), and RapidOCR's
/// JSON (PP-OCRv4: a box per text line, on a page tilted by the scan's skew).
#[test]
fn another_tools_tesseract_tsv_hocr_and_rapidocr_json_convert_like_a_scan() {
    let stems =
        ["qinglong-2023-budget-tesseract-tsv", "qinglong-2023-budget-tesseract-hocr", "qinglong-2023-budget-rapidocr"];
    for stem in stems {
        let (doc, tp, got, want) = read(stem, QINGLONG.0, QINGLONG.1);
        assert_eq!(doc.source.text_source, TextSource::OcrText);
        assert_eq!((tp, got), (want, want), "{stem}: precision and recall 1.0");
    }
    for bad in ["not-tesseract.json", "not-ocr-output.json"] {
        let bad = SAMPLES.json(bad);
        assert_eq!(bad["status"], "failed");
        assert_eq!(bad["findings"][0]["kind"], "not_ocr_output");
    }
}

/// The figures of a document's facts, flags aside: (table, row, column, side, under, value).
fn figures(doc: &str) -> BTreeSet<Fact> {
    let text = std::fs::read_to_string(SAMPLES.out.path().join(format!("{doc}.json"))).unwrap();
    facts(&serde_json::from_str(&text).unwrap())
}

/// OCR text laid out with spaces (`pdftotext -layout` of the LibreOffice export: every
/// character one column, each page's grid its own, labels wrapped above and below their
/// figures) is read from where its cells sit, and gives the figures the same document gives
/// as tab-separated OCR text and as the PDF.
#[test]
fn space_aligned_text_gives_the_figures_of_the_tab_separated_text() {
    let spaced = figures("qinglong-2023-budget-pdftotext-layout");
    assert_eq!(spaced.len(), truth(QINGLONG.0, &[]).len());
    assert_eq!(spaced, figures("qinglong-2023-budget"), "as the tab-separated text");
    assert_eq!(spaced, figures("qinglong-2023-budget-hebei"), "as the PDF");
    let doc = SAMPLES.json("qinglong-2023-budget-pdftotext-layout.json");
    let findings = doc["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["kind"] == "space_aligned_text" && f["severity"] == "info"), "{findings:#?}");
    assert!(findings.iter().all(|f| f["severity"] != "error"), "{findings:#?}");
}

/// A hidden tesseract layer taken out as space-aligned text (its words spaced apart, CJK
/// characters one by one, the 栏次 marker on a line of its own, debris in empty rows).
#[test]
fn an_ocr_layer_as_space_aligned_text_gives_exactly_the_truth() {
    let (doc, tp, got, want) = read("qinglong-2023-budget-ocr-layer-pdftotext-layout", QINGLONG.0, QINGLONG.1);
    assert_eq!(doc.source.text_source, TextSource::OcrText);
    assert_eq!((tp, got), (want, want), "precision and recall 1.0");
}

/// Tesseract's own layout text (`--psm 4`, `preserve_interword_spaces=1`) writes each gap in
/// spaces of its own line's width, so counted in characters no two lines share a grid, and
/// a row that leaves a column blank (`120. 17` under 合计 and 基本支出 only) was read a column
/// off. Each line read in its own measure, the figures land in their columns — on a page
/// where no row prints all three, each row in the columns that fit it; what is still wrong
/// (a row OCR garbled, `1 12`) leaves the document flagged.
#[test]
fn a_tesseract_layout_text_is_read_in_each_lines_own_space_width() {
    let stem = "tesseract-layout-text-lines-in-own-space-widths";
    let doc: Document = serde_json::from_value(SAMPLES.json(&format!("{stem}.json"))).unwrap();
    // Facts key a column by its leaf as printed (总计), the cells by the template's key (合计).
    let printed = |t: &gongkai::model::Table, key: &str| {
        t.columns.iter().find(|c| c.key == key).map_or(key.to_string(), |c| c.label.clone())
    };
    let got: BTreeSet<Fact> = facts(&doc)
        .into_iter()
        .map(|(t, r, c, s, u, v)| {
            let table = doc.tables.iter().find(|x| x.id == t).unwrap();
            (t, r, printed(table, &c), s, u, v)
        })
        .collect();
    let want = truth("corpus-chongqing-qixiang.tsv", &["expense"]);
    let tp = want.intersection(&got).count();
    assert_eq!(want.len(), 61);
    assert!(tp >= 55, "{tp} of 61 figures right (10 read by character count): {:#?}", got.difference(&want));
    assert!(got.len() - tp <= 6, "{} of {} wrong", got.len() - tp, got.len());
    assert_eq!(doc.status, Status::Flagged);
}

/// A tesseract TSV whose leaf header line names no column over the first figures (their
/// 合计 read a line above as debris): the body's column of figures is a column of its own,
/// the table's total, and no figure runs into the label beside it.
#[test]
fn figures_under_a_name_read_on_another_line_are_a_column_not_part_of_the_labels() {
    let doc: Document =
        serde_json::from_value(SAMPLES.json("tesseract-tsv-total-column-named-a-line-above.json")).unwrap();
    let income = doc.tables.iter().find(|t| t.id == "income").expect("the 收入总表");
    let total = |key: &str| {
        let row = income.rows.iter().find(|r| r.key == key)?;
        row.cells.iter().find(|c| c.column == "合计").and_then(|c| c.value).map(|v| v.to_string())
    };
    // The page's rows (the table goes on over a second page, not in the sample).
    let want: Vec<(String, String)> = truth("corpus-chongqing-qixiang.tsv", &[])
        .into_iter()
        .filter(|(t, r, c, ..)| t == "income" && c == "总计" && income.rows.iter().any(|x| &x.key == r))
        .map(|(_, r, _, _, _, v)| (r, v))
        .collect();
    assert!(want.len() >= 13, "{want:?}");
    for (row, value) in &want {
        assert_eq!(total(row).as_deref(), Some(value.as_str()), "合计 of {row}");
    }
    let glued: Vec<&str> =
        income.rows.iter().map(|r| r.label.as_str()).filter(|l| l.chars().any(|c| c.is_ascii_digit())).collect();
    assert!(glued.is_empty(), "labels holding figures: {glued:?}");
}

#[test]
fn without_ocr_a_scan_is_a_failed_document_that_says_why() {
    let path = root().join("samples/scan/qinglong-2023-budget-scan-200dpi.pdf");
    let doc = gongkai::convert_with(Path::new(&path), "scan", &gongkai::extract::Options { ocr: false });
    assert_eq!(doc.status, Status::Failed);
    assert!(doc.findings.iter().any(|f| f.message.contains("OCR needed")), "{:#?}", doc.findings);
}
