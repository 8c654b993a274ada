//! The `gongkai` command: a thin layer over the library.
//!
//! Exit status (output contract): 0 when every input produced a document (flagged ones
//! included); 1 when any input failed outright; 2 for a usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

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

#[derive(Subcommand)]
enum Command {
    /// Convert disclosures (files or folders, searched recursively) into DIR.
    Convert {
        /// Input files (.txt OCR text, .pdf) or folders.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output folder: <doc>.json per input, facts.ndjson and report.json.
        #[arg(long, short)]
        out: PathBuf,
        /// Do not OCR pages without a usable text layer (scans); report them instead. By
        /// default they are OCR'd with tesseract chi_sim (installed by scripts/setup.sh).
        #[arg(long)]
        no_ocr: bool,
        /// OCR is on by default; kept so older command lines still work.
        #[arg(long, hide = true, conflicts_with = "no_ocr")]
        ocr: bool,
    },
    /// Write the JSON Schemas of the output contract into DIR.
    #[command(hide = true)]
    Schemas { dir: PathBuf },
}

fn main() -> ExitCode {
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
        Command::Convert { inputs, out, no_ocr, ocr: _ } => {
            let (files, skipped) = gongkai::batch::collect(&inputs);
            for s in &skipped {
                eprintln!("gongkai: skipped {}: {}", s.path, s.reason);
            }
            let batch = gongkai::batch::convert_all(&files, skipped, &gongkai::extract::Options { ocr: !no_ocr });
            let report = gongkai::emit::write(&out, batch).with_context(|| format!("writing to {}", out.display()))?;
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
        Command::Schemas { dir } => {
            gongkai::emit::schemas::write(&dir).with_context(|| format!("writing schemas to {}", dir.display()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
