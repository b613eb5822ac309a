//! `--from anthropic`: the identity token file Anthropic's SDKs read for
//! workload identity federation, named in ANTHROPIC_IDENTITY_TOKEN_FILE.

use super::{Platform, SourceOptions, platform_file};
use crate::exchange::{ExchangeError, SubjectToken};

pub const ENV: &str = "ANTHROPIC_IDENTITY_TOKEN_FILE";

pub fn read(opts: &SourceOptions) -> Result<SubjectToken, ExchangeError> {
    platform_file(opts, Platform::Anthropic, ENV, None)
}
