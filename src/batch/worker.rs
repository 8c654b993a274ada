//! Worker processes: documents are converted by child processes of this program (`gongkai
//! worker`), each of which converts one document after another — a request line on its
//! stdin (`{"path":…,"name":…,"html":…}`), the document rendered as the batch writes it on
//! its stdout ([`write_rendered`]: a JSON line saying how long each part is, then the parts)
//! — so the tables, vocabularies and patterns are loaded once per worker, not once per
//! document, and the batch only writes bytes.
//! The parent holds the limits a hostile file could break inside one process:
//!
//! - time: the worker (and the OCR engines it started, in its process group) is killed when
//!   a document takes longer than the limit;
//! - memory: the worker caps its own address space (`RLIMIT_AS`, [`limit_memory`]) before it
//!   reads any input, so a decompression bomb or an image declared enormous fails its
//!   allocation, not the machine; a failed allocation aborts the worker (`SIGABRT`), and the
//!   kernel's out-of-memory killer ends it with `SIGKILL`: both are the memory limit;
//! - crashes: a stack overflow or another signal ends the worker, not the batch.
//!
//! Each is a failed document with its reason, and the worker is replaced by a new one for
//! the next document. Input size and page count limits are checked when the input is read
//! (`source`).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustix::process::{Pid, Resource, Rlimit, Signal};
use serde::{Deserialize, Serialize};

use crate::emit::Rendered;
use crate::model::{Failure, Finding, FindingKind, ReportEntry, Severity};

/// The limits each worker runs under.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// This program (`std::env::current_exe()`), started as `EXE worker …`.
    pub exe: PathBuf,
    /// Time limit per document.
    pub timeout: Duration,
    /// Address-space limit per worker, MiB.
    pub max_memory_mb: u64,
    /// Threads a worker may use for OCR pages.
    pub threads: usize,
}

/// One document for a worker: a line of its stdin.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub path: PathBuf,
    pub name: String,
    /// Render the audit view (`<doc>.html`) too.
    #[serde(default)]
    pub html: bool,
}

/// Caps this process's address space at `mb` MiB (the worker calls it before reading any
/// input; the OCR engines it starts inherit the cap).
pub fn limit_memory(mb: u64) -> std::io::Result<()> {
    let bytes = Some(mb.saturating_mul(1024 * 1024));
    rustix::process::setrlimit(Resource::As, Rlimit { current: bytes, maximum: bytes }).map_err(std::io::Error::from)
}

/// The worker's side: converts each request read from `input` and writes its document,
/// rendered, to `output` ([`write_rendered`]), until `input` ends.
pub fn serve(input: impl BufRead, mut output: impl Write, options: &crate::extract::Options) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        let doc = super::guarded::in_process(&request.path, &request.name, options);
        write_rendered(&mut output, &Rendered::of(&doc, false, request.html)?)?;
        output.flush()?;
    }
    Ok(())
}

/// How a rendered document is sent: this line, then its parts' bytes back to back.
#[derive(Serialize, Deserialize)]
struct Frame {
    entry: ReportEntry,
    failure: Option<Failure>,
    /// Bytes of `<doc>.json`, of `<doc>.html` (when rendered) and of each table's lines.
    json: Option<usize>,
    html: Option<usize>,
    tables: Vec<usize>,
}

/// Writes a rendered document as a worker sends it.
pub fn write_rendered(output: &mut impl Write, rendered: &Rendered) -> std::io::Result<()> {
    let frame = Frame {
        entry: rendered.entry.clone(),
        failure: rendered.failure.clone(),
        json: rendered.json.as_ref().map(Vec::len),
        html: rendered.html.as_ref().map(Vec::len),
        tables: rendered.tables.iter().map(Vec::len).collect(),
    };
    serde_json::to_writer(&mut *output, &frame).map_err(std::io::Error::other)?;
    output.write_all(b"\n")?;
    for part in rendered.json.iter().chain(&rendered.html).chain(&rendered.tables) {
        output.write_all(part)?;
    }
    Ok(())
}

