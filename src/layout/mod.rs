//! Stage 3, `layout`: lines → the document's skeleton: pages, the page banner (单位编码 +
//! 单位名称, 预算年度), unit lines, and one [`Block`] per standard table, split into
//! per-page [`Segment`]s of header lines, the 栏次 line and body lines.
//!
//! It recognises tables by their titles (template data) and page furniture by repetition;
//! it never reads figures or repairs text (that is `repair`'s job), and a line it cannot
//! place is left to the narrative, not dropped from the tables silently: body lines are
//! passed on whole, debris included, for `repair` to judge and record.

mod banner;
mod block;
pub mod geometry;
mod lines;
mod metadata;
mod running;

use crate::extract::{Extracted, Text};
use crate::knowledge::templates::{self as template, Recognised, TableTemplate};
use crate::model::Kind;
use crate::page::Line;

pub use banner::Banner;
pub use block::{Block, Layout, Narrative, OtherBlock, Segment};
pub use lines::{
    digit_of_shape, digits_for_letters, has_figure, is_figure, is_numbers_line, is_seq_row, points_for_commas, unit_of,
};
use lines::{
    header_words_follow, is_bare_page_number, is_heading, is_note, is_numbers_marker, is_page_number, is_part_heading,
    is_prose, is_sentence, is_total_row,
};
pub use metadata::metadata;

/// The text outside the tables, page furniture left out: a running head or a page number
/// printed inside a sentence broken over two pages would cut the sentence from its subject.
fn narrative(lines: &[Line], blocks: &[Block], running: &std::collections::BTreeSet<String>) -> Narrative {
    let mut in_tables = std::collections::BTreeSet::new();
    for b in blocks {
        in_tables.insert(b.title.number);
        for s in &b.segments {
            in_tables.extend(s.header.iter().chain(&s.numbers).chain(&s.body).map(|l| l.number));
        }
        in_tables.extend(b.notes.iter().map(|l| l.number));
    }
    let mut out = Narrative::default();
    let furniture = |l: &Line| is_page_number(l) || running.contains(&crate::label::label_key(&l.text()));
    for line in lines.iter().filter(|l| !in_tables.contains(&l.number) && !l.is_blank() && !furniture(l)) {
        out.pages.push((out.text.len(), line.page));
        out.text.extend(crate::label::nfkc(&line.text()).chars().filter(|c| !c.is_whitespace()));
    }
    out
}

/// The lines outside every table, standard or other, that read as a table's rows: two
/// amounts at least (figures with a decimal point, not years or page numbers), as many as
/// its other cells, and no sentence, nor a sentence's pieces (`万元，比上年预算数减少`, where
/// justified text spaces a sentence's figures apart).
fn stray_rows(lines: &[Line], blocks: &[Block], others: &[OtherBlock]) -> Vec<Line> {
    let sentence_piece = |c: &str| c.contains("万元") || c.contains(['，', '。', '；', '：']);
    let segments = blocks.iter().flat_map(|b| &b.segments).chain(others.iter().flat_map(|o| &o.segments));
    let mut placed: std::collections::BTreeSet<u32> =
        segments.flat_map(|s| s.header.iter().chain(&s.numbers).chain(&s.body)).map(|l| l.number).collect();
    placed.extend(blocks.iter().flat_map(|b| std::iter::once(&b.title).chain(&b.notes)).map(|l| l.number));
    placed.extend(others.iter().map(|o| o.title.number));
    let is_row = |line: &Line| {
        let filled = line.filled().count();
        let amounts = line.filled().filter(|(_, c)| is_figure(c) && c.contains('.')).count();
        amounts >= 2 && amounts * 2 >= filled && !is_prose(line) && !line.filled().any(|(_, c)| sentence_piece(c))
    };
    lines.iter().filter(|l| !placed.contains(&l.number) && is_row(l)).cloned().collect()
}

/// Lays out the document: PDF glyphs become lines of cells first (see [`geometry`]).
pub fn segment(extracted: &Extracted) -> Layout {
    let (mut lines, pages, placement) = match &extracted.content {
        Text::Lines(lines) => (lines.clone(), 0, geometry::Placement::Characters),
        Text::Glyphs(pages) => (geometry::lines(pages), extracted.pages, geometry::Placement::Points),
    };
    let banner = banner::find(&lines, is_title);
    refine_pages(&mut lines, banner.as_ref());
    let pages = pages.max(lines.iter().map(|l| l.page).max().unwrap_or(1));
    let units = lines.iter().filter_map(|l| unit_of(l).map(|u| (l.number, u))).collect();
    let running = running::find(&lines);
    let (blocks, others, kind) = blocks(&lines, banner.as_ref(), &running, placement);
    let narrative = narrative(&lines, &blocks, &running);
    let stray_rows = stray_rows(&lines, &blocks, &others);
    Layout { lines, pages, banner, kind, units, blocks, others, narrative, stray_rows }
}

