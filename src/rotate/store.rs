//! The keystore directory of one issuer: `state.json` (the keyset), the
//! append-only `journal.jsonl`, and `lock`.
//!
//! - The directory is 0700 and every file in it 0600; an existing directory
//!   or key file that group or others can reach is refused.
//! - Every file is replaced atomically: temporary sibling, fsync, rename,
//!   fsync of the directory.
//! - The journal is appended and fsync'd before the state file changes; a
//!   group of entries written together is folded in whole or not at all. On
//!   load the whole journal is folded from the start and must agree with the
//!   state file: entries journaled after it (a crash between the two) are
//!   replayed, a torn tail (a crash mid-append) is dropped.
//! - One `run` at a time: an exclusive `flock` on `lock`, whose content names
//!   the holder (pid, host, since, command). The kernel releases the lock when
//!   its holder dies; a holder record left behind is a stale lock, reported.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::RotateError;
use super::keyset::{Entry, Keyset, STATE_KIND, STATE_SCHEMA_VERSION};

pub const STATE_FILE: &str = "state.json";
pub const JOURNAL_FILE: &str = "journal.jsonl";
pub const LOCK_FILE: &str = "lock";
/// Prefix of temporary files in the keystore (removed when found).
pub const TEMP_PREFIX: &str = ".agentid-keystore-";

/// Largest state or journal file read (a journal line is ~400 bytes).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The keystore directory of one issuer.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Who holds the lock: written into the lock file while held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    pub since: Timestamp,
    pub command: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on host {} since {} ({})",
            self.pid, self.host, self.since, self.command
        )
    }
}

/// The journal as read: complete groups only.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    pub entries: Vec<Entry>,
    /// Bytes of complete groups; anything after is a torn tail.
    pub good_len: u64,
    /// A torn tail was found (a crash while appending).
    pub torn: bool,
}

/// A keystore as loaded: the state with every journaled entry folded in.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub keyset: Keyset,
    pub journal: Journal,
    /// Entries journaled but not yet in state.json (an interrupted run).
    pub replayed: usize,
    /// state.json was missing and was rebuilt from the journal.
    pub rebuilt: bool,
}

fn io_err(what: &str, path: &Path, e: io::Error) -> RotateError {
    RotateError::Operational(format!("cannot {what} {}: {}", path.display(), plain(&e)))
}

/// An io error without tempfile's temporary path.
pub fn plain(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => match e.raw_os_error() {
            Some(code) => io::Error::from_raw_os_error(code).to_string(),
            None => e.to_string(),
        },
    }
}

