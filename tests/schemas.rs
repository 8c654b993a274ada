//! The committed schemas match the Rust types, and every emitted file validates.

use serde_json::Value;

use crate::common::{SAMPLES, root};

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).expect("committed schema");
    let schema: Value = serde_json::from_str(&text).expect("schema json");
    jsonschema::validator_for(&schema).expect("valid schema")
}

#[test]
fn committed_schemas_are_not_stale() {
    for (name, text) in gongkai::emit::schemas::all() {
        let committed = std::fs::read_to_string(root().join("schemas").join(name)).unwrap_or_default();
        assert!(committed == text, "schemas/{name} is stale: run `cargo run -- schemas schemas` and commit the result");
    }
}

#[test]
fn every_emitted_file_validates_against_its_schema() {
    let run = &*SAMPLES;
    let document = validator("document.schema.json");
    let fact = validator("fact.schema.json");
    let report = validator("report.schema.json");
    let mut documents = 0;
    for name in run.files() {
        if name == "report.json" {
            let value = run.json(&name);
            let errors: Vec<String> = report.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        } else if name.ends_with(".json") {
            let value = run.json(&name);
            let errors: Vec<String> = document.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
            documents += 1;
        }
    }
    assert!(documents >= 4, "one document per sample input, got {documents}");
    for (file, schema) in [
        ("findings.ndjson", "finding-row.schema.json"),
        ("documents.ndjson", "document-row.schema.json"),
        ("other_tables.ndjson", "other-cell-row.schema.json"),
        ("targets.ndjson", "target-row.schema.json"),
        ("timing.ndjson", "timing.schema.json"),
    ] {
        let schema = validator(schema);
        let text = std::fs::read_to_string(run.out.path().join(file)).expect(file);
        assert!(text.lines().count() > 10, "{file}");
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{file}: {line}: {errors:?}");
        }
    }
    let facts = run.facts();
    assert!(!facts.is_empty());
    for f in &facts {
        let errors: Vec<String> = fact.iter_errors(f).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{f}: {errors:?}");
    }
}