/// Reads a rendered document as a worker sent it; `None` where the output ended before one
/// began. A frame cut short (the worker died while writing it) is an `UnexpectedEof` error.
pub fn read_rendered(input: &mut impl BufRead) -> std::io::Result<Option<Rendered>> {
    let mut line = Vec::new();
    if input.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let frame: Frame = serde_json::from_slice(&line).map_err(std::io::Error::other)?;
    let mut part = |length: usize| -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; length];
        input.read_exact(&mut bytes)?;
        Ok(bytes)
    };
    let json = frame.json.map(&mut part).transpose()?;
    let html = frame.html.map(&mut part).transpose()?;
    let tables = frame.tables.iter().map(|&length| part(length)).collect::<std::io::Result<_>>()?;
    Ok(Some(Rendered { entry: frame.entry, failure: frame.failure, json, html, tables }))
}

/// Long-lived workers, at most one per document converted at once: a worker goes back to
/// the pool after each document it converted, and is dropped (killed) after one it failed
/// on, so the next document starts in a fresh process.
pub struct Pool {
    isolation: Isolation,
    options: crate::extract::Options,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    pub fn new(isolation: Isolation, options: crate::extract::Options) -> Pool {
        Pool { isolation, options, idle: Mutex::new(Vec::new()) }
    }

    /// Converts one document in a worker under the limits, rendered (with its audit view
    /// when `html`).
    pub fn convert(&self, path: &Path, name: &str, html: bool) -> std::io::Result<Rendered> {
        let idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let outcome = match idle {
            Some(worker) => Ok(worker),
            None => Worker::start(&self.isolation, &self.options),
        }
        .and_then(|mut worker| {
            let doc = worker.convert(&self.isolation, path, name, html)?;
            // A worker that has grown (caches and heap kept from long documents) is replaced
            // rather than reused, so no worker's resident set creeps up over a batch.
            if worker.resident_mib().is_none_or(|mib| mib <= RECYCLE_RESIDENT_MIB) {
                self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(worker);
            }
            Ok(doc)
        });
        outcome.or_else(|(kind, message)| {
            tracing::warn!(doc = name, kind = %kind, "{message}");
            let sha256 = crate::source::sha256_of(path).unwrap_or_default();
            let doc = crate::emit::failed_with(path, name, &sha256, Finding::new(Severity::Error, kind, message));
            Rendered::of(&doc, false, html)
        })
    }
}

type Failed = (FindingKind, String);

/// Resident memory above which a worker is replaced after its document, MiB. A fresh worker
/// holds 10–16 MiB and a 328-page budget takes it to about 55; kept from document to
/// document, freed heap and caches brought a worker to 97 MiB over the corpus (63 at one
/// thread).
const RECYCLE_RESIDENT_MIB: u64 = 40;

/// A running worker process.
struct Worker {
    child: Child,
    group: Pid,
    stdin: ChildStdin,
    /// The documents the worker rendered (`None`: its stdout closed, or was cut short; an
    /// error: what it wrote was not a rendered document).
    documents: Receiver<Option<Result<Rendered, String>>>,
    /// What the worker wrote to stderr since its current document began.
    stderr: Arc<Mutex<Vec<u8>>>,
    /// The worker's temporary folder (its `TMPDIR`: OCR renders pages there), removed when
    /// the worker is dropped, after it is killed: a worker killed over its time or memory
    /// limit never cleans up after itself, and a rendered page is megabytes.
    _scratch: tempfile::TempDir,
}

impl Worker {
    fn start(isolation: &Isolation, options: &crate::extract::Options) -> Result<Worker, Failed> {
        let scratch = tempfile::Builder::new()
            .prefix("gongkai-worker-")
            .tempdir()
            .map_err(|e| (FindingKind::WorkerFailed, format!("cannot make a worker's temporary folder: {e}")))?;
        let mut command = Command::new(&isolation.exe);
        command.env("TMPDIR", scratch.path());
        command.arg("worker").arg("--max-memory-mb").arg(isolation.max_memory_mb.to_string());
        if !options.ocr {
            command.arg("--no-ocr");
        }
        command
            .env("RAYON_NUM_THREADS", isolation.threads.max(1).to_string())
            // One malloc arena (glibc): a worker's threads read a long document's pages side by
            // side, and an arena per thread kept their freed memory apart (a 328-page budget
            // peaked at 62 MiB with two, 54 with one, in the same time).
            .env("MALLOC_ARENA_MAX", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so a time limit kills the OCR engines it started too.
            .process_group(0);
        let mut child =
            command.spawn().map_err(|e| (FindingKind::WorkerFailed, format!("cannot start a worker: {e}")))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        let (send, documents) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut output = BufReader::new(stdout);
            loop {
                let read = match read_rendered(&mut output) {
                    Ok(Some(rendered)) => Some(Ok(rendered)),
                    Ok(None) => None,
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => None,
                    Err(e) => Some(Err(e.to_string())),
                };
                let ended = !matches!(read, Some(Ok(_)));
                if send.send(read).is_err() || ended {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let mut text = sink.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                text.extend_from_slice(&buf[..n]);
                // Only the end is ever reported.
                if text.len() > 64 * 1024 {
                    text.drain(..32 * 1024);
                }
            }
        });
        let group = Pid::from_child(&child);
        Ok(Worker { child, group, stdin, documents, stderr, _scratch: scratch })
    }

