//! Tesseract's layout text (`--psm 4`/`6` with `preserve_interword_spaces=1`) writes a gap as
//! the number of spaces it holds of its own line's space width, and a character as one
//! column whatever its width: no two lines share a grid. What a line does keep is its own
//! measure — each gap is its width over the line's space width — so where a cell sits on
//! the page is `ink + s × spaces`: the widths of the characters before it (an ideograph an
//! em, a digit half of one) and the spaces before it times the line's space width `s`, in
//! ems from the line's start (a table's left edge, where its rows begin).
//!
//! The rows of a page that print the most figures (each figure's rank its column) fix the
//! figure columns' right edges and each such row's `s` together, by least squares; every
//! other row takes the `s` and the columns for its figures that put them nearest those
//! edges; a line without figures (a header) the `s` that sets its words nearest the
//! columns' middles. Where the fullest rows print names after their first (a two-sided
//! table: 收入 | 预算数 | 支出 | 预算数), the left edges of those names' columns are fitted with
//! the figures' right edges, and a row's names fall in them as its figures in theirs. The
//! cells' spans are then in ems ([`EM`] points each), on one grid, each figure set on the
//! right edge of the column it ends nearest and each such name on its column's left edge
//! (what the fit leaves over is no column of its own).
//! A text whose fullest rows already line up by character count (`pdftotext -layout`, a
//! fixed-width export) is left as it is.

use crate::page::Line;

/// Points per character column (the unit of a cell's span; layout's column alignment
/// works on the relative places only).
pub(super) const COLUMN: f32 = 5.0;

/// CJK ideographs, kana, hangul, fullwidth forms and CJK punctuation: the characters a
/// fixed-width font draws two columns wide.
pub(super) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Characters that end a run: white space, and the `|` an OCR engine makes of a column's
/// ruling.
pub(super) fn is_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '｜')
}

/// Points per em of the regridded spans (a character column was 5 points: an em of an
/// ideograph now 10, so thresholds in points keep their size).
pub(super) const EM: f32 = 10.0;

/// The narrowest a line's space may be, and the widest, in ems: the search's bounds (a line
/// whose gaps are all one space was measured in a space as wide as its widest gap).
const SPACE_RANGE: (f32, f32) = (0.15, 12.0);

/// How wide a character is printed, in ems.
pub(super) fn ink(c: char) -> f32 {
    if is_wide(c) {
        1.0
    } else if matches!(c, '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'l' | 'i' | '1') {
        0.3
    } else {
        0.55
    }
}

/// For each character column of a line (one per character), the ink and the spaces before
/// it: `(ems of characters, spaces)`.
fn measures(text: &str) -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(text.chars().count() + 1);
    let (mut ems, mut spaces) = (0.0, 0.0);
    for c in text.chars() {
        out.push((ems, spaces));
        if is_gap(c) {
            spaces += 1.0;
        } else {
            ems += ink(c);
        }
    }
    out.push((ems, spaces));
    out
}

/// A cell's edges in a line's measure: `(ink, spaces)` at its start and at its end.
#[derive(Debug, Clone, Copy)]
struct Edges {
    start: (f32, f32),
    end: (f32, f32),
}

impl Edges {
    fn at(point: (f32, f32), space: f32) -> f32 {
        point.0 + space * point.1
    }
}

/// One line of a page: its cells' edges, which cells are figures, its first cell's kind.
struct Measured {
    edges: Vec<Edges>,
    figures: Vec<usize>,
    /// The line begins at the table's left edge: its first cell is no figure.
    anchored: bool,
    /// The line's first cell is a subject code and its second a name: the name's start is
    /// the name column's.
    coded: bool,
    /// In a line without figures, the first of the cells from which on every cell names a
    /// figure column: 0 where the line begins over the figure columns (`基本支出  项目支出`
    /// under `其中`), not at the table's left edge; after the names of the code and name
    /// columns in a header's first line (`科目编码  科目名称  合计`).
    names_from: Option<usize>,
    /// Its names after the first (a two-sided table's expense item, printed left-aligned at
    /// its column: a column's left edge as a figure's right is its right edge), each with the
    /// number of the line's figures before it.
    inner: Vec<(usize, usize)>,
}

/// A decimal as a layout text prints it: spaced (`7, 131. 66`), a column's ruling read as a
/// `|` against it.
fn is_figure(cell: &str) -> bool {
    let t: String = cell.trim_matches(['|', '｜']).chars().filter(|c| *c != ' ').collect();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        && t.contains('.')
}

fn is_code(cell: &str) -> bool {
    (3..=9).contains(&cell.len()) && cell.chars().all(|c| c.is_ascii_digit())
}

