//! `-f credential-process`: the JSON an AWS SDK reads from a
//! `credential_process` command (Version 1), so `~/.aws/config` can run
//! agentid directly.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::exchange::Credential;

pub fn exchange(out: &mut dyn Write, c: &Credential) -> io::Result<()> {
    let Credential::Aws {
        access_key_id,
        secret_access_key,
        session_token,
        expiration,
    } = c
    else {
        return Err(io::Error::other(
            "-f credential-process is for AWS credentials (exchange aws)",
        ));
    };
    let mut m = Map::new();
    m.insert("Version".into(), 1.into());
    m.insert("AccessKeyId".into(), access_key_id.expose().into());
    m.insert("SecretAccessKey".into(), secret_access_key.expose().into());
    m.insert("SessionToken".into(), session_token.expose().into());
    if let Some(e) = expiration {
        m.insert("Expiration".into(), Value::String(e.to_string()));
    }
    serde_json::to_writer(&mut *out, &Value::Object(m)).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
