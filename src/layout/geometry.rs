//! Geometry: positioned glyphs and ruling lines of PDF pages → [`Line`]s of cells, the
//! same shape the OCR-text path produces, so one layout and table code serves both.
//!
//! Rows come from baselines (glyphs within a quarter of their size share a line). Inside a
//! ruled table, cell edges are the vertical rulings that cross the line's baseline, and a
//! cell's position is the table's column where it starts, so position p is the same leaf
//! column on every row (a merged header cell spanning columns sits at its first column).
//! Outside tables, cells are split at gaps wider than one character. A right-aligned
//! figure belongs to the column its glyphs fall in, however close it sits to the next
//! ruling. Units are PDF points with y growing downwards.

mod header_columns;
mod text_columns;

use crate::page::{CellBox, Line};
use crate::page::{Glyph, Page, Ruling};

/// A cell's left and right x, points.
type Span = (f32, f32);

/// Rulings closer than this (points) are one edge.
const SNAP: f32 = 2.0;

/// A table's grid on a page: its column edges and vertical extent.
#[derive(Debug, Clone, PartialEq)]
struct Grid {
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
    /// Every column edge, left to right.
    edges: Vec<f32>,
    /// The vertical rulings (x, top, bottom) of this grid.
    verticals: Vec<(f32, f32, f32)>,
}

/// Converts pages into lines of cells, numbered on across pages.
pub fn lines(pages: &[Page]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for page in pages {
        let mut grids = grids(&page.rulings);
        for grid in &mut grids {
            open_sides(grid, &page.rulings, &page.glyphs);
        }
        let mut placed: Vec<Placed> = Vec::new();
        for row in rows(&page.glyphs) {
            let baseline = row[0].y;
            let size = row.iter().map(|g| g.size).fold(0.0, f32::max);
            let grid = grids.iter().position(|g| baseline > g.top && baseline - size * 0.3 < g.bottom);
            let (cells, spans, boxes) = match grid {
                Some(i) => {
                    let (cells, boxes) = grid_cells(&grids[i], &row, baseline, size);
                    (cells, Vec::new(), boxes)
                }
                None => gap_cells(&row),
            };
            placed.push(Placed { grid, baseline, size, cells, spans, boxes, continues: false });
        }
        for p in join_wrapped(&grids, &page.rulings, placed) {
            let number = u32::try_from(out.len() + 1).unwrap_or(u32::MAX);
            let continues_row = p.continues;
            out.push(Line { number, page: page.number, cells: p.cells, spans: p.spans, boxes: p.boxes, continues_row });
        }
    }
    out
}

/// A line placed on the page: its grid (if inside a ruled table), baseline and cells.
struct Placed {
    grid: Option<usize>,
    baseline: f32,
    size: f32,
    cells: Vec<String>,
    spans: Vec<(f32, f32)>,
    boxes: Vec<Option<CellBox>>,
    /// A sub-row of the ruled row before (`Line::continues_row`).
    continues: bool,
}

/// Within a ruled body row (between two full-width horizontal rulings), a label wrapped
/// over several lines and the figures centred beside it are one table row: their lines
/// are joined column by column, top to bottom. Header bands (no figure) stay line by line.
/// Where rulings cross only some columns of the band (a project's merged cells beside its
/// indicator rows), each of those columns' ruled cells is a row of its own, and a cell that
/// spans them lands on the first.
fn join_wrapped(grids: &[Grid], rules: &[Ruling], placed: Vec<Placed>) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::new();
    let mut band: Vec<Placed> = Vec::new();
    let mut band_key: Option<(usize, usize)> = None;
    let full: Vec<Vec<f32>> = grids.iter().map(|g| full_width_rulings(g, rules)).collect();
    // The grids whose body has begun: a band with a figure, or a target value (`=100%`,
    // `≤15万元`), is a body row, and so is every band under it.
    let mut body = vec![false; grids.len()];
    let mut flush = |band: &mut Vec<Placed>, out: &mut Vec<Placed>, key: Option<(usize, usize)>| {
        let has_figure = band.iter().flat_map(|p| &p.cells).any(|c| is_figure(c) || is_target_value(c));
        if let (Some((g, _)), true) = (key, has_figure) {
            body[g] = true;
        }
        match key {
            Some((g, k)) if band.len() > 1 && body[g] => {
                let grid = &grids[g];
                let top = if k == 0 { grid.top } else { full[g][k - 1] };
                let bottom = full[g].get(k).copied().unwrap_or(grid.bottom);
                out.extend(join_band(std::mem::take(band), grid, rules, (top, bottom)));
            }
            _ => out.append(band),
        }
    };
    for p in placed {
        // A line's band is where its glyphs' middle is: an OCR box may end a hair below the
        // ruling under it.
        let key = p.grid.map(|g| (g, full[g].iter().filter(|&&y| y < middle(&p)).count()));
        if key.is_none() || key != band_key {
            flush(&mut band, &mut out, band_key);
        }
        band_key = key;
        if key.is_some() {
            band.push(p);
        } else {
            out.push(p);
        }
    }
    flush(&mut band, &mut out, band_key);
    out
}

/// The y of a line's glyphs' middle.
fn middle(p: &Placed) -> f32 {
    p.baseline - p.size * 0.4
}

/// The lines of one ruled body row joined into rows: one per ruled cell of the columns that
/// rulings inside the band subdivide, one in all when none do.
fn join_band(band: Vec<Placed>, grid: &Grid, rules: &[Ruling], (top, bottom): (f32, f32)) -> Vec<Placed> {
    let width = band.iter().map(|p| p.cells.len()).max().unwrap_or(0);
    let columns = grid.edges.len().saturating_sub(1);
    // The rulings inside the band that cross each column's centre.
    let inner: Vec<Vec<f32>> = (0..width)
        .map(|i| {
            if i >= columns {
                return Vec::new();
            }
            let centre = (grid.edges[i] + grid.edges[i + 1]) / 2.0;
            let mut ys: Vec<f32> = rules
                .iter()
                .filter(|r| (r.y0 - r.y1).abs() < 0.5 && r.y0 > top + SNAP && r.y0 < bottom - SNAP)
                .filter(|r| r.x0.min(r.x1) <= centre && r.x0.max(r.x1) >= centre)
                .map(|r| r.y0)
                .collect();
            ys.sort_by(f32::total_cmp);
            ys.dedup_by(|a, b| (*a - *b).abs() < SNAP);
            ys
        })
        .collect();
    let mut all: Vec<f32> = inner.iter().flatten().copied().collect();
    all.sort_by(f32::total_cmp);
    all.dedup_by(|a, b| (*a - *b).abs() < SNAP);
    // Row of the band a column's cell lands on: after the inner rulings over its top.
    let slot = |i: usize, middle: f32| -> usize {
        let above = inner[i].iter().rfind(|&&y| y < middle);
        above.map_or(0, |&y| all.iter().filter(|&&f| f < y + SNAP).count())
    };
    let mut rows: Vec<Option<Placed>> = (0..=all.len()).map(|_| None).collect();
    for line in &band {
        for (i, c) in line.cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let at = slot(i, middle(line));
            let row = rows[at].get_or_insert_with(|| Placed {
                grid: line.grid,
                baseline: line.baseline,
                size: line.size,
                cells: vec![String::new(); width],
                spans: Vec::new(),
                boxes: vec![None; width],
                continues: false,
            });
            row.cells[i].push_str(c);
            row.boxes[i] = CellBox::union(row.boxes[i], line.boxes.get(i).copied().flatten());
        }
    }
    // Every row after the band's first goes on with it.
    rows.into_iter()
        .flatten()
        .enumerate()
        .map(|(k, mut row)| {
            row.continues = k > 0;
            row
        })
        .collect()
}