/// Whether the fullest rows' figures already line up by character count, one column a
/// character or two an ideograph (`pdftotext -layout`, a fixed-width export): their k-th
/// figures' right edges agree within two columns on four in five.
fn lined_up(rows: &[(&Line, &Measured, &str)]) -> bool {
    let width = rows[0].1.figures.len();
    [1usize, 2].into_iter().any(|wide| {
        let mut agree = 0;
        for k in 0..width {
            let mut ends: Vec<usize> = rows
                .iter()
                .map(|(line, m, text)| {
                    let at = (line.spans[m.figures[k]].1 / COLUMN).round() as usize;
                    text.chars().take(at).map(|c| if is_wide(c) { wide } else { 1 }).sum()
                })
                .collect();
            ends.sort_unstable();
            let median = ends[ends.len() / 2];
            agree += ends.iter().filter(|e| e.abs_diff(median) <= 2).count();
        }
        agree * 5 >= rows.len() * width * 4
    })
}

/// The space width that puts `points` (each a cell edge's `(ink, spaces)` and where it
/// should be, in ems) nearest, by least squares, within [`SPACE_RANGE`]; and the squared
/// error left.
fn fit_space(points: &[((f32, f32), f32)]) -> (f32, f32) {
    let (num, den) =
        points.iter().fold((0.0, 0.0), |(n, d), ((ink, spaces), at)| (n + spaces * (at - ink), d + spaces * spaces));
    let space = if den > 0.0 { (num / den).clamp(SPACE_RANGE.0, SPACE_RANGE.1) } else { 0.5 };
    let error = points.iter().map(|(p, at)| (Edges::at(*p, space) - at).powi(2)).sum();
    (space, error)
}

/// The space width and start that put `points` nearest by least squares (two points at
/// least, of different spaces), and the squared error left.
fn fit_space_and_start(points: &[((f32, f32), f32)]) -> Option<(f32, f32, f32)> {
    let n = points.len() as f32;
    let (sg, sgg) = points.iter().fold((0.0, 0.0), |(a, b), ((_, g), _)| (a + g, b + g * g));
    let (sr, srg) = points.iter().fold((0.0, 0.0), |(a, b), ((ink, g), at)| (a + (at - ink), b + (at - ink) * g));
    let det = n * sgg - sg * sg;
    if points.len() < 2 || det.abs() < 1e-6 {
        return None;
    }
    let space = (n * srg - sg * sr) / det;
    let start = (sr - space * sg) / n;
    let error = points.iter().map(|(p, at)| (start + Edges::at(*p, space) - at).powi(2)).sum();
    Some((space, start, error))
}

/// Every increasing choice of `m` of `n` columns (at most a few thousand: tables print
/// fewer than twenty columns of figures).
fn choices(n: usize, m: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, m: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if current.len() == m {
            out.push(current.clone());
            return;
        }
        for k in start..n {
            if n - k < m - current.len() || out.len() > 20_000 {
                break;
            }
            current.push(k);
            go(k + 1, n, m, current, out);
            current.pop();
        }
    }
    let mut out = Vec::new();
    go(0, n, m, &mut Vec::new(), &mut out);
    out
}

