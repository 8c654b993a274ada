//! The output model: what a converted document, a fact and a batch report are.
//!
//! These types *are* the contract (`../shared/spec/output-contract.md`): `schemas/` is
//! generated from them (`gongkai schemas schemas/`) and a test fails when the committed
//! copy is stale. Money is `rust_decimal::Decimal`, serialised as a plain decimal string
//! (`"198.30"`), never a float.

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// A figure: a plain decimal string, no exponent, no thousands separators.
fn decimal(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"})
}

/// A figure, or `null` when the printed text is not a number.
fn decimal_or_null(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": ["string", "null"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$"})
}

/// Version of the output contract; bump when a change would break a consumer.
pub const CONTRACT: u32 = 1;

/// One converted input: `<stem>.json`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Document {
    /// Contract version this document follows.
    pub contract: u32,
    /// The document's name: the input's file stem (made unique within a batch).
    pub doc: String,
    pub source: Source,
    pub status: Status,
    pub metadata: Metadata,
    /// The standard tables found, in document order.
    pub tables: Vec<Table>,
    /// Every OCR repair and normalisation, in document order.
    pub repairs: Vec<Repair>,
    /// Everything a reader should know: identity results, missing tables, unreadable cells.
    pub findings: Vec<Finding>,
    /// How many identity instances were checked and how they came out.
    pub checks: Checks,
    /// The tables printed that are not one of the standard roles (项目支出表, 政府采购明细表,
    /// 绩效目标表 …), kept as printed, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_tables: Vec<OtherTable>,
    /// The performance targets (绩效目标表) read from the other tables, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
}

/// One performance target table (绩效目标表): a project's or the department's targets.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Target {
    /// Its order among the document's target tables, from 0.
    pub target_index: u32,
    /// The other table it was read from (`other_tables[…].table_index`).
    pub table_index: u32,
    pub title: String,
    pub scope: TargetScope,
    /// The project's name (项目名称) where printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The responsible unit (主管部门, 实施单位) where printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    /// The goals text (绩效目标, 年度目标), lines joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<String>,
    /// The money printed with the target, by source, in printed order (年度资金总额,
    /// 其中：财政拨款, 其他资金 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub money: Vec<TargetMoney>,
    pub page: u32,
    pub indicators: Vec<Indicator>,
}

/// One figure of a target's money.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TargetMoney {
    /// The printed label (its leaf header, or the row label), as a label key (`财政拨款`).
    pub label: String,
    #[schemars(with = "String")]
    pub value: Decimal,
}

/// Whose targets a table states.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetScope {
    /// 项目支出绩效目标: one project's.
    Project,
    /// 部门整体支出绩效目标: the department's as a whole.
    Department,
}

/// One indicator row of a target table: 一级 / 二级 / 三级指标 and the target value.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Indicator {
    pub level1: String,
    /// `level1` was not printed on this row (a merged cell): it is the framework's parent of
    /// `level2`, or the nearest printed above.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub level1_inferred: bool,
    pub level2: String,
    pub level3: String,
    pub description: String,
    /// The target value as printed (`≥150件`, `100%`, `2023年底前`).
    pub value: String,
    /// The value as a comparison, where it is one (`≥150件` → `>=`, `150`, `件`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed: Option<TargetValue>,
    pub basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    pub page: u32,
    pub line: u32,
}

/// A target value read as a comparison.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TargetValue {
    /// `>=`, `<=`, `>`, `<` or `=` (printed or implied).
    pub comparator: String,
    #[schemars(with = "String")]
    pub number: Decimal,
    /// What follows the number (`件`, `%`, `万元`), empty when nothing does.
    pub unit: String,
}

/// A table that is not one of the standard roles, as printed: its title, the header path
/// over each column position, and its rows of cells (text, and the exact figure where the
/// text is one).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OtherTable {
    /// Its order among the document's other tables, from 0.
    pub table_index: u32,
    pub title: String,
    /// The page its title is on.
    pub page: u32,
    /// The header path over each column position (`本年预算/基本支出`; empty where no header
    /// word is printed over it).
    pub columns: Vec<String>,
    pub rows: Vec<OtherRow>,
}