/// True for a comparison with a number, as a target value prints it (`=100%`, `≥90%`).
fn is_target_value(cell: &str) -> bool {
    let t = cell.trim();
    t.starts_with(['=', '≥', '≤', '>', '<', '＝', '＞', '＜']) && t.chars().any(|c| c.is_ascii_digit())
}

/// True for a figure as printed (`12,029,501.84`, `4.40`, `0`).
fn is_figure(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-'))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// An amount: a figure with a decimal point (`738.05`, `1,234.5`), as codes and row numbers
/// are not.
fn is_amount(cell: &str) -> bool {
    let cell = cell.replace(' ', ""); // `198. 30` as OCR text spaces it
    is_figure(&cell) && cell.contains('.')
}

/// The y of every horizontal ruling that crosses at least 90 % of the grid's width.
fn full_width_rulings(grid: &Grid, rules: &[Ruling]) -> Vec<f32> {
    let mut by_y: Vec<(f32, Vec<(f32, f32)>)> = Vec::new();
    for r in rules.iter().filter(|r| (r.y0 - r.y1).abs() < 0.5 && r.y0 >= grid.top - SNAP && r.y0 <= grid.bottom + SNAP)
    {
        let span = (r.x0.min(r.x1).max(grid.left), r.x0.max(r.x1).min(grid.right));
        match by_y.iter_mut().find(|(y, _)| (y - r.y0).abs() < SNAP) {
            Some((_, spans)) => spans.push(span),
            None => by_y.push((r.y0, vec![span])),
        }
    }
    let width = grid.right - grid.left;
    let mut ys: Vec<f32> =
        by_y.into_iter().filter(|(_, spans)| covered(spans) >= width * 0.9).map(|(y, _)| y).collect();
    ys.sort_by(f32::total_cmp);
    ys
}

/// Length of the union of intervals.
fn covered(spans: &[(f32, f32)]) -> f32 {
    let mut spans = spans.to_vec();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut total = 0.0;
    let mut end = f32::MIN;
    for (a, b) in spans {
        let a = a.max(end);
        if b > a {
            total += b - a;
            end = b;
        }
    }
    total
}

/// Groups glyphs into lines by baseline, each sorted left to right; lines top to bottom.
fn rows(glyphs: &[Glyph]) -> Vec<Vec<&Glyph>> {
    // Top to bottom, left to right, as a stable sort by (y, x) orders them, on keys that sort
    // as integers (a long document has half a million glyphs).
    let mut sorted: Vec<(i32, i32, u32)> = glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| g.text.as_deref().is_some_and(|t| !t.trim().is_empty()))
        .map(|(i, g)| (total_order(g.y), total_order(g.x), i as u32))
        .collect();
    sorted.sort_unstable();
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted.into_iter().map(|(_, _, i)| &glyphs[i as usize]) {
        match rows.last_mut() {
            Some(row) if (g.y - row[0].y).abs() <= row[0].size.max(g.size) * 0.25 => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    for row in &mut rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Simulated bold prints each glyph twice, a hair apart: keep one.
        row.dedup_by(|b, a| a.text == b.text && (b.x - a.x).abs() < a.size * 0.2);
    }
    rows
}

/// `x` as an integer in the order of `f32::total_cmp`.
fn total_order(x: f32) -> i32 {
    let bits = x.to_bits() as i32;
    bits ^ (((bits >> 31) as u32) >> 1) as i32
}

fn is_digit(g: &Glyph) -> bool {
    // An OCR word is a figure's part with its point or separator (`44.` before `080000`); a
    // PDF's lone `.` glyph is not (it may end a list number before a label).
    g.text.as_deref().is_some_and(|t| {
        t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',')) && t.chars().any(|c| c.is_ascii_digit())
    })
}

