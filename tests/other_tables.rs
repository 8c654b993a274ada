//! Tables of no standard role are kept as printed, in `other_tables` of the document and in
//! `other_tables.ndjson`: nothing a disclosure prints is dropped.

use crate::common::SAMPLES;

#[test]
fn the_seed_keeps_its_fourteen_target_tables_and_its_asset_table() {
    let doc = SAMPLES.json("qinglong-2023-budget.json");
    let tables = doc["other_tables"].as_array().expect("other_tables");
    let titles: Vec<&str> = tables.iter().map(|t| t["title"].as_str().unwrap_or_default()).collect();
    let targets = titles.iter().filter(|t| t.ends_with("绩效目标表")).count();
    assert_eq!(targets, 14, "{titles:#?}");
    // Numbered 1、 to 14、 in print, all of them, in order (two pairs share a title).
    for (i, title) in titles.iter().take(14).enumerate() {
        assert!(title.starts_with(&format!("{}、", i + 1)), "{i}: {title}");
    }
    let assets = tables.iter().find(|t| t["title"] == "部门固定资产占用情况表").expect("the asset table");
    let figures = assets["rows"].as_array().unwrap().iter().flat_map(|r| r["cells"].as_array().unwrap().clone());
    assert!(figures.filter(|c| c.get("value").is_some()).count() >= 4, "{assets:#}");
    // The indicator rows of the first target table: 一级/二级/三级指标, description, value.
    let first = tables[0]["rows"].as_array().unwrap();
    assert!(first.len() >= 15, "{first:#?}");
    assert!(first.iter().any(|r| r.to_string().contains("≥150")), "{first:#?}");
    let cells = std::fs::read_to_string(SAMPLES.out.path().join("other_tables.ndjson")).expect("other_tables.ndjson");
    let seed_cells = cells.lines().filter(|l| l.contains(r#""doc":"qinglong-2023-budget""#)).count();
    let printed: usize =
        tables.iter().flat_map(|t| t["rows"].as_array().unwrap()).map(|r| r["cells"].as_array().unwrap().len()).sum();
    assert_eq!(seed_cells, printed, "one line per filled cell");
}

#[test]
fn the_seed_gives_its_fourteen_target_tables_as_records_and_their_defects() {
    let doc = SAMPLES.json("qinglong-2023-budget.json");
    let targets = doc["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 14);
    let indicators: usize = targets.iter().map(|t| t["indicators"].as_array().unwrap().len()).sum();
    assert!(indicators >= 120, "{indicators} indicators");
    // Table 1's first indicator, as printed: 产出指标 (a merged cell) / 数量指标 / 设备采购, ≥ 5 台.
    let first = &targets[0]["indicators"][0];
    assert_eq!(first["level1"], "产出指标");
    assert_eq!(first["level1_inferred"], true);
    assert_eq!((first["level2"].as_str(), first["level3"].as_str()), (Some("数量指标"), Some("设备采购")));
    assert_eq!(first["parsed"]["comparator"], ">=");
    assert_eq!(first["parsed"]["number"], "5");
    assert_eq!(first["parsed"]["unit"], "台");
    let findings = doc["findings"].as_array().unwrap();
    let about = |kind: &str, title: &str| {
        findings.iter().any(|f| {
            f["table"] == "performance_targets"
                && f["kind"] == kind
                && f["message"].as_str().unwrap_or_default().contains(title)
        })
    };
    // Tables 1 and 2 share a title; table 1 states the 2022 plan in a 2023 budget.
    assert!(about("target_repeated", "«2、公共资源交易中心工作经费绩效目标表»"), "{findings:#?}");
    assert!(about("target_other_year", "«1、公共资源交易中心工作经费绩效目标表»"), "{findings:#?}");
    assert!(!about("target_other_year", "«2、公共资源交易中心工作经费绩效目标表»"), "{findings:#?}");
    // Table 7's grid was lost by OCR: said, not silently empty.
    assert!(about("target_unread", "«7、行政审批业务费绩效目标表»"), "{findings:#?}");
    let lines = std::fs::read_to_string(SAMPLES.out.path().join("targets.ndjson")).expect("targets.ndjson");
    assert_eq!(lines.lines().filter(|l| l.contains(r#""doc":"qinglong-2023-budget""#)).count(), indicators);
}
