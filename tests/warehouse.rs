//! The warehouse tables (`facts.ndjson`, `findings.ndjson`, `documents.ndjson`) loaded into a
//! real DuckDB (its Python package, installed by scripts/setup.sh) and queried back: counts,
//! a sum per table, and a join of facts to findings, each against what the tool itself
//! reports.

use std::collections::BTreeMap;
use std::process::Command;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::common::SAMPLES;

/// The README's one-line loads, then the queries; prints one JSON object.
const QUERIES: &str = r#"
import duckdb, json, sys
out = sys.argv[1]
con = duckdb.connect()
for t in ("facts", "findings", "documents"):
    con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_json_auto('{out}/{t}.ndjson', format='newline_delimited')")
q = lambda sql: con.execute(sql).fetchall()
print(json.dumps({
    "facts": q("SELECT count(*) FROM facts")[0][0],
    "documents": q("SELECT count(*) FROM documents")[0][0],
    "failed": q("SELECT count(*) FROM documents WHERE status = 'failed'")[0][0],
    "sums": {t: str(s) for t, s in q(
        "SELECT \"table\", sum(CAST(value AS DECIMAL(38, 2))) FROM facts "
        "WHERE doc = 'putuo-office-2025-budget' GROUP BY \"table\"")},
    "flagged_facts": q(
        "SELECT count(*) FROM facts f JOIN (SELECT DISTINCT doc, \"table\", row FROM findings "
        "WHERE severity = 'error' AND row IS NOT NULL) e ON f.doc = e.doc AND f.\"table\" = e.\"table\" AND f.row = e.row")[0][0],
}))
"#;

#[test]
fn duckdb_loads_the_tables_and_queries_them_back() {
    let run = &*SAMPLES;
    let out = Command::new("python3").arg("-c").arg(QUERIES).arg(run.out.path()).output().expect("run python3");
    assert!(
        out.status.success(),
        "DuckDB (pip install duckdb; scripts/setup.sh does): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let report = run.json("report.json");
    assert_eq!(got["facts"], report["facts"]);
    assert_eq!(got["documents"].as_u64(), report["documents"].as_array().map(|d| d.len() as u64));
    assert_eq!(got["failed"], report["counts"]["failed"]);
    // The sum per table, exactly as the facts file gives it.
    let facts = run.facts();
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    for f in facts.iter().filter(|f| f["doc"] == "putuo-office-2025-budget") {
        *sums.entry(f["table"].as_str().unwrap().to_string()).or_default() +=
            Decimal::from_str(f["value"].as_str().unwrap()).unwrap();
    }
    assert_eq!(sums.len(), 7, "nine tables, two of them printed empty");
    for (table, sum) in &sums {
        let theirs = Decimal::from_str(got["sums"][table].as_str().unwrap()).unwrap();
        assert_eq!(theirs, *sum, "{table}");
    }
    // The join of facts to error findings at their row, counted in Rust too.
    let findings = std::fs::read_to_string(run.out.path().join("findings.ndjson")).unwrap();
    let mut flagged = std::collections::BTreeSet::new();
    for line in findings.lines() {
        let f: serde_json::Value = serde_json::from_str(line).unwrap();
        if f["severity"] == "error" && f["row"].is_string() {
            flagged.insert((f["doc"].to_string(), f["table"].to_string(), f["row"].to_string()));
        }
    }
    let joined = facts
        .iter()
        .filter(|f| flagged.contains(&(f["doc"].to_string(), f["table"].to_string(), f["row"].to_string())))
        .count();
    assert!(joined > 0, "some facts sit on a flagged row (the planted samples)");
    assert_eq!(got["flagged_facts"].as_u64(), Some(joined as u64));
}