/// One printed row of an other table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OtherRow {
    pub page: u32,
    /// Its line in the source text.
    pub line: u32,
    /// The filled cells, by column position.
    pub cells: Vec<OtherCell>,
    /// The row goes on with the ruled row above (`page::Line::continues_row`): how a table
    /// listing projects shows where one project's rows end. Not written out.
    #[serde(skip)]
    #[schemars(skip)]
    pub continues_row: bool,
    /// The row is text off the table's grid (a cell's text running below its rulings).
    /// Not written out.
    #[serde(skip)]
    #[schemars(skip)]
    pub off_grid: bool,
}

/// One filled cell of an other table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OtherCell {
    /// Its column position (an index into the table's `columns`).
    pub column: u32,
    /// The text as printed.
    pub text: String,
    /// The figure, exact, where the text is a number (`1,234.50` → `1234.50`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal_or_null")]
    pub value: Option<Decimal>,
}

/// Where the document came from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Source {
    /// The input path as given on the command line (or found under a given folder).
    pub path: String,
    /// SHA-256 of the input bytes, lowercase hex; empty when the file could not be read.
    pub sha256: String,
    /// Number of pages. For OCR text without form feeds, pages are inferred from the
    /// repeated page banners (单位编码 + 单位名称) that start every table page.
    pub pages: u32,
    /// `ocr` when any page was read by OCR (gongkai's own, or a hidden OCR layer that
    /// passed the quality checks); the pages in `ocr_pages`.
    pub text_source: TextSource,
    /// The pages read by OCR, for a PDF (empty when none were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<u32>,
}

impl Source {
    /// Where the text of `page` came from.
    pub fn page_source(&self, page: u32) -> TextSource {
        match self.text_source {
            TextSource::OcrText => TextSource::OcrText,
            _ if self.ocr_pages.contains(&page) => TextSource::Ocr,
            _ => TextSource::TextLayer,
        }
    }
}

/// A box on a page: left, top, right, bottom in PDF points from the page's top-left corner
/// (the page as displayed, rotation applied; for OCR'd pages, the straightened scan).
pub type BBox = [f32; 4];

/// Where the text came from.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// The PDF's own text layer.
    #[default]
    TextLayer,
    /// OCR run by gongkai.
    Ocr,
    /// OCR text produced by an external tool and given as `.txt`.
    OcrText,
}

/// The document's overall verdict.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing needed fixing and every identity holds.
    Ok,
    /// OCR artifacts were repaired (or a lost value inferred) and every identity holds.
    Repaired,
    /// At least one `error` finding (a standard table missing, none recognised, none holding
    /// a figure …), or a narrative part whose tables are published in another file.
    Flagged,
    /// The input could not be read or is not a disclosure at all; the reason is the first
    /// finding.
    Failed,
}

/// What the document is and who published it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Metadata {
    pub kind: Option<Kind>,
    /// The fiscal year (预算年度).
    pub year: Option<i32>,
    /// 单位编码 as printed on the page banner.
    pub department_code: Option<String>,
    /// 单位名称: the entity's name as printed, without a trailing `单位` or `（本级）`.
    pub department: Option<String>,
    /// The document's money unit (万元 or 元); a table printed in another unit says so itself.
    pub unit: Option<Unit>,
    /// Whom the document is about, as it names itself: a department (部门预算, 部门决算) or
    /// a single unit (单位预算, 单位决算).
    #[serde(default)]
    pub scope: Option<Scope>,
    /// `本级` or `汇总`, where the document prints it with its name (`…局（本级）单位预算`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consolidation: Option<Consolidation>,
    /// Which part of a publication split in several files this is; absent for a whole
    /// disclosure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

/// Whom a disclosure covers.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum Scope {
    /// A department (部门预算, 部门决算), usually with its subordinate units.
    #[serde(rename = "部门")]
    Department,
    /// A single unit (单位预算, 单位决算).
    #[serde(rename = "单位")]
    Unit,
}

/// Whether the figures are the entity's own or summed over its units.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub enum Consolidation {
    /// 本级: the entity itself, without its subordinate units.
    #[serde(rename = "本级")]
    Own,
    /// 汇总: the entity and its subordinate units summed.
    #[serde(rename = "汇总")]
    Consolidated,
}