/// Refuses a directory that is not a real directory or that group or others
/// can reach: it holds private keys.
pub fn check_private_dir(dir: &Path) -> Result<(), RotateError> {
    let meta =
        std::fs::symlink_metadata(dir).map_err(|e| io_err("read the key directory", dir, e))?;
    if meta.file_type().is_symlink() {
        return Err(RotateError::Input(format!(
            "{}: the key directory is a symbolic link; give its real path",
            dir.display()
        )));
    }
    if !meta.is_dir() {
        return Err(RotateError::Input(format!(
            "{}: not a directory (the issuer's key directory)",
            dir.display()
        )));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(RotateError::Input(format!(
            "{}: the key directory is mode {mode:04o}, open to group or others; it holds private keys and must be 0700: chmod 700 {}",
            dir.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Refuses a private key or keystore file that is a link, not a file, or
/// readable by group or others.
pub fn check_private_file(path: &Path, what: &str) -> Result<(), RotateError> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| io_err("read", path, e))?;
    if meta.file_type().is_symlink() {
        return Err(RotateError::Input(format!(
            "{}: the {what} is a symbolic link; agentid writes and reads only real files here",
            path.display()
        )));
    }
    if !meta.is_file() {
        return Err(RotateError::Input(format!(
            "{}: the {what} is not a regular file",
            path.display()
        )));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(RotateError::Input(format!(
            "{}: the {what} is mode {mode:04o}, readable by group or others; it must be 0600: chmod 600 {} (and treat the key as exposed if anyone else could read it)",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary sibling with `mode`,
/// fsync, rename over `path`, fsync of the directory.
pub fn atomic_write(path: &Path, bytes: &[u8], mode: u32, prefix: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)?;
    // The umask may have narrowed the mode; the caller's is the one meant.
    tmp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Removes a file and makes the removal durable; a missing file is fine.
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => sync_dir(d),
        _ => sync_dir(Path::new(".")),
    }
}

fn read_limited(path: &Path) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::other("it is a directory"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::other("larger than 64 MiB"));
    }
    Ok(bytes)
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn exists(&self) -> bool {
        std::fs::symlink_metadata(&self.dir).is_ok()
    }

    /// Creates the directory 0700 (and its parents) if missing, then checks it.
    pub fn create(&self) -> Result<(), RotateError> {
        if !self.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(&self.dir)
                .map_err(|e| io_err("create the key directory", &self.dir, e))?;
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io_err("set the mode of", &self.dir, e))?;
            if let Some(parent) = self.dir.parent() {
                let _ = sync_dir(if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                });
            }
        }
        check_private_dir(&self.dir)
    }

    /// Whether the keystore holds a state file or a journal.
    pub fn is_initialised(&self) -> bool {
        self.path(STATE_FILE).exists() || self.path(JOURNAL_FILE).exists()
    }

    /// Reads the keystore of `issuer`; `None` when it has no state yet.
    /// Checks the directory's permissions, folds the whole journal and
    /// compares it with the state file. Writes nothing.
    pub fn load(&self, issuer: &str) -> Result<Option<Loaded>, RotateError> {
        if !self.exists() {
            return Ok(None);
        }
        check_private_dir(&self.dir)?;
        let state_path = self.path(STATE_FILE);
        let journal_path = self.path(JOURNAL_FILE);
        let state = if state_path.exists() {
            check_private_file(&state_path, "state file")?;
            let bytes = read_limited(&state_path).map_err(|e| io_err("read", &state_path, e))?;
            Some(parse_state(&state_path, &bytes)?)
        } else {
            None
        };
        let journal = if journal_path.exists() {
            check_private_file(&journal_path, "journal")?;
            self.read_journal()?
        } else {
            Journal::default()
        };
        if state.is_none() && journal.entries.is_empty() {
            return Ok(None);
        }
        if let Some(s) = &state
            && s.issuer != issuer
        {
            return Err(RotateError::Input(format!(
                "{}: this keystore belongs to issuer {:?}, not {issuer:?}; each issuer needs its own key directory",
                state_path.display(),
                s.issuer
            )));
        }
        let last = journal.entries.last().map_or(0, |e| e.seq);
        let checkpoint = state.as_ref().map_or(0, |s| s.journal_seq);
        if checkpoint > last {
            return Err(RotateError::Input(format!(
                "{}: the state file has folded in journal entries up to {checkpoint}, but {} ends at {last}: the journal was truncated or replaced; restore it from backup",
                state_path.display(),
                journal_path.display()
            )));
        }
        // Fold the whole journal: the state file must be one of its prefixes.
        let mut folded = Keyset::new(issuer);
        let mut at_checkpoint = (checkpoint == 0).then(|| folded.clone());
        for e in &journal.entries {
            folded
                .apply(e)
                .map_err(|err| RotateError::Input(format!("{}: {err}", journal_path.display())))?;
            if e.seq == checkpoint {
                at_checkpoint = Some(folded.clone());
            }
        }
        if let (Some(s), Some(expected)) = (&state, &at_checkpoint)
            && s != expected
        {
            return Err(RotateError::Input(format!(
                "{}: does not match what {} records up to entry {checkpoint}; one of them was edited by hand or restored from different backups",
                state_path.display(),
                journal_path.display()
            )));
        }
        Ok(Some(Loaded {
            replayed: (last - checkpoint) as usize,
            rebuilt: state.is_none(),
            keyset: folded,
            journal,
        }))
    }

    /// The journal's complete groups, and whether a torn tail follows them.
    pub fn read_journal(&self) -> Result<Journal, RotateError> {
        let path = self.path(JOURNAL_FILE);
        let bytes = read_limited(&path).map_err(|e| io_err("read", &path, e))?;
        parse_journal(&path, &bytes)
    }

    pub fn write_state(&self, ks: &Keyset) -> Result<(), RotateError> {
        let path = self.path(STATE_FILE);
        let mut text = serde_json::to_vec_pretty(ks)
            .map_err(|e| RotateError::Operational(format!("cannot encode the state: {e}")))?;
        text.push(b'\n');
        atomic_write(&path, &text, 0o600, TEMP_PREFIX).map_err(|e| io_err("write", &path, e))
    }

    /// Appends entries as JSON lines in one write and fsyncs them.
    pub fn append(&self, entries: &[Entry]) -> Result<(), RotateError> {
        let path = self.path(JOURNAL_FILE);
        let mut text = Vec::new();
        for e in entries {
            serde_json::to_writer(&mut text, e).map_err(|e| {
                RotateError::Operational(format!("cannot encode a journal entry: {e}"))
            })?;
            text.push(b'\n');
        }
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .custom_flags(libc_o_nofollow())
            .open(&path)
            .map_err(|e| io_err("open", &path, e))?;
        file.write_all(&text)
            .and_then(|()| file.sync_data())
            .map_err(|e| io_err("append to", &path, e))?;
        if created {
            sync_dir(&self.dir).map_err(|e| io_err("sync", &self.dir, e))?;
        }
        Ok(())
    }

    /// Drops a torn tail: the bytes after the last complete group.
    pub fn truncate_journal(&self, good_len: u64) -> Result<(), RotateError> {
        let path = self.path(JOURNAL_FILE);
        let file = OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(|e| io_err("open", &path, e))?;
        file.set_len(good_len)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_err("truncate", &path, e))
    }

    /// Removes temporary files an interrupted write left behind.
    pub fn remove_temporaries(&self) -> Vec<PathBuf> {
        let mut removed = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp") {
                    let path = e.path();
                    if remove_durably(&path).is_ok() {
                        removed.push(path);
                    }
                }
            }
        }
        removed
    }

    fn open_lock_file(&self) -> Result<File, RotateError> {
        let path = self.path(LOCK_FILE);
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc_o_nofollow())
            .open(&path)
            .map_err(|e| io_err("open the lock file", &path, e))
    }

    /// Takes the issuer's lock for a command that changes the keystore.
    /// Fails (exit 3) naming the holder when another run has it. Returns the
    /// record of a stale lock (a holder that ended without releasing it).
    pub fn lock(&self, me: &Holder) -> Result<(LockGuard, Option<Holder>), RotateError> {
        let path = self.path(LOCK_FILE);
        let mut file = self.open_lock_file()?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                return Err(RotateError::LockHeld {
                    path: path.display().to_string(),
                    holder: holder.map_or_else(
                        || "another agentid process (its record is unreadable)".to_string(),
                        |h| h.to_string(),
                    ),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err("lock", &path, e)),
        }
        let stale = read_holder(&mut file);
        let record = serde_json::to_vec(me).unwrap_or_default();
        file.set_len(0)
            .and_then(|()| {
                use std::io::Seek;
                file.seek(io::SeekFrom::Start(0))?;
                file.write_all(&record)?;
                file.sync_data()
            })
            .map_err(|e| io_err("write the lock file", &path, e))?;
        Ok((LockGuard { file: Some(file) }, stale))
    }

    /// A shared lock for readers that must not see a rotation half-done
    /// (`token sign --issuer`): waits up to `wait` for a run to finish.
    pub fn lock_shared(&self, wait: std::time::Duration) -> Result<File, RotateError> {
        let path = self.path(LOCK_FILE);
        let mut file = self.open_lock_file()?;
        let start = std::time::Instant::now();
        loop {
            match file.try_lock_shared() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file);
                    return Err(RotateError::LockHeld {
                        path: path.display().to_string(),
                        holder: holder.map_or_else(
                            || "another agentid process".to_string(),
                            |h| h.to_string(),
                        ),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err("lock", &path, e)),
            }
        }
    }

    /// Who holds the lock right now, if anyone (for `status`); and the
    /// record of a stale lock if one was left behind.
    pub fn lock_state(&self) -> (Option<Holder>, Option<Holder>) {
        let path = self.path(LOCK_FILE);
        let Ok(mut file) = File::open(&path) else {
            return (None, None);
        };
        match file.try_lock_shared() {
            Ok(()) => (None, read_holder(&mut file)),
            Err(_) => (read_holder(&mut file), None),
        }
    }
}

