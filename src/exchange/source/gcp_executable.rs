//! The subject token from an executable, as a gcloud "executable-sourced"
//! (pluggable auth) credential configuration names it:
//! `credential_source.executable {command, timeout_millis, output_file}`.
//!
//! The contract is Google's (google-auth-library PluggableAuthCredentials /
//! golang.org/x/oauth2 executablecredsource.go):
//! - it runs only when `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1`, because
//!   the configuration file then decides what runs;
//! - the executable gets GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE, _TOKEN_TYPE,
//!   _INTERACTIVE (always 0 here), _IMPERSONATED_EMAIL and _OUTPUT_FILE;
//! - it prints `{"version": 1, "success": true, "token_type": …,
//!   "id_token" | "saml_response": …, "expiration_time": …}` or
//!   `{"version": 1, "success": false, "code": …, "message": …}`;
//! - a still-valid success response in `output_file` is used without running
//!   the executable; `expiration_time` is required when `output_file` is set;
//! - the timeout defaults to 30 s and must lie within 5–120 s.
//!
//! The command line is split like a POSIX shell would split words (quotes
//! honoured), and run directly: no shell. The executable's stderr is not
//! shown (it may echo credentials); its exit status is.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::Value;

use crate::exchange::{ExchangeError, Secret, SubjectToken};

pub const ALLOW_ENV: &str = "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const MIN_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_TIMEOUT: Duration = Duration::from_secs(120);
/// A token response is a few KiB; more is not a token.
const OUTPUT_LIMIT: u64 = 64 * 1024;

/// `credential_source.executable`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executable {
    pub argv: Vec<String>,
    pub timeout: Duration,
    pub output_file: Option<String>,
}

/// What the executable is told about the exchange it serves.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub audience: &'a str,
    pub subject_token_type: &'a str,
    pub impersonated_email: Option<&'a str>,
}

/// Reads `credential_source.executable`; `why` errors name the field.
pub fn parse(v: &Value) -> Result<Executable, String> {
    let command = v
        .get("command")
        .and_then(Value::as_str)
        .filter(|c| !c.trim().is_empty())
        .ok_or("credential_source.executable has no \"command\"")?;
    let argv = shlex::split(command).filter(|a| !a.is_empty()).ok_or(
        "credential_source.executable.command has an unbalanced quote or an unfinished escape",
    )?;
    let timeout = match v.get("timeout_millis") {
        None | Some(Value::Null) => DEFAULT_TIMEOUT,
        Some(t) => {
            let ms = t
                .as_u64()
                .ok_or("credential_source.executable.timeout_millis is not a whole number")?;
            let d = Duration::from_millis(ms);
            if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&d) {
                return Err(format!(
                    "credential_source.executable.timeout_millis {ms} is outside 5000–120000"
                ));
            }
            d
        }
    };
    let output_file = v
        .get("output_file")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok(Executable {
        argv,
        timeout,
        output_file,
    })
}

/// The subject token: from a still-valid cached response in `output_file`,
/// else from running the executable.
pub fn subject_token(
    exe: &Executable,
    ctx: &Context,
    now: Timestamp,
) -> Result<SubjectToken, ExchangeError> {
    if std::env::var(ALLOW_ENV).as_deref() != Ok("1") {
        return Err(ExchangeError::Input(format!(
            "the credential configuration runs {:?} to get the subject token; set {ALLOW_ENV}=1 to allow executables (as Google's libraries require)",
            exe.argv[0]
        )));
    }
    let shown = exe.argv[0].clone();
    if let Some(path) = &exe.output_file
        && let Ok(text) = std::fs::read_to_string(path)
        && !text.trim().is_empty()
    {
        let origin = format!("credential_source executable output_file {path}");
        // A cached response that is expired (or unusable) is ignored and the
        // executable runs, as Google's libraries do.
        if let Ok(token) = read_response(&text, true, now, &origin) {
            return Ok(SubjectToken {
                token: Secret::new(token),
                origin,
            });
        }
    }
    let stdout = run(exe, ctx)?;
    let origin = format!("credential_source executable {shown}");
    let token = read_response(&stdout, exe.output_file.is_some(), now, &origin)?;
    Ok(SubjectToken {
        token: Secret::new(token),
        origin,
    })
}

