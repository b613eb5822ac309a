//! `-f env`: `export NAME='value'` lines for `eval "$(agentid … -f env)"`.

use std::io::{self, Write};

use crate::exchange::Credential;

/// Single-quoted for POSIX shells: `'` becomes `'\''`.
fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

/// The variables a protocol's credential goes in.
pub fn exchange(out: &mut dyn Write, c: &Credential, token_var: &str) -> io::Result<()> {
    match c {
        Credential::Token { value } => {
            writeln!(out, "export {token_var}={}", quote(value.expose()))
        }
        Credential::Aws {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
        } => {
            writeln!(
                out,
                "export AWS_ACCESS_KEY_ID={}",
                quote(access_key_id.expose())
            )?;
            writeln!(
                out,
                "export AWS_SECRET_ACCESS_KEY={}",
                quote(secret_access_key.expose())
            )?;
            writeln!(
                out,
                "export AWS_SESSION_TOKEN={}",
                quote(session_token.expose())
            )?;
            if let Some(e) = expiration {
                writeln!(
                    out,
                    "export AWS_CREDENTIAL_EXPIRATION={}",
                    quote(&e.to_string())
                )?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(super::quote("a'b"), r"'a'\''b'");
    }
}
