//! Worker processes: each document converted by a child process of this program (`gongkai
//! worker`), which prints the document as JSON. The parent holds the limits a hostile file
//! could break inside one process:
//!
//! - time: the child (and the OCR engines it started, in its process group) is killed when
//!   the document takes longer than the limit;
//! - memory: the child's address space is capped (`RLIMIT_AS`), so a decompression bomb or
//!   an image declared enormous fails its allocation, not the machine;
//! - crashes: an abort, a stack overflow or a signal ends the child, not the batch.
//!
//! Each is a failed document with its reason. Input size and page count limits are checked
//! when the input is read (`source`).

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
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
            tracing::warn!(doc = name, kind = kind.as_str(), "{message}");
            let sha256 = crate::source::sha256_of(path).unwrap_or_default();
            crate::emit::failed_with(path, name, &sha256, Finding::new(Severity::Error, kind, message))
        }
    }
}

type Failed = (FindingKind, String);

fn run(isolation: &Isolation, path: &Path, name: &str, options: &crate::extract::Options) -> Result<Document, Failed> {
    let mut command = Command::new(&isolation.exe);
    command.arg("worker").arg("--name").arg(name);
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
    let limit = isolation.max_memory_mb.saturating_mul(1024 * 1024);
    // SAFETY: between fork and exec only async-signal-safe calls: setrlimit.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_AS, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
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
    let pid = i32::try_from(child.id()).unwrap_or(0);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let status = match finished.recv_timeout(isolation.timeout) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => return Err((FindingKind::WorkerFailed, format!("lost the worker: {e}"))),
        Err(_) => {
            // The whole process group: the worker and any OCR engine it started.
            // SAFETY: sends a signal; no memory is touched.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
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
    if stderr.contains("memory allocation of")
        || stderr.contains("out of memory")
        || stderr.contains("capacity overflow")
    {
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