/// Held while a command changes the keystore; releases on drop.
#[derive(Debug)]
pub struct LockGuard {
    file: Option<File>,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // A clean release clears the holder record; a crash leaves it.
            let _ = file.set_len(0).and_then(|()| file.sync_data());
            let _ = file.unlock();
        }
    }
}

fn read_holder(file: &mut File) -> Option<Holder> {
    use std::io::Seek;
    let mut text = String::new();
    file.seek(io::SeekFrom::Start(0)).ok()?;
    file.take(4096).read_to_string(&mut text).ok()?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    serde_json::from_str(text).ok().or_else(|| {
        Some(Holder {
            pid: 0,
            host: "?".into(),
            since: Timestamp::UNIX_EPOCH,
            command: format!(
                "unreadable lock record {:?}",
                text.chars().take(40).collect::<String>()
            ),
        })
    })
}

const fn libc_o_nofollow() -> i32 {
    // O_NOFOLLOW on Linux (all architectures agentid builds for).
    0o400000
}

fn parse_state(path: &Path, bytes: &[u8]) -> Result<Keyset, RotateError> {
    let bad = |m: String| RotateError::Input(format!("{}: {m}", path.display()));
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        bad(format!(
            "not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    if value.get("kind").and_then(|k| k.as_str()) != Some(STATE_KIND) {
        return Err(bad(format!(
            "not an agentid keystore state file (expected \"kind\": \"{STATE_KIND}\")"
        )));
    }
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(STATE_SCHEMA_VERSION)) {
        return Err(bad(format!(
            "schema_version {} is not one this agentid reads ({STATE_SCHEMA_VERSION})",
            version.map_or("missing".into(), |v| v.to_string())
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let at = e.path().to_string();
        bad(format!("{at}: {}", e.inner()))
    })
}

/// Parses journal lines; a line that is not an entry is corruption unless it
/// is the unterminated last line (a torn append).
pub fn parse_journal(path: &Path, bytes: &[u8]) -> Result<Journal, RotateError> {
    let mut entries: Vec<Entry> = Vec::new();
    // Entries and bytes up to the end of the last complete group.
    let mut complete = 0usize;
    let mut good_len = 0u64;
    let mut offset = 0usize;
    let mut line_no = 0;
    while offset < bytes.len() {
        line_no += 1;
        let rest = &bytes[offset..];
        let Some(nl) = rest.iter().position(|b| *b == b'\n') else {
            break; // an unterminated last line: a torn append
        };
        let line = &rest[..nl];
        offset += nl + 1;
        let e: Entry = serde_json::from_slice(line).map_err(|err| {
            RotateError::Input(format!(
                "{}:{line_no}: not a journal entry: {err}",
                path.display()
            ))
        })?;
        let expected = entries.last().map_or(1, |p| p.seq + 1);
        if e.seq != expected || e.group > e.seq || e.group_size == 0 {
            return Err(RotateError::Input(format!(
                "{}:{line_no}: entry {} where entry {expected} was expected: the journal was edited",
                path.display(),
                e.seq
            )));
        }
        let continues = entries.last().is_some_and(|p| p.group == e.group);
        if (e.group == e.seq) != (entries.len() == complete) || (e.group != e.seq && !continues) {
            return Err(RotateError::Input(format!(
                "{}:{line_no}: entry {} breaks its group of entries: the journal was edited",
                path.display(),
                e.seq
            )));
        }
        let ends_group = e.seq + 1 == e.group + u64::from(e.group_size);
        entries.push(e);
        if ends_group {
            complete = entries.len();
            good_len = offset as u64;
        }
    }
    let torn = good_len < bytes.len() as u64;
    entries.truncate(complete);
    Ok(Journal {
        entries,
        good_len,
        torn,
    })
}

/// The uid that owns a path (for messages).
pub fn owner_uid(path: &Path) -> Option<u32> {
    std::fs::metadata(path).ok().map(|m| m.uid())
}