    /// Sends one document and waits for it, at most the time limit.
    fn convert(&mut self, isolation: &Isolation, path: &Path, name: &str, html: bool) -> Result<Rendered, Failed> {
        self.stderr.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        let mut request = serde_json::to_vec(&Request { path: path.to_path_buf(), name: name.to_string(), html })
            .expect("a request serialises");
        request.push(b'\n');
        // A worker that died since its last document shows as a closed pipe here, or as a
        // closed stdout below: either way its exit status says why.
        let _ = self.stdin.write_all(&request).and_then(|()| self.stdin.flush());
        match self.documents.recv_timeout(isolation.timeout) {
            Ok(Some(Ok(rendered))) => Ok(rendered),
            Ok(Some(Err(e))) => {
                Err((FindingKind::WorkerFailed, format!("the worker's document could not be read: {e}")))
            }
            Ok(None) | Err(RecvTimeoutError::Disconnected) => Err(self.ended(isolation)),
            Err(RecvTimeoutError::Timeout) => {
                // The whole process group: the worker and any OCR engine it started.
                let _ = rustix::process::kill_process_group(self.group, Signal::KILL);
                let _ = self.child.wait();
                Err((
                    FindingKind::TimeLimit,
                    format!("stopped after the time limit of {} s per document", isolation.timeout.as_secs()),
                ))
            }
        }
    }

    /// The worker's resident memory now, MiB (`None` where `/proc` does not say).
    fn resident_mib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024)
    }

    /// Why the worker ended in the middle of a document.
    fn ended(&mut self, isolation: &Isolation) -> Failed {
        let status = match self.child.wait() {
            Ok(status) => status,
            Err(e) => return (FindingKind::WorkerFailed, format!("lost the worker: {e}")),
        };
        // A failed allocation aborts; the kernel's out-of-memory killer kills.
        if status.signal().is_some_and(|s| s == Signal::ABORT.as_raw() || s == Signal::KILL.as_raw()) {
            return (
                FindingKind::ResourceLimit,
                format!(
                    "over the memory limit of {} MiB per document (a decompression bomb or an oversized image?)",
                    isolation.max_memory_mb
                ),
            );
        }
        // The stderr reader may still be copying the last lines.
        std::thread::sleep(Duration::from_millis(20));
        let stderr = String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
            .into_owned();
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        match status.signal() {
            Some(signal) => {
                (FindingKind::InternalError, format!("the worker crashed (signal {signal}) while converting; {last}"))
            }
            None => (FindingKind::InternalError, format!("the worker failed ({status}) while converting; {last}")),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker at the end of a batch, or one that failed: never left running.
        let _ = rustix::process::kill_process_group(self.group, Signal::KILL);
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_document_is_read_back_as_sent_and_a_cut_one_is_an_end() {
        let doc = crate::batch::in_process(Path::new("../shared/seed/missing.txt"), "seed", &Default::default());
        let rendered = Rendered::of(&doc, false, true).unwrap();
        let mut sent = Vec::new();
        write_rendered(&mut sent, &rendered).unwrap();
        write_rendered(&mut sent, &Rendered { json: None, html: None, ..rendered.clone() }).unwrap();
        let mut input = &sent[..];
        assert_eq!(read_rendered(&mut input).unwrap().as_ref(), Some(&rendered));
        let reused = read_rendered(&mut input).unwrap().unwrap();
        assert_eq!((reused.json, reused.html, &reused.tables), (None, None, &rendered.tables));
        assert!(read_rendered(&mut input).unwrap().is_none(), "the end");
        for cut in [sent.len() / 3, 10] {
            let error = read_rendered(&mut &sent[..cut]).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof, "cut at {cut}");
        }
    }
}