/// A part of a disclosure published in more than one file.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The explanation (情况说明) alone: its standard tables are published in another file.
    Narrative,
}

/// Budget (部门预算) or final accounts (部门决算).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Budget,
    FinalAccounts,
}

/// Which half of a two-sided table (收支总表) a row or column belongs to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Income,
    Expense,
}

/// A rebuilt standard table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Table {
    /// The table's role (`summary`, `income`, …), the same for budgets and final accounts.
    pub id: String,
    /// The template family it was read with (`national`, `shanghai`, …).
    pub layout: String,
    /// The title as printed (after repair).
    pub title: String,
    /// Pages the table spans.
    pub pages: Vec<u32>,
    /// The table's unit when it differs from the document's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// True when the table is printed with no figure at all (空表列示, 无数据, a template); any
    /// statement saying so is in `notes`.
    pub empty: bool,
    /// Notes printed under the table (`注: …`).
    pub notes: Vec<String>,
    /// Leaf columns, left to right.
    pub columns: Vec<Column>,
    /// Body rows in printed order; a two-sided table gives one row per side per line.
    pub rows: Vec<Row>,
}

/// True when row `i` repeats the row printed right before it: the same code, name and
/// figures (a line printed twice). It is counted once in the sums.
pub fn repeats_previous(rows: &[Row], i: usize) -> bool {
    let (Some(row), Some(previous)) = (rows.get(i), i.checked_sub(1).and_then(|p| rows.get(p))) else {
        return false;
    };
    let figures = |r: &Row| r.cells.iter().map(|c| (c.column.clone(), c.value)).collect::<Vec<_>>();
    row.code.is_some()
        && row.code == previous.code
        && row.label == previous.label
        && row.side == previous.side
        && !row.cells.is_empty()
        && figures(row) == figures(previous)
}

/// A leaf column of a table's header.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Column {
    /// `label_key` of the leaf header: the `column` of facts.
    pub key: String,
    /// The leaf header as the template names it.
    pub label: String,
    /// The merged header cells above the leaf, outermost first.
    pub path: Vec<String>,
    /// 栏次 number, where printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub role: ColumnRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// The side-by-side block the column belongs to (1, 2, …), where a table prints two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<u8>,
    /// The group printed over a 小计 leaf (`公务用车购置及运行维护费 / 小计`): the item a
    /// transposed table keys that column by. Read within the pipeline, not output.
    #[serde(skip)]
    #[schemars(skip)]
    pub group: Option<String>,
    /// The figure kind printed over a transposed table's items where it prints them once per
    /// year (`2025年预算数 | 2026年预算数`): the column its figures are keyed by. Read within
    /// the pipeline, not output.
    #[serde(skip)]
    #[schemars(skip)]
    pub figure: Option<String>,
    /// The item a transposed table's sub-column of its own is printed under (`因公出国(境)费
    /// / 小计 | 因公出国(境)费 | 科研因公出国(境)费用`): its row's `under`. Read within the
    /// pipeline, not output.
    #[serde(skip)]
    #[schemars(skip)]
    pub under: Option<String>,
    /// No header word was read over the column: its name is the template's at its place,
    /// not what the document prints there (OCR lost the header). Read within the pipeline,
    /// not output.
    #[serde(skip)]
    #[schemars(skip)]
    pub by_place: bool,
}

