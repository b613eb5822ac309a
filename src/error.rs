//! Exit codes (docs/exit-codes.md) and the mapping of errors to them.

use crate::exchange::ExchangeError;
use crate::inventory::InventoryError;
use crate::inventory::snapshot::SnapshotError;
use crate::output::OutputError;
use crate::registry::RegistryError;
use crate::registry::init::InitError;
use crate::rotate::RotateError;
use crate::scan::RulesError;
use crate::scan::git::GitError;

/// The process exit status. Scripts rely on these numbers: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success, nothing at or above `--fail-on`.
    Ok = 0,
    /// 1: findings at or above `--fail-on`, or a token that fails verification.
    Findings = 1,
    /// 2: usage error or bad input (unreadable or malformed file, bad flag value).
    Usage = 2,
    /// 3: operational failure (network, provider API, permission denied, lock held).
    Failure = 3,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Bad input that is not a file problem: a flag value, a name that does not exist.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Decides the exit code of a failed run from its error chain.
pub fn exit_status(err: &anyhow::Error) -> ExitStatus {
    for cause in err.chain() {
        if cause.is::<UsageError>()
            || cause.is::<RegistryError>()
            || cause.is::<SnapshotError>()
            || cause.is::<RulesError>()
        {
            return ExitStatus::Usage;
        }
        if let Some(e) = cause.downcast_ref::<GitError>() {
            return if e.is_bad_input() {
                ExitStatus::Usage
            } else {
                ExitStatus::Failure
            };
        }
        if let Some(e) = cause.downcast_ref::<InventoryError>() {
            return match e {
                InventoryError::Snapshot(_) | InventoryError::Usage(_) => ExitStatus::Usage,
            };
        }
        if let Some(e) = cause.downcast_ref::<OutputError>() {
            return match e {
                OutputError::Unsupported { .. } => ExitStatus::Usage,
                OutputError::Write { .. } => ExitStatus::Failure,
            };
        }
        if let Some(e) = cause.downcast_ref::<RotateError>() {
            return match e {
                RotateError::Input(_) => ExitStatus::Usage,
                RotateError::Operational(_)
                | RotateError::LockHeld { .. }
                | RotateError::Crashed(_) => ExitStatus::Failure,
            };
        }
        if let Some(e) = cause.downcast_ref::<ExchangeError>() {
            return match e {
                ExchangeError::Input(_) => ExitStatus::Usage,
                ExchangeError::Operational(_) => ExitStatus::Failure,
            };
        }
        if let Some(e) = cause.downcast_ref::<InitError>() {
            return match e {
                InitError::Exists(_) => ExitStatus::Usage,
                InitError::Write { .. } => ExitStatus::Failure,
            };
        }
    }
    ExitStatus::Failure
}

/// True when the only problem is that the reader of stdout went away.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<OutputError>()
            .is_some_and(OutputError::is_broken_pipe)
            || c.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The lines to print for an error: one per problem, each self-contained.
pub fn error_lines(err: &anyhow::Error) -> Vec<String> {
    for cause in err.chain() {
        let problems = match cause.downcast_ref::<RegistryError>() {
            Some(RegistryError::Invalid { problems }) => Some(problems),
            _ => match cause.downcast_ref::<SnapshotError>() {
                Some(SnapshotError::Invalid { problems }) => Some(problems),
                _ => match cause.downcast_ref::<RulesError>() {
                    Some(RulesError::Invalid { problems }) => Some(problems),
                    _ => None,
                },
            },
        };
        if let Some(problems) = problems {
            return problems.iter().map(ToString::to_string).collect();
        }
    }
    vec![format!("{err:#}")]
}

/// Prints a failed run's error to stderr, one `error:` line per problem (the
/// whole chain with `-vv`), and returns its exit status. A broken pipe is quiet
/// success: the reader of our output has all it wanted.
pub fn report(err: &anyhow::Error, verbose: u8) -> ExitStatus {
    if is_broken_pipe(err) {
        return ExitStatus::Ok;
    }
    for line in error_lines(err) {
        eprintln!("error: {line}");
    }
    if verbose >= 2 {
        eprintln!("{err:?}");
    }
    exit_status(err)
}