/// Regrids one page's lines (`texts` their raw text, in order; spans in character columns,
/// one a character) when they share no grid; whether it did.
pub(super) fn regrid(lines: &mut [Line], texts: &[&str]) -> bool {
    // A text that sets lines where they begin on the page (`pdftotext -layout`: a fifth of
    // its lines or more indented) keeps its figures in their columns by character count, but
    // for a skewed page's: only where its fullest rows do not line up is it set on a grid
    // (tesseract's layout text begins each line at its first word).
    let placed = texts.iter().filter(|t| t.starts_with("  ")).count() * 5 >= texts.len();
    // A header name spaced out letter by letter (`总 计`) is one name: a line begun by a
    // figure column's name is set over the figure columns.
    for line in lines.iter_mut().filter(|l| !l.cells.iter().any(|c| is_figure(c))) {
        crate::knowledge::templates::join_spaced_names(line);
    }
    let mut measured: Vec<Measured> = lines.iter().zip(texts).map(|(line, text)| measure(line, text)).collect();
    // Where rows have codes, those rows begin at the table's left edge; a total's label may
    // be centred over the code and name columns, so only coded rows are measured from there.
    let coded = measured.iter().filter(|m| m.coded && m.figures.len() >= 2).count() >= 2;
    if coded {
        for m in &mut measured {
            m.anchored &= m.coded;
        }
    }
    let Some(widest) = measured.iter().filter(|m| m.anchored).map(|m| m.figures.len()).max() else { return false };
    if widest == 1 && !placed {
        let rows: Vec<(&Line, &Measured, &str)> = (0..lines.len())
            .filter(|&i| measured[i].anchored && measured[i].figures.len() == 1)
            .map(|i| (&lines[i], &measured[i], texts[i]))
            .collect();
        return !lined_up(&rows) && one_figure_column(lines, &measured);
    }
    // The grid is first fitted to the rows printing the most figures; in a coded table, of
    // as many as two rows print (a row may print all its columns, the others some).
    let printing = |w: usize| measured.iter().filter(|m| m.anchored && m.figures.len() == w).count();
    let least = if coded && !placed { 2 } else { widest };
    let Some(width) = (least.max(2)..=widest).rev().find(|&w| printing(w) >= 2) else { return false };
    let mut full: Vec<usize> =
        (0..lines.len()).filter(|&i| measured[i].anchored && measured[i].figures.len() == width).collect();
    let rows: Vec<(&Line, &Measured, &str)> = full.iter().map(|&i| (&lines[i], &measured[i], texts[i])).collect();
    if lined_up(&rows) {
        return false;
    }
    let (mut grid, spaces) = Grid::fit(&measured, &full, width);
    // A coded table's page whose header names more figure columns than two rows print, or
    // where one row prints more (each row some of them, a continued page of 基本支出): every
    // row is set on the columns that fit it.
    let named = header_columns(lines, &measured);
    let columns = [widest, named].into_iter().filter(|&n| n <= width + 2).max().unwrap_or(width);
    if coded && !placed && grid.labels.is_empty() && columns > width {
        grid = Grid::fit_partial(&measured, &grid, columns);
        full.clear();
    }
    for (i, line) in lines.iter_mut().enumerate() {
        let m = &measured[i];
        let (space, start, snapped) = match full.iter().position(|&f| f == i) {
            Some(j) => (spaces[j], 0.0, Vec::new()),
            None => grid.place(m),
        };
        line.spans = m
            .edges
            .iter()
            .map(|e| ((start + Edges::at(e.start, space)) * EM, (start + Edges::at(e.end, space)) * EM))
            .collect();
        // A header's names of figure columns each over the middle of the column they were
        // fitted to: a name is centred over its column, and its ink's width is only an
        // estimate (the code and name columns' are left where the fit set them, over the
        // cells they name).
        grid.snap(line, m);
        // A column of names' name (a two-sided table's 项目) is set where its names begin:
        // they are printed from its left edge, the name over its middle, and a column is
        // where its cells are.
        for (w, k) in snapped.into_iter().filter(|&(_, k)| grid.middles[k] > grid.rights[0] - grid.pitch) {
            let wide = line.spans[w].1 - line.spans[w].0;
            let left = grid.name_lefts.iter().find(|(middle, _)| *middle == grid.middles[k]).map(|(_, left)| *left);
            line.spans[w] = match left {
                Some(left) => (left * EM, left * EM + wide),
                None => ((grid.middles[k] * EM - wide / 2.0).max(0.0), grid.middles[k] * EM + wide / 2.0),
            };
        }
    }
    true
}

/// The figure columns a page's header names: of its lines without figures, the most cells
/// one has after the names of its code and name columns (`科目编码  科目名称`: header names that
/// name no figure), where they are figure columns' names but one at most (`2  人员经费  公用经费`,
/// the first garbled) and two at least.
fn header_columns(lines: &[Line], measured: &[Measured]) -> usize {
    use crate::knowledge::vocabulary::MEASURES;
    let key = |c: &String| crate::label::label_key(c);
    lines
        .iter()
        .zip(measured)
        .filter(|(_, m)| m.figures.is_empty())
        .map(|(line, _)| {
            let lead = line
                .cells
                .iter()
                .rposition(|c| crate::knowledge::templates::is_header_name(&key(c)) && !MEASURES.knows(&key(c)))
                .map_or(0, |i| i + 1);
            let names = &line.cells[lead..];
            let known = names.iter().filter(|c| MEASURES.knows(&key(c))).count();
            if known >= 2 && names.len() <= known + 1 { names.len() } else { 0 }
        })
        .max()
        .unwrap_or(0)
}

/// Rows a page needs printing one figure each, after their words, to be taken for a table
/// of one figure column.
const ONE_COLUMN_ROWS: usize = 3;

