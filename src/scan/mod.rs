//! `scan-secrets`: find long-lived keys in files and git history.
//! Rules are data (a catalogue compiled in); the engine runs a keyword
//! prefilter, then the rules' regexes only around the hits.
//!
//! - [`rules`]: the catalogue and `--rules FILE` (parsing, overrides, problems with positions)
//! - [`engine`]: [`CompiledRules`] and [`scan_bytes`], the one entry point for any bytes
//!   (a file, a git blob, stdin)
//! - [`validate`]: checksums, JWT decoding, entropy, placeholders
//! - [`walk`]: files and directories on all cores, with .gitignore, globs and limits
//! - [`finding`]: what is reported; never the secret itself
//! - [`allow`]: inline `agentid:allow` markers; [`baseline`]: `--baseline`/`--write-baseline` files
//! - [`git`]: git history and the index as blobs; [`history`]: those blobs through the engine
//! - [`estate`]: `--estate`, the credential, identity, agent and owner of a found key

pub mod allow;
pub mod baseline;
pub mod engine;
pub mod estate;
pub mod finding;
pub mod git;
pub mod history;
pub mod report;
pub mod rules;
pub mod shard;
pub mod validate;
pub mod walk;

pub use engine::{CompiledRules, Mode, scan, scan_bytes};
pub use finding::{Finding, Origin, Redacted, Suppression, SuppressionKind};
pub use rules::{Lifetime, Rule, RulesError};