/// Whether a cell so far is a classification code: 3, 5 or 7 digits.
fn is_code(text: &str) -> bool {
    matches!(text.len(), 3 | 5 | 7) && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a word is an integer part with its point (`16.`), as an OCR engine sets a figure
/// whose decimals it took for another word.
fn ends_in_point(g: &Glyph) -> bool {
    g.text.as_deref().and_then(|t| t.strip_suffix('.')).is_some_and(|t| t.ends_with(|c: char| c.is_ascii_digit()))
}

/// Whether a word is a figure's two decimals and nothing else.
fn is_decimals(g: &Glyph) -> bool {
    g.text.as_deref().is_some_and(|t| t.len() == 2 && t.chars().all(|c| c.is_ascii_digit()))
}

/// Splits a line at gaps wider than one character; returns the cells, their x-extents and
/// boxes.
fn gap_cells(row: &[&Glyph]) -> (Vec<String>, Vec<Span>, Vec<Option<CellBox>>) {
    let mut cells = vec![String::new()];
    let mut spans: Vec<(f32, f32)> = Vec::new();
    let mut boxes: Vec<Option<CellBox>> = Vec::new();
    for (i, g) in row.iter().enumerate() {
        if i > 0 {
            let prev = &row[i - 1];
            let gap = g.x - (prev.x + prev.width);
            let size = prev.size.max(g.size);
            // A figure and a label side by side are two cells even a little apart.
            let switch = is_digit(prev) != is_digit(g);
            // A figure's decimals an OCR engine set apart as a word of their own (`16.` `56`,
            // a point's width wider than a digit's) are still the figure's.
            let decimals = ends_in_point(prev) && is_decimals(g) && gap <= size * 1.6;
            if !decimals && (gap > size * 0.9 || (switch && gap > size * 0.25)) {
                cells.push(String::new());
            }
        }
        if spans.len() < cells.len() {
            spans.push((g.x, g.x + g.width));
            boxes.push(None);
        }
        cells.last_mut().expect("one cell").push_str(g.text.as_deref().unwrap_or(""));
        spans.last_mut().expect("one span").1 = g.x + g.width;
        let last = boxes.last_mut().expect("one box");
        *last = CellBox::union(*last, Some(CellBox::of(g)));
    }
    (cells, spans, boxes)
}

/// Places a line's glyphs in the grid's columns, split by the rulings crossing the line.
fn grid_cells(grid: &Grid, row: &[&Glyph], baseline: f32, size: f32) -> (Vec<String>, Vec<Option<CellBox>>) {
    let (top, bottom) = (baseline - size * 0.8, baseline + size * 0.1);
    let mut local: Vec<f32> = grid
        .verticals
        .iter()
        .filter(|(_, t, b)| *t <= top + SNAP * 2.0 && *b >= bottom - SNAP * 2.0)
        .map(|(x, _, _)| *x)
        .collect();
    if local.is_empty() {
        // No ruling at all crosses this line (rulings drawn per cell, short of the text's
        // height): the grid's column edges are the best evidence.
        local = grid.edges.clone();
    }
    local.extend([grid.left, grid.right]);
    let local = merged(local);
    let mut cells = vec![String::new(); grid.edges.len().saturating_sub(1).max(1)];
    let mut boxes: Vec<Option<CellBox>> = vec![None; cells.len()];
    let mut outside: Vec<&Glyph> = Vec::new();
    for g in row {
        let centre = g.x + g.width / 2.0;
        if centre < grid.left || centre > grid.right {
            outside.push(g);
            continue;
        }
        // The local cell the glyph is in, then the grid column where that cell starts.
        let start = local.iter().rev().find(|&&x| x <= centre).copied().unwrap_or(grid.left);
        let column = grid.edges.iter().rposition(|&x| x <= start + SNAP).unwrap_or(0);
        let column = column.min(cells.len() - 1);
        cells[column].push_str(g.text.as_deref().unwrap_or(""));
        boxes[column] = CellBox::union(boxes[column], Some(CellBox::of(g)));
    }
    if !outside.is_empty() {
        // Text beside the grid (a note, a unit) keeps its own cells after the columns.
        let (more, _, more_boxes) = gap_cells(&outside);
        cells.extend(more);
        boxes.extend(more_boxes);
    }
    (cells, boxes)
}

/// Column edges sorted, each run of edges less than [`SNAP`] apart from the next one (one
/// ruling drawn twice, or a scan's ruling found as near-parallel pieces a point or two
/// apart) taken as one, at the run's middle.
fn merged(mut xs: Vec<f32>) -> Vec<f32> {
    xs.sort_by(f32::total_cmp);
    let mut runs: Vec<Vec<f32>> = Vec::new();
    for x in xs {
        match runs.last_mut() {
            Some(run) if x - run[run.len() - 1] < SNAP => run.push(x),
            _ => runs.push(vec![x]),
        }
    }
    runs.iter().map(|run| (run[0] + run[run.len() - 1]) / 2.0).collect()
}

/// Finds the ruled grids of a page: vertical rulings that overlap vertically form one grid.
fn grids(rules: &[Ruling]) -> Vec<Grid> {
    let mut verticals: Vec<(f32, f32, f32)> =
        rules.iter().filter(|r| (r.x0 - r.x1).abs() < 0.5).map(|r| (r.x0, r.y0.min(r.y1), r.y0.max(r.y1))).collect();
    verticals.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut grids: Vec<Grid> = Vec::new();
    for (x, top, bottom) in verticals {
        match grids.iter_mut().find(|g| top <= g.bottom + SNAP && bottom >= g.top - SNAP) {
            Some(g) => {
                g.top = g.top.min(top);
                g.bottom = g.bottom.max(bottom);
                g.verticals.push((x, top, bottom));
            }
            None => {
                grids.push(Grid { top, bottom, left: x, right: x, edges: vec![], verticals: vec![(x, top, bottom)] });
            }
        }
    }
    for g in &mut grids {
        let xs: Vec<f32> = g.verticals.iter().map(|v| v.0).collect();
        let xs = merged(xs);
        g.left = xs.first().copied().unwrap_or(0.0);
        g.right = xs.last().copied().unwrap_or(0.0);
        g.edges = xs;
    }
    // A grid needs at least two columns to be a table.
    grids.retain(|g| g.edges.len() >= 3);
    grids
}

/// A table drawn open at a side (no outer border, or one a scan cut off at the page's edge)
/// still closes its first or last column where its row rulings end, when text stands there:
/// that text is the column's, not a note beside the table. The side's end is where the
/// second farthest of its row rulings ends (one stray ruling opens no side).
fn open_sides(grid: &mut Grid, rules: &[Ruling], glyphs: &[Glyph]) {
    let rows: Vec<(f32, f32)> = rules
        .iter()
        .filter(|r| (r.y0 - r.y1).abs() < 0.5 && r.y0 >= grid.top - SNAP && r.y0 <= grid.bottom + SNAP)
        .map(|r| (r.x0.min(r.x1), r.x0.max(r.x1)))
        .filter(|&(x0, x1)| x0 < grid.right - SNAP && x1 > grid.left + SNAP)
        .collect();
    let mut lefts: Vec<f32> = rows.iter().map(|r| r.0).filter(|&x| x < grid.left - 3.0 * SNAP).collect();
    let mut rights: Vec<f32> = rows.iter().map(|r| r.1).filter(|&x| x > grid.right + 3.0 * SNAP).collect();
    lefts.sort_by(f32::total_cmp);
    rights.sort_by(|a, b| b.total_cmp(a));
    // Text rows (by baseline) between the side's end and the grid inside its height.
    let rows_between = |a: f32, b: f32| {
        let mut ys: Vec<i32> = glyphs
            .iter()
            .filter(|g| g.y > grid.top && g.y < grid.bottom && g.x + g.width / 2.0 > a && g.x + g.width / 2.0 < b)
            .map(|g| g.y.round() as i32)
            .collect();
        ys.sort_unstable();
        ys.dedup();
        ys.len()
    };
    if let Some(&left) = lefts.get(1)
        && rows_between(left, grid.left) >= 2
    {
        grid.edges.insert(0, left);
        grid.left = left;
    }
    if let Some(&right) = rights.get(1)
        && rows_between(grid.right, right) >= 2
    {
        grid.edges.push(right);
        grid.right = right;
    }
}

/// Where a table's cells are placed: the unit of their spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Points on a page (a PDF's glyphs, an OCR engine's word boxes): a header sits where it
    /// is printed.
    Points,
    /// Character columns of a space-aligned text: a header OCR spaced out or garbled sits
    /// where its characters fell, and each page where its producer set it.
    Characters,
}