/// A page whose rows print one figure each, after their words (a table of one figure
/// column, 合计 alone): the figures are that column wherever their lines' spaces put them,
/// so each is set on one right edge beyond every line's words, the words where a space of
/// half an em sets them. Whether the page is such a one.
fn one_figure_column(lines: &mut [Line], measured: &[Measured]) -> bool {
    const SPACE: f32 = 0.5;
    let last_figure = |m: &Measured| matches!(m.figures[..], [f] if f + 1 == m.edges.len());
    if measured.iter().filter(|m| last_figure(m) && m.figures[0] > 0).count() < ONE_COLUMN_ROWS {
        return false;
    }
    let last_word = |m: &Measured| m.edges.len().checked_sub(if last_figure(m) { 2 } else { 1 }).map(|i| m.edges[i]);
    let words_end = measured.iter().filter_map(last_word).map(|e| Edges::at(e.end, SPACE)).fold(0.0, f32::max);
    let widest = |m: &Measured| m.edges.last().map_or(0.0, |e| e.end.0 - e.start.0);
    let right = words_end + 4.0 + measured.iter().filter(|m| last_figure(m)).map(widest).fold(0.0, f32::max);
    for (line, m) in lines.iter_mut().zip(measured) {
        line.spans = m.edges.iter().map(|e| (Edges::at(e.start, SPACE) * EM, Edges::at(e.end, SPACE) * EM)).collect();
        if last_figure(m) {
            let f = m.figures[0];
            line.spans[f] = ((right - widest(m)) * EM, right * EM);
        }
    }
    true
}

/// A line's cells' edges in its own measure, its figures and how it begins.
fn measure(line: &Line, text: &str) -> Measured {
    let at = measures(text);
    let point = |x: f32| at[((x / COLUMN).round() as usize).min(at.len() - 1)];
    let edges = line.spans.iter().map(|s| Edges { start: point(s.0), end: point(s.1) }).collect();
    let figures: Vec<usize> = (0..line.cells.len()).filter(|&i| is_figure(&line.cells[i])).collect();
    let anchored = figures.first() != Some(&0);
    let coded = line.cells.len() >= 2 && is_code(&line.cells[0]) && !is_figure(&line.cells[1]);
    let named = |i: usize| {
        let cell = &line.cells[i];
        !is_figure(cell) && cell.chars().filter(|&c| is_wide(c)).count() >= 2 && !(coded && i == 1)
    };
    let inner =
        (1..line.cells.len()).filter(|&i| named(i)).map(|i| (i, figures.iter().filter(|&&f| f < i).count())).collect();
    use crate::knowledge::vocabulary::MEASURES;
    let known = |c: &String| MEASURES.knows(&crate::label::label_key(c));
    // A line begun by such a name is over the figure columns whatever OCR made of the rest
    // (`小计  基本支出  项目支出  经营支出  小计  出  出  营支出`); after others, names at its end
    // from a total's (合计, the first figure column) are a header's first line's after its
    // code and name columns' (at most three: 序号).
    let names_from = if !figures.is_empty() {
        None
    } else if line.cells.first().is_some_and(known) {
        Some(0)
    } else {
        let from = line.cells.iter().rposition(|c| !known(c)).map_or(0, |i| i + 1);
        let total = |c: &String| MEASURES.lookup(None, "", &crate::label::label_key(c)) == Some("total");
        (from <= 3 && line.cells.get(from).is_some_and(total)).then_some(from)
    };
    Measured { edges, figures, anchored, coded, names_from, inner }
}

/// A page's grid, in ems from the table's left edge: the figure columns' right edges, the
/// name column's left edge, the columns' middles (for header words), and the space widths
/// the full rows were measured in (their range, widened, and middle).
struct Grid {
    rights: Vec<f32>,
    name_left: Option<f32>,
    /// Where the fullest rows print names after their first (a two-sided table's second
    /// side): each such column's left edge and the figure column it comes before.
    labels: Vec<(f32, usize)>,
    /// The middles of those columns of names (and of the first), each with its left edge.
    name_lefts: Vec<(f32, f32)>,
    pitch: f32,
    middles: Vec<f32>,
    /// The figure columns' middles (of [`Grid::middles`] too, where no column of names is
    /// fitted): where a header line of figure columns' names sets them.
    figure_middles: Vec<f32>,
    range: (f32, f32),
    typical: f32,
}