/// Without form feeds, a page starts at each page banner (or at the table title just
/// before it), so table pages can be told apart.
fn refine_pages(lines: &mut [Line], banner: Option<&Banner>) {
    if lines.iter().any(|l| l.page > 1) {
        return;
    }
    let Some(banner) = banner else { return };
    let mut page = 1;
    let mut last_content: Option<usize> = None;
    let mut starts = vec![false; lines.len()];
    for i in 0..lines.len() {
        if banner.is_banner(&lines[i]) {
            let start = match last_content {
                Some(j) if is_title(&lines[j]) => j,
                _ => i,
            };
            starts[start] = true;
        }
        if !lines[i].is_blank() {
            last_content = Some(i);
        }
    }
    for (i, line) in lines.iter_mut().enumerate() {
        if starts[i] && i > 0 {
            page += 1;
        }
        line.page = page;
    }
}

/// A line that is a standard table's title: one filled cell matching a template title.
fn is_title(line: &Line) -> bool {
    matches!(title_of(line), Some(Recognised::Standard(_)))
}

/// A table's number, or the part of it OCR set apart (`表1:`, `预算01`, `预算08 | 表`): digits
/// and the words a table number is made of, nothing else.
fn is_number_part(cell: &str) -> bool {
    let key = without_specks(cell);
    key.chars().count() <= 8
        && key.chars().any(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        && key
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十预决算部门单位附表公开第号:：.．、-".contains(c))
        && (key.contains('表') || key.chars().any(|c| c.is_ascii_digit()))
}

/// A table number's cell without white space and the specks OCR reads beside its
/// characters as marks no number holds (`表5$:`).
fn without_specks(cell: &str) -> String {
    let key = crate::label::nfkc(cell);
    key.chars().filter(|&c| !c.is_whitespace() && !"$'\"`^~*!?|_;,".contains(c)).collect()
}

/// The table title a line is, standard or not: one filled cell (or a year set apart).
fn title_of(line: &Line) -> Option<Recognised> {
    let filled: Vec<&str> = line.filled().map(|(_, c)| c).collect();
    match filled[..] {
        // Its qualifier cut where the line ends (`一般公共预算支出情况表〈按功能`, the rest
        // wrapped below): the bracket is closed there.
        [text] if opens_qualifier(text) && in_pieces(&[text]) => template::recognise(&format!("{text})")),
        [text] => template::recognise(text),
        // A year set apart from the title (`2025 | 年部门收入预算总表`, as OCR splits it).
        [year, text] if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) && text.starts_with('年') => {
            template::recognise(&format!("{year}{text}"))
        }
        // The table's number set apart from its title (`表1: | 2026年…收支预算总表`, and its
        // year apart again), as OCR splits them at the gap after the colon, or itself split
        // (`预算 | 10 | 表政府采购预算明细表`).
        [_, _, ..] if numbered(&filled).is_some() => numbered(&filled),
        // A title cut at a gap inside its qualifier (`…情况表(按经济分类 | 科目)`), or before
        // its number and again after it (`支出总表(预算表 | 3 | )`), as OCR cuts it (reading
        // its bracket as `〈` too).
        [text, ref end @ ..]
            if (1..=2).contains(&end.len())
                && text.contains(['(', '（', '〈'])
                && !text.contains([')', '）'])
                && end.last().is_some_and(|e| e.trim_end().ends_with([')', '）']))
                && end.concat().chars().count() <= 6 =>
        {
            template::recognise(&format!("{text}{}", end.concat()))
        }
        // A title set out in pieces by wide gaps (`财政   拨款收支总体情况表`, as an OCR text
        // spaces it): words only, its last piece the one that says 表.
        // A year may lead it (`2026 | 年 | 一般公共 | 预算基本支出情况表`), and a qualifier
        // close it (`本年一般公共 | 预算支出表 ( 预算表 | 5 | )`).
        // Its qualifier may be cut where the line ends (`一般公共预算 | 支出情况表〈按功能`, the
        // rest wrapped below): the bracket is closed where the line ends.
        [_, ref rest @ ..] if rest.len() <= 4 && in_pieces(&filled) => {
            let text = filled.concat();
            template::recognise(&if opens_qualifier(&text) { format!("{text})") } else { text })
        }
        _ => None, // a table-of-contents entry carries its page number
    }
}

