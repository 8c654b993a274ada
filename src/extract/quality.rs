//! The per-page quality gate of a PDF text layer: a page whose glyphs mostly have no
//! Unicode (no ToUnicode map), map into the private-use area, or are control characters
//! cannot be read from its text layer; it is reported (for OCR to pick up) and its glyphs
//! are withheld. A page with no text but an image is a scan: reported the same way.

use super::pdf::Page;
use crate::model::{Finding, Severity};

/// Share of bad glyphs above which a page's text layer is not used.
const MAX_BAD_SHARE: f32 = 0.1;

/// Returns the page to lay out (without glyphs when unusable) and records why.
pub fn gate(page: &Page, findings: &mut Vec<Finding>) -> Page {
    let total = page.glyphs.len();
    let bad = page.glyphs.iter().filter(|g| g.text.as_deref().is_none_or(is_garbled)).count();
    let reason = if total == 0 && page.images > 0 {
        Some("no text layer (an image only: a scan); needs OCR".to_string())
    } else if total >= 10 && bad as f32 > total as f32 * MAX_BAD_SHARE {
        Some(format!(
            "{bad} of {total} glyphs have no usable Unicode (no ToUnicode map, private-use or control characters); needs OCR"
        ))
    } else {
        None
    };
    let Some(reason) = reason else { return page.clone() };
    let mut f = Finding::new(Severity::Warning, "unusable_text_layer", format!("page {}: {reason}", page.number));
    f.page = Some(page.number);
    findings.push(f);
    Page { glyphs: Vec::new(), ..page.clone() }
}

fn is_garbled(text: &str) -> bool {
    text.chars()
        .any(|c| c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) || (c.is_control() && !c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pdf::Glyph;

    fn page(texts: &[Option<&str>]) -> Page {
        let glyphs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Glyph { text: t.map(str::to_string), x: i as f32 * 10.0, y: 50.0, size: 10.0, width: 10.0 })
            .collect();
        Page { number: 3, width: 600.0, height: 800.0, glyphs, ..Page::default() }
    }

    #[test]
    fn a_page_without_unicode_is_withheld_and_reported() {
        let mut findings = Vec::new();
        let out = gate(&page(&[None; 20]), &mut findings);
        assert!(out.glyphs.is_empty());
        assert_eq!(findings[0].kind, "unusable_text_layer");
        assert_eq!(findings[0].page, Some(3));
    }

    #[test]
    fn private_use_text_is_unusable_but_clean_text_passes() {
        let mut findings = Vec::new();
        assert!(gate(&page(&[Some("\u{e001}"); 12]), &mut findings).glyphs.is_empty());
        assert_eq!(gate(&page(&[Some("部"); 12]), &mut findings).glyphs.len(), 12);
        assert_eq!(findings.len(), 1);
    }
}