impl Grid {
    /// The grid of the fullest rows (`full`, each printing `width` figures), with each
    /// one's space width: both together by least squares, alternately, from an even start.
    fn fit(measured: &[Measured], full: &[usize], width: usize) -> (Grid, Vec<f32>) {
        let mut spaces: Vec<f32> = vec![0.5; full.len()];
        let mut rights = vec![0.0f32; width];
        let mut name_left: Option<f32> = None;
        let every: Vec<usize> = (0..width).collect();
        // Names after the first where most full rows print them alike (none in a coded
        // table, whose rows' names are the name column's).
        let pattern = |i: usize| -> Vec<usize> { measured[i].inner.iter().map(|&(_, before)| before).collect() };
        let mut patterns: Vec<Vec<usize>> = full.iter().map(|&i| pattern(i)).collect();
        patterns.sort();
        let common = patterns
            .chunk_by(|a, b| a == b)
            .max_by_key(|c| c.len())
            .filter(|c| !c[0].is_empty() && c.len() * 2 > full.len() && c.len() >= 2)
            .filter(|_| !full.iter().any(|&i| measured[i].coded))
            .map(|c| c[0].clone());
        let mut labels: Vec<(f32, usize)> = common.iter().flatten().map(|&before| (0.0, before)).collect();
        for _ in 0..40 {
            for (k, right) in rights.iter_mut().enumerate() {
                let ends = full
                    .iter()
                    .zip(&spaces)
                    .map(|(&i, &s)| Edges::at(measured[i].edges[measured[i].figures[k]].end, s));
                *right = ends.sum::<f32>() / full.len() as f32;
            }
            let names: Vec<f32> = full
                .iter()
                .zip(&spaces)
                .filter(|(i, _)| measured[**i].coded)
                .map(|(&i, &s)| Edges::at(measured[i].edges[1].start, s))
                .collect();
            name_left = (!names.is_empty()).then(|| names.iter().sum::<f32>() / names.len() as f32);
            for (j, label) in labels.iter_mut().enumerate() {
                let lefts: Vec<f32> = full
                    .iter()
                    .zip(&spaces)
                    .filter(|(i, _)| common.as_ref() == Some(&pattern(**i)))
                    .map(|(&i, &s)| Edges::at(measured[i].edges[measured[i].inner[j].0].start, s))
                    .collect();
                label.0 = lefts.iter().sum::<f32>() / lefts.len().max(1) as f32;
            }
            for (space, &i) in spaces.iter_mut().zip(full) {
                *space = fit_space(&targets(&measured[i], &every, &rights, name_left, &labels).0).0;
            }
        }
        let mut grid = Grid::of(rights, name_left, &spaces);
        if !labels.is_empty() {
            (grid.middles, grid.name_lefts) = side_middles(measured, full, &spaces, &grid.rights, &labels);
            grid.middles.sort_by(f32::total_cmp);
        }
        grid.labels = labels;
        (grid, spaces)
    }

    /// The grid of figure columns ending at `rights`, the name column beginning at
    /// `name_left`, of rows measured in `spaces`.
    fn of(rights: Vec<f32>, name_left: Option<f32>, spaces: &[f32]) -> Grid {
        let width = rights.len();
        let mut sorted = spaces.to_vec();
        sorted.sort_by(f32::total_cmp);
        let range = (sorted[0] * 0.6, sorted[sorted.len() - 1] * 1.6);
        // Middles: between each right edge and the one before (the first a pitch wide).
        let pitch = (rights[width - 1] - rights[0]) / (width - 1) as f32;
        let figure_middles: Vec<f32> = (0..width)
            .map(|k| {
                let wide = if k == 0 { pitch } else { rights[k] - rights[k - 1] };
                rights[k] - wide / 2.0
            })
            .collect();
        let mut middles = figure_middles.clone();
        if let Some(name) = name_left {
            middles.push(name / 2.0); // the code column
            middles.push((name + rights[0] - pitch) / 2.0); // the name column
        }
        middles.sort_by(f32::total_cmp);
        let typical = sorted[sorted.len() / 2];
        Grid {
            rights,
            name_left,
            labels: Vec::new(),
            name_lefts: Vec::new(),
            pitch,
            middles,
            figure_middles,
            range,
            typical,
        }
    }