/// Whether cells are a title's pieces: words (a year may lead them) up to the one that
/// says 表, then at most a bracketed qualifier (`(预算表 | 5 | )`, `(〈预算表 | 3 | )`), or its
/// start cut where the line ends, words only (`〈按经济分类 | 科目`: a contents entry's page
/// number is no qualifier).
fn in_pieces(cells: &[&str]) -> bool {
    let rest = match cells.split_first() {
        Some((first, rest)) if is_year(first) => rest.concat(),
        _ => cells.concat(),
    };
    let (words, qualifier) = match rest.find(['(', '（', '〈']) {
        Some(at) => rest.split_at(at),
        None => (rest.as_str(), ""),
    };
    let digits = |t: &str| t.chars().any(|ch| ch.is_ascii_digit());
    // A year inside the words is the title's (`长春市信访局2026 | 年项目支出绩效目标表`).
    let words = YEAR_IN_WORDS.replace_all(words, "$1");
    // (`(按经济分类科目)`, `(预算表 5)`: ten characters at most, brackets included.)
    let short = qualifier.chars().filter(|c| !c.is_whitespace()).count() <= 10;
    // Cut where the line ends (OCR lost the closing bracket): words, or the table's number
    // (`支出总表(预算表3`; a contents entry's page number is a cell of its own).
    let number = |q: &str| template::is_table_number(q.trim_start_matches(['(', '（', '〈']));
    let closed = qualifier.is_empty()
        || (short && qualifier.trim_end().ends_with([')', '）']))
        || (short && (!digits(qualifier) || number(qualifier)) && !qualifier.contains([')', '）']));
    // (A `label: value` line is none: `说明: | 2026年…收支预算总表`.)
    !digits(&words) && words.contains('表') && !words.contains([':', '：']) && closed
}

/// A year a title's words print (`2026年`, `2026年度`), four digits no other digit touches.
static YEAR_IN_WORDS: std::sync::LazyLock<regex_lite::Regex> =
    std::sync::LazyLock::new(|| regex_lite::Regex::new(r"(^|[^0-9])[12][0-9]{3}\s*年").expect("a valid pattern"));

