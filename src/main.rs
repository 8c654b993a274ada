//! The `gongkai` command: a thin layer over the library.
//!
//! Exit status (output contract): 0 when every input produced a document (flagged ones
//! included); 1 when any input failed outright; 2 for a usage error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gongkai::batch::{self, Shard, worker::Isolation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Budget disclosures of Chinese government departments → audited, structured data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output formats of the warehouse tables.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Ndjson,
    Parquet,
}

#[derive(Subcommand)]
enum Command {
    /// Convert disclosures (files or folders, searched recursively) into DIR.
    Convert {
        /// Input files (.pdf, .txt OCR text, .tsv / .hocr / .json OCR output) or folders.
        #[arg(required_unless_present = "files_from")]
        inputs: Vec<PathBuf>,
        /// Output folder: <doc>.json per input, facts.ndjson, findings.ndjson, documents.ndjson, report.json, timing.ndjson.
        #[arg(long, short)]
        out: PathBuf,
        /// Also convert the paths listed in FILE, one per line (`-` reads standard input).
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        /// Documents converted at once (default: all cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Convert only shard K of N (1-based), chosen by a hash of each path: N workers of a
        /// scheduler split one archive with no coordination.
        #[arg(long, value_name = "K/N")]
        shard: Option<Shard>,
        /// `parquet` also writes facts, findings and documents as Parquet (NDJSON is always
        /// written).
        #[arg(long, value_enum, default_value_t = Format::Ndjson)]
        format: Format,
        /// Also write the audit view: DIR/<doc>.html per document (findings, tables with
        /// repaired, inferred and failing cells marked, beside the page) and DIR/index.html.
        #[arg(long)]
        html: bool,
        /// Convert inputs again even when DIR already holds their document (same content
        /// hash and contract version).
        #[arg(long)]
        force: bool,
        /// Time limit per document, seconds.
        #[arg(long, default_value_t = 1800, value_name = "SECS")]
        timeout: u64,
        /// Memory (address space) limit per document, MiB: a stream that inflates beyond it
        /// (a decompression bomb) fails its document.
        #[arg(long, default_value_t = 1024, value_name = "MIB")]
        max_memory: u64,
        /// Do not OCR pages without a usable text layer (scans); report them instead. By
        /// default they are OCR'd with tesseract chi_sim (installed by scripts/setup.sh).
        #[arg(long)]
        no_ocr: bool,
        /// OCR is on by default; kept so older command lines still work.
        #[arg(long, hide = true, conflicts_with = "no_ocr")]
        ocr: bool,
    },
    /// Convert the documents requested on stdin (`{"path":…,"name":…}` per line), printing
    /// each as one JSON line (the batch's worker process).
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        no_ocr: bool,
        /// Address-space limit of this process, MiB.
        #[arg(long)]
        max_memory_mb: Option<u64>,
    },
    /// Write the JSON Schemas of the output contract into DIR.
    #[command(hide = true)]
    Schemas { dir: PathBuf },
}

fn main() -> ExitCode {
    // `RUST_LOG` as targets and levels (`info`, `gongkai=debug,warn`), not tracing's full
    // `EnvFilter`: that one brings in the regex engine's full DFAs, which the program's own
    // patterns then built on first use (a sixth of a worker's start-up).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|spec| spec.parse::<tracing_subscriber::filter::Targets>().ok())
        .unwrap_or_else(|| tracing_subscriber::filter::Targets::new().with_default(tracing::Level::WARN));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // A stage's time when its span closes (`RUST_LOG=gongkai=info`; see `stage` in lib.rs).
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish()
        .with(filter)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("gongkai: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Convert {
            inputs,
            out,
            files_from,
            jobs,
            shard,
            format,
            html,
            force,
            timeout,
            max_memory,
            no_ocr,
            ocr: _,
        } => {
            let mut inputs = inputs;
            if let Some(list) = files_from {
                let listed = if list.as_os_str() == "-" {
                    batch::read_list(std::io::stdin().lock())
                } else {
                    std::fs::File::open(&list).and_then(|f| batch::read_list(std::io::BufReader::new(f)))
                };
                inputs.extend(listed.with_context(|| format!("reading the list {}", list.display()))?);
            }
            let (mut files, skipped) = batch::collect(&inputs);
            if let Some(shard) = shard {
                files.retain(|f| shard.holds(f));
            }
            for s in &skipped {
                eprintln!("gongkai: skipped {}: {}", s.path, s.reason);
            }
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            let jobs = jobs.unwrap_or(cores).max(1);
            let options = batch::Options {
                extract: gongkai::extract::Options { ocr: !no_ocr },
                jobs,
                isolation: Some(Isolation {
                    exe: std::env::current_exe().context("finding this program for its workers")?,
                    timeout: Duration::from_secs(timeout),
                    max_memory_mb: max_memory,
                    // Cores no document is given go to the pages of those that are (OCR, and
                    // a long PDF's runs of pages): one document on two cores reads on both.
                    threads: (cores / jobs.min(files.len()).max(1)).max(1),
                }),
                force,
                parquet: format == Format::Parquet,
                html,
            };
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(files.len() as u64).with_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} eta {eta} {msg}")
                        .expect("progress template"),
                )
            } else {
                indicatif::ProgressBar::hidden()
            };
            let report = batch::run(&files, skipped, &out, &options, &|entry| {
                bar.set_message(entry.doc.clone());
                bar.inc(1);
            })
            .with_context(|| format!("writing to {}", out.display()))?;
            bar.finish_and_clear();
            for failure in &report.failures {
                eprintln!("gongkai: failed {}: {}", failure.path, failure.reason);
            }
            let c = &report.counts;
            eprintln!(
                "gongkai: {} documents ({} ok, {} repaired, {} flagged, {} failed), {} facts → {}",
                report.documents.len(),
                c.ok,
                c.repaired,
                c.flagged,
                c.failed,
                report.facts,
                out.display()
            );
            Ok(if c.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Worker { no_ocr, max_memory_mb } => {
            if let Some(mb) = max_memory_mb {
                batch::worker::limit_memory(mb).context("limiting the worker's memory")?;
            }
            let options = gongkai::extract::Options { ocr: !no_ocr };
            let output = std::io::BufWriter::new(std::io::stdout().lock());
            batch::worker::serve(std::io::stdin().lock(), output, &options).context("serving documents")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schemas { dir } => {
            gongkai::emit::schemas::write(&dir).with_context(|| format!("writing schemas to {}", dir.display()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
