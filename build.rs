//! Links the `gongkai` program as a position-dependent executable (`-no-pie`): a PIE is
//! relocated by the loader at every start — some 35,000 relocations, and every page of
//! `.data.rel.ro` copied on write — and a batch starts the program once as the parent and
//! once per worker. Fixed addresses save about 2 ms and 380 page faults of each start
//! (`scripts/bench_corpus.py`: the one-document folders are where it shows). Libraries,
//! tests and proc-macros are unaffected.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