/// A year as a title prints it (`2026`, `2026年`).
fn is_year(cell: &str) -> bool {
    let digits = cell.trim().trim_end_matches('年').trim();
    digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether a title's text opens a bracketed qualifier it does not close (`…情况表〈按功能`).
fn opens_qualifier(text: &str) -> bool {
    text.rfind(['(', '（', '〈']).is_some_and(|at| !text[at..].contains([')', '）']))
}

/// Whether `next` is the rest of a qualifier `title` opens and does not close: a short line
/// of words that closes it (`分类科目)`).
fn qualifier_rest(title: &Line, next: Option<&Line>) -> bool {
    let open = opens_qualifier(&title.text());
    next.is_some_and(|n| {
        let rest: String = n.filled().map(|(_, c)| c.trim()).collect();
        open && n.page == title.page
            && rest.ends_with([')', '）'])
            && !rest.contains(['(', '（', '〈'])
            && rest.chars().filter(|c| !c.is_whitespace()).count() <= 8
            && !has_figure(n)
    })
}

/// A title whose table number OCR set apart in the first cell or two (`表1: | 2026年…表`,
/// `预算 | 10 | 表政府采购预算明细表`), followed by at most two cells of title.
fn numbered(filled: &[&str]) -> Option<Recognised> {
    (1..=2).filter(|&k| k < filled.len() && filled.len() - k <= 2).find_map(|k| {
        let (number, rest) = filled.split_at(k);
        let number = number.concat();
        is_number_part(&number)
            .then(|| template::recognise(&format!("{}{}", without_specks(&number), rest.concat())))
            .flatten()
    })
}

/// A title wrapped onto the next line (`…项目绩效目` then `标表`), as one line; `None` when the
/// line is a title by itself or the two are not one.
fn wrapped_title(lines: &[Line], i: usize) -> Option<Line> {
    let (line, next) = (&lines[i], lines.get(i + 1)?);
    let ([start], [end]) = (
        &line.filled().map(|(_, c)| c).collect::<Vec<_>>()[..],
        &next.filled().map(|(_, c)| c).collect::<Vec<_>>()[..],
    ) else {
        return None;
    };
    // The title's end wrapped (`标表`), or its start set a line above (`收入` over
    // `总体情况表`, where an OCR text put the words of one title at two heights).
    let short = |c: &str| c.trim().chars().count() <= 3;
    let start_above = !short(end) && short(start) && !is_number_part(start);
    if next.page != line.page || !(short(end) || start_above) || title_of(line).is_some() || is_title(next) {
        return None;
    }
    let joined = Line {
        cells: vec![format!("{}{}", start.trim(), end.trim())],
        spans: Vec::new(),
        boxes: Vec::new(),
        ..line.clone()
    };
    // A start set above makes a standard title of a line that is none (`总体情况表`).
    let standard = matches!(title_of(&joined), Some(Recognised::Standard(_)));
    (if start_above { standard } else { title_of(&joined).is_some() }).then_some(joined)
}

/// Walks the lines and cuts out the standard tables, and the other tables.
fn blocks(
    lines: &[Line],
    banner: Option<&Banner>,
    running: &std::collections::BTreeSet<String>,
    placement: geometry::Placement,
) -> (Vec<Block>, Vec<OtherBlock>, Option<Kind>) {
    let mut blocks: Vec<Block> = Vec::new();
    let mut others: Vec<OtherBlock> = Vec::new();
    let mut other: Option<(Line, Vec<Line>)> = None;
    let mut kind = None;
    let mut current: Option<Block> = None;
    let close = |block: Option<Block>, blocks: &mut Vec<Block>, kind: Option<Kind>| {
        // A title with no body, 栏次 line or note under it, and no header line naming one of
        // the table's columns, was a contents entry, a running heading over the table's own
        // title, or a heading of the narrative: not a table.
        let block = block.filter(|b| {
            let named = b.segments.iter().flat_map(|s| &s.header).any(|l| names_columns(kind, &b.template.id, l));
            named || !b.notes.is_empty() || b.segments.iter().any(|s| !s.body.is_empty() || s.numbers.is_some())
        });
        blocks.extend(block.map(|mut b| {
            // A page begun after the table's last row (narrative follows) is not the table's.
            while b.segments.len() > 1 && b.segments.last().is_some_and(|s| s.body.is_empty() && s.numbers.is_none()) {
                b.segments.pop();
            }
            b.aligned = geometry::align(&mut b.segments, placement);
            choose_template(b, kind.unwrap_or(Kind::Budget))
        }));
    };
    let mut skip = false;
    let mut header_keys: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if std::mem::take(&mut skip) {
            continue; // the end of a title wrapped onto it
        }
        let joined = wrapped_title(lines, i);
        skip = joined.is_some();
        let line = joined.as_ref().unwrap_or(line);
        let title = title_of(line);
        if title.is_some() {
            close_other(other.take(), &mut others, placement);
        }
        if let Some(Recognised::Other) = title {
            // Another table begins: the standard one before it has ended.
            close(current.take(), &mut blocks, kind);
            other = Some((line.clone(), Vec::new()));
            continue;
        }
        if let Some((_, body)) = other.as_mut() {
            let furniture = line.is_blank()
                || is_page_number(line)
                || is_bare_page_number(lines, i)
                || is_furniture(line, banner, running)
                || unit_of(line).is_some();
            // A table of words prints sentences in rows of their own (a project's goals, over
            // its indicators); after its rows, three lines of running text in a row are the
            // narrative again.
            let rows = body.iter().any(|l| l.filled().nth(1).is_some());
            let prose_run = rows && is_prose(line) && body.iter().rev().take(2).filter(|l| is_prose(l)).count() == 2;
            if prose_run || is_heading(line) || is_part_heading(line) {
                close_other(other.take(), &mut others, placement);
            } else if !furniture {
                body.push(line.clone());
            }
            continue;
        }
        if let Some(Recognised::Standard(m)) = title {
            // The title printed again over the next page of the same table (`（续）` or not):
            // the table goes on.
            if let Some(block) = current.as_mut()
                && block.template.id == m.table.id
                && line.page != block.title.page
                && block.segments.iter().any(|s| !s.body.is_empty())
            {
                block.segments.push(Segment { page: line.page, ..Segment::default() });
                continue;
            }
            close(current.take(), &mut blocks, kind);
            kind.get_or_insert(m.kind);
            current = Some(Block {
                template: m.table,
                title: line.clone(),
                title_variant: m.fuzzy,
                segments: vec![Segment { page: line.page, ..Segment::default() }],
                notes: Vec::new(),
                unit: None,
                aligned: false,
            });
            // The rest of a qualifier the title's line cut (`…情况表〈按功能` over `分类科目)`)
            // is the title's, not a header word.
            skip |= qualifier_rest(line, lines.get(i + 1));
            continue;
        }
        let Some(block) = current.as_mut() else { continue };
        if line.is_blank() || is_page_number(line) || is_bare_page_number(lines, i) {
            continue;
        }
        let last_page = block.segments.last().expect("a block has a segment").page;
        let furniture = is_furniture(line, banner, running);
        if furniture || line.page != last_page {
            // A new page of the same table begins (its header may be printed again).
            let seg = block.segments.last().expect("a block has a segment");
            if seg.numbers.is_some() || !seg.body.is_empty() || line.page != seg.page {
                block.segments.push(Segment { page: line.page, ..Segment::default() });
            }
            if furniture {
                // `预算年度: 2023  单位: 万元` on one line: keep the unit.
                if let Some(unit) = unit_of(line) {
                    block.unit.get_or_insert(unit);
                }
                continue;
            }
        }
        if let Some(unit) = unit_of(line) {
            block.unit.get_or_insert(unit);
            continue;
        }
        // A note, or a numbered sentence under a `说明:` (`1、“本年预算数”的单位范围…。`).
        if is_note(line) || (!block.notes.is_empty() && !has_figure(line) && is_sentence(line)) {
            block.notes.push(line.clone());
            continue;
        }
        let continued = block.segments.len() > 1;
        // A continued page's line that names none of the table's columns is a row, not its
        // header printed again (`使用非财政拨款结余` at the top of the summary's second page).
        let names_columns = names_columns(kind, &block.template.id, line);
        let lone_words = matches!(line.filled().collect::<Vec<_>>()[..], [(0, _)]);
        // A header line printed again on a continued page, word for word (header lines'
        // keys kept by line number: a long table compares every line with every header).
        let repeated = continued && {
            let key = crate::label::label_key(&line.text());
            block
                .segments
                .iter()
                .flat_map(|s| &s.header)
                .any(|h| *header_keys.entry(h.number).or_insert_with(|| crate::label::label_key(&h.text())) == key)
        };
        let seg = block.segments.last_mut().expect("a block has a segment");
        let in_body = seg.numbers.is_some() || !seg.body.is_empty();
        if !in_body {
            if is_numbers_line(line) {
                seg.numbers = Some(line.clone());
            } else if repeated {
                seg.header.push(line.clone());
            } else if continued && seg.header.is_empty() && lone_words && !names_columns && !has_figure(line) {
                let next = lines[i + 1..].iter().find(|l| !l.is_blank() && !is_page_number(l));
                if next_names_columns(lines, i, kind, &block.template.id) {
                    // A word over a line naming the table's columns: the first of its header
                    // printed again (`功能` over `分类科目 | 基本支出`).
                    seg.header.push(line.clone());
                } else if next.is_some_and(|n| n.page == line.page && has_figure(n) && !is_prose(n)) {
                    // The end of the last row's label wrapped onto the page, rows after it
                    // (`中心` of `…研究 / 中心`): the table goes on.
                    seg.body.push(line.clone());
                } else {
                    // A new page that opens with a heading of its own: the table has ended.
                    close(current.take(), &mut blocks, kind);
                }
            } else if !continued && seg.header.is_empty() && opens_body(kind, &block.template.id, line) {
                // A row right under the title: OCR lost the header (a shaded band).
                seg.body.push(line.clone());
            } else if (continued || !seg.header.is_empty())
                // (A speck read as a digit before header words is no 序号.)
                && ((is_seq_row(line) && !names_columns)
                    || has_figure(line)
                    || (is_total_row(line) && !header_words_follow(lines, i))
                    || (continued && !names_columns))
                && !header_repeats_at(lines, i)
            {
                seg.body.push(line.clone()); // a table printed without a 栏次 line
            } else if (is_prose(line) || is_heading(line)) && (continued || !seg.header.is_empty()) {
                close(current.take(), &mut blocks, kind);
            } else {
                seg.header.push(line.clone());
            }
            continue;
        }
        if is_numbers_marker(line) && seg.body.is_empty() {
            continue; // the marker of the 栏次 line just read, set on a line of its own
        }
        if is_seq_row(line) {
            seg.body.push(line.clone());
        } else if is_numbers_line(line) {
            block.segments.push(Segment { page: line.page, numbers: Some(line.clone()), ..Segment::default() });
        } else if header_repeats_at(lines, i) {
            // The header printed again without a banner: a new segment on the same page.
            block.segments.push(Segment { page: line.page, header: vec![line.clone()], ..Segment::default() });
        } else if is_prose(line) && !in_a_later_column(line, seg) {
            close(current.take(), &mut blocks, kind);
        } else {
            seg.body.push(line.clone());
        }
    }
    close(current, &mut blocks, kind);
    close_other(other, &mut others, placement);
    // A role seen twice where the first has no body: the first was a contents entry whose
    // following text was taken for a header, not the table.
    let bodies: Vec<bool> =
        blocks.iter().map(|b| b.segments.iter().any(|s| !s.body.is_empty() || s.numbers.is_some())).collect();
    let ids: Vec<String> = blocks.iter().map(|b| b.template.id.clone()).collect();
    let mut i = 0;
    blocks.retain(|_| {
        let keep = bodies[i] || !ids[i + 1..].contains(&ids[i]);
        i += 1;
        keep
    });
    (blocks, others, kind)
}

