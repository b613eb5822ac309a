//! Where a token comes from: a file, stdin (`-`) or a named environment
//! variable. Never the command line itself: argv is visible to every user of
//! the machine in `ps` and lands in shell history.

use std::io::Read;
use std::path::Path;

use crate::secrets;

/// The largest token accepted, whitespace included. Real JWTs are a few KiB;
/// anything bigger is a mistake or an attack on the parser.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Where to read a token from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file; `-` is stdin.
    Path(&'a Path),
    /// An environment variable, by name.
    Env(&'a str),
}

/// A token read from its source, trimmed and without a `Bearer ` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInput {
    pub token: String,
    /// The source for messages: the file name, `<stdin>` or `$VAR`.
    pub origin: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(
        "tokens are not accepted on the command line: argv is visible to other users in `ps` and is kept in shell history (got {redacted}); put the token in a file, pipe it to `-`, or name an environment variable with --env VAR"
    )]
    OnCommandLine { redacted: String },
    /// The I/O error is part of the message (not a `source`), so that the
    /// one line says it all wherever the error is printed.
    #[error("cannot read token file {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("environment variable {0} is not set")]
    EnvMissing(String),
    #[error("environment variable {0} is not valid UTF-8")]
    EnvNotUnicode(String),
    #[error("{origin}: over 64 KiB, larger than any real token")]
    TooLarge { origin: String },
    #[error("{origin}: not UTF-8 text")]
    NotUtf8 { origin: String },
    #[error("{origin}: empty: no token")]
    Empty { origin: String },
}

/// Reads a token. `stdin` is what `-` reads (the process's stdin in the binary).
pub fn read(source: Source<'_>, stdin: &mut dyn Read) -> Result<TokenInput, InputError> {
    let (origin, raw) = match source {
        Source::Env(name) => {
            if looks_like_token(name) {
                // `--env <the token itself>`: argv again.
                return Err(InputError::OnCommandLine {
                    redacted: secrets::redact(name.trim()),
                });
            }
            let origin = format!("${name}");
            let value = match std::env::var(name) {
                Ok(v) => v,
                Err(std::env::VarError::NotPresent) => {
                    return Err(InputError::EnvMissing(name.to_string()));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(InputError::EnvNotUnicode(name.to_string()));
                }
            };
            if value.len() > MAX_TOKEN_BYTES {
                return Err(InputError::TooLarge { origin });
            }
            (origin, value)
        }
        Source::Path(path) if path == Path::new("-") => {
            let origin = "<stdin>".to_string();
            let bytes = read_limited(stdin).map_err(|error| InputError::Read {
                path: origin.clone(),
                error,
            })?;
            (origin.clone(), into_text(origin, bytes)?)
        }
        Source::Path(path) => {
            let origin = path.display().to_string();
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(error) => {
                    // Whatever the error (not found, name too long…): a token
                    // given as the argument is refused, never echoed.
                    if let Some(arg) = path.to_str()
                        && looks_like_token(arg)
                    {
                        return Err(InputError::OnCommandLine {
                            redacted: secrets::redact(arg.trim()),
                        });
                    }
                    return Err(InputError::Read {
                        path: origin,
                        error,
                    });
                }
            };
            let read_err = |error| InputError::Read {
                path: origin.clone(),
                error,
            };
            if file.metadata().map_err(read_err)?.is_dir() {
                return Err(read_err(std::io::Error::other("it is a directory")));
            }
            let bytes = read_limited(file).map_err(read_err)?;
            (origin.clone(), into_text(origin, bytes)?)
        }
    };
    let token = strip_bearer(raw.trim()).to_string();
    if token.is_empty() {
        return Err(InputError::Empty { origin });
    }
    Ok(TokenInput { token, origin })
}

/// Reads one byte past the limit, so that "too large" is known without
/// reading all of a huge file (or of /dev/zero).
fn read_limited(r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    r.take(MAX_TOKEN_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn into_text(origin: String, bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() > MAX_TOKEN_BYTES {
        return Err(InputError::TooLarge { origin });
    }
    String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { origin })
}

/// `Bearer <token>` as copied from an Authorization header; the scheme name
/// is case-insensitive (RFC 9110 §11.1).
pub fn strip_bearer(text: &str) -> &str {
    match text.get(..6) {
        Some(head) if head.eq_ignore_ascii_case("bearer") => {
            let rest = &text[6..];
            if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace()) {
                rest.trim_start()
            } else {
                text
            }
        }
        _ => text,
    }
}

