//! Running the real binary over real samples, once per test binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished `gongkai convert` run.
pub struct Run {
    pub out: tempfile::TempDir,
    pub status: i32,
    pub stderr: String,
}

impl Run {
    pub fn json(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.out.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn facts(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.out.path().join("facts.ndjson")).expect("facts.ndjson");
        text.lines().map(|l| serde_json::from_str(l).expect("fact line")).collect()
    }

    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.out.path())
            .expect("out dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Runs `gongkai convert ARGS... --out <tmp>`.
pub fn convert(args: &[&Path]) -> Run {
    let out = tempfile::tempdir().expect("tempdir");
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .args(args)
        .arg("--out")
        .arg(out.path())
        .current_dir(root())
        .output()
        .expect("run gongkai");
    Run {
        out,
        status: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One run over the whole `samples/` folder, shared by the tests.
pub static SAMPLES: LazyLock<Run> = LazyLock::new(|| convert(&[Path::new("samples")]));
