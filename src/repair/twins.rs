//! The header of a table printing its columns in twin blocks (`当年预算 | 上年结转结余`, each
//! over `小计 | 基本支出 (小计 | 人员经费 | 公用经费) | 项目支出`) as OCR reads it:
//!
//! - a leaf OCR garbled in one block (`林寺`, `不证` for 小计) is the leaf printed at its place
//!   in the other (`header-twin-block`): the blocks repeat one list of leaves, which the leaves
//!   both blocks print legibly show, at the period where they all agree;
//! - where no rulings were drawn, a heading is where OCR boxed it, centred over its columns
//!   (`当年预算` over 人员经费, the middle of its five; `基本支出` over the same, the middle of
//!   its three), and the reading of merged headings wants it in its first column, as a ruled
//!   cell gives it: a heading over a leaf that is no total, left of which stand as many totals
//!   under no heading as headings are stacked there, and as many columns right of it, is set
//!   over those totals, the outermost over the furthest.
//!
//! Both change a copy of the block the header is then read from.

use super::grid::Log;
use super::printed::{TOTALS, body_profile, ocr_header, unit_line};
use crate::label::{label_key, nfkc};
use crate::layout::Block;
use crate::model::Location;

/// One header position's words: (header line index, text), top to bottom.
type Words = Vec<(usize, String)>;

/// The block with its twin blocks' garbled leaves and centred headings set right, or `None`
/// where nothing changes.
pub fn regrouped(block: &Block, log: &mut Log) -> Option<Block> {
    // (Neither OCR'd nor set in columns by alignment: a ruled text layer's, as printed.)
    let (ocr, aligned) = (ocr_header(block), block.aligned);
    if block.template.transposed || block.template.two_sided || !(ocr || aligned) {
        return None;
    }
    let segment = block.segments.iter().position(|s| !s.header.is_empty())?;
    let figures: Vec<usize> = {
        let width = block.segments[segment].header.iter().map(|l| l.cells.len()).max()?;
        (0..width)
            .filter(|&p| {
                let (figures, codes, small, words) = body_profile(block, p);
                figures >= 2 && figures > codes + small + words
            })
            .collect()
    };
    let mut out = block.clone();
    let mut changed = false;
    if ocr {
        changed |= mirror(&mut out, segment, &figures, log);
    }
    if aligned {
        changed |= uncentre(&mut out, segment, &figures);
    }
    changed.then_some(out)
}

/// The words at each position of a segment's header (unit lines left out).
fn words(block: &Block, segment: usize) -> Vec<Words> {
    let header = &block.segments[segment].header;
    let width = header.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    let mut out: Vec<Words> = vec![Vec::new(); width];
    for (k, line) in header.iter().enumerate().filter(|(_, l)| !unit_line(l)) {
        for (p, text) in line.filled() {
            out[p].push((k, text.to_string()));
        }
    }
    out
}

/// Whether a name is a leaf or heading some table prints: a total, a measure of this table, a
/// template column's name.
fn known(block: &Block, key: &str) -> bool {
    TOTALS.contains(&key)
        || crate::knowledge::vocabulary::measure(None, &block.template.id, key).is_some()
        || crate::knowledge::templates::is_column_name(key)
}

/// The leaf of a position: the index of its first word and its key, the longest run of the
/// bottom words that is a known name.
fn leaf(block: &Block, words: &Words) -> Option<(usize, String)> {
    (0..words.len()).find_map(|i| {
        let key = label_key(&nfkc(&words[i..].iter().map(|(_, w)| w.as_str()).collect::<String>()));
        known(block, &key).then_some((i, key))
    })
}

/// The period of the twin blocks ending at the table's last figure column: the one at which
/// the legible leaves of the last two blocks all agree, two at least.
fn period(leaves: &[Option<String>], figures: &[usize]) -> Option<usize> {
    let (&first, &last) = (figures.first()?, figures.last()?);
    let end = last + 1;
    (1..=(end - first) / 2)
        .filter_map(|p| {
            let pairs: Vec<(usize, usize)> = (end - 2 * p..end - p).map(|i| (i, i + p)).collect();
            if pairs.iter().any(|&(i, j)| !figures.contains(&i) || !figures.contains(&j)) {
                return None;
            }
            let both: Vec<(&String, &String)> =
                pairs.iter().filter_map(|&(i, j)| Some((leaves[i].as_ref()?, leaves[j].as_ref()?))).collect();
            let agree = both.iter().filter(|(a, b)| a == b).count();
            (agree >= 2 && agree == both.len() && both.len() < pairs.len()).then_some((p, agree))
        })
        .max_by_key(|&(p, agree)| (agree, std::cmp::Reverse(p)))
        .map(|(p, _)| p)
}

