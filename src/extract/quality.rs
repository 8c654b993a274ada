//! The per-page quality gate of a PDF text layer: a page whose glyphs mostly have no
//! Unicode (no ToUnicode map), map into the private-use area, or are control characters
//! cannot be read from its text layer; it is reported (for OCR to pick up) and its glyphs
//! are withheld. A page with no text but an image is a scan: reported the same way.
//!
//! A scan with a hidden OCR layer (invisible glyphs over a page-sized image) is OCR output
//! of unknown quality, not a text layer: it is held to an OCR layer's checks. OCR debris —
//! Latin letters, `|`, `<`, `>`, `~` and kin, which a budget disclosure's text almost never
//! holds but OCR of ruled tables produces from rulings and specks — must stay under
//! [`MAX_DEBRIS_SHARE`] of its characters; a layer above that is reported and withheld, so
//! the page is OCR'd afresh. A layer that passes is used, and its page counts as OCR.

use crate::model::{Finding, FindingKind, Severity, TextSource};
use crate::page::Page;

/// Share of bad glyphs above which a page's text layer is not used.
const MAX_BAD_SHARE: f32 = 0.1;

/// Share of OCR debris characters above which a hidden OCR layer is not used. Measured:
/// the tesseract layer of the three ruled pages of `samples/scan/*-ocr-layer.pdf` holds
/// 0.6 %, 1.1 % and 1.8 % (and reads worse than gongkai's own OCR of the same page, which
/// finds the rulings); a clean layer (no rulings read as `|`) holds none.
const MAX_DEBRIS_SHARE: f32 = 0.005;

/// Share of a page an image must cover, and of its glyphs that must be invisible, for the
/// page to be a scan with a hidden OCR layer.
const SCAN_COVER: f32 = 0.8;

/// Returns the page to lay out (without glyphs when unusable) and records why.
pub fn gate(page: Page, findings: &mut Vec<Finding>) -> Page {
    let total = page.glyphs.len();
    let bad = page.glyphs.iter().filter(|g| g.text.as_deref().is_none_or(is_garbled)).count();
    let hidden = total > 0 && page.image_cover >= SCAN_COVER && page.invisible as f32 >= total as f32 * SCAN_COVER;
    let reason = if total == 0 && page.images > 0 {
        Some("no text layer (an image only: a scan); needs OCR".to_string())
    } else if total >= 10 && bad as f32 > total as f32 * MAX_BAD_SHARE {
        Some(format!(
            "{bad} of {total} glyphs have no usable Unicode (no ToUnicode map, private-use or control characters); needs OCR"
        ))
    } else if hidden {
        let chars: Vec<char> = page.glyphs.iter().filter_map(|g| g.text.as_deref()).flat_map(str::chars).collect();
        let debris: String = chars.iter().filter(|c| is_debris(**c)).collect();
        if debris.chars().count() as f32 > chars.len() as f32 * MAX_DEBRIS_SHARE {
            Some(format!(
                "a hidden OCR layer under a scan fails the quality check: {} of {} characters are OCR debris ({}); needs OCR",
                debris.chars().count(),
                chars.len(),
                debris.chars().take(12).collect::<String>()
            ))
        } else {
            None
        }
    } else {
        None
    };
    let Some(reason) = reason else {
        let source = if hidden { TextSource::Ocr } else { page.source };
        return Page { source, ..page };
    };
    let mut f =
        Finding::new(Severity::Warning, FindingKind::UnusableTextLayer, format!("page {}: {reason}", page.number));
    f.page = Some(page.number);
    findings.push(f);
    Page { glyphs: Vec::new(), ..page }
}

fn is_garbled(text: &str) -> bool {
    text.chars()
        .any(|c| c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) || (c.is_control() && !c.is_whitespace()))
}

/// A character OCR makes of rulings and specks that a disclosure's text almost never holds.
fn is_debris(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '|' | '<' | '>' | '~' | '_' | '\\' | '{' | '}' | '[' | ']' | '^' | '`' | '@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Glyph;

    fn page(texts: &[Option<&str>]) -> Page {
        let glyphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Glyph {
                text: t.map(Into::into),
                x: i as f32 * 10.0,
                y: 50.0,
                size: 10.0,
                width: 10.0,
                confidence: None,
            })
            .collect();
        Page { number: 3, width: 600.0, height: 800.0, glyphs, ..Page::default() }
    }

    #[test]
    fn a_page_without_unicode_is_withheld_and_reported() {
        let mut findings = Vec::new();
        let out = gate(page(&[None; 20]), &mut findings);
        assert!(out.glyphs.is_empty());
        assert_eq!(findings[0].kind, FindingKind::UnusableTextLayer);
        assert_eq!(findings[0].page, Some(3));
    }

    #[test]
    fn private_use_text_is_unusable_but_clean_text_passes() {
        let mut findings = Vec::new();
        assert!(gate(page(&[Some("\u{e001}"); 12]), &mut findings).glyphs.is_empty());
        assert_eq!(gate(page(&[Some("部"); 12]), &mut findings).glyphs.len(), 12);
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn a_hidden_ocr_layer_is_held_to_the_debris_check() {
        let scan =
            |texts: &[Option<&str>]| Page { image_cover: 1.0, invisible: texts.len() as u32, images: 1, ..page(texts) };
        let mut findings = Vec::new();
        let clean = gate(scan(&[Some("部"); 200]), &mut findings);
        assert_eq!((clean.glyphs.len(), clean.source), (200, TextSource::Ocr), "a clean layer is used, as OCR");
        let mut texts = vec![Some("部"); 200];
        texts[..4].fill(Some("|"));
        assert!(gate(scan(&texts), &mut findings).glyphs.is_empty(), "2 % debris");
        assert!(findings[0].message.contains("hidden OCR layer"), "{}", findings[0].message);
        // The same glyphs visible, over no image, are a text layer and pass.
        assert_eq!(gate(page(&texts), &mut findings).source, TextSource::TextLayer);
    }
}
