//! Running the live sources: each on a tokio runtime, [`PARALLEL_SOURCES`]
//! at a time, every failure kept as a [`SourceFailure`] so that one refused
//! source never hides the others.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use jiff::Timestamp;

use super::source::{SourceContext, SourceFailure};
use crate::model::Estate;
use crate::registry::{AdminKeySource, AwsSource, EntraSource, GcpSource, KubernetesSource};

/// Sources collected at the same time.
pub const PARALLEL_SOURCES: usize = 4;

/// One live source's registry settings.
#[derive(Debug, Clone)]
pub enum LiveSettings {
    Aws(AwsSource),
    Kubernetes(KubernetesSource),
    Gcp(GcpSource),
    Entra(EntraSource),
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
        LiveSettings::Kubernetes(s) => super::kubernetes::collect(s, ctx).await,
        LiveSettings::Gcp(s) => super::gcp::collect(s, ctx).await,
        LiveSettings::Entra(s) => super::entra::collect(s, ctx).await,
        LiveSettings::Anthropic(s) => super::anthropic::collect(s, ctx).await,
        LiveSettings::Openai(s) => super::openai::collect(s, ctx).await,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default)]
    struct Seen(std::sync::Mutex<Vec<String>>);

    impl Watch for Seen {
        fn started(&self, name: &str, _kind: &str, _calls: Arc<AtomicU64>) {
            self.0.lock().expect("lock").push(format!("start {name}"));
        }
        fn finished(&self, name: &str, ok: bool) {
            self.0
                .lock()
                .expect("lock")
                .push(format!("end {name} {ok}"));
        }
    }

    #[test]
    fn every_job_gives_a_result_in_job_order_and_failures_name_their_source() {
        // More jobs than PARALLEL_SOURCES, each failing at once (kinds this
        // build does not dispatch), so order and bounding are exercised.
        let jobs: Vec<Job> = (0..PARALLEL_SOURCES + 3)
            .map(|i| Job {
                name: format!("org{i}"),
                kind: "openai",
                settings: LiveSettings::Openai(AdminKeySource::default()),
            })
            .collect();
        let seen = Seen::default();
        let out = collect(jobs, Timestamp::UNIX_EPOCH, Some(&seen));
        let names: Vec<&str> = out.iter().map(|c| c.name.as_str()).collect();
        let want: Vec<String> = (0..PARALLEL_SOURCES + 3)
            .map(|i| format!("org{i}"))
            .collect();
        assert_eq!(names, want);
        for c in &out {
            let f = c.result.as_ref().expect_err("not dispatched");
            assert_eq!(f.source, c.name);
        }
        let events = seen.0.lock().expect("lock");
        assert_eq!(events.len(), 2 * out.len());
        // Never more than PARALLEL_SOURCES started and not yet ended.
        let mut running = 0usize;
        for e in events.iter() {
            if e.starts_with("start") {
                running += 1;
                assert!(running <= PARALLEL_SOURCES, "{events:?}");
            } else {
                running -= 1;
            }
        }
        assert!(collect(Vec::new(), Timestamp::UNIX_EPOCH, None).is_empty());
    }
}
