//! `--subject-token FILE|-` and `--subject-token-env VAR`.

use std::path::Path;

use super::super::{ExchangeError, Secret, SubjectToken};
use crate::token::input::{self, Source};

pub fn from_path(path: &Path) -> Result<SubjectToken, ExchangeError> {
    let t = input::read(Source::Path(path), &mut std::io::stdin().lock())
        .map_err(|e| ExchangeError::Input(e.to_string()))?;
    Ok(SubjectToken {
        token: Secret::new(t.token),
        origin: t.origin,
    })
}

pub fn from_env(name: &str) -> Result<SubjectToken, ExchangeError> {
    let t = input::read(Source::Env(name), &mut std::io::empty())
        .map_err(|e| ExchangeError::Input(e.to_string()))?;
    Ok(SubjectToken {
        token: Secret::new(t.token),
        origin: t.origin,
    })
}