impl Column {
    /// A printed column no template column names, keyed by its printed name's `key`
    /// (`label::label_key`).
    pub fn own(key: String, printed: &str, role: ColumnRole, side: Option<Side>) -> Column {
        Column {
            key,
            label: printed.to_string(),
            path: Vec::new(),
            number: None,
            role,
            side,
            block: None,
            group: None,
            figure: None,
            under: None,
            by_place: false,
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// 科目编码.
    Code,
    /// 科目名称 / 项目.
    Label,
    /// A money figure.
    Value,
}

/// One body row (one side of a line, for two-sided tables).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Row {
    /// The row's key in facts: the classification code, or `label_key(label)`.
    pub key: String,
    /// The row label (科目名称 or 项目) after repair.
    pub label: String,
    /// 科目编码, digits only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// The heading this row is a sub-row of (e.g. 年初财政拨款结转和结余).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// 序号 as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u32>,
    pub page: u32,
    /// 1-based line of the source text.
    pub line: u32,
    /// Non-empty cells (and inferred ones), by column key.
    pub cells: Vec<Cell>,
}

/// A figure in a row.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Cell {
    /// The column's key.
    pub column: String,
    /// The text as read, before repair; empty for an inferred cell.
    pub raw: String,
    /// The figure; `null` when the text could not be read as a number.
    #[schemars(schema_with = "decimal_or_null")]
    pub value: Option<Decimal>,
    pub status: CellStatus,
    /// The identity that gave an inferred value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_by: Option<String>,
    /// Where the printed text sits on the row's page (PDF input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// The OCR engine's lowest word confidence (0–100) in the cell (OCR'd pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// Where two OCR engines read the figure differently: each one's reading, the one the
    /// value follows marked `chosen` (none, when an identity gave a third reading).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<EngineReading>,
}

/// An OCR engine.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OcrEngine {
    /// tesseract 5 with `chi_sim`: the first engine, which reads the page.
    Tesseract,
    /// PP-OCRv4 text-line recognition (ONNX, in-process): the second, which reads each
    /// figure the first read again.
    PpOcr,
}

/// One engine's reading of a cell's figure.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EngineReading {
    pub engine: OcrEngine,
    /// The text as the engine read it.
    pub text: String,
    /// The engine's confidence (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// The cell's value is this reading's.
    pub chosen: bool,
}

/// How a cell's value was obtained.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    /// Read as printed.
    Read,
    /// Read after an OCR repair (see `repairs`).
    Repaired,
    /// Not printed (or lost); derived from an identity.
    Inferred,
    /// Printed but not readable as a number.
    Unreadable,
}

/// One recorded repair: what was read, what it became, and which rule did it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Repair {
    pub location: Location,
    /// Rule name, kebab-case (`split-decimal`, `header-vocabulary`, …).
    pub rule: String,
    pub raw: String,
    pub repaired: String,
}

/// Where something is in the document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Location {
    pub page: u32,
    /// 1-based line of the source text.
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Location {
    /// A row of a standard table, or one of its cells: where a repair of it is recorded.
    pub fn in_row(table: &str, row: &Row, column: Option<&str>) -> Location {
        Location {
            page: row.page,
            line: row.line,
            table: Some(table.to_string()),
            row: Some(row.key.clone()),
            column: column.map(str::to_string),
        }
    }
}

/// The money unit figures are printed in: a closed vocabulary, written as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum Unit {
    /// 万元: ten thousand yuan, the usual unit of a department's tables.
    #[serde(rename = "万元")]
    WanYuan,
    /// 元.
    #[serde(rename = "元")]
    Yuan,
}

impl Unit {
    /// The unit a text starts with (`万元…`, `元…`).
    pub fn prefix_of(text: &str) -> Option<Unit> {
        [Unit::WanYuan, Unit::Yuan].into_iter().find(|u| text.starts_with(u.as_str()))
    }