/// Page furniture over a table's lines: the page banner, a running heading, a bare table
/// number (`公开表3`).
fn is_furniture(line: &Line, banner: Option<&Banner>, running: &std::collections::BTreeSet<String>) -> bool {
    banner.is_some_and(|b| b.is_banner(line) || b.is_furniture(line))
        || running.contains(&crate::label::label_key(&line.text()))
        || crate::knowledge::templates::is_table_number(&line.text())
}

/// Whether a line of one cell, on a table's page not yet aligned into columns, starts where
/// the body's rows print their later cells (a label wrapped onto a line of its own, beside
/// no figure), not where they begin: a row's part, not running text after the table.
fn in_a_later_column(line: &Line, seg: &Segment) -> bool {
    let Some(&(start, _)) = line.spans.first() else {
        // A line of OCR'd words is aligned into the page's columns already (`| | 十六、金融
        // 支出， |`, a speck making a sentence of it): its cell tells.
        return line.filled().next().is_some_and(|(position, _)| position > 0)
            && seg.body.iter().any(|l| l.filled().nth(1).is_some());
    };
    let later = seg.body.iter().filter_map(|l| l.spans.get(1).map(|s| s.0)).min_by(f32::total_cmp);
    later.is_some_and(|x| start >= x)
}

/// An other table from its title and lines, per page: header lines up to the first line
/// with a figure (the first line alone in a table of words), body lines after. `None` for a
/// title with nothing under it (a contents entry, a heading).
/// Ends the other table being read, if any, and keeps it if it is one.
fn close_other(other: Option<(Line, Vec<Line>)>, others: &mut Vec<OtherBlock>, placement: geometry::Placement) {
    if let Some((title, lines)) = other {
        let block = other_block(title, lines, others, placement);
        others.extend(block);
    }
}

