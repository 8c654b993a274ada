//! The pipeline runs one way (ARCHITECTURE.md): a stage imports only earlier stages and the
//! shared modules, the shared modules import no stage, and no module's files import each
//! other in a circle. Read from the source, so a new import that breaks it fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// The stages in pipeline order, as `lib.rs` calls them.
const STAGES: [&str; 8] = ["source", "extract", "layout", "repair", "tables", "recover", "validate", "emit"];
/// Shared models and knowledge, in the order they may import each other.
const SHARED: [&str; 5] = ["pattern", "model", "page", "label", "knowledge"];
/// Above the pipeline: runs it over many inputs.
const ABOVE: [&str; 1] = ["batch"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// A file's code without comments and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source file");
    let text = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
    Regex::new(r"//[^\n]*").unwrap().replace_all(&text, "").into_owned()
}

/// The names a path continues with after `prefix::`: `a` in `prefix::a::b`, `a` and `b` in
/// `prefix::{a::x, b}`.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let pattern = Regex::new(&format!(r"(?:^|[^\w:]){}::(\{{[^;]*|\w+)", regex::escape(prefix))).unwrap();
    for c in pattern.captures_iter(code) {
        let tree = &c[1];
        if let Some(group) = tree.strip_prefix('{') {
            let (mut depth, mut item) = (0, String::new());
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => out.push(std::mem::take(&mut item)),
                    _ => {}
                }
                item.push(ch);
            }
            out.push(item);
        } else {
            out.push(tree.to_string());
        }
    }
    out.into_iter()
        .filter_map(|i| {
            i.trim_start_matches([',', ' ', '\n'])
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .map(str::to_string)
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The modules (files and folders) directly in `dir`.
fn children(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            if e.path().is_dir() { Some(name) } else { name.strip_suffix(".rs").map(str::to_string) }
        })
        .filter(|n| n != "mod" && n != "lib" && n != "main")
        .collect()
}

/// A cycle in `graph`, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, bool>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), false);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next) {
                Some(false) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    return Some(stack[from..].iter().cloned().chain([next.clone()]).collect());
                }
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                Some(true) => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), true);
        None
    }
    let mut state = BTreeMap::new();
    graph.keys().find_map(|n| if state.contains_key(n) { None } else { visit(n, graph, &mut state, &mut Vec::new()) })
}

/// Each file of the module at `dir` (crate path `path`) and the files of it it imports.
fn file_graph(dir: &Path, path: &str) -> BTreeMap<String, BTreeSet<String>> {
    let files = children(dir);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let node = |name: &str| if files.contains(name) { name.to_string() } else { "mod".to_string() };
    for file in files.iter().map(String::as_str).chain(["mod"]) {
        let source = if dir.join(format!("{file}.rs")).is_file() {
            dir.join(format!("{file}.rs"))
        } else {
            dir.join(file).join("mod.rs")
        };
        if !source.is_file() {
            continue;
        }
        let code = code(&source);
        let mut uses: BTreeSet<String> = names_after(&code, path).iter().map(|n| node(n)).collect();
        if file == "mod" {
            uses.extend(
                files
                    .iter()
                    .filter(|c| names_after(&code, c).len() + names_after(&code, &format!("self::{c}")).len() > 0)
                    .cloned(),
            );
        } else {
            uses.extend(names_after(&code, "super").iter().map(|n| node(n)));
        }
        uses.remove(file);
        graph.insert(file.to_string(), uses);
    }
    graph
}

#[test]
fn stages_import_only_earlier_stages_and_shared_modules() {
    let order: Vec<&str> = SHARED.iter().chain(&STAGES).chain(&ABOVE).copied().collect();
    let mut wrong = Vec::new();
    for (at, module) in order.iter().enumerate() {
        let dir = src().join(module);
        let files: Vec<PathBuf> = if dir.is_dir() {
            walkdir::WalkDir::new(&dir)
                .into_iter()
                .map(|e| e.expect("src/ is readable").into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect()
        } else {
            vec![src().join(format!("{module}.rs"))]
        };
        for file in files {
            for import in names_after(&code(&file), "crate") {
                if import == *module || import == "convert_with" || import == "convert" {
                    continue;
                }
                match order.iter().position(|m| *m == import) {
                    Some(i) if i < at && !(STAGES.contains(module) && ABOVE.contains(&order[i])) => {}
                    _ => wrong.push(format!("{} imports crate::{import}", file.strip_prefix(src()).unwrap().display())),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the pipeline's direction:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_imports_its_own_files_in_a_circle() {
    let mut cycles = Vec::new();
    let dirs = walkdir::WalkDir::new(src()).min_depth(1).into_iter().map(|e| e.expect("src/ is readable"));
    for dir in dirs.filter(|e| e.file_type().is_dir()).map(walkdir::DirEntry::into_path) {
        let path = format!("crate::{}", dir.strip_prefix(src()).unwrap().to_str().unwrap().replace('/', "::"));
        if let Some(c) = cycle(&file_graph(&dir, &path)) {
            cycles.push(format!("{path}: {}", c.join(" → ")));
        }
    }
    assert!(cycles.is_empty(), "files of one module import each other in a circle:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_a_cycle_and_a_braced_import() {
    assert_eq!(names_after("use super::{grid::{Log, GridRow}, cell};", "super"), ["grid", "cell"]);
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "a".into()]));
}
