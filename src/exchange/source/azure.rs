//! `--from azure`: the federated token file Azure workload identity projects
//! into a pod and names in AZURE_FEDERATED_TOKEN_FILE.

use super::{Platform, SourceOptions, platform_file};
use crate::exchange::{ExchangeError, SubjectToken};

pub const ENV: &str = "AZURE_FEDERATED_TOKEN_FILE";

pub fn read(opts: &SourceOptions) -> Result<SubjectToken, ExchangeError> {
    platform_file(opts, Platform::Azure, ENV, None)
}
