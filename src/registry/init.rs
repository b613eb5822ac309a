//! `agentid registry init`: a commented starter registry that validates as written.

use std::path::Path;

/// The starter file. A test proves it loads cleanly.
pub const STARTER: &str = r##"# yaml-language-server: $schema=agentid.schema.json
# agentid registry: which AI agents should exist, who owns them, how they
# authenticate and what they may ask for. Field reference: docs/registry.md.
version: 1

# Thresholds for `agentid inventory` findings. Any of them can also be set per
# source (`thresholds:`) or per agent (`thresholds:`); the most specific wins.
defaults:
  max_key_age: 90d         # static key older than this: not rotated (AID010)
  unused_after: 45d        # key not used this long: unused (AID011)
  dormant_after: 180d      # identity with no activity this long: dormant (AID013)
  never_used_grace: 7d     # a new key may stay unused this long (AID012)
  expiry_warning: 30d      # warn this long before a credential expires (AID015)
  max_token_lifetime: 1h   # a token living longer is long-lived
  fail_on: high            # `inventory` exits 1 at this severity or above

# People and teams that may own agents. Every agent's owner must be listed here;
# set `active: false` when someone leaves, and their agents are flagged (AID004).
owners:
  - id: platform-team
    contact: "#platform-oncall"

agents:
  - name: example-agent
    owner: platform-team
    purpose: Describe in one sentence what this agent does
    environment: prod
    # How the agent proves who it is: short-lived tokens from a trusted issuer.
    trust:
      - issuer: https://token.actions.githubusercontent.com
        subject: repo:acme/example:environment:prod
        audiences: [sts.amazonaws.com]
    # What it may exchange its identity for.
    may_request:
      audiences: [https://api.anthropic.com]
      scopes: [messages:write]
      max_token_lifetime: 15m
    # How the agent appears in providers; inventory matches on these keys.
    identities:
      aws:
        - arn: arn:aws:iam::123456789012:role/example-agent

# Where inventory looks. A snapshot is a saved estate (docs/snapshot.md).
# Secrets are never written here: sources name the environment variable.
sources:
  snapshot:
    - path: estate.json
"##;

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already exists; not overwriting it (remove it or choose another path)")]
    Exists(String),
    #[error("cannot write {path}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// File name of the JSON Schema written next to a new registry, for editors.
pub const SCHEMA_FILE: &str = "agentid.schema.json";

/// Writes the starter to `path`, never replacing an existing file, and the
/// JSON Schema beside it (unless one is there already) so that editors
/// complete and check the file offline. Returns the schema's path if written.
pub fn write_starter(path: &Path) -> Result<Option<std::path::PathBuf>, InitError> {
    write_new(path, STARTER.as_bytes())?;
    let schema_path = path.parent().unwrap_or(Path::new("")).join(SCHEMA_FILE);
    let mut schema =
        serde_json::to_string_pretty(&super::schema::registry_schema()).unwrap_or_default();
    schema.push('\n');
    match write_new(&schema_path, schema.as_bytes()) {
        Ok(()) => Ok(Some(schema_path)),
        Err(InitError::Exists(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), InitError> {
    use std::io::Write;
    let display = path.display().to_string();
    // create_new makes "exists" and "create" one atomic step: no race with another writer.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => InitError::Exists(display.clone()),
            _ => InitError::Write {
                path: display.clone(),
                source,
            },
        })?;
    let result = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(source) = result {
        // Never leave a half-written starter behind.
        let _ = std::fs::remove_file(path);
        return Err(InitError::Write {
            path: display,
            source,
        });
    }
    Ok(())
}
