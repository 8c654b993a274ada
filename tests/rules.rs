//! Every identity rule file loads, and every rule is exercised by at least one sample.

use std::collections::BTreeSet;

use crate::common::root;

#[test]
fn every_rule_is_exercised_by_a_sample() {
    let mut exercised = BTreeSet::new();
    for dir in ["samples/ocr-text", "samples/pdf", "samples/planted"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        for path in entries.map(|e| e.unwrap().path()) {
            if !path.extension().is_some_and(|e| e == "txt" || e == "pdf") {
                continue;
            }
            let doc = gongkai::convert(&path, "rules");
            for catalogue in gongkai::validate::rules::CATALOGUES.iter() {
                for instance in gongkai::validate::rules::instances(catalogue, &doc.tables) {
                    exercised.insert(instance.rule.id.clone());
                }
            }
        }
    }
    let all: BTreeSet<String> =
        gongkai::validate::rules::CATALOGUES.iter().flat_map(|c| c.rules.iter().map(|r| r.id.clone())).collect();
    let missing: Vec<&String> = all.difference(&exercised).collect();
    assert!(missing.is_empty(), "rules no sample exercises: {missing:#?}");
}