/// Sets each leaf OCR garbled in one of the last two blocks to its twin's.
fn mirror(block: &mut Block, segment: usize, figures: &[usize], log: &mut Log) -> bool {
    let words = words(block, segment);
    let leaves: Vec<Option<(usize, String)>> = words.iter().map(|w| leaf(block, w)).collect();
    let keys: Vec<Option<String>> = leaves.iter().map(|l| l.as_ref().map(|(_, k)| k.clone())).collect();
    let Some(p) = period(&keys, figures) else { return false };
    let end = figures.last().map_or(0, |l| l + 1);
    let mut changed = false;
    for i in end - 2 * p..end - p {
        let (garbled, twin) = match (&leaves[i], &leaves[i + p]) {
            (None, Some(_)) => (i, i + p),
            (Some(_), None) => (i + p, i),
            _ => continue,
        };
        let Some((start, name)) = leaves[twin].clone() else { continue };
        let leaf_words = &words[twin][start..];
        let from = leaf_words.first().map_or(0, |(k, _)| *k);
        // The garbled leaf: the words at its place on the twin's leaf lines and below.
        let raw: Vec<&(usize, String)> = words[garbled].iter().filter(|(k, _)| *k >= from).collect();
        let header = &mut block.segments[segment].header;
        for (k, _) in &raw {
            header[*k].cells[garbled].clear();
        }
        for (k, text) in leaf_words {
            let line = &mut header[*k];
            if line.cells.len() <= garbled {
                line.cells.resize(garbled + 1, String::new());
                line.boxes.resize(garbled + 1, None);
            }
            line.cells[garbled].clone_from(text);
        }
        let raw: Vec<&str> = raw.iter().map(|(_, w)| w.as_str()).collect();
        let at = Location {
            page: block.title.page,
            line: header[from].number,
            table: Some(block.template.id.clone()),
            row: None,
            column: Some(name.clone()),
        };
        log.record(at, "header-twin-block", &raw.join(" "), &name);
        changed = true;
    }
    changed
}

/// Sets each heading OCR boxed centred over its block's columns over the block's first.
fn uncentre(block: &mut Block, segment: usize, figures: &[usize]) -> bool {
    let words = words(block, segment);
    let leaves: Vec<Option<(usize, String)>> = words.iter().map(|w| leaf(block, w)).collect();
    let total =
        |p: usize| leaves.get(p).and_then(Option::as_ref).is_some_and(|(i, k)| *i == 0 && TOTALS.contains(&k.as_str()));
    let mut moves: Vec<(usize, usize, usize)> = Vec::new(); // (line, from, to)
    for &q in figures {
        let Some((start, key)) = &leaves[q] else { continue };
        let headings = &words[q][..*start];
        let k = headings.len();
        if k == 0 || TOTALS.contains(&key.as_str()) {
            continue;
        }
        let named = headings.iter().all(|(_, w)| {
            let key = label_key(&nfkc(w));
            !TOTALS.contains(&key.as_str())
                && crate::knowledge::vocabulary::measure(None, &block.template.id, &key).is_some()
        });
        let fits = q >= k && (1..=k).all(|d| figures.contains(&(q - d)) && total(q - d)) && figures.contains(&(q + k));
        if !named || !fits {
            continue;
        }
        let header = &block.segments[segment].header;
        let free = headings
            .iter()
            .enumerate()
            .all(|(h, (line, _))| header[*line].cells.get(q - k + h).is_none_or(|c| c.trim().is_empty()));
        if free {
            // Outermost (topmost) over the furthest total.
            moves.extend(headings.iter().enumerate().map(|(h, (line, _))| (*line, q, q - k + h)));
        }
    }
    let header = &mut block.segments[segment].header;
    for &(line, from, to) in &moves {
        let line = &mut header[line];
        let text = std::mem::take(&mut line.cells[from]);
        let cell_box = line.boxes.get_mut(from).and_then(Option::take);
        if line.cells.len() <= to {
            line.cells.resize(to + 1, String::new());
        }
        line.cells[to] = text;
        if let Some(b) = line.boxes.get_mut(to) {
            *b = cell_box;
        }
    }
    !moves.is_empty()
}

