//! The skeleton layout gives on: the document's lines, banner, unit lines, its standard
//! tables as blocks of per-page segments, and the running text outside them.

use super::banner::Banner;
use crate::knowledge::templates::TableTemplate;
use crate::model::{Kind, Unit};
use crate::page::Line;

/// The skeleton of a document.
#[derive(Debug, Clone)]
pub struct Layout {
    /// All lines, with pages refined from page banners.
    pub lines: Vec<Line>,
    pub pages: u32,
    pub banner: Option<Banner>,
    /// The disclosure kind the titles belong to.
    pub kind: Option<Kind>,
    /// Explicit unit lines (`单位: 万元`), by line number.
    pub units: Vec<(u32, Unit)>,
    pub blocks: Vec<Block>,
    /// The tables printed under a title that is not one of the standard roles (项目支出表,
    /// 政府采购明细表, 绩效目标表 …), in document order: kept, so nothing printed is lost.
    pub others: Vec<OtherBlock>,
    /// The running text outside the tables (情况说明, 编制说明).
    pub narrative: Narrative,
    /// Lines outside every table that print figures as a table's rows do (a page of a table
    /// cut off from it, a table whose title was not found): reported, never silently
    /// running text.
    pub stray_rows: Vec<Line>,
}

/// The document's running text: NFKC, white space removed, lines run together (a figure
/// broken over two lines, `2,389.52万` / `元`, is whole again), with the page of each part.
#[derive(Debug, Clone, Default)]
pub struct Narrative {
    pub text: String,
    /// (byte offset where a line starts in `text`, its page), in order.
    pub pages: Vec<(usize, u32)>,
}

impl Narrative {
    /// The page the text at byte `offset` is on.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        self.pages.iter().take_while(|(start, _)| *start <= offset).last().map(|(_, p)| *p)
    }
}

/// One standard table as laid out on the pages.
#[derive(Debug, Clone)]
pub struct Block {
    pub template: &'static TableTemplate,
    pub title: Line,
    /// The template title a fuzzy-matched title was read as.
    pub title_variant: Option<String>,
    pub segments: Vec<Segment>,
    /// `注: …` lines under the table.
    pub notes: Vec<Line>,
    /// The unit printed with the table, if any.
    pub unit: Option<Unit>,
    /// Its cells were set in columns by their alignment, no rulings drawn
    /// (`geometry::align`): a heading sits where it is printed, centred over its columns.
    pub aligned: bool,
}

/// A table that is not one of the standard roles, as laid out: its title, then per page its
/// header lines (before the first line with a figure; the first line of a table of words)
/// and its body lines.
#[derive(Debug, Clone)]
pub struct OtherBlock {
    pub title: Line,
    pub segments: Vec<Segment>,
}

/// The part of a table on one page: its header, 栏次 line and body.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    pub page: u32,
    pub header: Vec<Line>,
    /// The 栏次 line (column numbers), which ends the header.
    pub numbers: Option<Line>,
    pub body: Vec<Line>,
}