fn run(exe: &Executable, ctx: &Context) -> Result<String, ExchangeError> {
    let shown = &exe.argv[0];
    let mut cmd = Command::new(shown);
    cmd.args(&exe.argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE", ctx.audience)
        .env("GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE", ctx.subject_token_type)
        .env("GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE", "0");
    if let Some(email) = ctx.impersonated_email {
        cmd.env("GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL", email);
    }
    if let Some(f) = &exe.output_file {
        cmd.env("GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE", f);
    }
    let mut child = cmd.spawn().map_err(|e| {
        ExchangeError::Operational(format!(
            "credential_source executable {shown}: cannot start it: {e}"
        ))
    })?;
    // Read stdout on a thread so a chatty executable cannot block on a full
    // pipe while this thread waits for it to exit.
    let mut out = child.stdout.take().ok_or_else(|| {
        ExchangeError::Operational(format!("credential_source executable {shown}: no stdout"))
    })?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let read = (&mut out).take(OUTPUT_LIMIT + 1).read_to_end(&mut buf);
        read.map(|_| buf)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= exe.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExchangeError::Operational(format!(
                    "credential_source executable {shown}: no answer within {} s (timeout_millis); killed",
                    exe.timeout.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                return Err(ExchangeError::Operational(format!(
                    "credential_source executable {shown}: {e}"
                )));
            }
        }
    };
    let bytes = reader
        .join()
        .map_err(|_| {
            ExchangeError::Operational(format!(
                "credential_source executable {shown}: reading its output failed"
            ))
        })?
        .map_err(|e| {
            ExchangeError::Operational(format!(
                "credential_source executable {shown}: reading its output: {e}"
            ))
        })?;
    if !status.success() {
        return Err(ExchangeError::Operational(format!(
            "credential_source executable {shown} failed ({status})"
        )));
    }
    if bytes.len() as u64 > OUTPUT_LIMIT {
        return Err(ExchangeError::Operational(format!(
            "credential_source executable {shown} printed more than {OUTPUT_LIMIT} bytes; not a token response"
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        ExchangeError::Operational(format!(
            "credential_source executable {shown} printed bytes that are not UTF-8"
        ))
    })
}

/// The token from a response, or why it is not usable. Never quotes the
/// response: it holds the token.
fn read_response(
    text: &str,
    expiry_required: bool,
    now: Timestamp,
    origin: &str,
) -> Result<String, ExchangeError> {
    let op = |why: &str| ExchangeError::Operational(format!("{origin}: {why}"));
    let v: Value = serde_json::from_str(text.trim())
        .map_err(|_| op("the response is not JSON ({\"version\": 1, \"success\": …})"))?;
    match v.get("version").and_then(Value::as_u64) {
        Some(1) => {}
        Some(n) => return Err(op(&format!("response version {n} is not supported (1 is)"))),
        None => return Err(op("the response has no \"version\"")),
    }
    match v.get("success").and_then(Value::as_bool) {
        Some(true) => {}
        Some(false) => {
            let code = v.get("code").and_then(Value::as_str);
            let message = v.get("message").and_then(Value::as_str);
            return Err(match (code, message) {
                (Some(c), Some(m)) => op(&format!(
                    "the executable reported failure {c}: {}",
                    crate::exchange::one_line(m, 200)
                )),
                _ => op("the executable reported failure without \"code\" and \"message\""),
            });
        }
        None => return Err(op("the response has no \"success\"")),
    }
    let token_type = v
        .get("token_type")
        .and_then(Value::as_str)
        .ok_or_else(|| op("the response has no \"token_type\""))?;
    let field = match token_type {
        "urn:ietf:params:oauth:token-type:id_token" | "urn:ietf:params:oauth:token-type:jwt" => {
            "id_token"
        }
        "urn:ietf:params:oauth:token-type:saml2" => "saml_response",
        other => {
            return Err(op(&format!(
                "token_type {other:?} is not id_token, jwt or saml2"
            )));
        }
    };
    match v.get("expiration_time").and_then(Value::as_i64) {
        Some(exp) if exp <= now.as_second() => {
            return Err(op("the response's token is expired (expiration_time)"));
        }
        Some(_) => {}
        None if expiry_required => {
            return Err(op(
                "the response has no \"expiration_time\" (required with output_file)",
            ));
        }
        None => {}
    }
    v.get(field)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .ok_or_else(|| op(&format!("the response has no \"{field}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        Timestamp::from_second(1_800_000_000).unwrap()
    }

    #[test]
    fn the_configuration_is_checked() {
        let e = parse(&json!({"command": "/bin/get-token --aud 'a b'", "timeout_millis": 5000}))
            .unwrap();
        assert_eq!(e.argv, ["/bin/get-token", "--aud", "a b"]);
        assert_eq!(e.timeout, Duration::from_secs(5));
        assert_eq!(
            parse(&json!({"command": "x"})).unwrap().timeout,
            DEFAULT_TIMEOUT
        );
        assert!(
            parse(&json!({"command": "x", "timeout_millis": 1000}))
                .unwrap_err()
                .contains("outside")
        );
        assert!(
            parse(&json!({"command": "x 'open"}))
                .unwrap_err()
                .contains("unbalanced")
        );
        assert!(parse(&json!({})).unwrap_err().contains("no \"command\""));
    }

    #[test]
    fn responses_are_read_as_google_documents_them() {
        let ok = json!({"version": 1, "success": true,
            "token_type": "urn:ietf:params:oauth:token-type:id_token",
            "id_token": "HEADER.PAYLOAD.SIGNATURE", "expiration_time": 1_800_000_600});
        assert_eq!(
            read_response(&ok.to_string(), true, now(), "x").unwrap(),
            "HEADER.PAYLOAD.SIGNATURE"
        );
        let expired = json!({"version": 1, "success": true,
            "token_type": "urn:ietf:params:oauth:token-type:id_token",
            "id_token": "T", "expiration_time": 1_700_000_000});
        let e = read_response(&expired.to_string(), false, now(), "x").unwrap_err();
        assert!(e.to_string().contains("expired"), "{e}");
        let no_exp = json!({"version": 1, "success": true,
            "token_type": "urn:ietf:params:oauth:token-type:saml2", "saml_response": "S"});
        assert_eq!(
            read_response(&no_exp.to_string(), false, now(), "x").unwrap(),
            "S"
        );
        let e = read_response(&no_exp.to_string(), true, now(), "x").unwrap_err();
        assert!(e.to_string().contains("expiration_time"), "{e}");
        let failed = json!({"version": 1, "success": false, "code": "401", "message": "Caller not authorized."});
        let e = read_response(&failed.to_string(), false, now(), "x").unwrap_err();
        assert!(
            e.to_string()
                .contains("failure 401: Caller not authorized."),
            "{e}"
        );
        let v2 = json!({"version": 2, "success": true});
        assert!(
            read_response(&v2.to_string(), false, now(), "x")
                .unwrap_err()
                .to_string()
                .contains("version 2")
        );
    }
}