    /// The unit as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::WanYuan => "万元",
            Unit::Yuan => "元",
        }
    }

    /// Yuan per unit.
    pub fn yuan(self) -> Decimal {
        match self {
            Unit::WanYuan => Decimal::from(10_000),
            Unit::Yuan => Decimal::ONE,
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// What a finding is about: a closed vocabulary, so the schema lists it and a new kind is a
/// compile error where it is not handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The input's extension is not one gongkai reads.
    UnsupportedInput,
    /// The input could not be opened or read.
    UnreadableInput,
    /// The input has no content.
    EmptyInput,
    /// A `.txt` input is not UTF-8 text.
    NotText,
    /// A `.tsv`, `.hocr` or `.json` input is not tesseract TSV, hOCR or PP-OCR JSON.
    NotOcrOutput,
    /// OCR text whose columns are aligned with spaces (tesseract's layout modes, `pdftotext
    /// -layout`), not separated by tabs: its cells are read from their character columns,
    /// as a PDF's from where its glyphs sit (info; the reading is named).
    SpaceAlignedText,
    /// The input is over the size limit.
    InputTooLarge,
    /// The PDF is encrypted.
    EncryptedInput,
    /// The PDF is damaged, truncated, a decompression bomb, or has no or too many pages.
    UnreadablePdf,
    /// The document was stopped at the per-document time limit.
    TimeLimit,
    /// The document went over the per-document memory limit.
    ResourceLimit,
    /// The worker process could not be started or its document read.
    WorkerFailed,
    /// A bug in gongkai (a panic or a crashed worker) while converting.
    InternalError,
    /// A page's text layer is missing or garbled (OCR needed).
    UnusableTextLayer,
    /// A page was read by OCR.
    OcrPage,
    /// OCR of a page failed.
    OcrFailed,
    /// A scan's hidden OCR layer did not balance: its pages were OCR'd afresh and the
    /// reading the identities favour was kept (the finding gives both scores).
    OcrLayerReread,
    /// A body line has more cells than the table has columns.
    ExtraCell,
    /// A table noted as empty (本表无数据) prints figures.
    EmptyNoteWithFigures,
    /// A coded line is printed twice; it is counted once.
    RepeatedLine,
    /// A cell holds text that is not a figure.
    UnreadableCell,
    /// A lost or unreadable figure inferred from an identity.
    ValueInferred,
    /// The identities disagree on a lost figure, so it is not inferred.
    InferenceConflict,
    /// An OCR misread repaired: the one plausible reading that makes the identities hold.
    ValueRepaired,
    /// Several OCR-plausible readings would fit a broken identity, so none is chosen.
    MisreadAmbiguous,
    /// The two OCR engines read a figure differently and no identity decides between them:
    /// the first engine's reading is kept, the cell holds both.
    OcrEnginesDisagree,
    /// A run of text (a header word, a label) tesseract read with low confidence as no name
    /// the templates or vocabularies know, which the second engine (PP-OCR) reads as one: the
    /// second reading is kept, the finding gives both (info, rule `second-engine`).
    OcrTextReread,
    /// A figure tesseract read as no number (`00odl`) that the second engine (PP-OCR) read
    /// surely, with its table's places: its reading is taken, the cell holds both, and the
    /// identities check it (warning, rule `second-engine`).
    FigureReread,
    /// A column or row name on an OCR'd page that no template, vocabulary or code list knows,
    /// which no rule could take for one (a header word or an item OCR garbled past mending):
    /// its figures are keyed by the name as read (warning, on the column or the row); or a
    /// row with figures and no code among rows keyed by their codes (OCR lost its code), keyed
    /// by its name (warning, on the row).
    UnknownName,
    /// An identity fails beyond rounding.
    IdentityViolation,
    /// A soft identity (one that holds only for some departments) fails.
    IdentitySoftViolation,
    /// An identity holds within rounding, not exactly.
    IdentityRounding,
    /// A standard table the disclosure kind requires is not in the document.
    MissingTable,
    /// A title or heading states another year than the document's.
    YearMismatch,
    /// A page names another department than the document's.
    DepartmentMismatch,
    /// Lines hold template placeholders (`XX局`): a template, not a department's disclosure.
    Placeholder,
    /// A performance target table printed twice under the same title.
    TargetRepeated,
    /// A performance target table states targets or plans of another year than the document's.
    TargetOtherYear,
    /// An indicator of a performance target table has no target value.
    TargetWithoutValue,
    /// A performance target table whose indicators could not be read (no indicator header
    /// found, or an OCR page that lost its columns): its text is in `other_tables`.
    TargetUnread,
    /// A 成本指标 of a performance target states more money than the target's project has
    /// (its largest money figure).
    TargetCostOverMoney,
    /// A target's money differs from its project's line in a project expense table
    /// (项目支出表) of the same document.
    TargetMoneyMismatch,
    /// A figure the narrative states differs from the table's.
    NarrativeMismatch,
    /// A figure the narrative states of another subject than the statement's label alone
    /// names (`上年结转结余的一般公共预算收入`): not compared with a guessed cell.
    NarrativeUnresolved,
    /// A narrative comparison contradicts itself or the table.
    NarrativeContradiction,
    /// The explanation part of a disclosure, whose tables are in another file.
    TablesPublishedElsewhere,
    /// Lines of figures, but no title matched a standard table.
    NoStandardTable,
    /// No standard table and no disclosure text: not a disclosure.
    NotADisclosure,
    /// Standard tables found, but none holds a figure.
    NoFigures,
    /// A standard table prints figures on lines read as its header, and no body: its
    /// figures are not read (a layout no rule knows), never silently an empty table.
    FiguresUnread,
    /// A standard table's title was found, but no column of it was read (its header lost, as
    /// OCR may lose a shaded or ruled-out header): the table holds nothing, never silently.
    TableUnread,
    /// Lines outside every table read print figures as a table's rows do (a page of a table
    /// cut off from it, a table whose title was not found): their figures are in no table.
    FiguresOutsideTables,
    /// A leaf name printed over two figure columns of one side of a table, and no heading
    /// read over them that tells them apart (`小计 | 基本支出` under 当年预算 and again under
    /// 上年结转结余, the headings lost to OCR): the figures of each are keyed alike (warning,
    /// on the table and the column).
    ColumnRepeated,
    /// No header line was read above a standard table's first row (OCR lost it: a shaded
    /// band): its columns are the template's, by position, and the identities check them.
    HeaderUnread,
    /// A figure column whose name OCR lost (`收入`, the end of a wrapped name) is named by the
    /// figure its total row prints, that of one income item of a summary (rule
    /// `header-cross-table`): its total is that item's, but its other figures are where the
    /// rows' figures fell, read under no printed name (warning, on the column).
    ColumnNamedByTotal,
}

/// The kind as the contract writes it (`identity_violation`): its serde name, so the two
/// cannot drift apart.
impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => f.write_str(&name),
            _ => write!(f, "{self:?}"),
        }
    }
}

