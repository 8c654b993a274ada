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
    "appropriations": q(
        "SELECT count(*), sum(CAST(f.value AS DECIMAL(38, 2))) FROM facts f JOIN documents d USING (doc) "
        "WHERE f.\"table\" = 'income' AND f.item = 'total' AND f.measure = 'fiscal_appropriation'")[0][0],
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
    // The README's query by canonical names: every income table's fiscal appropriation.
    let appropriations = facts
        .iter()
        .filter(|f| f["table"] == "income" && f["item"] == "total" && f["measure"] == "fiscal_appropriation");
    assert!(appropriations.clone().count() >= 4, "the budgets and final accounts print one each");
    assert_eq!(got["appropriations"].as_u64(), Some(appropriations.count() as u64));
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

/// Connection to the loopback server scripts/postgres.sh starts (PG* variables override).
fn psql(script: &str) -> String {
    let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let out = Command::new("psql")
        .args(["-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1"])
        .env("PGHOST", var("PGHOST", "127.0.0.1"))
        .env("PGUSER", var("PGUSER", "gongkai"))
        .env("PGPASSWORD", var("PGPASSWORD", "gongkai"))
        .env("PGDATABASE", var("PGDATABASE", "gongkai"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(script.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run psql");
    assert!(
        out.status.success(),
        "PostgreSQL on loopback (scripts/postgres.sh starts one): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn postgresql_loads_the_tables_and_queries_them_back() {
    let run = &*SAMPLES;
    let dir = run.out.path().display();
    let schema = format!("gongkai_test_{}", std::process::id());
    // The README's load: each NDJSON line into a jsonb column (CSV mode with quote and
    // delimiter bytes that never occur, so JSON's backslashes and quotes pass untouched).
    let load = |t: &str| {
        format!(
            "CREATE TABLE {t}_raw (j jsonb);\n\\copy {t}_raw FROM '{dir}/{t}.ndjson' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')\n"
        )
    };
    let script = format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path = {schema};\n{}{}{}\
         CREATE TABLE facts AS SELECT j->>'doc' AS doc, j->>'table' AS tab, j->>'row' AS row, (j->>'value')::numeric AS value FROM facts_raw;\n\
         CREATE TABLE findings AS SELECT j->>'doc' AS doc, j->>'table' AS tab, j->>'row' AS row, j->>'severity' AS severity FROM findings_raw;\n\
         SELECT 'facts', count(*) FROM facts;\n\
         SELECT 'documents', count(*) FROM documents_raw;\n\
         SELECT 'sum:' || tab, sum(value) FROM facts WHERE doc = 'putuo-office-2025-budget' GROUP BY tab;\n\
         SELECT 'flagged', count(*) FROM facts f JOIN (SELECT DISTINCT doc, tab, row FROM findings WHERE severity = 'error' AND row IS NOT NULL) e USING (doc, tab, row);\n\
         DROP SCHEMA {schema} CASCADE;\n",
        load("facts"),
        load("findings"),
        load("documents"),
    );
    let got: BTreeMap<String, String> =
        psql(&script).lines().filter_map(|l| l.split_once('\t')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let report = run.json("report.json");
    assert_eq!(got["facts"], report["facts"].to_string());
    assert_eq!(got["documents"], report["documents"].as_array().unwrap().len().to_string());
    let facts = run.facts();
    let sum = |table: &str| {
        facts
            .iter()
            .filter(|f| f["doc"] == "putuo-office-2025-budget" && f["table"] == table)
            .map(|f| Decimal::from_str(f["value"].as_str().unwrap()).unwrap())
            .sum::<Decimal>()
    };
    for table in ["summary", "gpb_basic_expense", "three_public"] {
        assert_eq!(Decimal::from_str(&got[&format!("sum:{table}")]).unwrap(), sum(table), "{table}");
    }
    assert!(got["flagged"].parse::<u64>().unwrap() > 0);
}

#[test]
fn parquet_tables_equal_the_ndjson_ones_in_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["convert", "samples/pdf", "samples/ocr-text", "--format", "parquet", "--out"])
        .arg(dir.path())
        .current_dir(crate::common::root())
        .output()
        .expect("run gongkai");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let script = r#"
import duckdb, json, sys
out = sys.argv[1]
con = duckdb.connect()
q = lambda sql: con.execute(sql).fetchall()
result = {}
for t in ("facts", "findings", "documents"):
    result[t] = [q(f"SELECT count(*) FROM read_parquet('{out}/{t}.parquet')")[0][0],
                 q(f"SELECT count(*) FROM read_json_auto('{out}/{t}.ndjson', format='newline_delimited')")[0][0]]
result["named"] = [q(f"SELECT count(measure), count(item) FROM read_parquet('{out}/facts.parquet')")[0],
                   q(f"SELECT count(measure), count(item) FROM read_json_auto('{out}/facts.ndjson', format='newline_delimited')")[0]]
result["value_type"] = q(f"SELECT typeof(value) FROM read_parquet('{out}/facts.parquet') LIMIT 1")[0][0]
result["same_sums"] = q(f"""
    SELECT count(*) FROM (SELECT "table", sum(CAST(value AS DECIMAL(38, 2))) s FROM read_parquet('{out}/facts.parquet') GROUP BY 1) p
    FULL JOIN (SELECT "table", sum(CAST(value AS DECIMAL(38, 2))) s FROM read_json_auto('{out}/facts.ndjson', format='newline_delimited') GROUP BY 1) n
    USING ("table") WHERE p.s IS DISTINCT FROM n.s""")[0][0]
print(json.dumps(result))
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(dir.path()).output().expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for t in ["facts", "findings", "documents"] {
        assert_eq!(got[t][0], got[t][1], "{t}: parquet and ndjson rows");
        assert!(got[t][0].as_u64().unwrap() > 0, "{t}");
    }
    assert_eq!(got["named"][0], got["named"][1], "measures and items: parquet and ndjson");
    assert!(got["named"][0][0].as_u64().unwrap() > 0, "facts carry measures");
    assert_eq!(got["value_type"], "VARCHAR", "figures are exact strings");
    assert_eq!(got["same_sums"], 0, "every table sums the same");
}
