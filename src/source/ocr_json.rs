//! Reading the JSON of PP-OCR engines — RapidOCR (`[[box, text, score], …]`), PaddleOCR 2
//! (`[[[box, [text, score]], …]]`), PaddleOCR 3 (`{"rec_texts", "rec_scores", "rec_polys"}`
//! or `rec_boxes`, under `res` or not) and plain objects (`text`/`transcription`,
//! `box`/`bbox`/`points`/`poly`, `score`/`confidence`) — into pages of words. A file holds
//! one page (a list of text lines) or several (a list of pages).
//!
//! These engines find text lines, not words, each with its quadrilateral; a scan's skew
//! tilts them, so each page is straightened by the median slope of its lines' top edges
//! before the boxes are taken (a row of a skewed table is then one row again). A line's
//! text set apart by spaces is split into words, placed by estimated advance.

use serde_json::Value;

use crate::page::{Page, Word};

/// One text line as an engine gives it: its corners (x, y in pixels), text and confidence
/// (0–1).
#[derive(Debug, Clone)]
struct Item {
    corners: Vec<(f32, f32)>,
    text: String,
    score: f32,
}

/// Pages of PP-OCR JSON; `Err` says why the text is not that.
pub fn json(text: &str) -> Result<Vec<Page>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let pages = pages(&value);
    if pages.iter().all(Vec::is_empty) {
        return Err("JSON without OCR text lines (expected PaddleOCR or RapidOCR output: boxes with text and score)"
            .to_string());
    }
    Ok(pages.into_iter().enumerate().map(|(i, items)| page(u32::try_from(i + 1).unwrap_or(u32::MAX), items)).collect())
}

/// The pages a value holds: itself as one page, or each element of a list of pages.
fn pages(value: &Value) -> Vec<Vec<Item>> {
    if let Some(items) = one_page(value) {
        return vec![items];
    }
    match value {
        Value::Object(map) => {
            ["res", "result", "pages", "data"].iter().find_map(|k| map.get(*k)).map(pages).unwrap_or_default()
        }
        Value::Array(list) => list.iter().flat_map(pages).collect(),
        _ => Vec::new(),
    }
}

/// A page: a PaddleOCR 3 result object, or a list of text lines (an empty list is a page
/// with no text).
fn one_page(value: &Value) -> Option<Vec<Item>> {
    match value {
        Value::Object(map) => {
            let texts = map.get("rec_texts")?.as_array()?;
            let scores = map.get("rec_scores").and_then(Value::as_array);
            let boxes = ["rec_polys", "dt_polys", "rec_boxes"].iter().find_map(|k| map.get(*k)?.as_array())?;
            Some(
                texts
                    .iter()
                    .zip(boxes)
                    .enumerate()
                    .filter_map(|(i, (t, b))| {
                        let score = scores.and_then(|s| s.get(i)).and_then(Value::as_f64).unwrap_or(1.0) as f32;
                        Some(Item { corners: corners(b)?, text: t.as_str()?.to_string(), score })
                    })
                    .collect(),
            )
        }
        Value::Array(list) => {
            let items: Vec<Item> = list.iter().filter_map(item).collect();
            (items.len() == list.len() && (!items.is_empty() || list.is_empty())).then_some(items)
        }
        _ => None,
    }
}

/// One text line: `[box, text, score]`, `[box, [text, score]]` or an object.
fn item(value: &Value) -> Option<Item> {
    match value {
        Value::Array(parts) => {
            let corners = corners(parts.first()?)?;
            let (text, score) = match (parts.get(1)?, parts.get(2)) {
                (Value::String(t), score) => (t.clone(), score.and_then(Value::as_f64).unwrap_or(1.0)),
                (Value::Array(pair), _) => {
                    (pair.first()?.as_str()?.to_string(), pair.get(1).and_then(Value::as_f64).unwrap_or(1.0))
                }
                _ => return None,
            };
            Some(Item { corners, text, score: score as f32 })
        }
        Value::Object(map) => {
            let text = ["text", "transcription", "rec_text"].iter().find_map(|k| map.get(*k)?.as_str())?;
            let corners = ["box", "bbox", "points", "poly", "dt_poly"].iter().find_map(|k| corners(map.get(*k)?))?;
            let score = ["score", "confidence", "rec_score"].iter().find_map(|k| map.get(*k)?.as_f64()).unwrap_or(1.0);
            Some(Item { corners, text: text.to_string(), score: score as f32 })
        }
        _ => None,
    }
}

/// Corners from `[[x, y], …]`, `[x0, y0, x1, y1]` (a box) or `[x0, y0, …, x3, y3]`.
fn corners(value: &Value) -> Option<Vec<(f32, f32)>> {
    let list = value.as_array()?;
    let number = |v: &Value| v.as_f64().map(|n| n as f32);
    if let Some(points) = list
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            Some((number(p.first()?)?, number(p.get(1)?)?))
        })
        .collect::<Option<Vec<_>>>()
        && points.len() >= 2
    {
        return Some(points);
    }
    let n: Vec<f32> = list.iter().map(number).collect::<Option<_>>()?;
    match n.len() {
        4 => Some(vec![(n[0], n[1]), (n[2], n[1]), (n[2], n[3]), (n[0], n[3])]),
        8 => Some(n.chunks(2).map(|c| (c[0], c[1])).collect()),
        _ => None,
    }
}