    /// The grid of a page whose rows each print some of its `columns` figure columns, none
    /// all (a continued page of 基本支出: a 301 row prints 合计 and 人员经费, a 302 row 合计 and
    /// 公用经费): the fullest rows' grid (`base`, of fewer columns) set into `columns` every
    /// way in order, the others at its pitch, each refined alternately — every row of two
    /// figures or more takes the columns and space width that fit it best, each column's edge
    /// the mean of the figures it took, the name column's of the coded rows' names — and the
    /// one that leaves the least error kept.
    fn fit_partial(measured: &[Measured], base: &Grid, columns: usize) -> Grid {
        let rows: Vec<&Measured> = measured.iter().filter(|m| m.anchored && m.figures.len() >= 2).collect();
        let width = base.rights.len();
        // The columns each row's figures may take (the same whatever the edges).
        let fits: Vec<Vec<Vec<usize>>> = rows.iter().map(|m| choices(columns, m.figures.len().min(columns))).collect();
        let mut best: Option<(f32, Grid)> = None;
        for set in choices(columns, width) {
            let pitch = (base.rights[width - 1] - base.rights[0]) / (set[width - 1] - set[0]) as f32;
            let mut rights: Vec<f32> =
                (0..columns).map(|k| base.rights[0] + (k as f32 - set[0] as f32) * pitch).collect();
            let mut name_left = base.name_left;
            let mut fitted: Vec<(f32, f32, Vec<usize>)> = Vec::new();
            for _ in 0..20 {
                fitted = rows
                    .iter()
                    .zip(&fits)
                    .map(|(m, fits)| {
                        fits.iter()
                            .map(|c| {
                                let (s, error) = fit_space(&targets(m, c, &rights, name_left, &[]).0);
                                (s, error, c.clone())
                            })
                            .min_by(|a, b| a.1.total_cmp(&b.1))
                            .unwrap_or((base.typical, 0.0, Vec::new()))
                    })
                    .collect();
                for (k, right) in rights.iter_mut().enumerate() {
                    let ends: Vec<f32> = rows
                        .iter()
                        .zip(&fitted)
                        .flat_map(|(m, (s, _, c))| {
                            c.iter()
                                .zip(&m.figures)
                                .filter(|(at, _)| **at == k)
                                .map(|(_, &f)| Edges::at(m.edges[f].end, *s))
                        })
                        .collect();
                    if !ends.is_empty() {
                        *right = ends.iter().sum::<f32>() / ends.len() as f32;
                    }
                }
                let names: Vec<f32> = rows
                    .iter()
                    .zip(&fitted)
                    .filter(|(m, _)| m.coded)
                    .map(|(m, (s, _, _))| Edges::at(m.edges[1].start, *s))
                    .collect();
                name_left = (!names.is_empty()).then(|| names.iter().sum::<f32>() / names.len() as f32).or(name_left);
            }
            let error: f32 = fitted.iter().map(|f| f.1).sum();
            // Columns out of order fit no page.
            if rights.windows(2).any(|w| w[1] <= w[0]) || best.as_ref().is_some_and(|(e, _)| *e <= error) {
                continue;
            }
            let spaces: Vec<f32> = fitted.iter().map(|f| f.0).collect();
            best = Some((error, Grid::of(rights, name_left, &spaces)));
        }
        best.map_or_else(|| Grid::of(base.rights.clone(), base.name_left, &[base.typical]), |(_, grid)| grid)
    }

    /// A line's figures set on the right edge of the column they end nearest, where within a
    /// third of the way to the next column, and its names after the first on the left edge
    /// of the column of names they begin nearest, where within two ems: what is left of the
    /// fit (an ideograph OCR read as a narrower character before them) is no column of its
    /// own.
    fn snap(&self, line: &mut Line, m: &Measured) {
        let nearest = |x: f32, edges: &[f32]| -> Option<(f32, f32)> {
            edges.iter().map(|&e| ((x - e).abs(), e)).min_by(|a, b| a.0.total_cmp(&b.0))
        };
        let gap = self.rights.windows(2).map(|w| w[1] - w[0]).fold(f32::MAX, f32::min);
        for &f in &m.figures {
            let (start, end) = line.spans[f];
            if let Some((_, right)) = nearest(end / EM, &self.rights).filter(|(off, _)| *off < gap / 3.0) {
                line.spans[f] = (start + (right * EM - end), right * EM);
            }
        }
        let lefts: Vec<f32> = self.labels.iter().map(|(left, _)| *left).collect();
        for &(w, _) in &m.inner {
            let (start, end) = line.spans[w];
            if let Some((_, left)) = nearest(start / EM, &lefts).filter(|(off, _)| *off < 2.0) {
                line.spans[w] = (left * EM, end + (left * EM - start));
            }
        }
    }

