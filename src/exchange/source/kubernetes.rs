//! `--from kubernetes`: the projected service-account token. Default path
//! /var/run/secrets/kubernetes.io/serviceaccount/token; a projected volume
//! elsewhere is named with --source-file or AGENTID_KUBERNETES_TOKEN_FILE.

use super::{Platform, SourceOptions, platform_file};
use crate::exchange::{ExchangeError, SubjectToken};

pub const DEFAULT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";
pub const ENV: &str = "AGENTID_KUBERNETES_TOKEN_FILE";

pub fn read(opts: &SourceOptions) -> Result<SubjectToken, ExchangeError> {
    platform_file(opts, Platform::Kubernetes, ENV, Some(DEFAULT_PATH))
}
