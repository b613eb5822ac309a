//! Every renderer lives here: one file per format. Core modules return data;
//! commands hand it to [`emit`] with the format and destination the user chose.

pub mod credential_process;
pub mod csv;
pub mod env;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod raw;
pub mod sarif;
pub mod style;
pub mod table;
pub mod yaml;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use style::Style;

/// An output format. Not every command supports every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Csv,
    /// JSON Lines: one object per line (scan-secrets findings).
    Jsonl,
    /// SARIF 2.1.0 (scan-secrets findings, for code scanning).
    Sarif,
    /// The credential alone (exchange).
    Raw,
    /// `export NAME=value` lines (exchange).
    Env,
    /// AWS credential_process JSON, Version 1 (exchange aws).
    CredentialProcess,
    /// A self-contained HTML page (the inventory report).
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Sarif => "sarif",
            Format::Raw => "raw",
            Format::Env => "env",
            Format::CredentialProcess => "credential-process",
            Format::Html => "html",
        }
    }
}

/// Where output goes: stdout, or a file written atomically.
#[derive(Debug, Clone, Default)]
pub struct Destination {
    path: Option<PathBuf>,
}

impl Destination {
    /// `None` or `-` mean stdout.
    pub fn new(path: Option<&Path>) -> Self {
        Destination {
            path: path.filter(|p| *p != Path::new("-")).map(Path::to_path_buf),
        }
    }

    pub fn is_stdout(&self) -> bool {
        self.path.is_none()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("format {format} is not available for {what} (use {supported})")]
    Unsupported {
        format: &'static str,
        what: &'static str,
        supported: String,
    },
}

impl OutputError {
    /// True when the reader of stdout went away (`agentid … | head`): not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, OutputError::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Writes through `render` to the destination. A file is written to a temporary
/// sibling and renamed into place, so a failure never leaves half a file.
pub fn write_to(
    dest: &Destination,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    write_file(dest, render, false)
}

/// Like [`write_to`], for output that is a credential (a token, a private
/// key): a file is always created 0600, and an existing file's mode is
/// tightened to 0600 too.
pub fn write_secret_to(
    dest: &Destination,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    write_file(dest, render, true)
}

fn write_file(
    dest: &Destination,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    secret: bool,
) -> Result<(), OutputError> {
    match &dest.path {
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            render(&mut out)
                .and_then(|()| out.flush())
                .map_err(|source| OutputError::Write {
                    path: "stdout".into(),
                    source,
                })
        }
        Some(path) => {
            let err = |source: io::Error| OutputError::Write {
                path: path.display().to_string(),
                source: without_temp_path(source),
            };
            // A device, FIFO or socket (`-o /dev/null`, `-o >(gzip)`) is written
            // in place: renaming a file over it would replace the device itself.
            if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(err)?;
                let mut out = io::BufWriter::with_capacity(1 << 16, file);
                return render(&mut out).and_then(|()| out.flush()).map_err(err);
            }
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(".agentid-")
                .suffix(".tmp")
                .tempfile_in(dir)
                .map_err(err)?;
            let mut out = io::BufWriter::with_capacity(1 << 16, tmp);
            render(&mut out).and_then(|()| out.flush()).map_err(err)?;
            let tmp = out.into_inner().map_err(|e| err(e.into_error()))?;
            test_pause_before_rename();
            if !secret {
                set_report_mode(tmp.as_file(), path).map_err(err)?;
            }
            tmp.as_file().sync_all().map_err(err)?;
            tmp.persist(path).map_err(|e| err(e.error))?;
            sync_dir(dir);
            Ok(())
        }
    }
}

/// Supported formats of one kind of document, for the error message.
pub fn require(
    format: Format,
    what: &'static str,
    supported: &[Format],
) -> Result<(), OutputError> {
    if supported.contains(&format) {
        Ok(())
    } else {
        Err(OutputError::Unsupported {
            format: format.as_str(),
            what,
            supported: supported
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }
}

/// Serializes a document in a machine format.
pub fn write_machine<T: Serialize>(out: &mut dyn Write, format: Format, doc: &T) -> io::Result<()> {
    match format {
        Format::Json => json::write(out, doc),
        Format::Yaml => yaml::write(out, doc),
        Format::Table
        | Format::Csv
        | Format::Jsonl
        | Format::Sarif
        | Format::Raw
        | Format::Env
        | Format::CredentialProcess
        | Format::Html => Err(io::Error::other("not a machine format")),
    }
}

/// Reports are ordinary files: an existing file keeps its mode; a new one is
/// 0644 narrowed by the umask (0600 under `umask 077`), never wider than 0644
/// even under `umask 000`. A symlink at the destination is replaced, so its
/// target's mode is not copied. Secrets keep the 0600 of the temporary file
/// they start as.
fn set_report_mode(file: &std::fs::File, target: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::symlink_metadata(target) {
            Ok(m) if m.is_file() => m.permissions().mode() & 0o7777,
            _ => 0o644 & !process_umask(),
        };
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (file, target);
    Ok(())
}

/// The process's umask. Reading it with umask(2) means setting it, which
/// would race with other threads creating files; Linux shows it in
/// /proc/self/status. Elsewhere the common 022 is assumed.
#[cfg(unix)]
fn process_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Makes the rename itself durable: after a crash the directory entry
/// points at the new file, not the old one. Best effort: some filesystems
/// refuse fsync on a directory, and the data is already safe either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Test-only fault injection, not a user setting: `AGENTID_TEST_SLOW_WRITE=MS`
/// pauses (at most 60 s) after the output is in its temporary file and before
/// the rename, so tests/file_safety.rs can SIGKILL the process mid-write and
/// check that the destination is the old file or the new one, never half.
fn test_pause_before_rename() {
    if let Some(ms) = std::env::var("AGENTID_TEST_SLOW_WRITE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

/// tempfile adds the temporary file's name to its errors; the user named another file.
fn without_temp_path(e: io::Error) -> io::Error {
    if let Some(code) = e.raw_os_error() {
        return io::Error::from_raw_os_error(code);
    }
    // Creating the temporary file fails with tempfile's own error, which wraps
    // the OS error and hides its code: "No such file or directory (os error 2)
    // at path \"/…/.agentid-XXXX.tmp\"". Keep the part before the path.
    if e.get_ref().is_some() {
        let text = e.to_string();
        if let Some((message, _)) = text.split_once(" at path \"") {
            return io::Error::new(e.kind(), message.to_string());
        }
    }
    e
}
