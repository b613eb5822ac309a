//! `--from aws-web-identity`: the file EKS (IRSA) and other AWS web-identity
//! setups name in AWS_WEB_IDENTITY_TOKEN_FILE.

use super::{Platform, SourceOptions, platform_file};
use crate::exchange::{ExchangeError, SubjectToken};

pub const ENV: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";

pub fn read(opts: &SourceOptions) -> Result<SubjectToken, ExchangeError> {
    platform_file(opts, Platform::AwsWebIdentity, ENV, None)
}
