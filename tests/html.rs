//! The audit view (`--html`) opened in a real headless Chromium (installed by the set-up):
//! a flagged publication shows its failing cells marked beside the page, a clean one none,
//! and the index lists both. Screenshots are kept in `target/audit-view/` for a person.

use std::path::Path;
use std::process::Command;

use crate::common::root;

/// The page's DOM after Chromium ran it; also saves a screenshot as `shot`.
fn chromium(page: &Path, shot: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1500,1800",
    ];
    let url = format!("file://{}", page.display());
    let run = |extra: &str| {
        Command::new("chromium")
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(extra)
            .arg(&url)
            .output()
            .expect("run chromium (scripts/setup.sh installs it)")
    };
    let shot_run = run(&format!("--screenshot={}", shot.display()));
    assert!(shot_run.status.success(), "{}", String::from_utf8_lossy(&shot_run.stderr));
    let dom = run("--dump-dom");
    assert!(dom.status.success(), "{}", String::from_utf8_lossy(&dom.stderr));
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

/// Grid cells marked as in a failing identity.
fn violated_cells(dom: &str) -> usize {
    dom.split("<td class=\"")
        .skip(1)
        .filter(|rest| rest.split('"').next().unwrap_or("").contains("cell-violated"))
        .count()
}

#[test]
fn the_audit_view_marks_what_failed_beside_the_page_in_a_real_browser() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "convert",
            "--html",
            "samples/pdf/putuo-finance-2024-final.pdf",
            "samples/pdf/putuo-office-2025-budget.pdf",
        ])
        .arg("--out")
        .arg(out.path())
        .current_dir(root())
        .output()
        .expect("run gongkai");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let shots = root().join("target/audit-view");
    std::fs::create_dir_all(&shots).unwrap();

    let flagged = chromium(&out.path().join("putuo-finance-2024-final.html"), &shots.join("flagged.png"));
    assert!(flagged.contains(r#"id="status">flagged<"#), "the status at the top");
    // The genuine error of the publication: 326.71 in the summary against 326.72 in the
    // expense table, marked, with the identity on hover.
    let marked = r#"data-cell="summary/expense/社会保障和就业支出/决算数">326.71<"#;
    let at = flagged.find(marked).expect("the failing summary cell is in the grid");
    let cell_start = flagged[..at].rfind("<td").unwrap();
    assert!(flagged[cell_start..at].contains("cell-violated"), "{}", &flagged[cell_start..at]);
    assert!(flagged[cell_start..at].contains("fails fa.x.summary-classes"));
    assert_eq!(flagged.matches("<table class=\"grid\"").count(), 9 - 2, "nine tables, two printed empty");
    assert!(flagged.matches(r#"class="crop""#).count() >= 7, "each table beside its page");
    assert!(flagged.contains("src=\"data:image/png;base64,"), "self-contained");

    let clean = chromium(&out.path().join("putuo-office-2025-budget.html"), &shots.join("clean.png"));
    assert!(clean.contains(r#"id="status">ok<"#));
    assert_eq!(violated_cells(&clean), 0, "no cell of a clean publication is marked as failing");
    assert_eq!(violated_cells(&flagged), 4, "the two cross-table errors, both sides");

    let index = chromium(&out.path().join("index.html"), &shots.join("index.png"));
    assert!(
        index.contains(r#"href="putuo-finance-2024-final.html""#)
            && index.contains(r#"href="putuo-office-2025-budget.html""#)
    );
    for shot in ["flagged.png", "clean.png", "index.png"] {
        let size = std::fs::metadata(shots.join(shot)).unwrap().len();
        assert!(size > 10_000, "{shot}: {size} bytes");
    }
}