/// Something a reader should know about the document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub kind: FindingKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// The identity rule, for identity findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal")]
    pub expected: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal")]
    pub actual: Option<Decimal>,
    /// `actual − expected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal")]
    pub difference: Option<Decimal>,
    /// Allowed rounding difference for this identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal")]
    pub tolerance: Option<Decimal>,
    /// Every cell involved, as `table/side/row/column` paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub message: String,
}

/// Where on the printed tables a finding is: its table, and the row (with its side and
/// page) and column where it is about one line or one cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub table: Option<String>,
    pub row: Option<String>,
    pub side: Option<Side>,
    pub column: Option<String>,
    pub page: Option<u32>,
}

impl Place {
    /// A printed line of a table.
    pub fn row(table: &str, row: &Row) -> Place {
        Place {
            table: Some(table.to_string()),
            row: Some(row.key.clone()),
            side: row.side,
            column: None,
            page: Some(row.page),
        }
    }

    /// One cell of a table.
    pub fn cell(table: &str, row: &Row, column: &str) -> Place {
        Place { column: Some(column.to_string()), ..Place::row(table, row) }
    }
}

impl Finding {
    /// A finding at a place on the tables: the one constructor for a located finding.
    pub fn located(severity: Severity, kind: FindingKind, place: Place, message: impl Into<String>) -> Self {
        let Place { table, row, side, column, page } = place;
        Finding { table, row, side, column, page, ..Finding::new(severity, kind, message) }
    }

    /// A finding with only a severity, kind and message; fill the rest with struct update.
    pub fn new(severity: Severity, kind: FindingKind, message: impl Into<String>) -> Self {
        Finding {
            severity,
            kind,
            table: None,
            row: None,
            column: None,
            side: None,
            rule: None,
            expected: None,
            actual: None,
            difference: None,
            tolerance: None,
            cells: Vec::new(),
            page: None,
            message: message.into(),
        }
    }
}

/// Counts of identity instances.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Checks {
    /// Identity instances evaluated.
    pub identities: u32,
    /// Held with no difference.
    pub exact: u32,
    /// Held within the rounding tolerance.
    pub rounding: u32,
    /// Failed beyond rounding (identities that must hold).
    pub violated: u32,
    /// Soft checks (conventions that hold for most departments) that failed: warnings,
    /// not counted in `violated`.
    #[serde(default)]
    pub soft_violated: u32,
    /// Cells filled from an identity.
    pub inferred: u32,
    /// Figures stated in the narrative and compared with the tables.
    pub narrative: u32,
    /// Of those, how many disagree with the tables.
    pub narrative_mismatched: u32,
}

