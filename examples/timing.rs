//! Times `gongkai::convert` in-process, without process start-up or file writing (development aid).
fn main() {
    let path = std::env::args().nth(1).expect("input path");
    let runs: u32 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let _ = gongkai::convert(std::path::Path::new(&path), "warm");
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(gongkai::convert(std::path::Path::new(&path), "x"));
    }
    println!("{:.2} ms per conversion", start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs));
}