    /// Where a line not among the fullest goes: its space width, its start, and for a
    /// header naming every column its (word, column) pairs.
    fn place(&self, m: &Measured) -> (f32, f32, Vec<(usize, usize)>) {
        let within = |s: f32| s >= self.range.0 && s <= self.range.1;
        let fits = || choices(self.rights.len(), m.figures.len().min(self.rights.len())).into_iter();
        if m.anchored && !m.figures.is_empty() {
            // A coded row's name fixes its space width; a row of one or two figures alone
            // could be set anywhere, so its width is kept near the full rows'.
            let best = fits()
                .map(|c| {
                    let (points, missed) = targets(m, &c, &self.rights, self.name_left, &self.labels);
                    let (s, error) = fit_space(&points);
                    (s, error + MISSED * missed as f32)
                })
                .filter(|(s, _)| m.coded || within(*s))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            (best.map_or(self.typical, |b| b.0), 0.0, Vec::new())
        } else if m.figures.len() >= 2 {
            // A row not begun at the table's left edge (a total's label centred, a row whose
            // code OCR lost): its start and space width both from where its figures fall.
            let best = fits()
                .filter_map(|c| {
                    let (points, missed) = targets(m, &c, &self.rights, None, &self.labels);
                    fit_space_and_start(&points).map(|(s, start, error)| (s, start, error + MISSED * missed as f32))
                })
                .filter(|(s, _, _)| within(*s))
                .min_by(|a, b| a.2.total_cmp(&b.2));
            best.map_or((self.typical, 0.0, Vec::new()), |(s, start, _)| (s, start, Vec::new()))
        } else if m.names_from == Some(0) && self.labels.is_empty() {
            // A header line of figure columns' names alone (the second line of a header
            // whose first names 小计 and `其中`): where the columns' middles take its words
            // in order, in the page's typical space width, from wherever it begins; of
            // places that fit alike, the furthest right (the columns under `其中` are last).
            match self.over_figures(m, 0, Side::Right) {
                Some((start, pairs)) => (self.typical, start, pairs),
                None => (self.typical, 0.0, Vec::new()),
            }
        } else if m.figures.is_empty() && m.edges.len() >= 2 {
            // A header naming every column, one name each, is set on them in order; any
            // other the width that sets its words nearest the columns' middles.
            match header_in_order(m, &self.middles, SPACE_RANGE) {
                Some((s, pairs)) if pairs.len() == self.middles.len() && pairs.len() == m.edges.len() => {
                    (s, 0.0, pairs)
                }
                _ => {
                    // Names of figure columns after those of the code and name columns are
                    // set on the figure columns by their own gaps; of places that fit alike,
                    // the furthest left (a header's first line names the total, the first).
                    let space = header_space(m, &self.middles, self.range).unwrap_or(self.typical);
                    let tail = m.names_from.filter(|_| self.labels.is_empty());
                    let pairs = tail.and_then(|from| self.over_figures(m, from, Side::Left)).map(|p| p.1);
                    (space, 0.0, pairs.unwrap_or_default())
                }
            }
        } else {
            (self.typical, 0.0, Vec::new())
        }
    }

    /// Where a header line of figure columns' names goes: its start, in the page's typical
    /// space width, that sets its words' middles on the figure columns' middles in order
    /// with the least squared error; of choices within a quarter em² of the best, the one
    /// furthest right (a single word, or names two columns apart, fit anywhere alike: the
    /// names under `其中` are the last columns'). With the (word, column of
    /// [`Grid::middles`]) pairs.
    fn over_figures(&self, m: &Measured, from: usize, side: Side) -> Option<(f32, Vec<(usize, usize)>)> {
        let centre = |e: &Edges| Edges::at(e.start, self.typical).midpoint(Edges::at(e.end, self.typical));
        let figure_middles = &self.figure_middles;
        let edges = &m.edges[from..];
        let words = edges.len();
        if words == 0 || words > figure_middles.len() {
            return None;
        }
        let fitted: Vec<(f32, f32, Vec<usize>)> = choices(figure_middles.len(), words)
            .into_iter()
            .map(|c| {
                let offsets: Vec<f32> = c.iter().zip(edges).map(|(&k, e)| figure_middles[k] - centre(e)).collect();
                let start = offsets.iter().sum::<f32>() / words as f32;
                let error = offsets.iter().map(|o| (o - start).powi(2)).sum::<f32>();
                (start, error, c)
            })
            .collect();
        let best = fitted.iter().map(|f| f.1).fold(f32::MAX, f32::min);
        let near = fitted.into_iter().filter(|f| f.1 <= best + 0.25);
        let (start, _, columns) = match side {
            Side::Right => near.max_by_key(|f| f.2.clone()),
            Side::Left => near.min_by_key(|f| f.2.clone()),
        }?;
        let pairs = columns
            .iter()
            .enumerate()
            .filter_map(|(w, &k)| self.middles.iter().position(|&x| x == figure_middles[k]).map(|at| (from + w, at)))
            .collect();
        Some((start, pairs))
    }
}

/// Which way a header line's names go where several places fit them alike.
#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
}

/// A cell edge's `(ink, spaces)` in its line's measure and where it should be, in ems.
type Target = ((f32, f32), f32);

/// What a name after a line's first that falls in no column of names costs a placing, in
/// squared ems: more than any figure set a column off.
const MISSED: f32 = 400.0;