fn other_block(
    title: Line,
    mut lines: Vec<Line>,
    before: &[OtherBlock],
    placement: geometry::Placement,
) -> Option<OtherBlock> {
    // The running text the table ran into is not its.
    while lines.last().is_some_and(is_prose) {
        lines.pop();
    }
    let first_figure = lines.iter().position(has_figure);
    let mut header_lines = first_figure.unwrap_or(1);
    // Under a title printed again over a later page, the header is what ends with the last
    // line before the first figure that prints a word of the header before (the header
    // again, or a project's 项目名称 row); the other lines are rows carried over from the page
    // before, figures or not.
    let compact = |c: &str| crate::label::label_key(c);
    // (A title printed on a hundred pages is looked back at from each: its text is compared
    // as printed before it is normalised, and each header word normalised once.)
    let (printed, key) = (title.text(), compact(&title.text()));
    let same: Vec<&OtherBlock> = before
        .iter()
        .rev()
        .take_while(|p| p.title.page < title.page && (p.title.text() == printed || compact(&p.title.text()) == key))
        .collect();
    if !same.is_empty() {
        let cells: std::collections::BTreeSet<&str> = same
            .iter()
            .flat_map(|p| p.segments.iter().flat_map(|s| &s.header))
            .flat_map(|l| l.filled().map(|(_, c)| c))
            .collect();
        let words: std::collections::BTreeSet<String> = cells.into_iter().map(compact).collect();
        let before = &lines[..first_figure.unwrap_or(lines.len())];
        let last = before.iter().rposition(|l| l.filled().any(|(_, c)| words.contains(&compact(c))));
        header_lines = last.map_or(0, |last| last + 1);
        // A header cell's text wrapped onto a line of its own (`局`) is the header's too.
        while last.is_some() && header_lines < before.len() && before[header_lines].filled().count() == 1 {
            header_lines += 1;
        }
    }
    let body = &lines[header_lines.min(lines.len())..];
    // Under the header, no row of two cells or more and at most two lines: a contents entry,
    // a heading or a cover page. (More lines of one cell each are a table whose grid was not
    // read, an OCR page that lost its columns: kept, its words are all there is.)
    if body.len() <= 2 && !body.iter().any(|l| l.filled().nth(1).is_some()) {
        return None;
    }
    // Rows that name tables: the contents of a part (`五、单位预算表`, then `1. …总表`).
    let naming = body.iter().filter(|l| l.filled().any(|(_, c)| template::recognise(c).is_some())).count();
    if naming * 2 > body.len() {
        return None;
    }
    let mut segments: Vec<Segment> = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        if segments.last().is_none_or(|s| s.page != line.page) {
            segments.push(Segment { page: line.page, ..Segment::default() });
        }
        let segment = segments.last_mut().expect("pushed above");
        if i < header_lines {
            segment.header.push(line);
        } else {
            segment.body.push(line);
        }
    }
    geometry::align(&mut segments, placement);
    Some(OtherBlock { title, segments })
}

/// A table's first row, not its header: a line with figures that opens with the name of one
/// of the table's rows (`一、一般公共预算 | 866,296 | …`), where OCR lost the header above it.
fn opens_body(kind: Option<Kind>, id: &str, line: &Line) -> bool {
    let Some((_, first)) = line.filled().next() else { return false };
    // (A row may bear a column's name, 一般公共预算: the figures tell it from the header.)
    has_figure(line) && crate::knowledge::vocabulary::item(kind, id, &crate::label::label_key(first)).is_some()
}

/// True when the line names a column or header group of some template of the role `id`.
/// Whether the next line that is not blank names one of the table's columns.
fn next_names_columns(lines: &[Line], at: usize, kind: Option<Kind>, id: &str) -> bool {
    lines[at + 1..].iter().find(|l| !l.is_blank()).is_some_and(|next| names_columns(kind, id, next))
}

fn names_columns(kind: Option<Kind>, id: &str, line: &Line) -> bool {
    template::variants(kind.unwrap_or(Kind::Budget), id)
        .iter()
        .any(|t| t.vocabulary_score(line.filled().map(|(_, c)| c)) > 0)
}

