//! Any bytes as a `.txt` (OCR text): gongkai must return a document (failed or not), never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn input_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gongkai-fuzz-ocr-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        dir.join("x.txt")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = input_path();
    std::fs::write(path, data).expect("write input");
    let options = gongkai::extract::Options { ocr: false };
    let _ = gongkai::convert_with(path, "fuzz", &options);
});
