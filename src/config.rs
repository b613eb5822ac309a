//! Which registry file applies, and settings resolved by precedence:
//! flag > `AGENTID_*` environment > registry file > built-in default.
//!
//! The registry file itself is found in this order: `--config PATH`
//! (or `AGENTID_CONFIG`), `./agentid.yaml`, `$XDG_CONFIG_HOME/agentid/agentid.yaml`
//! (`~/.config/agentid/agentid.yaml` when XDG_CONFIG_HOME is unset).

use std::path::{Path, PathBuf};

/// Where a registry was found, for `-v` logs and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    WorkingDir,
    UserConfig,
}

/// The registry file to use, if any. `explicit` is `--config` (clap fills it
/// from `AGENTID_CONFIG` too); an explicit path is returned even if missing,
/// so that reading it fails loudly rather than silently falling back.
pub fn find_registry(explicit: Option<&Path>) -> Option<(PathBuf, Origin)> {
    if let Some(p) = explicit {
        return Some((p.to_path_buf(), Origin::Flag));
    }
    let local = PathBuf::from("agentid.yaml");
    if local.is_file() {
        return Some((local, Origin::WorkingDir));
    }
    let user = user_config_dir()?.join("agentid").join("agentid.yaml");
    user.is_file().then_some((user, Origin::UserConfig))
}

fn user_config_dir() -> Option<PathBuf> {
    match std::env::var_os("XDG_CONFIG_HOME") {
        Some(dir) if !dir.is_empty() && Path::new(&dir).is_absolute() => Some(PathBuf::from(dir)),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".config")),
    }
}