/// One line of `findings.ndjson`: one finding of one document, for a warehouse (join it to
/// the facts on `doc`, `table` and `row`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct FindingRow {
    pub doc: String,
    #[serde(flatten)]
    pub finding: Finding,
}

/// One line of `targets.ndjson`: one indicator of one performance target table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TargetRow {
    pub doc: String,
    pub target_index: u32,
    /// The target table's title.
    pub target: String,
    pub scope: TargetScope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub description: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal_or_null")]
    pub number: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_unit: Option<String>,
    pub basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    pub page: u32,
}

/// One line of `other_tables.ndjson`: one filled cell of a table that is not one of the
/// standard roles (see [`OtherTable`]).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OtherCellRow {
    pub doc: String,
    /// The table's order among the document's other tables, from 0.
    pub table_index: u32,
    pub title: String,
    /// The row's label: label_key of its first cell that is not a figure (empty if none).
    pub row: String,
    /// The row's order in the table, from 0.
    pub row_index: u32,
    /// The header path over the cell's column (empty where none is printed).
    pub column: String,
    /// The cell's column position, from 0.
    pub column_index: u32,
    /// The text as printed.
    pub text: String,
    /// The figure, exact, where the text is a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "decimal_or_null")]
    pub value: Option<Decimal>,
    pub page: u32,
    pub line: u32,
}

/// One line of `documents.ndjson`: one document of the batch, its metadata, status and
/// counts, for a warehouse.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DocumentRow {
    pub doc: String,
    pub path: String,
    pub sha256: String,
    pub pages: u32,
    pub text_source: TextSource,
    pub status: Status,
    #[serde(flatten)]
    pub metadata: Metadata,
    pub tables: u32,
    pub facts: u32,
    pub repairs: u32,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

/// One line of `facts.ndjson`: one non-empty numeric cell of a standard table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Fact {
    pub doc: String,
    pub table: String,
    /// Classification code, `合计`, or `label_key(row label)`.
    pub row: String,
    /// The canonical name of a label row (`total`, `current_income`, `general_public_budget`,
    /// `class:201` …) from `data/vocabulary/items.toml`; absent for a coded row (its code is
    /// canonical) and for a name the vocabulary does not list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// `label_key(leaf column header)`.
    pub column: String,
    /// The canonical name of the column (`fiscal_appropriation` for 财政拨款 / 财政拨款收入, …)
    /// from `data/vocabulary/measures.toml`; absent when the vocabulary does not list the
    /// printed name, or when two columns of the table would get the same one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// The figure in the table's printed unit, as a plain decimal string.
    #[schemars(schema_with = "decimal")]
    pub value: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// The table's unit when it differs from the document's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    pub page: u32,
    pub line: u32,
    /// Where the figure's text came from: `text_layer`, `ocr` or `ocr_text`.
    pub source: TextSource,
    /// Where the figure sits on its page (PDF input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// The OCR engine's confidence (0–100) in the figure (OCR'd pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// The printed text needed an OCR repair.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub repaired: bool,
    /// Not printed (or lost): derived from an identity.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub inferred: bool,
}

/// `report.json`: the batch summary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Report {
    pub contract: u32,
    pub counts: Counts,
    /// Every document, sorted by `doc`.
    pub documents: Vec<ReportEntry>,
    /// Failed documents with their reasons.
    pub failures: Vec<Failure>,
    /// Inputs that were not converted because of their file type.
    pub skipped: Vec<Skipped>,
    /// Total number of facts written.
    pub facts: u64,
}

/// Documents by status.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Counts {
    pub ok: u32,
    pub repaired: u32,
    pub flagged: u32,
    pub failed: u32,
}

/// One document's line in the report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ReportEntry {
    pub doc: String,
    pub path: String,
    pub status: Status,
    pub tables: u32,
    pub facts: u32,
    pub repairs: u32,
    pub errors: u32,
    pub warnings: u32,
}

/// A failed document and why.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Failure {
    pub doc: String,
    pub path: String,
    pub reason: String,
}

/// An input left alone.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}