#[cfg(test)]
mod tests {
    use crate::knowledge::templates::TEMPLATES;
    use crate::layout::{Block, Segment};
    use crate::page::CellBox;
    use crate::testing::line;

    /// The value columns (key, path) of a 一般公共预算支出表 whose header OCR read as `header`
    /// (a cell per column, tab-separated; no rulings: `aligned`), and the rules of the repairs.
    fn columns(header: &[&str]) -> (Vec<(String, String)>, Vec<String>) {
        let template = TEMPLATES[0].tables.iter().find(|t| t.id == "gpb_expense").expect("template");
        let body = "2014001\t行政运行\t903.85\t903.85\t903.85\t692.85\t211.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00";
        let ocr = |mut l: crate::page::Line| {
            let b = CellBox { x0: 0.0, top: 0.0, x1: 1.0, bottom: 1.0, confidence: Some(90.0) };
            l.boxes = l.cells.iter().map(|c| (!c.is_empty()).then_some(b)).collect();
            l
        };
        let block = Block {
            template,
            title: line(1, "一般公共预算支出表"),
            title_variant: None,
            segments: vec![Segment {
                page: 1,
                header: header.iter().enumerate().map(|(i, h)| ocr(line(i as u32 + 2, h))).collect(),
                numbers: None,
                body: (0..3).map(|i| line(20 + i, body)).collect(),
            }],
            notes: vec![],
            unit: None,
            aligned: true,
        };
        let mut log = super::Log::default();
        let grid = super::super::grid(&block, &mut log);
        let columns = grid.columns.iter().skip(2).map(|c| (c.key.clone(), c.path.join("/"))).collect();
        (columns, log.repairs.iter().map(|r| r.rule.clone()).collect())
    }

    #[test]
    fn twin_blocks_ocr_read_without_rulings_are_read_as_printed() {
        // 长春's 一般公共预算支出表 in tesseract's TSV: 当年预算 and 基本支出 centred over
        // 人员经费 (the middle of their five and three columns), as are 上年结转结余 and its
        // 基本支出; the first block's two 小计 garbled (`林寺`, `不证`), its 项目支出 wrapped.
        let (got, rules) = columns(&[
            "\t\t\t\t\t当年预算\t\t\t\t\t上年结转结余",
            "\t功能分类科目名称\t合计\t\t\t基本支出\t\t\t\t\t基本支出",
            "码\t\t\t林寺\t\t\t\t项目支\t小\t\t\t\t项目支出",
            "\t\t\t\t不证\t人员经\t公用经\t出\t计\t小\t人员经\t公用经",
            "\t\t\t\t\t费\t费\t\t\t计\t费\t费",
        ]);
        let want = [
            ("合计", ""),
            ("小计", "当年预算"),
            ("基本支出", "当年预算/基本支出"),
            ("人员经费", "当年预算"),
            ("公用经费", "当年预算"),
            ("项目支出", "当年预算"),
            ("上年结转结余/小计", "上年结转结余"),
            ("上年结转结余/基本支出/小计", "上年结转结余/基本支出"),
            ("上年结转结余/人员经费", "上年结转结余"),
            ("上年结转结余/公用经费", "上年结转结余"),
            ("上年结转结余/项目支出", "上年结转结余"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(k, p)| (k.to_string(), p.to_string())).collect();
        assert_eq!(got, want);
        assert_eq!(rules.iter().filter(|r| *r == "header-twin-block").count(), 2, "{rules:?}");
    }

    #[test]
    fn a_heading_over_its_first_column_stays_there() {
        // Ruled (a merged cell's words in its first column): nothing to move or mirror.
        let (got, rules) = columns(&[
            "\t\t\t当年预算\t\t\t\t\t上年结转结余",
            "\t\t\t\t基本支出\t\t\t\t\t基本支出",
            "科目编码\t科目名称\t合计\t小计\t小计\t人员经费\t公用经费\t项目支出\t小计\t小计\t人员经费\t公用经费\t项目支出",
        ]);
        assert_eq!(got[1], ("小计".to_string(), "当年预算".to_string()));
        assert_eq!(got[2], ("基本支出".to_string(), "当年预算/基本支出".to_string()));
        assert_eq!(got[7], ("上年结转结余/基本支出/小计".to_string(), "上年结转结余/基本支出".to_string()));
        assert!(!rules.iter().any(|r| r == "header-twin-block"), "{rules:?}");
    }
}
