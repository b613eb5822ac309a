//! Running the live sources: each on a tokio runtime, [`PARALLEL_SOURCES`]
//! at a time, every failure kept as a [`SourceFailure`] so that one refused
//! source never hides the others.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use jiff::Timestamp;

use super::source::{SourceContext, SourceFailure};
use crate::model::Estate;
use crate::registry::{AdminKeySource, AwsSource};

/// Sources collected at the same time.
pub const PARALLEL_SOURCES: usize = 4;

/// The live source kinds this build can collect. Kinds not listed here are
/// refused at planning with "not available in this build yet".
// MERGE(inv-saas): add "anthropic" and "openai" here when src/inventory/
// anthropic.rs and openai.rs are merged (and wire them in `dispatch` below).
pub const BUILT: &[&str] = &["aws"];

/// One live source's registry settings.
#[derive(Debug, Clone)]
pub enum LiveSettings {
    Aws(AwsSource),
    Anthropic(AdminKeySource),
    Openai(AdminKeySource),
}

/// A live source to collect.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub kind: &'static str,
    pub settings: LiveSettings,
}

/// Told when sources start and end (progress bars on a terminal).
pub trait Watch: Sync + std::fmt::Debug {
    /// A source started; `calls` counts its API requests as they are sent.
    fn started(&self, name: &str, kind: &str, calls: Arc<AtomicU64>);
    /// A source ended, with or without its estate.
    fn finished(&self, name: &str, ok: bool);
}

/// What one source gave.
#[derive(Debug)]
pub struct Collected {
    pub name: String,
    pub result: Result<Estate, SourceFailure>,
    pub calls: u64,
}

async fn dispatch(settings: &LiveSettings, ctx: &SourceContext) -> Result<Estate, SourceFailure> {
    match settings {
        LiveSettings::Aws(s) => super::aws::collect(s, ctx).await,
        // MERGE(inv-saas): replace this arm with
        //   LiveSettings::Anthropic(s) => super::anthropic::collect(s, ctx).await,
        //   LiveSettings::Openai(s) => super::openai::collect(s, ctx).await,
        // (planning refuses these kinds until they are in BUILT).
        LiveSettings::Anthropic(_) | LiveSettings::Openai(_) => Err(SourceFailure {
            source: ctx.name.clone(),
            endpoint: "collector".into(),
            cause: "not available in this build yet".into(),
            permission: None,
        }),
    }
}

/// Collects every job, at most [`PARALLEL_SOURCES`] at once, in job order.
pub fn collect(jobs: Vec<Job>, as_of: Timestamp, watch: Option<&dyn Watch>) -> Vec<Collected> {
    if jobs.is_empty() {
        return Vec::new();
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return jobs
                .into_iter()
                .map(|j| Collected {
                    result: Err(SourceFailure {
                        source: j.name.clone(),
                        endpoint: "runtime".into(),
                        cause: format!("cannot start the async runtime: {e}"),
                        permission: None,
                    }),
                    name: j.name,
                    calls: 0,
                })
                .collect();
        }
    };
    rt.block_on(async {
        let total = jobs.len();
        let mut pending = jobs.into_iter().enumerate();
        let mut set = tokio::task::JoinSet::new();
        let mut done: Vec<(usize, Collected)> = Vec::with_capacity(total);
        loop {
            while set.len() < PARALLEL_SOURCES {
                let Some((i, job)) = pending.next() else { break };
                let ctx = SourceContext::new(job.name.clone(), as_of);
                if let Some(w) = watch {
                    w.started(&job.name, job.kind, ctx.calls.clone());
                }
                set.spawn(async move {
                    let span = tracing::info_span!("source", name = %job.name, kind = job.kind);
                    let result = tracing::Instrument::instrument(dispatch(&job.settings, &ctx), span).await;
                    (
                        i,
                        Collected {
                            name: job.name,
                            result,
                            calls: ctx.calls_made(),
                        },
                    )
                });
            }
            let Some(joined) = set.join_next().await else { break };
            match joined {
                Ok((i, c)) => {
                    if let Some(w) = watch {
                        w.finished(&c.name, c.result.is_ok());
                    }
                    tracing::info!(source = %c.name, calls = c.calls, ok = c.result.is_ok(), "source done");
                    done.push((i, c));
                }
                Err(e) => {
                    // A source that panicked: resume the panic, as the rest of
                    // the program does (it is a bug, not an operational failure).
                    if e.is_panic() {
                        std::panic::resume_unwind(e.into_panic());
                    }
                }
            }
        }
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, c)| c).collect()
    })
}
