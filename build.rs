//! Writes every `data/**/*.toml` as JSON into `OUT_DIR` (`knowledge::data!` reads them): the
//! knowledge stays TOML for its readers, and a worker starts without parsing TOML, which cost
//! about a millisecond of each worker's first document (`serde_json` reads the same a few
//! times faster).
//!
//! Links the `gongkai` program as a position-dependent executable (`-no-pie`): a PIE is
//! relocated by the loader at every start — some 35,000 relocations, and every page of
//! `.data.rel.ro` copied on write — and a batch starts the program once as the parent and
//! once per worker. Fixed addresses save about 2 ms and 380 page faults of each start
//! (`scripts/bench_corpus.py`: the one-document folders are where it shows). Libraries,
//! tests and proc-macros are unaffected.

use std::path::Path;

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    data_as_json(Path::new("data"), &out.join("data"));
    println!("cargo:rerun-if-changed=data");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Each `.toml` under `from` as a `.json` of the same name under `to`, keys in their order.
fn data_as_json(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create OUT_DIR/data");
    let mut entries: Vec<_> =
        std::fs::read_dir(from).expect("read data/").map(|e| e.expect("data/ entry").path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().expect("a name").to_owned();
        if path.is_dir() {
            data_as_json(&path, &to.join(name));
        } else if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("read a data file");
            let value: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let json = serde_json::to_string(&value).expect("TOML as JSON");
            std::fs::write(to.join(name).with_extension("json"), json).expect("write OUT_DIR/data");
        }
    }
}
