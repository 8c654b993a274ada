//! Prints the rulings found in a greyscale page image (PGM, as `pdftoppm -gray` writes),
//! after straightening it, and writes the image with them drawn (development aid).
//!
//!     cargo run --release --example rulings -- PAGE.pgm DPI [OUT.pgm]
use gongkai::extract::image::{Gray, MAX_RULING_PT, MIN_RULING_PT};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let gray = Gray::from_pgm(&std::fs::read(&args[1]).expect("image")).expect("PGM");
    let dpi: f32 = args[2].parse().expect("dpi");
    let skew = gray.skew();
    let mut gray = if skew.abs() >= 0.05 { gray.rotated(skew) } else { gray };
    let scale = 72.0 / dpi;
    let found = gray.rulings((MIN_RULING_PT / scale) as usize, (MAX_RULING_PT / scale) as usize);
    println!("skew {skew:.2}°, {} rulings", found.len());
    for r in &found {
        let side = gray.side_ink(r, (MAX_RULING_PT / scale) as usize);
        println!("{:7.1} {:7.1} {:7.1} {:7.1} {:.2} {:.2}", r.x0, r.y0, r.x1, r.y1, side.grey, side.ink);
    }
    let grid = gongkai::extract::cells::grid(&found, 1.0 / scale);
    println!("{} cells", grid.len());
    for c in &grid {
        println!("cell {} {} {} {}", c.x0, c.y0, c.x1, c.y1);
    }
    if let Some(out) = args.get(3) {
        for r in &found {
            let (x0, y0, x1, y1) = (r.x0 as usize, r.y0 as usize, r.x1 as usize, r.y1 as usize);
            for y in y0..=y1.min(gray.height - 1) {
                for x in x0..=x1.min(gray.width - 1) {
                    gray.pixels[y * gray.width + x] = 128;
                }
            }
        }
        std::fs::write(out, gray.to_pgm()).expect("write");
    }
}