/// Aligns an unruled table's columns from the x-alignment of its cells. Column centres
/// come from the 栏次 numbers (each centred in its column) or, without them, from the
/// leaf header line (the one naming most columns, of the most words where as many: a text's
/// first page's line of most words); the edge between two columns is
/// the emptiest x between their centres in the body (the white space between a column of
/// right-aligned figures and one of left-aligned labels), nearest the midpoint; every cell
/// of the table goes to the column its centre falls in. A centred
/// header, a left-aligned label and a right-aligned figure of one column thus share a
/// position, as rulings would give them, and a merged header word lands in one of its
/// columns. Whether it aligned them (no rulings drawn).
pub fn align(segments: &mut [super::block::Segment], placement: Placement) -> bool {
    let all = || segments.iter().flat_map(|s| s.header.iter().chain(&s.numbers).chain(&s.body));
    let empty = segments.iter().all(|s| s.body.is_empty() && s.numbers.is_none());
    if empty || all().any(|l| l.spans.len() != l.cells.len()) {
        return false; // ruled (cells already positioned), OCR text, or nothing to align
    }
    // (A header printed letter-spaced gives an OCR engine's words one character each too.)
    for line in segments.iter_mut().flat_map(|s| s.header.iter_mut()) {
        crate::knowledge::templates::join_spaced_names(line);
    }
    // Each page's figures set on those of the page that prints the most (a text's pages),
    // after a page that prints the header again is set in the first's measure by it.
    let characters = placement == Placement::Characters;
    if characters {
        text_columns::measure_pages(segments);
        let most =
            segments.iter().max_by_key(|s| s.body.iter().flat_map(|l| &l.cells).filter(|c| is_amount(c)).count());
        let reference: Vec<f32> = most
            .map(|s| text_columns::figure_columns(&s.body.iter().collect::<Vec<_>>()).iter().map(|f| f.1).collect())
            .unwrap_or_default();
        if reference.len() >= 3 {
            for segment in segments.iter_mut() {
                text_columns::shift_to(segment, &reference);
            }
        }
    }
    let numbers = segments.iter().filter_map(|s| s.numbers.as_ref()).max_by_key(|l| l.spans.len());
    // (A text's pages each in their own measure: the table's first header names its columns;
    // one printed again on a later page may have been read worse.)
    let first = segments.iter().position(|s| !s.header.is_empty()).filter(|_| placement == Placement::Characters);
    let headed = segments.iter().skip(first.unwrap_or(0)).take(if first.is_some() { 1 } else { usize::MAX });
    // The leaf header: the line naming most of the table's columns, of the most words where
    // as many.
    let all_body: Vec<&Line> = segments.iter().flat_map(|s| &s.body).collect();
    let figures = text_columns::figure_columns(&all_body);
    let leaf = headed
        .flat_map(|s| &s.header)
        .max_by_key(|l| (if characters { 0 } else { header_columns::named_columns(l, &figures) }, l.spans.len()));
    let Some(anchor) = numbers.filter(|l| l.spans.len() >= 3).or(leaf) else { return false };
    let centres_of = |line: &Line| {
        let mut centres: Vec<f32> = line.spans.iter().map(|s| centre(*s)).collect();
        centres.sort_by(f32::total_cmp);
        centres.dedup_by(|a, b| (*a - *b).abs() < SNAP);
        centres
    };
    let mut global = with_sequence(centres_of(anchor), &all_body);
    // Column names printed on another header line outside the anchor's words, over figures
    // of their own (`基本支出 | 项目支出` a line under `科目编码 | 科目名称 | 小计`).
    let headers: Vec<&Line> = segments.iter().flat_map(|s| &s.header).collect();
    global.extend(header_columns::outside_names(anchor, &headers, &all_body, !characters));
    global.sort_by(f32::total_cmp);
    // Figures under no name of their own beside the labels are a column of their own.
    if !characters {
        global.extend(header_columns::figures_among_words(&global, &all_body, &figures));
        global.sort_by(f32::total_cmp);
    }
    // Two columns of figures under one name are two columns (OCR ran their names together).
    if !characters {
        global = header_columns::split_shared(global, &figures);
    }
    // And columns of figures right of every header word (a last column's name OCR lost): a
    // column each, named by the template's order, not merged into the last named one. (A
    // text's columns of figures overrule its header on their own.)
    // The first column of figures ending right of the last centre is the last column's own.
    if !characters && let Some(&last) = global.last() {
        let right = text_columns::figure_columns(&all_body).into_iter().filter(|f| f.1 > last).skip(1);
        let extra: Vec<f32> = right.filter(|f| f.0 > header_columns::anchor_end(anchor)).map(centre).collect();
        global.extend(extra);
    }
    // A page that prints its own 栏次 line with every column is aligned by it: where the
    // places are a text's character columns, each page's are off by a few in its own way.
    // So is a text's page by its own header where that has as many words as the table's:
    // a text's producer sets each page in its own measure (pdftotext's columns are the
    // page's widths over its characters'), not only a few columns apart.
    // Pages whose centres agree (a PDF's repeated header) are aligned together.
    let mut groups: Vec<(Vec<f32>, Vec<usize>)> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let body: Vec<&Line> = segment.body.iter().collect();
        let own_header = segment.header.iter().max_by_key(|l| l.spans.len()).filter(|_| characters);
        let own = segment.numbers.as_ref().or(own_header).map(|n| with_sequence(centres_of(n), &body));
        let own = own.filter(|c| c.len() == global.len());
        let centres = own.unwrap_or_else(|| global.clone());
        let same = |c: &Vec<f32>| c.iter().zip(&centres).all(|(a, b)| (a - b).abs() < SNAP);
        match groups.iter_mut().find(|(c, _)| same(c)) {
            Some((_, members)) => members.push(i),
            None => groups.push((centres, vec![i])),
        }
    }
    let mut plans: Vec<(Plan, Vec<usize>)> =
        groups.into_iter().map(|(centres, members)| (plan(segments, centres, &members, characters), members)).collect();
    // Every page as many columns as the first, so a column is one column on every page: a
    // page whose own reading came out otherwise takes the first page's.
    if let Some(first) = plans.first().map(|p| p.0.clone()) {
        for (plan, _) in plans.iter_mut().skip(1).filter(|(p, _)| p.centres.len() != first.centres.len()) {
            *plan = first.clone();
        }
    }
    for (Plan { centres, figure_rights, full }, members) in plans {
        let figure_rights = figure_rights.as_ref();
        let body: Vec<(f32, f32)> = members
            .iter()
            .flat_map(|&i| segments[i].numbers.iter().chain(&segments[i].body))
            .flat_map(|l| l.spans.iter().copied())
            .collect();
        let edges: Vec<f32> = centres.windows(2).map(|w| valley(&body, w[0], w[1])).collect();
        let first_figures = figure_rights.and_then(|c| c.iter().map(|c| c.1).min()).unwrap_or(0);
        for &i in &members {
            let segment = &mut segments[i];
            let headers = segment.header.len();
            let lines = segment.header.iter_mut().chain(segment.numbers.iter_mut()).chain(segment.body.iter_mut());
            for (k, line) in lines.enumerate() {
                let ranked = full.filter(|&n| line.cells.iter().filter(|c| is_amount(c)).count() == n);
                let mut rank = 0;
                let mut cells = vec![String::new(); centres.len()];
                let mut boxes = vec![None; centres.len()];
                let mut last: Option<usize> = None;
                let mut placed: Vec<usize> = Vec::with_capacity(line.cells.len());
                // Characters set in each column so far.
                let mut written = vec![0; centres.len()];
                for (text, span) in line.cells.iter().zip(&line.spans) {
                    let nearest = figure_rights.filter(|_| is_amount(text)).and_then(|columns| {
                        columns.iter().min_by(|a, b| (a.0 - span.1).abs().total_cmp(&(b.0 - span.1).abs()))
                    });
                    // An amount the header's centres would set among the labels is on the
                    // nearest column of figures.
                    let among_labels =
                        centres.iter().filter(|&&c| c < span.1).count().saturating_sub(1) < first_figures;
                    let near = |c: &&(f32, usize)| full.is_some() || among_labels || (c.0 - span.1).abs() <= 15.0;
                    let mut column =
                        if let Some(columns) = figure_rights.filter(|_| ranked.is_some() && is_amount(text)) {
                            rank += 1;
                            columns[rank - 1].1 // a full row's k-th figure
                        } else if let Some(&(_, column)) = nearest.filter(near) {
                            column // on a column of figures the body prints
                        } else if is_amount(text) {
                            // A right-aligned amount ends in its column's right half: it belongs
                            // to the last column whose centre is left of its end.
                            centres.iter().filter(|&&c| c < span.1).count().saturating_sub(1)
                        } else {
                            edges.iter().filter(|&&e| e < centre(*span)).count()
                        };
                    // Two header words set apart on one line name two columns, even where
                    // they sit closer together than the columns (a text's CJK words take
                    // half the columns they are printed over).
                    if k < headers
                        && let Some(l) = last.filter(|&l| column <= l && l + 1 < centres.len())
                        && text.chars().count() >= 2
                        && written[l] >= 2
                    {
                        column = l + 1;
                    }
                    last = Some(column);
                    written[column] += text.chars().count();
                    placed.push(column);
                }
                if characters && k >= headers {
                    one_figure_a_cell(&line.cells, &mut placed, centres.len());
                }
                for (i, (text, &column)) in line.cells.iter().zip(&placed).enumerate() {
                    if is_code(&cells[column]) && text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit()) {
                        // A speck OCR read as a digit a gap after a code (`22102 0`) is not
                        // the code's last digit.
                        cells[column].push(' ');
                    }
                    cells[column].push_str(text);
                    boxes[column] = CellBox::union(boxes[column], line.boxes.get(i).copied().flatten());
                }
                line.cells = cells;
                line.boxes = boxes;
                line.spans.clear();
            }
        }
    }
    true
}

