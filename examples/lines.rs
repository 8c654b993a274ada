//! Prints a document's lines of cells as the layout stage sees them (development aid).
fn main() {
    let path = std::env::args().nth(1).expect("input path");
    if std::env::args().any(|a| a == "--trace") {
        // The whole conversion with the library's debug events (the columns a header gave).
        tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(tracing::Level::DEBUG).init();
        let ocr = std::env::args().any(|a| a == "--ocr");
        let doc = gongkai::convert_with(std::path::Path::new(&path), "trace", &gongkai::extract::Options { ocr });
        println!("{:?}", doc.status);
        return;
    }
    let input = gongkai::source::read(std::path::Path::new(&path)).map_err(|e| e.0.to_string()).unwrap();
    let ocr = std::env::args().any(|a| a == "--ocr");
    if std::env::args().any(|a| a == "--pages") {
        if let gongkai::source::Content::Pdf(pages) = &input.content {
            for p in pages {
                println!(
                    "page {}: {} glyphs ({} invisible), {} images covering {:.2}, {} rulings",
                    p.number,
                    p.glyphs.len(),
                    p.invisible,
                    p.images,
                    p.image_cover,
                    p.rulings.len()
                );
            }
        }
        return;
    }
    let extracted = gongkai::extract::extract(input, &gongkai::extract::Options { ocr });
    if std::env::args().any(|a| a == "--blocks") {
        // The standard tables' lines as aligned into columns.
        for block in gongkai::layout::segment(&extracted).blocks {
            println!("== {}", block.template.id);
            for s in &block.segments {
                for (part, lines) in [("h", &s.header), ("n", &s.numbers.iter().cloned().collect()), ("b", &s.body)] {
                    for l in lines {
                        println!("p{} {part} l{}: {}", s.page, l.number, l.cells.join(" | "));
                    }
                }
            }
        }
        return;
    }
    if std::env::args().any(|a| a == "--rules")
        && let gongkai::extract::Text::Glyphs(pages) = &extracted.content
    {
        for p in pages {
            for r in &p.rulings {
                println!("page {} rule ({:.0},{:.0})-({:.0},{:.0})", p.number, r.x0, r.y0, r.x1, r.y1);
            }
            for g in &p.glyphs {
                println!(
                    "page {} glyph {:?} x {:.0} y {:.0} w {:.0} size {:.0} conf {:?}",
                    p.number, g.text, g.x, g.y, g.width, g.size, g.confidence
                );
            }
        }
    }
    let layout = gongkai::layout::segment(&extracted);
    if std::env::args().nth(2).as_deref() == Some("blocks") {
        for b in &layout.blocks {
            println!("== {} ({}) {}", b.template.id, b.template.layout, b.title.text());
            for s in &b.segments {
                println!(
                    "  segment p{} header {} numbers {} body {}",
                    s.page,
                    s.header.len(),
                    s.numbers.is_some(),
                    s.body.len()
                );
                if std::env::args().any(|a| a == "--cells") {
                    for l in s.header.iter().chain(&s.numbers).chain(&s.body) {
                        println!("    l{}: {}", l.number, l.cells.join(" | "));
                    }
                }
            }
        }
        return;
    }
    if std::env::args().any(|a| a == "--titles") {
        for l in &layout.lines {
            let t = l.cells.concat();
            println!(
                "l{} {:?} -> {:?}",
                l.number,
                t,
                gongkai::knowledge::templates::match_title(&t).map(|m| m.table.id.clone())
            );
        }
        return;
    }
    for l in &layout.lines {
        let spans: Vec<String> = l.spans.iter().map(|(a, b)| format!("{a:.0}-{b:.0}")).collect();
        println!("p{} l{}: {}   {}", l.page, l.number, l.cells.join(" | "), spans.join(" "));
    }
}
