//! The real corpus (`../shared/corpus`: 79 published PDFs from 12 cities and a central
//! department) converted by the real binary and scored by `../shared/tools/corpus-health`,
//! which needs no hand truth: published disclosures balance, so misread tables show as
//! identity failures and unreadable cells. The figures are floors, measured; raise them as
//! recognition improves, never lower them to make a change pass.

use std::path::Path;
use std::process::Command;

use super::common;

/// The fields of the health line `health: disclosures=71 converted=a/71 …`.
fn field(line: &str, name: &str) -> String {
    let start = line.find(&format!("{name}=")).unwrap_or_else(|| panic!("{name} in {line}")) + name.len() + 1;
    line[start..].split_whitespace().next().unwrap_or_default().to_string()
}

fn count(line: &str, name: &str) -> u32 {
    field(line, name).split('/').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{name} in {line}"))
}

#[test]
fn the_real_corpus_holds_its_health_floors() {
    let root = common::root();
    let corpus = root.join("../shared/corpus");
    assert!(corpus.join("pdf").is_dir(), "the corpus is at {} (CI has ../shared)", corpus.display());
    let run = common::convert(&[Path::new("../shared/corpus/pdf")]);
    assert_eq!(run.status, 1, "the six non-disclosures fail, so the batch exits 1: {}", run.stderr);
    let output = Command::new("python3")
        .arg(root.join("../shared/tools/corpus-health"))
        .arg(run.out.path())
        .arg(corpus.join("MANIFEST.tsv"))
        .output()
        .expect("run corpus-health");
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default().to_string();
    eprintln!("{line}");
    assert_eq!(count(&line, "converted"), 71, "every disclosure converts: {line}");
    assert_eq!(count(&line, "tables>=5"), 71, "five standard tables or more in each: {line}");
    // Of the 8 inputs that print no standard table, 5 are not disclosures (failed) and 3 are
    // narrative halves of split publications (flagged with `part: narrative`; one of them is a
    // scanned explanation half the manifest lists as `other`).
    assert_eq!(count(&line, "others_failed"), 5, "non-disclosures fail, narrative halves do not: {line}");
    let pass: f64 = field(&line, "identity_pass").parse().expect("identity_pass");
    assert!(pass >= 0.99, "identity pass {pass} below its floor 0.99: {line}");
    assert_eq!(count(&line, "unreadable"), 0, "no unreadable cell: {line}");
    assert!(count(&line, "clean") >= 68, "clean documents below the floor 68: {line}");
    // The tables of no standard role are kept as printed (项目支出表, 政府采购, 绩效目标表 …):
    // 482 of them, measured; and contents lists and cover pages are not tables.
    let cells = std::fs::read_to_string(run.out.path().join("other_tables.ndjson")).expect("other_tables.ndjson");
    let rows: Vec<serde_json::Value> = cells.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let tables: std::collections::BTreeSet<(String, u64)> = rows
        .iter()
        .map(|r| (r["doc"].as_str().unwrap_or_default().to_string(), r["table_index"].as_u64().unwrap_or(0)))
        .collect();
    assert!(tables.len() >= 480, "other tables below the floor 480: {}", tables.len());
    let purchase = |r: &&serde_json::Value| {
        r["doc"] == "wuxi-商务局_2026年部门预算" && r["title"].as_str().is_some_and(|t| t.ends_with("政府采购支出表"))
    };
    assert!(
        rows.iter().filter(purchase).any(|r| r["row"] == "合计" && r["value"] == "26.94"),
        "无锡市商务局 政府采购 合计"
    );
    assert!(!rows.iter().any(|r| r["title"].as_str().is_some_and(|t| t.ends_with("单位预算表"))), "a contents list");
    let facts = run.facts();
    let fact = |doc: &str, table: &str, row: &str, column: &str| {
        facts
            .iter()
            .find(|f| f["doc"] == doc && f["table"] == table && f["row"] == row && f["column"] == column)
            .and_then(|f| f["value"].as_str().map(str::to_string))
    };
    // A 三公 table printing its items once per year (`2025年预算数 | 2026年预算数`): each
    // year's figures under its own column, the year's own ones measured as the budget.
    let year_blocks = "chongqing-2026年重庆市规划和自然资源局部门预算";
    assert_eq!(fact(year_blocks, "three_public", "合计", "2025年预算数").as_deref(), Some("2552.50"));
    assert_eq!(fact(year_blocks, "three_public", "合计", "2026年预算数").as_deref(), Some("2171.85"));
    assert_eq!(fact(year_blocks, "three_public", "公务接待费", "2026年预算数").as_deref(), Some("279.19"));
    let measure =
        facts.iter().find(|f| f["doc"] == year_blocks && f["column"] == "2026年预算数").map(|f| &f["measure"]);
    assert_eq!(measure.and_then(|m| m.as_str()), Some("budget_amount"));
    // A department's row over its units' rows (a table keyed by unit): the units carry it.
    let units = facts.iter().filter(|f| {
        f["doc"] == "huzhou-2026年湖州市卫生健康委员会部门预算" && f["table"] == "income" && f["column"] == "总计"
    });
    let under: Vec<&str> = units.filter_map(|f| f["under"].as_str()).collect();
    assert!(under.len() >= 10 && under.iter().all(|u| *u == "湖州市卫生健康委员会"), "{under:?}");
    // Rules that compared the wrong rows on these layouts (false alarms, fixed): the year's
    // 一般公共预算资金 under 本年收入 beside the carried-over 一般公共预算拨款 (Chongqing), and
    // classes printed with their 款 and 项 indented under them, without codes (深圳); a table
    // printed within a wider one reported missing (深圳).
    let findings = std::fs::read_to_string(run.out.path().join("findings.ndjson")).expect("findings.ndjson");
    let false_alarms: Vec<&str> = findings
        .lines()
        .filter(|l| {
            let violation = l.contains("\"identity_violation\"");
            (violation && l.contains("\"chongqing-") && l.contains("\"x.fiscal-gpb.total\""))
                || (violation && l.contains("深圳市建筑工务署") && l.contains(".expense.current\""))
                // 一般公共预算支出表（按经济分类） holds the basic-expense table as its 基本支出 column.
                || (l.contains("\"shenzhen-") && l.contains("\"missing_table\"") && l.contains("\"error\""))
        })
        .collect();
    assert!(false_alarms.is_empty(), "{false_alarms:#?}");
    // A table printed empty beside a table that states its figures is checked as zero, never
    // passed in silence (a table whose figures a scan lost reads the same way): 烟台市信访局
    // prints its 财政拨款收支总体情况表 with no figure (noted 2026年没有使用财政拨款收入和支出)
    // beside a 一般公共预算支出情况表 of 1,717.85, so both identities between them fail.
    let empty_contradicted: Vec<&str> = findings
        .lines()
        .filter(|l| l.contains("烟台市信访局") && l.contains("\"identity_violation\""))
        .filter(|l| l.contains("fiscal_summary/(printed empty)"))
        .collect();
    assert_eq!(empty_contradicted.len(), 2, "{empty_contradicted:#?}");
    // A line printing the codes of several classifications (`50101-工资奖金津补贴 |
    // 30101-基本工资`: government and department economic) is keyed by its table's: the
    // basic-expense table of 北京市生态环境局 by department economic codes (3xxxx), one row
    // each, not by the government codes it repeats.
    let facts = std::fs::read_to_string(run.out.path().join("facts.ndjson")).expect("facts.ndjson");
    let basic: Vec<serde_json::Value> = facts
        .lines()
        .filter(|l| l.contains("生态环境局") && l.contains("\"gpb_basic_expense\"") && l.contains("\"人员经费\""))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let codes: Vec<&str> =
        basic.iter().filter_map(|f| f["row"].as_str()).filter(|r| r.starts_with(char::is_numeric)).collect();
    assert!(codes.len() >= 10 && codes.iter().all(|c| c.starts_with('3')), "{codes:?}");
    assert!(!codes.iter().any(|c| c.starts_with('5')), "{codes:?}");
    // The comparisons with last year that contradict themselves as printed, checked by hand on
    // the pages: 杭州市司法局 p. 4 (收入 比上年执行数增加37,331.92万元，增长8.0% — the 支出 sentence
    // says 7,331.92), 湖州市退役军人事务局 pp. 5, 6, 9, 10, 11 (percentages cut to a whole
    // number, 2.02 of 41.53 printed 下降4.00%); and no other.
    let contradictions: std::collections::BTreeSet<(String, u64)> = findings
        .lines()
        .filter(|l| l.contains("\"narrative_contradiction\""))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|f| (f["doc"].as_str().unwrap_or_default().to_string(), f["page"].as_u64().unwrap_or(0)))
        .collect();
    let (hangzhou, huzhou) = ("hangzhou-2026年杭州市司法局部门预算", "huzhou-2026年湖州市退役军人事务局部门预算");
    let printed: std::collections::BTreeSet<(String, u64)> =
        [(hangzhou, 4), (huzhou, 5), (huzhou, 6), (huzhou, 9), (huzhou, 10), (huzhou, 11)]
            .into_iter()
            .map(|(d, p)| (d.to_string(), p))
            .collect();
    assert_eq!(contradictions, printed);
    // Every target table printed (counted by hand from the pages:
    // `tests/truth/targets/corpus-target-tables.tsv`) gives its indicators, in every document
    // that converts.
    let counts = std::fs::read_to_string(root.join("tests/truth/targets/corpus-target-tables.tsv")).expect("counts");
    let mut wrong = Vec::new();
    for line in counts.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let stem = Path::new(f[0]).file_stem().and_then(|s| s.to_str()).expect("stem");
        let doc: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(run.out.path().join(format!("{stem}.json"))).expect("document JSON"),
        )
        .expect("JSON");
        if doc["status"] == "failed" {
            continue; // a file of target tables only is not a disclosure (the manifest's `other`)
        }
        let read: std::collections::BTreeSet<u64> = doc["targets"]
            .as_array()
            .map(|ts| {
                ts.iter()
                    .filter(|t| t["indicators"].as_array().is_some_and(|i| !i.is_empty()))
                    .filter_map(|t| t["table_index"].as_u64())
                    .collect()
            })
            .unwrap_or_default();
        if read.len().to_string() != f[1] {
            wrong.push(format!("{stem}: {} target tables read, {} printed", read.len(), f[1]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Six corpus documents of six layouts with hand-made truths (`tests/truth/corpus-*.tsv`,
/// typed from the page images; see `tests/truth/CORPUS-README.md`), compared as bags of
/// (table, row, column, side, under, value). Each gives exactly its truth (a floor equal to
/// the truth, no extra fact); a new truth that is not yet exact holds a floor of matching
/// facts and a ceiling of extra ones (measured; raise them, never lower them).
/// `CORPUS-DIFFS.md` says what differs and why.
#[test]
fn corpus_documents_give_their_hand_made_truths() {
    // (truth, corpus file, matching facts at least, extra facts at most; exact when equal to the truth)
    let cases: [(&str, &str, usize, usize); 6] = [
        (
            "corpus-quanzhou-jiance",
            "quanzhou/quanzhou-市场监督管理局_2026年度泉州市市场监管综合监测与技术保障中心单位预算.pdf",
            210,
            0,
        ),
        ("corpus-zhuhai-gongwu", "zhuhai/zhuhai-财政局_2026年部门预算.pdf", 185, 0),
        ("corpus-chongqing-qixiang", "chongqing/chongqing-2026年重庆市气象局部门预算.pdf", 331, 0),
        ("corpus-wuxi-yingji", "wuxi/wuxi-城市管理和综合执法局_2026年部门预算.pdf", 153, 0),
        ("corpus-hangzhou-qixiang", "hangzhou/hangzhou-2026年杭州市气象局部门预算.pdf", 263, 0),
        ("corpus-changchun-xinfang", "changchun/changchun-2026年长春市信访局部门预算.pdf", 649, 0),
    ];
    let root = common::root();
    let files: Vec<std::path::PathBuf> = cases.iter().map(|c| root.join("../shared/corpus/pdf").join(c.1)).collect();
    let paths: Vec<&Path> = files.iter().map(std::path::PathBuf::as_path).collect();
    let run = common::convert(&paths);
    type Bag = std::collections::BTreeMap<[String; 6], usize>;
    let facts = run.facts();
    let mut failures = Vec::new();
    for (truth, file, floor, ceiling) in cases {
        let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).expect("stem");
        let text = std::fs::read_to_string(root.join("tests/truth").join(format!("{truth}.tsv"))).expect("truth");
        let mut want = Bag::new();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            *want.entry([0, 1, 2, 3, 4, 5].map(|i| f[i].to_string())).or_default() += 1;
        }
        let mut got = Bag::new();
        let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        for f in facts.iter().filter(|f| f["doc"] == stem) {
            let key = [s(f, "table"), s(f, "row"), s(f, "column"), s(f, "side"), s(f, "under"), s(f, "value")];
            *got.entry(key).or_default() += 1;
        }
        let matching: usize = want.iter().map(|(k, n)| (*n).min(got.get(k).copied().unwrap_or(0))).sum();
        let emitted: usize = got.values().sum();
        let extra = emitted - matching;
        let total: usize = want.values().sum();
        eprintln!("{truth}: truth {total} emitted {emitted} matching {matching} extra {extra}");
        if matching < floor || extra > ceiling {
            let missing: Vec<_> = want.iter().filter(|(k, n)| got.get(*k) != Some(n)).take(10).collect();
            failures.push(format!("{truth}: matching {matching} (floor {floor}), extra {extra} (ceiling {ceiling}); first missing: {missing:?}"));
        }
        if floor == total && ceiling == 0 {
            assert_eq!(matching, total, "{truth} is exact");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