/// A text's line prints one figure a cell: where the columns its own measure gives set two
/// figures of a run in one cell (`一般公共服务支出  1378. 41   1378. 41   0. 00`, OCR's spaces
/// narrower than the header's, the last two in the last column), the run takes consecutive
/// columns, as far right as each was set and no further left than the cell after the words
/// before it. Left as set where the run does not fit.
fn one_figure_a_cell(texts: &[String], placed: &mut [usize], columns: usize) {
    let mut start = 0;
    while start < texts.len() {
        if !is_amount(&texts[start]) {
            start += 1;
            continue;
        }
        let end = (start..texts.len()).find(|&i| !is_amount(&texts[i])).unwrap_or(texts.len());
        let floor = start.checked_sub(1).map_or(0, |w| placed[w] + 1);
        let run = &mut placed[start..end];
        if run.windows(2).any(|w| w[1] <= w[0]) && run.len() <= columns.saturating_sub(floor) {
            let mut fixed = run.to_vec();
            for i in 1..fixed.len() {
                fixed[i] = fixed[i].max(fixed[i - 1] + 1);
            }
            let n = fixed.len();
            fixed[n - 1] = fixed[n - 1].min(columns - 1);
            for i in (0..n - 1).rev() {
                fixed[i] = fixed[i].min(fixed[i + 1] - 1);
            }
            if fixed[0] >= floor {
                run.copy_from_slice(&fixed);
            }
        }
        start = end;
    }
}

/// How a group of pages' cells are placed: the column centres, the columns of figures the
/// body prints (right edge, column), and the figures a full row prints (read by rank).
#[derive(Debug, Clone)]
struct Plan {
    centres: Vec<f32>,
    figure_rights: Option<Vec<(f32, usize)>>,
    full: Option<usize>,
}

/// The plan of a group of pages whose header centres agree: in a text, the body's columns of
/// figures overrule the header where they must (header words moved with them); words left
/// of a header that names figures only are a column of their own.
fn plan(segments: &mut [super::block::Segment], mut centres: Vec<f32>, members: &[usize], characters: bool) -> Plan {
    // The right edges of the body's columns of figures, where they overrule the header.
    let mut figure_rights: Option<Vec<(f32, usize)>> = None;
    // Rows that print every column's figure, in a text: their figures by rank.
    let mut full: Option<usize> = None;
    let numbered = members.iter().any(|&i| segments[i].numbers.as_ref().is_some_and(|l| l.spans.len() >= 3));
    if !numbered && characters {
        let body: Vec<&Line> = members.iter().flat_map(|&i| &segments[i].body).collect();
        let ranked = text_columns::full_rows(&body);
        let figures = ranked.clone().unwrap_or_else(|| text_columns::figure_columns(&body));
        if let Some(overruled) = text_columns::figures_as_printed(&centres, &body, figures, ranked.is_some()) {
            full = ranked.map(|r| r.len());
            centres = overruled.centres;
            figure_rights = Some(overruled.columns);
            for &i in members {
                for span in segments[i].header.iter_mut().flat_map(|l| &mut l.spans) {
                    let moved = overruled.moves.iter().find(|(from, _)| (centre(*span) - from).abs() < SNAP);
                    if let Some((_, to)) = moved {
                        *span = *to;
                    }
                }
            }
        }
    }
    // Words the body prints left of every column the header names, when the first is a
    // column of figures (codes and labels under a header whose words for them OCR set
    // on another line, or lost): a column of theirs.
    let body: Vec<&Line> = members.iter().flat_map(|&i| &segments[i].body).collect();
    let first_figures = match &figure_rights {
        Some(columns) => columns.iter().any(|c| c.1 == 0),
        None => header_columns::first_over_figures(&centres, &body, characters),
    };
    if first_figures {
        let lead = header_columns::leading_words(&centres, &body);
        figure_rights.iter_mut().flatten().for_each(|c| c.1 += lead.len());
        centres.splice(0..0, lead);
    }
    Plan { centres, figure_rights, full }
}

/// The anchor's centres, and before them the 序号 column's where the rows number themselves
/// left of every anchor (a 栏次 line whose marker the OCR set on a line of its own).
fn with_sequence(mut centres: Vec<f32>, body: &[&Line]) -> Vec<f32> {
    let Some(&first) = centres.first() else { return centres };
    let mut numbers: Vec<f32> = body
        .iter()
        .filter(|l| super::lines::is_seq_row(l))
        .filter_map(|l| l.spans.first().filter(|s| s.1 < first).map(|s| centre(*s)))
        .collect();
    if numbers.len() * 2 > body.len() && numbers.len() >= 2 {
        numbers.sort_by(f32::total_cmp);
        centres.insert(0, numbers[numbers.len() / 2]);
    }
    centres
}

/// The x between `a` and `b` covered by the fewest body cells, nearest their midpoint.
fn valley(body: &[(f32, f32)], a: f32, b: f32) -> f32 {
    let mid = (a + b) / 2.0;
    let covered = |x: f32| body.iter().filter(|s| s.0 <= x && x <= s.1).count();
    let steps = ((b - a).max(0.0) as usize).max(1);
    (0..=steps)
        .map(|i| a + (b - a) * i as f32 / steps as f32)
        .min_by(|x, y| {
            covered(*x).cmp(&covered(*y)).then((x - mid).abs().total_cmp(&(y - mid).abs())).then(y.total_cmp(x))
        })
        .unwrap_or(mid)
}