/// Reads the table with the template of its role whose vocabulary its header words match
/// best (the Hebei and Shanghai layouts of one role differ in columns, not in titles).
fn choose_template(mut block: Block, kind: Kind) -> Block {
    let words: Vec<String> = block
        .segments
        .iter()
        .flat_map(|s| s.header.iter())
        .flat_map(|l| l.filled().map(|(_, c)| c.to_string()))
        .collect();
    if words.is_empty() {
        // No header read (OCR lost it): the one variant as wide as the rows are.
        let width = block.segments.iter().flat_map(|s| &s.body).map(|l| l.cells.len()).max().unwrap_or(0);
        let wide = |t: &&TableTemplate| t.first_column() + t.columns.len() == width;
        let fitting: Vec<&'static TableTemplate> =
            template::variants(kind, &block.template.id).into_iter().filter(wide).collect();
        if let [one] = fitting[..] {
            block.template = one;
        }
        return block;
    }
    let score = |t: &TableTemplate| t.vocabulary_score(words.iter().map(String::as_str));
    let current = score(block.template);
    if let Some(best) = template::variants(kind, &block.template.id).into_iter().max_by_key(|t| score(t))
        && score(best) > current
    {
        block.template = best;
    }
    block
}

/// True when a 栏次 line follows within a few lines (six: a continued page may open with
/// debris, a garbled unit line and two header lines), before any body row.
fn header_repeats_at(lines: &[Line], at: usize) -> bool {
    // On this page: the next page's header is the next table's (a row at the foot of a page
    // is not the header of the table that follows).
    let page = lines[at].page;
    lines[at..]
        .iter()
        .filter(|l| !l.is_blank())
        .take(6)
        .take_while(|l| !is_seq_row(l) && l.page == page)
        .any(is_numbers_line)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_table_number_set_apart_from_its_title_is_part_of_it() {
        let ids = |text: &str| -> Vec<String> {
            crate::testing::layout(text).blocks.iter().map(|b| b.template.id.clone()).collect()
        };
        let body = "单位:万元\n项目\t预算数\t项目\t预算数\n一般公共预算拨款收入\t10.00\t一般公共服务支出\t10.00\n";
        assert_eq!(ids(&format!("表1:\t2026年市级部门收支预算总表\n{body}")), ["summary"]);
        assert_eq!(ids(&format!("表1:\t2026\t年市级部门收支预算总表\n{body}")), ["summary"]);
        assert_eq!(ids(&format!("预算01\t表收支总表\n{body}")), ["summary"]);
        // An OCR confusion in the title (`data/ocr/confusions.toml`) undone before matching.
        let gpb = "单位:万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t10.00\t\n";
        assert_eq!(ids(&format!("表5:\t2026年市级部门一般公共和预算支出预算表\n{gpb}")), ["gpb_expense"]);
        // A speck OCR read into the number (`表5$:`) is no part of it.
        assert_eq!(ids(&format!("表5$:\t2026\t年市级部门一般公共预算支出预算表\n{gpb}")), ["gpb_expense"]);
        assert!(ids(&format!("说明:\t2026年市级部门收支预算总表\n{body}")).is_empty(), "only a table's number");
        // The number itself split (`预算 | 10 | 表…`): the next table's title, so the one
        // before ends there and does not take its rows.
        let three = "预算09表财政拨款“三公”经费支出表\n单位:万元\n项目\t预算数\n因公出国(境)费用\t14.85\n";
        let text =
            format!("{three}\u{c}预算\t10\t表政府采购预算明细表\n金额单位:万元\n采购类别\t金额\nA-货物\t12.50\n");
        let layout = crate::testing::layout(&text);
        let others: Vec<String> = layout.others.iter().map(|o| o.title.text()).collect();
        assert_eq!(others.len(), 1, "{others:?}");
        assert_eq!(layout.blocks.iter().flat_map(|b| &b.segments).map(|s| s.body.len()).sum::<usize>(), 1);
    }

    #[test]
    fn a_title_cut_inside_its_qualifier_is_one_title() {
        let econ = "单位:万元\n科目编码\t科目名称\t合计\n301\t工资福利支出\t10.00\n";
        let ids = |text: &str| -> Vec<String> {
            crate::testing::layout(text).blocks.iter().map(|b| b.template.id.clone()).collect()
        };
        let title = "一般公共预算基本支出情况表〈按经济分类\t科目)";
        assert_eq!(ids(&format!("{title}\n{econ}")), ["gpb_basic_expense"]);
        assert!(ids(&format!("一般公共预算基本支出情况表\t科目)\n{econ}")).is_empty(), "no bracket opened");
        let expense =
            "单位:万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t10.00\t\n";
        assert_eq!(ids(&format!("支出总表(预算表\t3\t)\n{expense}")), ["expense"]);
        // Its closing bracket lost, after the table's number (not a contents entry's page).
        assert_eq!(ids(&format!("支出总表(预算表3\n{expense}")), ["expense"]);
        assert!(ids(&format!("支出总表(见第3\n{expense}")).is_empty(), "no table's number");
        // Cut where its line ends, one cell, the rest wrapped below.
        assert_eq!(ids(&format!("一般公共预算基本支出情况表〈按经济\n分类科目)\n{econ}")), ["gpb_basic_expense"]);
    }

    #[test]
    fn a_page_that_opens_with_a_word_of_the_header_or_of_a_label_goes_on() {
        let head = "一般公共预算支出情况表\n单位:万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n\
                    201\t一般公共服务支出\t10.00\t6.00\t4.00\n";
        let rows = |layout: &crate::layout::Layout| -> usize {
            layout.blocks.iter().flat_map(|b| &b.segments).map(|s| s.body.len()).sum()
        };
        // `功能` over the header printed again.
        let header =
            format!("{head}\u{c}功能\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n205\t教育支出\t3.00\t3.00\t0.00\n");
        let layout = crate::testing::layout(&header);
        assert_eq!((rows(&layout), layout.stray_rows.len()), (2, 0));
        // `中心`, the end of the last row's label, over the next row.
        let label = format!("{head}\u{c}中心\n20102\t政协事务\t2.00\t1.00\t1.00\n");
        let layout = crate::testing::layout(&label);
        assert_eq!((rows(&layout), layout.stray_rows.len()), (3, 0));
    }

    #[test]
    fn rows_outside_every_table_are_told_from_sentences() {
        let text = "一般公共预算基本支出情况表\n单位:万元\n科目编码\t科目名称\t合计\t人员经费\n\
                    301\t工资福利支出\t10.00\t10.00\n\
                    以上为本部门基本支出预算的情况，下面说明其他事项的安排。\n\
                    302\t商品和服务支出\t5.00\t3.00\n\
                    支出\t8.00\t万元，比上年增加\t1.00\n";
        let layout = crate::testing::layout(text);
        let stray: Vec<String> = layout.stray_rows.iter().map(crate::page::Line::text).collect();
        assert_eq!(layout.blocks.len(), 1);
        assert_eq!(stray.len(), 1, "{stray:?}");
        assert!(stray[0].contains("商品和服务支出"));
    }

    #[test]
    fn a_title_an_ocr_text_set_out_in_pieces_is_one_title() {
        let ids = |text: &str| -> Vec<String> {
            crate::testing::layout(text).blocks.iter().map(|b| b.template.id.clone()).collect()
        };
        let body = "单位:万元\n项目\t预算数\t项目\t预算数\n一、一般公共预算拨款\t10.00\t一、一般公共服务支出\t10.00\n";
        assert_eq!(ids(&format!("财政\t拨款收支总体情况表\n{body}")), ["fiscal_summary"], "cut by a wide gap");
        assert_eq!(ids(&format!("收支\n总体情况表\n{body}")), ["summary"], "its start a line above");
        assert!(ids(&format!("财政\t拨款收支总体情况表\t5\n{body}")).is_empty(), "a contents entry");
        assert_eq!(ids(&format!("2026\t年\t财政\t拨款收支总体情况表\n{body}")), ["fiscal_summary"], "a year leads");
        let title = "本年财政\t拨款收支总表 ( 预算表\t4\t)";
        assert_eq!(ids(&format!("{title}\n{body}")), ["fiscal_summary"], "a qualifier closes it");
        assert_eq!(ids(&format!("财政拨款收支总表 (〈预算表\t4\t)\n{body}")), ["fiscal_summary"], "its bracket first");
        let econ = "单位:万元\n科目编码\t科目名称\t合计\n301\t工资福利支出\t10.00\n";
        let title = "一般公共预算基本支出情况表〈按经济分类\t科目\n";
        assert_eq!(ids(&format!("{title}{econ}")), ["gpb_basic_expense"], "its qualifier cut at the line's end");
        assert!(ids(&format!("一般公共预算基本支出情况表〈\t12\n{econ}")).is_empty(), "a contents entry");
        let title = "一般公共预算基本支出情况表\t〈按经济分类科目)\n";
        assert_eq!(ids(&format!("{title}{econ}")), ["gpb_basic_expense"], "its qualifier set apart");
        // Its qualifier's rest on the next line is the title's, not a header word.
        let layout = crate::testing::layout(&format!("一般公共预算\t基本支出情况表〈按经济\n分类科目)\n{econ}"));
        let headers: Vec<String> = layout.blocks[0].segments[0].header.iter().map(crate::page::Line::text).collect();
        assert!(headers.iter().all(|h| !h.contains("分类科目)")), "{headers:?}");
        // A year inside the words (a department's name before it) and the number apart: the
        // next table's title, which ends this one.
        let next = "\u{c}长春市信访局2026\t年项目支出绩效目标表(预算表\t11\t)\n项目名称\t一级指标\t指标值\n专项经费\t产出指标\t40\n";
        let layout = crate::testing::layout(&format!("财政拨款收支总表\n{body}{next}"));
        let rows: usize = layout.blocks[0].segments.iter().map(|s| s.body.len()).sum();
        assert_eq!(rows, 1, "the next table's lines are not this one's rows");
    }
}
