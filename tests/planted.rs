//! Planted defects (`samples/planted/`): each has its expected outcome in
//! `samples/planted/expected.toml` — the status, the findings that must be there (at the
//! right table and row), no unexpected error, and where given the facts of a truth.

use serde::Deserialize;
use serde_json::Value;

use crate::common::{SAMPLES, root};

#[derive(Deserialize)]
struct Expected {
    sample: Vec<Sample>,
}

#[derive(Deserialize)]
struct Sample {
    file: String,
    status: String,
    #[serde(default)]
    findings: Vec<toml::Table>,
    #[serde(default)]
    truth: Option<String>,
}

/// Every field given matches (numbers compared as their text, `page = "1"`).
fn matches(finding: &Value, want: &toml::Table) -> bool {
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    want.iter().all(|(k, v)| finding.get(k).map(text).as_deref() == v.as_str())
}

#[test]
fn every_planted_defect_has_its_expected_outcome() {
    let text = std::fs::read_to_string(root().join("samples/planted/expected.toml")).expect("expected.toml");
    let expected: Expected = toml::from_str(&text).expect("expected.toml parses");
    let files: Vec<String> = std::fs::read_dir(root().join("samples/planted"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".txt") || f.ends_with(".pdf"))
        .collect();
    assert_eq!(files.len(), expected.sample.len(), "every planted sample has an expectation: {files:?}");
    for sample in &expected.sample {
        let stem = sample.file.rsplit_once('.').map_or(sample.file.as_str(), |(s, _)| s);
        let doc = SAMPLES.json(&format!("{stem}.json"));
        assert_eq!(doc["status"], sample.status.as_str(), "{stem}: {:#?}", doc["findings"]);
        let findings = doc["findings"].as_array().unwrap();
        for want in &sample.findings {
            assert!(findings.iter().any(|f| matches(f, want)), "{stem}: no finding {want:?} in {findings:#?}");
        }
        for f in findings.iter().filter(|f| f["severity"] == "error") {
            assert!(sample.findings.iter().any(|w| matches(f, w)), "{stem}: unexpected error {f:#}");
        }
        if sample.file.ends_with(".pdf") {
            let repaired = findings.iter().any(|f| f["kind"] == "value_repaired");
            assert!(!repaired, "{stem}: a figure read from a text layer is never changed");
        }
        if let Some(truth) = &sample.truth {
            crate::truth::assert_equal_to(stem, truth, true);
        }
    }
}
