//! Worker processes: each document converted by a child process of this program (`gongkai
//! worker`), which prints the document as JSON. The parent holds the limits a hostile file
//! could break inside one process:
//!
//! - time: the child (and the OCR engines it started, in its process group) is killed when
//!   the document takes longer than the limit;
//! - memory: the child caps its own address space (`RLIMIT_AS`, [`limit_memory`]) before it
//!   reads the input, so a decompression bomb or an image declared enormous fails its
//!   allocation, not the machine; a failed allocation aborts the child (`SIGABRT`), and the
//!   kernel's out-of-memory killer ends it with `SIGKILL`: both are the memory limit;
//! - crashes: a stack overflow or another signal ends the child, not the batch.
//!
//! Each is a failed document with its reason. Input size and page count limits are checked
//! when the input is read (`source`).

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};

use rustix::process::{Pid, Resource, Rlimit, Signal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::model::{Document, Finding, FindingKind, Severity};

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

/// Converts one document in a worker process under the limits.
pub fn convert(isolation: &Isolation, path: &Path, name: &str, options: &crate::extract::Options) -> Document {
    match run(isolation, path, name, options) {
        Ok(doc) => doc,
        Err((kind, message)) => {
            tracing::warn!(doc = name, kind = %kind, "{message}");
            let sha256 = crate::source::sha256_of(path).unwrap_or_default();
            crate::emit::failed_with(path, name, &sha256, Finding::new(Severity::Error, kind, message))
        }
    }
}

/// Caps this process's address space at `mb` MiB (the worker calls it before reading its
/// input; the OCR engines it starts inherit the cap).
pub fn limit_memory(mb: u64) -> std::io::Result<()> {
    let bytes = Some(mb.saturating_mul(1024 * 1024));
    rustix::process::setrlimit(Resource::As, Rlimit { current: bytes, maximum: bytes }).map_err(std::io::Error::from)
}

type Failed = (FindingKind, String);

fn run(isolation: &Isolation, path: &Path, name: &str, options: &crate::extract::Options) -> Result<Document, Failed> {
    let mut command = Command::new(&isolation.exe);
    command.arg("worker").arg("--name").arg(name).arg("--max-memory-mb").arg(isolation.max_memory_mb.to_string());
    if !options.ocr {
        command.arg("--no-ocr");
    }
    command
        .arg(path)
        .env("RAYON_NUM_THREADS", isolation.threads.max(1).to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().map_err(|e| (FindingKind::WorkerFailed, format!("cannot start a worker: {e}")))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    // Wait in a thread, so the document's end is seen at once, and the time limit by a
    // timed receive.
    let group = Pid::from_child(&child);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let status = match finished.recv_timeout(isolation.timeout) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => return Err((FindingKind::WorkerFailed, format!("lost the worker: {e}"))),
        Err(_) => {
            // The whole process group: the worker and any OCR engine it started.
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
            let _ = finished.recv();
            return Err((
                FindingKind::TimeLimit,
                format!("stopped after the time limit of {} s per document", isolation.timeout.as_secs()),
            ));
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    if status.success() {
        return serde_json::from_slice(&stdout)
            .map_err(|e| (FindingKind::WorkerFailed, format!("the worker's document could not be read: {e}")));
    }
    // A failed allocation aborts; the kernel's out-of-memory killer kills.
    if status.signal().is_some_and(|s| s == Signal::ABORT.as_raw() || s == Signal::KILL.as_raw()) {
        return Err((
            FindingKind::ResourceLimit,
            format!(
                "over the memory limit of {} MiB per document (a decompression bomb or an oversized image?)",
                isolation.max_memory_mb
            ),
        ));
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
    match status.signal() {
        Some(signal) => {
            Err((FindingKind::InternalError, format!("the worker crashed (signal {signal}) while converting; {last}")))
        }
        None => Err((FindingKind::InternalError, format!("the worker failed ({status}) while converting; {last}"))),
    }
}