/// The page's slope: the median of its lines' top edges (first corner to second), over
/// lines at least three times as wide as tall.
fn slope(items: &[Item]) -> f32 {
    let mut slopes: Vec<f32> = items
        .iter()
        .filter_map(|i| {
            let (a, b) = (*i.corners.first()?, *i.corners.get(1)?);
            let (w, h) = extent(&i.corners);
            (b.0 - a.0 > 0.0 && w > 3.0 * h).then(|| (b.1 - a.1) / (b.0 - a.0))
        })
        .collect();
    slopes.sort_by(f32::total_cmp);
    slopes.get(slopes.len() / 2).copied().unwrap_or(0.0)
}

fn extent(corners: &[(f32, f32)]) -> (f32, f32) {
    let (x0, x1) = corners.iter().fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = corners.iter().fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    (x1 - x0, y1 - y0)
}

fn page(number: u32, items: Vec<Item>) -> Page {
    let slope = slope(&items);
    // Straightened: each corner turned back by the page's slope (about the origin).
    let upright = super::ocr_output::turned_back(slope, (0.0, 0.0));
    let boxes: Vec<(Item, [f32; 4])> = items
        .into_iter()
        .filter(|i| !i.text.trim().is_empty())
        .map(|i| {
            let points: Vec<(f32, f32)> = i.corners.iter().map(|&p| upright(p)).collect();
            let x0 = points.iter().map(|p| p.0).fold(f32::MAX, f32::min);
            let x1 = points.iter().map(|p| p.0).fold(f32::MIN, f32::max);
            let y0 = points.iter().map(|p| p.1).fold(f32::MAX, f32::min);
            let y1 = points.iter().map(|p| p.1).fold(f32::MIN, f32::max);
            (i, [x0, y0, x1, y1])
        })
        .collect();
    // The page's size is not given: its text's extent with a margin as wide as its left one.
    let right = boxes.iter().map(|(_, b)| b[2]).fold(0.0, f32::max);
    let left = boxes.iter().map(|(_, b)| b[0]).fold(f32::MAX, f32::min).max(0.0);
    let bottom = boxes.iter().map(|(_, b)| b[3]).fold(0.0, f32::max);
    let (width, height) = (right + left, bottom + left);
    let scale = super::ocr_output::scale(width, height);
    let lines: Vec<Vec<Word>> = boxes
        .into_iter()
        .map(|(i, [x0, y0, x1, y1])| {
            words(&i.text, x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale, i.score)
        })
        .collect();
    super::ocr_output::page(number, width, height, scale, crate::page::level(lines))
}

/// A line's words: its text split at spaces, each placed by estimated advance (a CJK
/// character one em, others a little over half).
fn words(text: &str, left: f32, top: f32, width: f32, height: f32, score: f32) -> Vec<Word> {
    use crate::page::advance;
    let total: f32 = text.trim().chars().map(advance).sum();
    let unit = width / total.max(0.01);
    let mut out = Vec::new();
    let mut x = left;
    for part in text.trim().split(' ') {
        let w: f32 = part.chars().map(advance).sum::<f32>() * unit;
        if !part.is_empty() {
            out.push(Word { text: part.to_string(), left: x, top, width: w, height, confidence: score * 100.0 });
        }
        x += w + advance(' ') * unit;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_producers_form_is_read() {
        let rapid = r#"[[[[100,100],[400,100],[400,150],[100,150]],"合计",0.99],[[[500,100],[700,100],[700,150],[500,150]],"738.05",0.98]]"#;
        let paddle2 = r#"[[[[[100,100],[400,100],[400,150],[100,150]],["合计",0.99]],[[[500,100],[700,100],[700,150],[500,150]],["738.05",0.98]]]]"#;
        let paddle3 = r#"{"res":{"rec_texts":["合计","738.05"],"rec_scores":[0.99,0.98],"rec_boxes":[[100,100,400,150],[500,100,700,150]]}}"#;
        let objects = r#"[{"transcription":"合计","points":[[100,100],[400,100],[400,150],[100,150]]},{"text":"738.05","bbox":[500,100,700,150],"score":0.98}]"#;
        for (name, text) in [("rapid", rapid), ("paddle2", paddle2), ("paddle3", paddle3), ("objects", objects)] {
            let pages = json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(pages.len(), 1, "{name}");
            let texts: Vec<_> = pages[0].glyphs.iter().map(|g| g.text.clone().unwrap().to_string()).collect();
            assert_eq!(texts, ["合计", "738.05"], "{name}");
            assert_eq!(pages[0].glyphs[0].y, pages[0].glyphs[1].y, "{name}: one row");
        }
        let two = format!("[{rapid},[]]");
        assert_eq!(json(&two).unwrap().len(), 2, "a list of pages, an empty one kept");
        assert!(json(r#"{"documents": 3}"#).is_err());
        assert!(json("not json").is_err());
    }

    #[test]
    fn a_skewed_row_is_straightened_into_one_row() {
        // Two lines of one row on a page tilted by 1°: the right one 17 px lower.
        let t = 1f32.to_radians().tan();
        let at = |x: f32, y: f32| format!("[{x},{}]", y + x * t);
        let item = |x0: f32, x1: f32, text: &str| {
            format!("[[{},{},{},{}],\"{text}\",0.9]", at(x0, 100.0), at(x1, 100.0), at(x1, 150.0), at(x0, 150.0))
        };
        let text = format!("[{},{}]", item(100.0, 400.0, "合计"), item(1000.0, 1200.0, "738.05"));
        let pages = json(&text).unwrap();
        let (a, b) = (pages[0].glyphs[0].y, pages[0].glyphs[1].y);
        assert!((a - b).abs() < 0.01, "{a} {b}");
    }
}