/// True when a command-line argument that names no file is probably a token
/// pasted where a file name belongs: JWT- or JWE-shaped, a known credential,
/// or a long run of base64 characters with no path separator.
pub fn looks_like_token(arg: &str) -> bool {
    let t = strip_bearer(arg.trim());
    if secrets::looks_like_secret(t) {
        return true;
    }
    let b64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let parts: Vec<&str> = t.split('.').collect();
    if matches!(parts.len(), 3 | 5)
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| b64url(p))
    {
        return true;
    }
    t.len() >= 32
        && !t.contains('/')
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.+=~".contains(&b))
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_uppercase())
        && t.bytes().any(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVlLWhlcmU";

    fn from_file(text: &[u8]) -> Result<TokenInput, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jwt");
        std::fs::write(&p, text).unwrap();
        read(Source::Path(&p), &mut std::io::empty())
    }

    #[test]
    fn trims_and_strips_bearer() {
        for text in [
            JWT.to_string(),
            format!("  {JWT}\n"),
            format!("Bearer {JWT}"),
            format!("bearer   {JWT}\r\n"),
            format!("BEARER\t{JWT}"),
        ] {
            assert_eq!(from_file(text.as_bytes()).unwrap().token, JWT, "{text:?}");
        }
        // Only a prefix: the word inside a token is left alone.
        assert_eq!(strip_bearer("Bearerish"), "Bearerish");
    }

    #[test]
    fn reads_stdin_for_dash() {
        let mut stdin = std::io::Cursor::new(format!("{JWT}\n"));
        let t = read(Source::Path(Path::new("-")), &mut stdin).unwrap();
        assert_eq!((t.token.as_str(), t.origin.as_str()), (JWT, "<stdin>"));
    }

    #[test]
    fn refuses_empty_and_oversized_input() {
        assert!(matches!(
            from_file(b" \n\t").unwrap_err(),
            InputError::Empty { .. }
        ));
        assert!(matches!(
            from_file(b"Bearer ").unwrap_err(),
            InputError::Empty { .. }
        ));
        let big = vec![b'a'; MAX_TOKEN_BYTES + 1];
        let e = from_file(&big).unwrap_err();
        assert!(matches!(e, InputError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("64 KiB"));
        assert!(from_file(&vec![b'a'; MAX_TOKEN_BYTES]).is_ok());
        assert!(matches!(
            from_file(&[0xff, 0xfe]).unwrap_err(),
            InputError::NotUtf8 { .. }
        ));
    }

    #[test]
    fn a_token_in_argv_is_refused_without_echoing_it() {
        let e = read(Source::Path(Path::new(JWT)), &mut std::io::empty()).unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, InputError::OnCommandLine { .. }), "{msg}");
        assert!(msg.contains("ps"), "{msg}");
        assert!(!msg.contains(&JWT[10..]), "the token is not echoed: {msg}");
        assert!(msg.contains("eyJhbGci"), "a redacted prefix helps: {msg}");
    }

    #[test]
    fn a_token_given_as_the_env_name_is_refused() {
        let e = read(Source::Env(JWT), &mut std::io::empty()).unwrap_err();
        assert!(matches!(e, InputError::OnCommandLine { .. }), "{e}");
        assert!(!e.to_string().contains(&JWT[10..]));
    }

    #[test]
    fn a_long_token_in_argv_is_refused_too() {
        // Longer than a file name may be: open fails with "name too long", not "not found".
        let long = format!("{JWT}{}", "A".repeat(400));
        let e = read(Source::Path(Path::new(&long)), &mut std::io::empty()).unwrap_err();
        assert!(matches!(e, InputError::OnCommandLine { .. }), "{e}");
        assert!(!e.to_string().contains(&JWT[10..]));
    }

    #[test]
    fn recognises_tokens_but_not_paths() {
        for t in [
            JWT,
            "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVlLWhlcmU",
            "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "ya29A0ARrdaM8xYz1234567890abcdefGHIJKLmnop",
        ] {
            assert!(looks_like_token(t), "{t}");
        }
        for p in [
            "token.jwt",
            "tests/fixtures/tokens/github-actions.jwt",
            "/var/run/secrets/tokens/token",
            "a.b.c",
            "my-token-file-with-a-long-descriptive-name",
        ] {
            assert!(!looks_like_token(p), "{p}");
        }
    }

    #[test]
    fn missing_file_and_env() {
        let e = read(
            Source::Path(Path::new("no-such.jwt")),
            &mut std::io::empty(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot read token file no-such.jwt"),
            "{e}"
        );
        let e = read(
            Source::Env("AGENTID_TEST_SURELY_UNSET_VAR"),
            &mut std::io::empty(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "environment variable AGENTID_TEST_SURELY_UNSET_VAR is not set"
        );
    }
}
