//! The tables that are not one of the standard roles (项目支出表, 政府采购明细表, 绩效目标表 …),
//! kept as printed: the header path over each column position, and every filled cell with
//! its exact figure where its text is a number. Nothing is inferred or checked here.

use std::str::FromStr;
use std::sync::LazyLock;

use crate::pattern::Regex;
use rust_decimal::Decimal;

use crate::label::nfkc;
use crate::layout::{OtherBlock, Segment};
use crate::model::{OtherCell, OtherRow, OtherTable};
use crate::page::Line;

/// A plain printed figure once thousands separators and spaces are gone.
static FIGURE: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^-?[0-9]+(?:\.[0-9]+)?$").expect("figure pattern"));

/// The other tables of a document, in order.
pub fn others(blocks: &[OtherBlock]) -> Vec<OtherTable> {
    blocks.iter().enumerate().map(|(i, b)| other(u32::try_from(i).unwrap_or(u32::MAX), b)).collect()
}

fn other(table_index: u32, block: &OtherBlock) -> OtherTable {
    let width =
        block.segments.iter().flat_map(|s| s.header.iter().chain(&s.body)).map(|l| l.cells.len()).max().unwrap_or(0);
    // The header path over each position: the header words of the first page, top down.
    let mut columns = vec![String::new(); width];
    for line in block.segments.first().map(|s| s.header.as_slice()).unwrap_or_default() {
        for (position, text) in line.filled() {
            let word = text.split_whitespace().collect::<String>();
            let path = &mut columns[position];
            if !path.split('/').any(|part| part == word) {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(&word);
            }
        }
    }
    // A header printed again over a continued page is not a row.
    let headers: Vec<String> =
        block.segments.first().map(|s| s.header.iter().map(Line::text).collect()).unwrap_or_default();
    let headers = &headers;
    let first = block.segments.first().map(centres).unwrap_or_default();
    let rows = block
        .segments
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let repeated = move |l: &&Line| i > 0 && headers.contains(&l.text());
            let header = if i == 0 { &[][..] } else { &s.header[..] };
            let to_first = positions(&first, s);
            header.iter().filter(move |l| !repeated(l)).chain(&s.body).map(move |l| (l, to_first.clone()))
        })
        .map(|(line, to_first)| OtherRow {
            page: line.page,
            line: line.number,
            continues_row: line.continues_row,
            off_grid: !line.spans.is_empty(),
            cells: line
                .filled()
                .map(|(position, text)| OtherCell {
                    column: u32::try_from(column_of(&first, line, position, &to_first)).unwrap_or(u32::MAX),
                    text: text.to_string(),
                    value: figure(text),
                })
                .collect(),
        })
        .collect();
    OtherTable { table_index, title: block.title.text(), page: block.title.page, columns, rows }
}

/// The x-centre of each column position of a segment, from where its cells' text sits.
fn centres(segment: &Segment) -> Vec<Option<f32>> {
    let lines = || segment.header.iter().chain(&segment.body);
    let width = lines().map(|l| l.boxes.len()).max().unwrap_or(0);
    (0..width)
        .map(|p| {
            let xs: Vec<f32> =
                lines().filter_map(|l| l.boxes.get(p).copied().flatten()).map(|b| (b.x0 + b.x1) / 2.0).collect();
            (!xs.is_empty()).then(|| xs.iter().sum::<f32>() / xs.len() as f32)
        })
        .collect()
}

/// The first page's column position of each position of a continued page whose grid has
/// another number of columns (a narrow column left out): the nearest by x-centre. The
/// positions stay as they are where the grids agree or no position is known.
fn positions(first: &[Option<f32>], segment: &Segment) -> Vec<usize> {
    let here = centres(segment);
    let identity: Vec<usize> = (0..here.len()).collect();
    if here.len() == first.len() || first.iter().all(Option::is_none) {
        return identity;
    }
    here.iter()
        .enumerate()
        .map(|(p, x)| {
            let Some(x) = x else { return p };
            first
                .iter()
                .enumerate()
                .filter_map(|(q, c)| c.map(|c| (q, (c - x).abs())))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map_or(p, |(q, _)| q)
        })
        .collect()
}

/// The column of a cell: a line off the grid (text split at gaps: a cell's text running
/// below the table's rulings) by the nearest column centre of the first page, a line of the
/// grid by its position.
fn column_of(first: &[Option<f32>], line: &Line, position: usize, to_first: &[usize]) -> usize {
    let off_grid = !line.spans.is_empty() && first.iter().any(Option::is_some);
    let nearest = line.boxes.get(position).copied().flatten().filter(|_| off_grid).and_then(|b| {
        let x = (b.x0 + b.x1) / 2.0;
        first.iter().enumerate().filter_map(|(q, c)| c.map(|c| (q, (c - x).abs()))).min_by(|a, b| a.1.total_cmp(&b.1))
    });
    nearest.map_or_else(|| to_first.get(position).copied().unwrap_or(position), |(q, _)| q)
}

/// The exact figure a cell prints, if it is one (`1,234.50`, `-3`); `None` for words,
/// percentages and dates.
pub(crate) fn figure(text: &str) -> Option<Decimal> {
    let plain: String = nfkc(text).chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    FIGURE.is_match(&plain).then(|| Decimal::from_str(&plain).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_exact_and_words_stay_words() {
        assert_eq!(figure("1,234.50"), Some(Decimal::from_str("1234.50").unwrap()));
        assert_eq!(figure("－３"), Some(Decimal::from_str("-3").unwrap()));
        // Money as a target table prints it keeps every printed digit.
        assert_eq!(figure("50,927.950741").unwrap().to_string(), "50927.950741");
        assert_eq!(figure("0.00").unwrap().to_string(), "0.00");
        assert!(figure("财政资金").is_none());
        for words in ["≥95%", "2026年", "办公设备", "12.5%", "1e5", ""] {
            assert_eq!(figure(words), None, "{words}");
        }
    }

    #[test]
    fn a_project_table_keeps_its_header_and_every_row() {
        let text = "项目支出预算表\n单位：万元\n项目名称\t合计\t财政拨款\n办公楼维修\t1,200.00\t1,200.00\n信息化建设\t35.5\t30.5\n";
        let layout = crate::testing::layout(text);
        let tables = others(&layout.others);
        assert_eq!(tables.len(), 1, "{:?}", layout.others);
        let t = &tables[0];
        assert_eq!(t.title, "项目支出预算表");
        assert_eq!(t.columns, ["项目名称", "合计", "财政拨款"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1].value, Some(Decimal::from_str("1200.00").unwrap()));
        assert_eq!(t.rows[1].cells[0].text, "信息化建设");
    }
}