fn centre(a: (f32, f32)) -> f32 {
    (a.0 + a.1) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_open_at_its_left_side_keeps_its_first_column_first() {
        // Row rulings from 20 to 400; column rulings at 100, 200 and 400, none at 20 (the
        // border a scan cut off at the page's edge, or one never drawn).
        let mut rules: Vec<Ruling> = [50.0, 80.0, 110.0].iter().map(|&y| horizontal(y, 20.0, 400.0)).collect();
        rules.extend([vertical(100.0, 50.0, 110.0), vertical(200.0, 50.0, 110.0), vertical(400.0, 50.0, 110.0)]);
        let mut g = glyphs("一般公共预算", 25.0, 70.0, 12.0);
        g.extend(glyphs("10.00", 120.0, 70.0, 6.0));
        g.extend(glyphs("一般公共服务支出", 210.0, 70.0, 12.0));
        g.extend(glyphs("合计", 25.0, 100.0, 12.0));
        g.extend(glyphs("10.00", 120.0, 100.0, 6.0));
        let lines = lines(&[page(g.clone(), rules.clone())]);
        assert_eq!(lines[0].cells, ["一般公共预算", "10.00", "一般公共服务支出"]);
        assert_eq!(lines[1].cells, ["合计", "10.00", ""]);
        // Without text there, the rulings open no column.
        let body: Vec<Glyph> = g.into_iter().filter(|g| g.x > 100.0).collect();
        assert_eq!(super::lines(&[page(body, rules)])[0].cells, ["10.00", "一般公共服务支出"]);
    }

    #[test]
    fn a_ruling_found_as_near_parallel_pieces_is_one_column_edge() {
        // The ruling at 200 found three times a point apart (a scan's residual skew).
        let mut rules: Vec<Ruling> = [50.0, 100.0, 200.0].iter().map(|&y| horizontal(y, 100.0, 300.0)).collect();
        rules.extend([
            vertical(100.0, 50.0, 200.0),
            vertical(199.0, 50.0, 120.0),
            vertical(200.0, 50.0, 200.0),
            vertical(201.0, 110.0, 200.0),
            vertical(300.0, 50.0, 200.0),
        ]);
        let mut g = glyphs("收入", 110.0, 70.0, 12.0);
        g.extend(glyphs("10.00", 210.0, 70.0, 6.0));
        g.extend(glyphs("合计", 110.0, 150.0, 12.0));
        g.extend(glyphs("10.00", 210.0, 150.0, 6.0));
        let lines = lines(&[page(g, rules)]);
        assert_eq!(lines[0].cells, ["收入", "10.00"]);
        assert_eq!(lines[1].cells, ["合计", "10.00"]);
    }

    fn glyphs(text: &str, x: f32, y: f32, w: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: Some(std::iter::once(c).collect()),
                x: x + w * i as f32,
                y,
                size: 12.0,
                width: w,
                confidence: None,
            })
            .collect()
    }

    fn vertical(x: f32, y0: f32, y1: f32) -> Ruling {
        Ruling { x0: x, y0, x1: x, y1 }
    }

    fn page(glyphs: Vec<Glyph>, rules: Vec<Ruling>) -> Page {
        Page { number: 1, width: 600.0, height: 800.0, glyphs, rulings: rules, ..Page::default() }
    }

    #[test]
    fn a_merged_header_sits_at_its_first_column_and_leaves_split_below() {
        // Columns 100|200|300|400; the header row 50–80 has no ruling at 200 or 300.
        let rules = vec![
            vertical(100.0, 50.0, 200.0),
            vertical(400.0, 50.0, 200.0),
            vertical(200.0, 80.0, 200.0),
            vertical(300.0, 80.0, 200.0),
        ];
        let mut g = glyphs("本年收入", 220.0, 70.0, 12.0);
        g.extend(glyphs("小计", 110.0, 95.0, 12.0));
        g.extend(glyphs("财政拨款", 210.0, 95.0, 12.0));
        g.extend(glyphs("上年结转", 310.0, 95.0, 12.0));
        let lines = lines(&[page(g, rules)]);
        assert_eq!(lines[0].cells, ["本年收入", "", ""]);
        assert_eq!(lines[1].cells, ["小计", "财政拨款", "上年结转"]);
    }

    #[test]
    fn a_right_aligned_figure_close_to_the_next_ruling_stays_in_its_column() {
        let rules = vec![vertical(100.0, 50.0, 200.0), vertical(200.0, 50.0, 200.0), vertical(300.0, 50.0, 200.0)];
        // `12,029,501.84` ends 0.5 pt before the ruling at 200; the next cell starts just after.
        let mut g = glyphs("12,029,501.84", 109.0, 120.0, 7.0);
        g.extend(glyphs("7.00", 201.0, 120.0, 7.0));
        let lines = lines(&[page(g, rules)]);
        assert_eq!(lines[0].cells, ["12,029,501.84", "7.00"]);
    }

    fn horizontal(y: f32, x0: f32, x1: f32) -> Ruling {
        Ruling { x0, y0: y, x1, y1: y }
    }

    #[test]
    fn a_merged_cell_beside_ruled_sub_rows_stays_on_the_first_and_each_sub_row_is_a_row() {
        // A project (merged over its band, 100–200) beside two indicators ruled apart at 125
        // in the columns 200–400 only (绩效目标表).
        let mut rules = vec![
            vertical(100.0, 50.0, 200.0),
            vertical(200.0, 50.0, 200.0),
            vertical(300.0, 50.0, 200.0),
            vertical(400.0, 50.0, 200.0),
        ];
        for y in [50.0, 200.0] {
            rules.push(horizontal(y, 100.0, 400.0));
        }
        rules.push(horizontal(125.0, 200.0, 400.0));
        let mut g = glyphs("培训项目", 105.0, 80.0, 12.0);
        g.extend(glyphs("76.64", 105.0, 110.0, 7.0));
        g.extend(glyphs("培训人次", 205.0, 90.0, 12.0));
        g.extend(glyphs("≥100", 305.0, 90.0, 7.0));
        g.extend(glyphs("满意度", 205.0, 160.0, 12.0));
        g.extend(glyphs("≥90%", 305.0, 160.0, 7.0));
        let lines = lines(&[page(g, rules)]);
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells, [vec!["培训项目76.64", "培训人次", "≥100"], vec!["", "满意度", "≥90%"]]);
    }

    #[test]
    fn a_wrapped_label_is_joined_to_the_figure_of_its_ruled_row() {
        let mut rules = vec![vertical(100.0, 50.0, 200.0), vertical(200.0, 50.0, 200.0), vertical(300.0, 50.0, 200.0)];
        // Row borders drawn per cell, as spreadsheet exports do.
        for y in [50.0, 88.0, 125.0, 200.0] {
            rules.extend([horizontal(y, 100.0, 200.0), horizontal(y, 200.0, 300.0)]);
        }
        let mut g = glyphs("合计", 105.0, 70.0, 12.0);
        g.extend(glyphs("738.05", 250.0, 70.0, 7.0));
        g.extend(glyphs("机关事业单位", 105.0, 100.0, 12.0));
        g.extend(glyphs("52.27", 250.0, 108.0, 7.0));
        g.extend(glyphs("缴费支出", 105.0, 116.0, 12.0));
        let lines = lines(&[page(g, rules)]);
        let cells: Vec<Vec<String>> = lines.iter().map(|l| l.cells.clone()).collect();
        assert_eq!(cells, [vec!["合计", "738.05"], vec!["机关事业单位缴费支出", "52.27"]]);
    }

    #[test]
    fn an_unruled_table_is_aligned_from_its_cells() {
        use crate::knowledge::templates::TEMPLATES;
        use crate::layout::{Block, Segment};
        // Header: a merged 本年收入 over two columns, leaf words, then rows with
        // left-aligned labels and right-aligned figures of different widths.
        let mut g = glyphs("本年收入", 230.0, 50.0, 10.0);
        g.extend(glyphs("项目", 100.0, 65.0, 10.0));
        g.extend(glyphs("小计", 200.0, 65.0, 10.0));
        g.extend(glyphs("上年结转", 290.0, 65.0, 10.0));
        g.extend(glyphs("合计", 100.0, 80.0, 10.0));
        g.extend(glyphs("738.05", 208.0, 80.0, 6.0));
        g.extend(glyphs("30.74", 304.0, 80.0, 6.0));
        g.extend(glyphs("一般公共服务支出", 100.0, 95.0, 10.0));
        g.extend(glyphs("9.39", 214.0, 95.0, 6.0));
        let mut lines = lines(&[page(g, vec![])]);
        let template = &TEMPLATES[0].tables[1];
        let mut block = Block {
            template,
            title: lines[0].clone(),
            title_variant: None,
            segments: vec![Segment { page: 1, header: lines.drain(..2).collect(), numbers: None, body: lines }],
            notes: vec![],
            unit: None,
            aligned: false,
        };
        align(&mut block.segments, Placement::Points);
        let cells = |l: &Line| l.cells.clone();
        let seg = &block.segments[0];
        assert_eq!(cells(&seg.header[0]), ["", "本年收入", ""]);
        assert_eq!(cells(&seg.header[1]), ["项目", "小计", "上年结转"]);
        assert_eq!(cells(&seg.body[0]), ["合计", "738.05", "30.74"]);
        assert_eq!(cells(&seg.body[1]), ["一般公共服务支出", "9.39", ""]);
    }

    #[test]
    fn leaf_names_a_line_under_the_header_prints_right_of_it_are_columns() {
        // OCR words: `科目编码 | 科目名称 | 小计` on one line, `其中:` over `基本支出 | 项目支出` on
        // the next two; each row's label and three figures.
        let mut g = glyphs("其中:", 434.0, 50.0, 9.0);
        g.extend(glyphs("科目编码", 71.0, 60.0, 11.0));
        g.extend(glyphs("科目名称", 194.0, 60.0, 11.0));
        g.extend(glyphs("小计", 333.0, 60.0, 11.0));
        g.extend(glyphs("基本支出", 389.0, 70.0, 11.0));
        g.extend(glyphs("项目支出", 467.0, 70.0, 11.0));
        for (k, (code, name, figures)) in [
            ("2013850", "事业运行", ["761.56", "761.56", "0.00"]),
            ("2013899", "其他市场监督管理事务", ["455.33", "0.00", "455.33"]),
            ("2101102", "事业单位医疗", ["28.50", "28.50", "0.00"]),
        ]
        .into_iter()
        .enumerate()
        {
            let y = 85.0 + 15.0 * k as f32;
            g.extend(glyphs(code, 71.0, y, 5.0));
            g.extend(glyphs(name, 133.0, y, 10.0));
            for (figure, right) in figures.iter().zip([368.0, 446.0, 524.0]) {
                g.extend(glyphs(figure, right - 5.0 * figure.len() as f32, y, 5.0));
            }
        }
        let mut lines = lines(&[page(g, vec![])]);
        let header: Vec<Line> = lines.drain(..3).collect();
        let mut segments = vec![crate::layout::Segment { page: 1, header, numbers: None, body: lines }];
        align(&mut segments, Placement::Points);
        let seg = &segments[0];
        assert_eq!(seg.header[2].cells, ["", "", "", "基本支出", "项目支出"]);
        assert_eq!(seg.body[1].cells, ["2013899", "其他市场监督管理事务", "455.33", "0.00", "455.33"]);
    }

    /// Rows of a label at 60 and figures right-aligned at `rights` (5 points a character).
    fn rows_of_figures(rows: &[(&str, &[&str])], rights: &[f32], top: f32) -> Vec<Glyph> {
        let mut g = Vec::new();
        for (k, (label, figures)) in rows.iter().enumerate() {
            let y = top + 15.0 * k as f32;
            g.extend(glyphs(label, 60.0, y, 10.0));
            for (figure, right) in figures.iter().zip(rights) {
                g.extend(glyphs(figure, right - 5.0 * figure.len() as f32, y, 5.0));
            }
        }
        g
    }

    /// Header words `g` (its first `headers` lines) over three rows of five figures, the
    /// columns' right edges at 236, 296 … 476, aligned as OCR word boxes are.
    fn over_figures(mut g: Vec<Glyph>, headers: usize) -> crate::layout::Segment {
        g.extend(rows_of_figures(&FIGURES, &[236.0, 296.0, 356.0, 416.0, 476.0], 85.0));
        let mut lines = lines(&[page(g, vec![])]);
        let header: Vec<Line> = lines.drain(..headers).collect();
        let mut segments = vec![crate::layout::Segment { page: 1, header, numbers: None, body: lines }];
        align(&mut segments, Placement::Points);
        segments.remove(0)
    }

    const FIGURES: [(&str, &[&str]); 3] = [
        ("一般公共服务支出", &["1378.41", "1378.41", "903.85", "474.56", "0.00"]),
        ("行政运行", &["903.85", "903.85", "903.85", "0.00", "0.00"]),
        ("住房公积金", &["93.27", "93.27", "93.27", "0.00", "0.00"]),
    ];

    #[test]
    fn the_leaf_header_is_the_line_naming_the_columns_not_the_one_of_most_words() {
        // OCR: `合计` a line above the leaf names, and between them a line garbled into
        // scattered characters, more words than the leaf line has but over fewer columns.
        let mut g = glyphs("合计", 205.0, 50.0, 10.0);
        for (c, x) in [("的", 60.0), ("、", 262.0), ("费", 286.0), ("业", 385.0), ("支", 409.0), ("经", 520.0)] {
            g.extend(glyphs(c, x, 60.0, 10.0));
        }
        for (name, x) in
            [("科目名称", 60.0), ("小计", 262.0), ("基本支出", 318.0), ("项目支出", 378.0), ("经营支出", 438.0)]
        {
            g.extend(glyphs(name, x, 70.0, 10.0));
        }
        let seg = &over_figures(g, 3);
        assert_eq!(seg.header[0].cells, ["", "合计", "", "", "", ""]);
        assert_eq!(seg.header[2].cells, ["科目名称", "", "小计", "基本支出", "项目支出", "经营支出"]);
        assert_eq!(seg.body[0].cells, ["一般公共服务支出", "1378.41", "1378.41", "903.85", "474.56", "0.00"]);
    }

    #[test]
    fn two_columns_of_figures_under_one_run_of_names_are_two_columns() {
        // OCR ran the names of the last two columns into one word (`基本支出项目支出`).
        let names =
            [("科目名称", 60.0), ("合计", 205.0), ("小计", 262.0), ("基本支出项目支出", 318.0), ("经营支出", 438.0)];
        let g = names.iter().flat_map(|&(name, x)| glyphs(name, x, 70.0, 10.0)).collect();
        let seg = &over_figures(g, 1);
        assert_eq!(seg.body[0].cells, ["一般公共服务支出", "1378.41", "1378.41", "903.85", "474.56", "0.00"]);
        assert_eq!(seg.body[2].cells, ["住房公积金", "93.27", "93.27", "93.27", "0.00", "0.00"]);
    }

    #[test]
    fn decimals_an_engine_set_apart_from_their_point_are_the_figures() {
        let word = |text: &str, x: f32, width: f32| Glyph {
            text: Some(text.into()),
            x,
            y: 50.0,
            size: 12.0,
            width,
            confidence: None,
        };
        // `16.` then `56` 18 points on (a gap of one and a half characters), then `0.00` far off.
        let g = vec![
            word("其他", 60.0, 24.0),
            word("16.", 150.0, 12.0),
            word("56", 180.0, 12.0),
            word("0.00", 260.0, 24.0),
        ];
        assert_eq!(lines(&[page(g, vec![])])[0].cells, ["其他", "16.56", "0.00"]);
        // Not a figure's integer part before them: two cells.
        let g = vec![word("其他", 60.0, 24.0), word("16", 150.0, 12.0), word("56", 180.0, 12.0)];
        assert_eq!(lines(&[page(g, vec![])])[0].cells, ["其他", "16", "56"]);
    }

    #[test]
    fn simulated_bold_double_glyphs_are_read_once() {
        let mut g = glyphs("部门", 50.0, 30.0, 12.0);
        g.extend(glyphs("部门", 50.4, 30.0, 12.0));
        assert_eq!(lines(&[page(g, vec![])])[0].cells, ["部门"]);
    }

    /// One glyph per text object, as the Foxit export of Chongqing's disclosures draws
    /// them: the collector cannot measure an advance and gives each ASCII glyph 0.55 em.
    fn drawn_one_by_one(text: &str, x: f32, y: f32, pitch: f32, size: f32) -> Vec<Glyph> {
        let mut x = x;
        let mut out = Vec::new();
        for c in text.chars() {
            // The point is drawn 0.38 em after the digit before it, inside that digit's
            // nominal (font) advance, and the fraction a full pitch and a quarter after it.
            let step = if c == '.' { size * 0.38 - pitch } else { 0.0 };
            x += step;
            let width = if c.is_ascii() { size * 0.55 } else { size };
            out.push(Glyph { text: Some(std::iter::once(c).collect()), x, y, size, width, confidence: None });
            x += if c == '.' { size * 0.64 } else { pitch };
        }
        out
    }

    #[test]
    fn a_figure_whose_point_is_kerned_into_the_digit_before_is_one_figure() {
        // Page 1 of a Chongqing disclosure: digits at a 0.51-em pitch on a baseline 1.85 pt
        // below the Chinese text's, each glyph its own text object. Word-based readers
        // (poppler) cut such a figure at the point (`12,672` / `.73`); glyph geometry does not.
        let size = 13.68;
        let mut g = drawn_one_by_one("一般公共预算拨款", 475.58, 458.63, 13.97, size);
        g.extend(drawn_one_by_one("12,672.73", 586.98, 460.48, 6.99, size));
        g.extend(drawn_one_by_one("万元", 656.84, 458.63, 13.97, size));
        assert!((g[14].x - 627.15).abs() < 0.1 && g[14].x < g[13].x + g[13].width, "the point as printed");
        assert_eq!(lines(&[page(g, vec![])])[0].cells, ["一般公共预算拨款12,672.73", "万元"]);
        // In a ruled table, right-aligned against the column's ruling.
        let rules = vec![vertical(100.0, 50.0, 200.0), vertical(200.0, 50.0, 200.0), vertical(300.0, 50.0, 200.0)];
        let mut g = drawn_one_by_one("一般公共预算资金", 105.0, 120.0, 10.5, 10.29);
        g.extend(drawn_one_by_one("12,672.73", 252.0, 121.0, 5.26, 10.29));
        assert_eq!(lines(&[page(g, rules)])[0].cells, ["一般公共预算资金", "12,672.73"]);
    }

    #[test]
    fn chongqing_figures_drawn_in_pieces_are_read_whole() {
        // A real page of the shared corpus (`../shared/corpus`) whose figures poppler splits
        // in two at the point.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/pdf/chongqing/chongqing-2026年重庆市气象局部门预算.pdf"
        );
        let input = crate::source::read(std::path::Path::new(path)).map_err(|e| e.0.to_string()).expect(path);
        let crate::source::Content::Pdf(pages) = &input.content else { panic!("a PDF") };
        let lines = lines(pages);
        let on = |page: u32| lines.iter().filter(move |l| l.page == page);
        assert!(on(1).any(|l| l.cells.iter().any(|c| c.ends_with("一般公共预算拨款12,672.73"))));
        let row = on(6).find(|l| l.cells.first().is_some_and(|c| c == "一、一般公共预算资金")).expect("income row");
        assert_eq!(row.cells[..2], ["一、一般公共预算资金", "12,672.73"]);
        // No fraction was left on its own anywhere in the document.
        assert!(lines.iter().flat_map(|l| &l.cells).all(|c| !c.trim().starts_with('.')));
    }

    #[test]
    fn a_texts_run_of_figures_takes_a_cell_each() {
        let texts: Vec<String> =
            ["一、一般公共服务支出", "1378. 41", "1378. 41", "0. 00"].iter().map(ToString::to_string).collect();
        // Set in the line's own measure: the last two in the last of four columns.
        let mut placed = vec![0, 2, 3, 3];
        one_figure_a_cell(&texts, &mut placed, 4);
        assert_eq!(placed, [0, 1, 2, 3]);
        // Figures a cell each already (a blank column between): as set.
        let mut placed = vec![0, 1, 3, 3 + 1];
        one_figure_a_cell(&texts, &mut placed, 5);
        assert_eq!(placed, [0, 1, 3, 4]);
        // Three figures for two columns: as set.
        let mut placed = vec![0, 1, 2, 2];
        one_figure_a_cell(&texts, &mut placed, 3);
        assert_eq!(placed, [0, 1, 2, 2]);
    }

    #[test]
    fn text_outside_a_grid_is_split_at_gaps() {
        let mut g = glyphs("编制部门:某局", 50.0, 30.0, 12.0);
        g.extend(glyphs("单位:元", 400.0, 30.0, 12.0));
        let lines = lines(&[page(g, vec![])]);
        assert_eq!(lines[0].cells, ["编制部门:某局", "单位:元"]);
        assert_eq!(lines[0].spans, [(50.0, 134.0), (400.0, 448.0)]);
    }
}