/// Where a line's edges should be when its figures are in `columns`: each figure's right
/// edge at its column's, a coded row's name at the name column's left edge, and a name
/// after the first at the left edge of the column of names between its figures' columns;
/// and how many such names have no such column (one, where the grid has such columns).
fn targets(
    m: &Measured,
    columns: &[usize],
    rights: &[f32],
    name_left: Option<f32>,
    labels: &[(f32, usize)],
) -> (Vec<Target>, usize) {
    let mut out: Vec<Target> = m.figures.iter().zip(columns).map(|(&f, &k)| (m.edges[f].end, rights[k])).collect();
    if let (true, Some(name)) = (m.coded, name_left) {
        out.push((m.edges[1].start, name));
    }
    let mut missed = 0;
    if !labels.is_empty() {
        for &(w, before) in &m.inner {
            let after = before.checked_sub(1).and_then(|b| columns.get(b)).copied();
            let next = columns.get(before).copied();
            let mut on = labels
                .iter()
                .filter(|(_, column)| after.is_none_or(|a| *column > a) && next.is_none_or(|n| *column <= n));
            match (on.next(), on.next()) {
                (Some(&(left, _)), None) => out.push((m.edges[w].start, left)),
                _ => missed += 1,
            }
        }
    }
    (out, missed)
}

/// The middles of a page's columns where rows print names after their first (a two-sided
/// table: name, figure, name, figure): a column of names from its left edge (the table's
/// for the first) to where the figure column after it begins, a figure column from there to
/// its right edge, its width half again its figures' widest (three ems at least); and the
/// columns of names' middles with their left edges.
fn side_middles(
    measured: &[Measured],
    full: &[usize],
    spaces: &[f32],
    rights: &[f32],
    labels: &[(f32, usize)],
) -> (Vec<f32>, Vec<(f32, f32)>) {
    let (mut middles, mut lefts) = (Vec::new(), Vec::new());
    for (k, &right) in rights.iter().enumerate() {
        let widest = full
            .iter()
            .zip(spaces)
            .map(|(&i, &s)| {
                let e = &measured[i].edges[measured[i].figures[k]];
                Edges::at(e.end, s) - Edges::at(e.start, s)
            })
            .fold(0.0f32, f32::max);
        let left = labels.iter().find(|(_, column)| *column == k).map(|(left, _)| *left);
        let before = left.or((k == 0).then_some(0.0));
        let begins = (right - (1.5 * widest).max(3.0)).max(before.map_or(f32::MIN, |b| b + 1.0));
        middles.push((begins + right) / 2.0);
        if let Some(before) = before {
            middles.push((before + begins) / 2.0);
            lefts.push(((before + begins) / 2.0, before));
        }
    }
    (middles, lefts)
}

/// The space width in `range` that sets a header line's words' middles on the columns'
/// middles in order (each word a column's name, left to right; the words or the columns,
/// whichever are more, may skip two), by least squares.
fn header_in_order(m: &Measured, middles: &[f32], range: (f32, f32)) -> Option<(f32, Vec<(usize, usize)>)> {
    let centre = |e: &Edges| ((e.start.0 + e.end.0) / 2.0, (e.start.1 + e.end.1) / 2.0);
    let (words, columns) = (m.edges.len(), middles.len());
    if words.abs_diff(columns) > 2 {
        return None;
    }
    let pairs: Vec<Vec<(usize, usize)>> = if words <= columns {
        choices(columns, words).into_iter().map(|c| c.into_iter().enumerate().collect()).collect()
    } else {
        choices(words, columns).into_iter().map(|c| c.into_iter().zip(0..columns).collect()).collect()
    };
    pairs
        .into_iter()
        .map(|pair| {
            let (s, error) =
                fit_space(&pair.iter().map(|&(w, k)| (centre(&m.edges[w]), middles[k])).collect::<Vec<_>>());
            (s, error, pair)
        })
        .filter(|(s, _, _)| *s >= range.0 && *s <= range.1)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _, pair)| (s, pair))
}

/// The space width in `range` that sets a header line's words' middles nearest the
/// columns' middles (a search over the range in hundredths of an em).
fn header_space(m: &Measured, middles: &[f32], range: (f32, f32)) -> Option<f32> {
    let cost = |s: f32| -> f32 {
        m.edges
            .iter()
            .map(|e| {
                let centre = (Edges::at(e.start, s) + Edges::at(e.end, s)) / 2.0;
                middles.iter().map(|c| (c - centre).abs()).fold(f32::MAX, f32::min)
            })
            .sum()
    };
    let steps = ((range.1 - range.0) / 0.01).ceil().max(1.0) as usize;
    (0..=steps).map(|i| range.0 + i as f32 * 0.01).min_by(|a, b| cost(*a).total_cmp(&cost(*b)))
}
