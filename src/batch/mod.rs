//! A batch run over an archive: inputs (files, folders, a list of paths) → documents,
//! converted in parallel, each in isolation, written as they finish.
//!
//! - Inputs: folders are searched recursively; `--files-from` lists paths one per line.
//!   Files of other types are reported as skipped. The files are sorted and named by their
//!   stems made unique (`name`, `name-2`, …, never `report`), so the
//!   names, and the output, do not depend on the order the inputs were given in.
//! - Sharding: [`Shard`] selects a stable subset by a hash of each path, so N workers of a
//!   scheduler split an archive with no coordination.
//! - Resuming: an input whose `<doc>.json` already holds a document of the same content
//!   hash and contract version is not converted again ([`resume`]).
//! - Isolation: with [`Isolation`], each document runs in a worker process of this program
//!   under a time limit and a memory limit, so a stream bomb, a stack overflow or a hang in
//!   a PDF library is one failed document, never a stopped batch ([`worker`]); the workers
//!   live on from one document to the next unless one fails. Without it
//!   (the library default), each document runs under `catch_unwind` in this process.

mod guarded;
pub mod resume;
pub mod worker;

pub use guarded::in_process;

use std::collections::BTreeSet;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::emit::{Rendered, Writer};
use crate::model::{Report, ReportEntry, Skipped};
use crate::source::Format;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct Options {
    pub extract: crate::extract::Options,
    /// Documents converted at once.
    pub jobs: usize,
    /// Run each document in a worker process with limits (`None`: in this process).
    pub isolation: Option<worker::Isolation>,
    /// Convert every input even when its output is already there.
    pub force: bool,
    /// Also write the warehouse tables as Parquet.
    pub parquet: bool,
    /// Also write the audit view (HTML).
    pub html: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            extract: crate::extract::Options::default(),
            jobs: std::thread::available_parallelism().map_or(1, usize::from),
            isolation: None,
            force: false,
            parquet: false,
            html: false,
        }
    }
}

/// One of N stable parts of an archive: `--shard K/N`, K from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 3/8")?;
        let (index, count): (u64, u64) =
            (k.trim().parse().map_err(|_| "K is not a number")?, n.trim().parse().map_err(|_| "N is not a number")?);
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count}: K must be 1…N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `path` belongs to this shard: FNV-1a of the path as listed, modulo N, so the
    /// same manifest splits the same way on every machine.
    pub fn holds(&self, path: &Path) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in path.to_string_lossy().as_bytes() {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        hash % self.count == self.index - 1
    }
}

/// Expands the command line's inputs (and the lines of `--files-from`) into files to
/// convert, sorted, and files to skip.
pub fn collect(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut files, &mut skipped);
        } else if input.exists() && Format::of(input).is_none() {
            skipped.push(Skipped { path: input.display().to_string(), reason: not_read() });
        } else {
            files.push(input.clone()); // a missing file becomes a failed document
        }
    }
    files.sort();
    files.dedup();
    (files, skipped)
}

/// The paths listed one per line in `reader` (blank lines and `#` comments ignored).
pub fn read_list(reader: impl BufRead) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line?;
        let line = line.trim_end_matches('\r');
        if !line.trim().is_empty() && !line.starts_with('#') {
            out.push(PathBuf::from(line));
        }
    }
    Ok(out)
}

fn not_read() -> String {
    "not a .pdf, .txt, .tsv, .hocr or .json file".to_string()
}

/// Every file under `dir`, in name order. Symbolic links are followed, but a link back to a
/// folder above it (a loop) is skipped with its reason rather than walked forever.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if Format::of(e.path()).is_some() => files.push(e.into_path()),
            Ok(e) => skipped.push(Skipped { path: e.path().display().to_string(), reason: not_read() }),
            Err(e) => {
                let path = e.path().unwrap_or(dir).display().to_string();
                let reason = if e.loop_ancestor().is_some() {
                    "a link back to a folder above it (a loop): not followed".to_string()
                } else {
                    format!("could not be read: {e}")
                };
                skipped.push(Skipped { path, reason });
            }
        }
    }
}

/// Unique document names for sorted files, in their order.
pub fn names(files: &[PathBuf]) -> Vec<String> {
    // The batch writes `report.json` and `index.html`; its other files are not `.json` or
    // `.html`, so a document named `report` or `index` would overwrite one.
    let mut taken = BTreeSet::from(["report".to_string(), "index".to_string()]);
    files
        .iter()
        .map(|path| {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("document").to_string();
            let mut name = stem.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{stem}-{n}");
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Converts `files` into `out`, `options.jobs` at a time, calling `progress` as each
/// document is written; returns the report.
pub fn run(
    files: &[PathBuf],
    skipped: Vec<Skipped>,
    out: &Path,
    options: &Options,
    progress: &(dyn Fn(&ReportEntry) + Sync),
) -> io::Result<Report> {
    let mut writer = Writer::new(out)?;
    writer.parquet = options.parquet;
    writer.html = options.html;
    let names = names(files);
    let workers = options.isolation.clone().map(|isolation| worker::Pool::new(isolation, options.extract));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs.max(1)).build().map_err(io::Error::other)?;
    // The largest inputs first, each job taking the next when it is free: a long document
    // begun last would run alone at the end of the batch while the other jobs stood idle.
    // (The output does not depend on the order: it is written sorted by name.)
    let sizes: Vec<u64> = files.iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    pool.install(|| {
        order.iter().par_bridge().try_for_each(|&i| {
            let (path, name) = (&files[i], &names[i]);
            let existing = if options.force { None } else { resume::existing(out, name, path) };
            let start = Instant::now();
            let rendered = match (existing, &workers) {
                (Some(doc), _) => Rendered::of(&doc, true, options.html)?,
                (None, Some(workers)) => workers.convert(path, name, options.html)?,
                (None, None) => Rendered::of(&in_process(path, name, &options.extract), false, options.html)?,
            };
            let millis = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
            let (doc, status, reused) = (&rendered.entry.doc, rendered.entry.status, rendered.json.is_none());
            tracing::info!(doc = %doc, status = ?status, millis, reused, "converted {}", path.display());
            let entry = writer.add(rendered, millis)?;
            progress(&entry);
            Ok::<(), io::Error>(())
        })
    })?;
    writer.finish(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_an_archive_into_disjoint_parts() {
        let paths: Vec<PathBuf> = (0..200).map(|i| PathBuf::from(format!("county/{i}.pdf"))).collect();
        let shards: Vec<Shard> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        for p in &paths {
            assert_eq!(shards.iter().filter(|s| s.holds(p)).count(), 1);
        }
        assert!(shards.iter().all(|s| paths.iter().filter(|p| s.holds(p)).count() > 20), "roughly even");
        assert!("0/4".parse::<Shard>().is_err() && "5/4".parse::<Shard>().is_err() && "x".parse::<Shard>().is_err());
    }

    #[test]
    fn names_are_unique_and_never_the_batch_files() {
        let files = [
            PathBuf::from("a/report.pdf"),
            PathBuf::from("a/index.pdf"),
            PathBuf::from("a/x.pdf"),
            PathBuf::from("b/x.txt"),
        ];
        assert_eq!(names(&files), ["report-2", "index-2", "x", "x-2"]);
    }

    #[test]
    fn a_folder_linked_into_itself_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let (files, skipped) = collect(&[dir.path().to_path_buf()]);
        assert_eq!(files, [dir.path().join("a.txt")]);
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].reason.contains("loop"), "{skipped:?}");
    }
}
