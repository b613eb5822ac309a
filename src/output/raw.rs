//! `-f raw`: the credential alone (a bearer token), newline-terminated.

use std::io::{self, Write};

use crate::exchange::Credential;

pub fn exchange(out: &mut dyn Write, c: &Credential) -> io::Result<()> {
    match c {
        Credential::Token { value } => writeln!(out, "{}", value.expose()),
        Credential::Aws { .. } => Err(io::Error::other(
            "AWS credentials are three values: use -f env or -f credential-process",
        )),
    }
}
