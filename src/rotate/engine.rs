//! Performs transitions in a crash-safe order, under the issuer's lock.
//!
//! Each change is journaled (fsync) before the state file records it, and
//! the order of effects keeps invariant 4 true in the published file at
//! every instant:
//! - a new key: private key file written → journaled → state → JWKS
//!   published with it → `published` journaled (its `jwks_cache_ttl` clock
//!   starts only now);
//! - activation changes no published key; it needs the key published first;
//! - retirement and revocation: journaled → state → JWKS republished
//!   without the key → private key destroyed (journaled first).
//!
//! A crash anywhere leaves a keystore the next command completes: journaled
//! entries missing from the state file are replayed, a torn journal tail is
//! dropped, the JWKS is republished from the state, private keys marked
//! destroyed are removed. `AGENTID_CRASH_AFTER=N` aborts the process after
//! the Nth durable step, for crash drills and the tests.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::backend::Backend;
use super::keyset::{
    self, Activation, Change, Event, KeyRecord, KeyState, Keyset, Meta, PrivateKey,
};
use super::plan::{self, Action, Due};
use super::publish::{FilePublisher, Publisher, S3Publisher};
use super::store::{Holder, Loaded, LockGuard, Store};
use super::{IssuerConfig, PublishConfig, RotateError};

/// The environment variable of crash drills: abort after the Nth durable step.
pub const CRASH_AFTER_ENV: &str = "AGENTID_CRASH_AFTER";

/// Fault points: after every durable step (a file written, a journal
/// append, a state write, a publish, a key destroyed).
pub struct Faults {
    crash_after: Option<u32>,
    count: u32,
    abort: bool,
    observer: Option<Observer>,
}

/// Called with the name of each durable step as it completes.
pub type Observer = Box<dyn FnMut(&str)>;

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults")
            .field("crash_after", &self.crash_after)
            .field("count", &self.count)
            .finish()
    }
}

impl Faults {
    pub fn none() -> Faults {
        Faults {
            crash_after: None,
            count: 0,
            abort: false,
            observer: None,
        }
    }

    /// `AGENTID_CRASH_AFTER=N`: abort the process after step N (a crash drill).
    pub fn from_env() -> Result<Faults, RotateError> {
        let mut f = Faults::none();
        if let Some(v) = std::env::var_os(CRASH_AFTER_ENV) {
            let n = v
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or_else(|| {
                    RotateError::Input(format!(
                        "{CRASH_AFTER_ENV} must be a step number (a crash drill), got {v:?}"
                    ))
                })?;
            f.crash_after = Some(n);
            f.abort = true;
        }
        Ok(f)
    }

    /// In-process: stop with [`RotateError::Crashed`] after step `n`.
    pub fn crash_after(n: u32) -> Faults {
        Faults {
            crash_after: Some(n),
            ..Faults::none()
        }
    }

    /// Calls `observer` with the step's name after every durable step
    /// (tests check the invariants on disk at every instant).
    pub fn observe(mut self, observer: Observer) -> Faults {
        self.observer = Some(observer);
        self
    }

    /// Steps taken so far.
    pub fn count(&self) -> u32 {
        self.count
    }

    fn point(&mut self, step: &str) -> Result<(), RotateError> {
        self.count += 1;
        if let Some(obs) = self.observer.as_mut() {
            obs(step);
        }
        if self.crash_after == Some(self.count) {
            if self.abort {
                eprintln!(
                    "agentid: crash drill ({CRASH_AFTER_ENV}): aborting after step {} ({step})",
                    self.count
                );
                std::process::abort();
            }
            return Err(RotateError::Crashed(self.count));
        }
        Ok(())
    }
}

/// One thing a command did, for its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Performed {
    pub at: Timestamp,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<KeyState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<KeyState>,
    pub why: String,
}

/// Who is acting: user, host, pid.
pub fn whoami(command: &str) -> Meta {
    let actor = ["SUDO_USER", "USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata("/proc/self")
                .map_or_else(|_| "unknown".into(), |m| format!("uid {}", m.uid()))
        });
    Meta {
        actor,
        host: hostname(),
        pid: std::process::id(),
        command: command.into(),
    }
}

pub fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| {
            std::fs::read_to_string(p)
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

/// The result of checking a key against where relying parties fetch the JWKS.
pub type PublishedCheck<'a> = &'a dyn Fn(&str) -> Result<bool, RotateError>;

/// A keystore opened for changes, under its lock.
pub struct Engine {
    pub cfg: IssuerConfig,
    store: Store,
    backend: Backend,
    publisher: Publisher,
    /// The keyset's clock when opened: a key destroyed since may still
    /// have its private half (an interrupted run).
    opened_clock: Option<Timestamp>,
    meta: Meta,
    faults: Faults,
    pub keyset: Keyset,
    _lock: LockGuard,
    /// What this command did.
    pub performed: Vec<Performed>,
    /// Things the operator should read: recovery, stale lock, held-back activation.
    pub notes: Vec<String>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("issuer", &self.cfg.name)
            .finish()
    }
}

pub fn backend(cfg: &IssuerConfig) -> Result<Backend, RotateError> {
    Backend::of(cfg)
}

pub fn publisher(cfg: &IssuerConfig) -> Result<Publisher, RotateError> {
    match &cfg.publish {
        PublishConfig::File { path } => Ok(Publisher::File(FilePublisher::new(path))),
        PublishConfig::S3 {
            bucket,
            key,
            region,
            endpoint,
        } => Ok(Publisher::S3(Box::new(S3Publisher::new(
            bucket,
            key,
            region.as_deref(),
            endpoint.as_deref(),
            cfg.policy.jwks_cache_ttl.as_secs(),
        )?))),
    }
}

/// Whether the action is an outcome a report shows as a state change.
fn describe(action: &Action) -> (&'static str, Option<KeyState>, Option<KeyState>) {
    match action {
        Action::Generate => ("generate", None, Some(KeyState::Pending)),
        Action::Publish { .. } => ("publish", Some(KeyState::Pending), Some(KeyState::Pending)),
        Action::Activate { .. } => ("activate", Some(KeyState::Pending), Some(KeyState::Active)),
        Action::Retire { .. } => ("retire", Some(KeyState::Retiring), Some(KeyState::Retired)),
        Action::Discard { .. } => ("discard", Some(KeyState::Pending), Some(KeyState::Retired)),
        Action::Destroy { .. } => ("destroy private key", None, None),
    }
}

impl Engine {
    /// Opens the issuer's keystore for changes: takes the lock, removes
    /// temporaries, completes an interrupted run, refuses time running
    /// backwards. `create` makes the directory (for `init`).
    pub fn open(
        cfg: &IssuerConfig,
        command: &str,
        now: Timestamp,
        faults: Faults,
        create: bool,
    ) -> Result<Engine, RotateError> {
        let backend = backend(cfg)?;
        let publisher = publisher(cfg)?;
        let store = Store::new(&cfg.state_dir);
        if create {
            store.create()?;
        } else if !store.exists() || !store.is_initialised() {
            return Err(not_initialised(cfg));
        } else {
            super::store::check_private_dir(store.dir())?;
        }
        let meta = whoami(command);
        let me = Holder {
            pid: meta.pid,
            host: meta.host.clone(),
            since: Timestamp::now(),
            command: command.into(),
        };
        let (lock, stale) = store.lock(&me)?;
        let mut notes = Vec::new();
        for t in store.remove_temporaries() {
            notes.push(format!(
                "removed {}, a temporary file an interrupted run left",
                t.display()
            ));
        }
        let loaded = store.load(&cfg.name)?;
        if let Some(l) = &loaded
            && let Some(files) = backend.file()
        {
            // A private key others can read is refused before anything changes.
            for k in l
                .keyset
                .keys
                .iter()
                .filter(|k| k.private_key == PrivateKey::Present)
            {
                if files.has_file(&k.kid) {
                    super::store::check_private_file(&files.key_path(&k.kid), "private key file")?;
                }
            }
        }
        let (keyset, recovered) = match loaded {
            None => (Keyset::new(&cfg.name), None),
            Some(l) => {
                let ks = l.keyset.clone();
                (ks, Some(l))
            }
        };
        if let Some(clock) = keyset.clock
            && now < clock
        {
            return Err(RotateError::Input(format!(
                "the time {now} is before issuer {}'s last recorded change at {clock}: time cannot run backwards for an issuer (with --now, rehearse on a copy of the key directory)",
                cfg.name
            )));
        }
        let opened_clock = keyset.clock;
        let mut engine = Engine {
            cfg: cfg.clone(),
            store,
            backend,
            publisher,
            opened_clock,
            meta,
            faults,
            keyset,
            _lock: lock,
            performed: Vec::new(),
            notes,
        };
        if let Some(l) = &recovered {
            engine.recover(l)?;
        }
        if let Some(h) = stale {
            let text = format!(
                "a previous run ({h}) ended without releasing the lock: it crashed or was killed; its journaled work is completed now"
            );
            engine.notes.push(text.clone());
            engine.commit(vec![Change::simple(Event::Note, None, text)], now)?;
        }
        engine.converge(now)?;
        Ok(engine)
    }

    fn step(&mut self, name: &str) -> Result<(), RotateError> {
        self.faults.point(name)
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn publisher(&self) -> &Publisher {
        &self.publisher
    }

    /// Completes what an interrupted run journaled.
    fn recover(&mut self, l: &Loaded) -> Result<(), RotateError> {
        if l.journal.torn {
            self.store.truncate_journal(l.journal.good_len)?;
            self.notes.push(
                "dropped a torn journal tail (a crash while appending; those changes were never applied)"
                    .into(),
            );
            self.step("journal-truncated")?;
        }
        if l.replayed > 0 || l.rebuilt {
            self.store.write_state(&self.keyset)?;
            self.notes.push(if l.rebuilt {
                "rebuilt state.json from the journal".to_string()
            } else {
                format!(
                    "applied {} journaled change(s) an interrupted run had not recorded in state.json",
                    l.replayed
                )
            });
            self.step("state-written")?;
        }
        Ok(())
    }

    /// Makes the world match the state: the published JWKS, and no private
    /// key file for a key marked destroyed.
    fn converge(&mut self, _now: Timestamp) -> Result<(), RotateError> {
        if !self.keyset.keys.is_empty() {
            self.publish_if_needed()?;
        }
        // Files are cheap to look for; a KMS key costs a call, so only keys
        // destroyed by the last recorded change (an interrupted run) are asked.
        let candidates: Vec<KeyRecord> = self
            .keyset
            .keys
            .iter()
            .filter(|k| k.private_key == PrivateKey::Destroyed)
            .filter(|k| {
                self.backend.file().is_some()
                    || k.destroyed_at
                        .is_some_and(|d| self.opened_clock.is_some_and(|c| d >= c))
            })
            .cloned()
            .collect();
        let mut destroyed = Vec::new();
        for k in candidates {
            if self.backend.still_there(&k)? {
                destroyed.push(k);
            }
        }
        // KMS keys created by a run interrupted before it journaled them.
        if let Some(kms) = self.backend.kms()
            && kms.has_created_log()
        {
            let known: Vec<&str> = self
                .keyset
                .keys
                .iter()
                .filter_map(|k| k.backend_ref.as_deref())
                .collect();
            let orphans = kms.orphans(&known);
            for key_ref in &orphans {
                kms.destroy_orphan(key_ref)?;
                self.notes.push(format!(
                    "scheduled the deletion of KMS key {key_ref}: an interrupted run created it but never journaled it (it never signed and was never published)"
                ));
            }
            kms.clear_created_log()?;
            if !orphans.is_empty() {
                self.step("key-destroyed")?;
            }
        }
        for k in destroyed {
            let kid = k.kid.clone();
            self.backend.destroy(&k)?;
            self.notes.push(format!(
                "removed the private key of {kid}, destroyed by an interrupted run"
            ));
            self.step("key-destroyed")?;
        }
        Ok(())
    }

    /// Journals `changes` as one group, then records them in the state file.
    fn commit(&mut self, changes: Vec<Change>, now: Timestamp) -> Result<(), RotateError> {
        if changes.is_empty() {
            return Ok(());
        }
        let entries = keyset::entries(&self.keyset, &changes, now, &self.meta);
        let mut next = self.keyset.clone();
        for e in &entries {
            next.apply(e)
                .map_err(|e| RotateError::Operational(format!("internal error: {e}")))?;
        }
        self.store.append(&entries)?;
        self.step("journaled")?;
        self.store.write_state(&next)?;
        self.keyset = next;
        self.step("state-written")?;
        Ok(())
    }

    /// Writes the JWKS when what is published differs from the state.
    fn publish_if_needed(&mut self) -> Result<(), RotateError> {
        let desired = self.keyset.jwks();
        let current = self.publisher.read().ok().flatten();
        if current.as_ref() != Some(&desired) {
            self.publisher.publish(&desired)?;
            self.step("published")?;
        }
        Ok(())
    }

    fn record(&mut self, at: Timestamp, action: &Action, why: &str) {
        let (name, from, to) = describe(action);
        self.performed.push(Performed {
            at,
            action: name.into(),
            kid: action.kid().map(str::to_owned),
            from,
            to,
            why: why.into(),
        });
    }

    /// Performs one due action. Returns false when it was held back.
    fn perform(
        &mut self,
        due: &Due,
        now: Timestamp,
        check: Option<PublishedCheck<'_>>,
    ) -> Result<bool, RotateError> {
        match &due.action {
            Action::Generate => {
                let (kid, key) = self.backend.generate(self.cfg.policy.algorithm, now)?;
                self.step("key-written")?;
                self.commit(vec![Change::generated(&kid, key, &due.why)], now)?;
                self.publish_if_needed()?;
                self.performed.push(Performed {
                    at: now,
                    action: "generate".into(),
                    kid: Some(kid),
                    from: None,
                    to: Some(KeyState::Pending),
                    why: due.why.clone(),
                });
                Ok(true)
            }
            Action::Publish { kid } => {
                self.publish_if_needed()?;
                self.commit(
                    vec![Change::simple(Event::Published, Some(kid), &due.why)],
                    now,
                )?;
                self.record(now, &due.action, &due.why);
                Ok(true)
            }
            Action::Activate { kid, .. } => {
                if let Some(check) = check
                    && !check(kid)?
                {
                    self.notes.push(format!(
                        "held back the activation of {kid}: it is not yet in the JWKS where relying parties fetch it"
                    ));
                    return Ok(false);
                }
                let rec = self.keyset.key(kid).cloned().ok_or_else(|| {
                    RotateError::Operational(format!("internal error: no key {kid}"))
                })?;
                // Never make a key active that cannot sign.
                self.backend.check(&rec)?;
                let changes = due.action.changes(&self.keyset, &due.why);
                self.commit(changes, now)?;
                self.publish_if_needed()?;
                self.record(now, &due.action, &due.why);
                Ok(true)
            }
            Action::Retire { .. } | Action::Discard { .. } => {
                let changes = due.action.changes(&self.keyset, &due.why);
                self.commit(changes, now)?;
                self.publish_if_needed()?;
                self.record(now, &due.action, &due.why);
                Ok(true)
            }
            Action::Destroy { kid } => {
                let changes = due.action.changes(&self.keyset, &due.why);
                self.commit(changes, now)?;
                let rec = self.keyset.key(kid).cloned().ok_or_else(|| {
                    RotateError::Operational(format!("internal error: no key {kid}"))
                })?;
                self.backend.destroy(&rec)?;
                self.step("key-destroyed")?;
                self.record(now, &due.action, &due.why);
                Ok(true)
            }
        }
    }

    /// Performs every transition due at `now`, re-planning after each.
    pub fn run_due(
        &mut self,
        now: Timestamp,
        rotate_now: bool,
        check: Option<PublishedCheck<'_>>,
    ) -> Result<(), RotateError> {
        if !self.keyset.ever_active() && !self.keyset.keys.is_empty() {
            // An interrupted init: finish it.
            self.notes
                .push("completing an interrupted init: the first key signs once published".into());
        } else if self.keyset.keys.is_empty() {
            return Err(not_initialised(&self.cfg));
        }
        if rotate_now && self.keyset.rotation_requested_at.is_none() {
            self.commit(
                vec![Change::simple(
                    Event::RotationRequested,
                    None,
                    "run --rotate-now: the pending key signs as soon as it has been published for jwks_cache_ttl",
                )],
                now,
            )?;
        }
        self.drain(now, check)
    }

    fn drain(
        &mut self,
        now: Timestamp,
        check: Option<PublishedCheck<'_>>,
    ) -> Result<(), RotateError> {
        // Each action changes the keyset so that it is no longer due; the
        // bound only guards against a planner bug looping forever.
        for _ in 0..64 {
            let Some(due) = plan::next_due(&self.keyset, &self.cfg.policy, now) else {
                return Ok(());
            };
            if !self.perform(&due, now, check)? {
                return Ok(());
            }
        }
        Err(RotateError::Operational(
            "internal error: transitions kept falling due; nothing more was done".into(),
        ))
    }

    /// `init`: the first key, active at once, and a pending successor.
    pub fn init(&mut self, now: Timestamp) -> Result<(), RotateError> {
        if self.keyset.ever_active() {
            return Err(RotateError::Input(format!(
                "issuer {} is initialised already ({} keys in {}); see `agentid rotate-keys status --issuer {}`",
                self.cfg.name,
                self.keyset.keys.len(),
                self.cfg.state_dir.display(),
                self.cfg.name
            )));
        }
        if !self.keyset.keys.is_empty() {
            self.notes.push("completing an interrupted init".into());
        }
        self.drain(now, None)
    }

    /// Revokes `kid` now: out of the JWKS at once, its private key destroyed;
    /// if it was the active key, the pending key (or a new one) signs from
    /// now on.
    pub fn revoke(
        &mut self,
        kid: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<Revocation, RotateError> {
        let Some(before) = self.keyset.key(kid).cloned() else {
            return Err(unknown_kid(&self.keyset, kid, &self.cfg.name));
        };
        let invalidates = plan::invalidates(&before, &self.cfg.policy, now);
        if before.state == KeyState::Revoked {
            // An emergency re-run after a crash: finish what is due (destroy
            // the private key, prepare a successor).
            self.drain(now, None)?;
            return Ok(Revocation {
                kid: kid.into(),
                was: before.state,
                already: true,
                replacement: None,
                invalidates,
            });
        }
        // The reason is journaled and kept in the state: a key pasted into
        // it ("leaked: sk-ant-…") must not be written down whole.
        let why = format!("emergency: {}", crate::secrets::redact_in_text(reason));
        let mut replacement = None;
        if before.state == KeyState::Active {
            let pending = self.keyset.pending().map(|p| p.kid.clone());
            let next = match pending {
                Some(p) => p,
                None => {
                    let (new, key) = self.backend.generate(self.cfg.policy.algorithm, now)?;
                    self.step("key-written")?;
                    self.commit(
                        vec![Change::generated(
                            &new,
                            key,
                            format!("replacement for revoked {kid}"),
                        )],
                        now,
                    )?;
                    self.record(now, &Action::Generate, "replacement for the revoked key");
                    if let Some(p) = self.performed.last_mut() {
                        p.kid = Some(new.clone());
                    }
                    new
                }
            };
            if self
                .keyset
                .key(&next)
                .is_some_and(|k| k.published_at.is_none())
            {
                // In the JWKS before it signs: invariant 4 at every instant.
                self.publish_if_needed()?;
                self.commit(
                    vec![Change::simple(
                        Event::Published,
                        Some(&next),
                        "replacement for the revoked key",
                    )],
                    now,
                )?;
            }
            let rec = self.keyset.key(&next).cloned().ok_or_else(|| {
                RotateError::Operational(format!("internal error: no key {next}"))
            })?;
            self.backend.check(&rec)?;
            self.commit(
                vec![
                    Change::transition(kid, KeyState::Active, KeyState::Revoked, &why),
                    Change::activate(
                        &next,
                        Activation::Emergency,
                        format!("replaces revoked {kid}"),
                    ),
                ],
                now,
            )?;
            replacement = self.keyset.key(&next).cloned();
        } else {
            self.commit(
                vec![Change::transition(
                    kid,
                    before.state,
                    KeyState::Revoked,
                    &why,
                )],
                now,
            )?;
        }
        self.performed.push(Performed {
            at: now,
            action: "revoke".into(),
            kid: Some(kid.into()),
            from: Some(before.state),
            to: Some(KeyState::Revoked),
            why: why.clone(),
        });
        if let Some(r) = &replacement {
            self.performed.push(Performed {
                at: now,
                action: "activate".into(),
                kid: Some(r.kid.clone()),
                from: Some(KeyState::Pending),
                to: Some(KeyState::Active),
                why: format!("replaces revoked {kid}"),
            });
        }
        self.publish_if_needed()?;
        // Destroys the revoked private key, prepares a new successor.
        self.drain(now, None)?;
        Ok(Revocation {
            kid: kid.into(),
            was: before.state,
            already: false,
            replacement,
            invalidates,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// What an emergency revocation did.
#[derive(Debug, Clone)]
pub struct Revocation {
    pub kid: String,
    pub was: KeyState,
    pub already: bool,
    pub replacement: Option<KeyRecord>,
    pub invalidates: plan::Invalidates,
}

pub fn not_initialised(cfg: &IssuerConfig) -> RotateError {
    RotateError::Input(format!(
        "issuer {} has no keys yet (no keystore in {}): run `agentid rotate-keys init --issuer {}` first",
        cfg.name,
        cfg.state_dir.display(),
        cfg.name
    ))
}

pub fn unknown_kid(ks: &Keyset, kid: &str, issuer: &str) -> RotateError {
    let kids: Vec<String> = ks
        .keys
        .iter()
        .map(|k| format!("{} ({})", k.kid, k.state))
        .collect();
    RotateError::Input(format!(
        "issuer {issuer} has no key {kid:?}; its keys are {}",
        if kids.is_empty() {
            "none".into()
        } else {
            kids.join(", ")
        }
    ))
}

// ---------------------------------------------------------------------------
// Read-only inspection (status, plan, jwks, log): no lock, no writes.

/// The keystore as a reader sees it, with everything that needs attention.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub keyset: Option<Keyset>,
    pub journal: Vec<keyset::Entry>,
    pub published: Option<Value>,
    pub published_error: Option<String>,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    pub lock_holder: Option<Holder>,
}

pub fn inspect(cfg: &IssuerConfig, now: Timestamp) -> Result<Inspection, RotateError> {
    inspect_with(cfg, now, true)
}

/// The keystore and what is published, without asking the backend about
/// each key (`jwks`, `log`: no KMS permission needed beyond reading the
/// state and the publisher).
pub fn inspect_published(cfg: &IssuerConfig, now: Timestamp) -> Result<Inspection, RotateError> {
    inspect_with(cfg, now, false)
}

fn inspect_with(
    cfg: &IssuerConfig,
    now: Timestamp,
    check_keys: bool,
) -> Result<Inspection, RotateError> {
    let backend = backend(cfg)?;
    let publisher = publisher(cfg)?;
    let store = Store::new(&cfg.state_dir);
    let loaded = store.load(&cfg.name)?;
    let (holder, stale) = if store.exists() {
        store.lock_state()
    } else {
        (None, None)
    };
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if let Some(h) = &stale {
        notes.push(format!(
            "stale lock: a run ({h}) ended without releasing it; the next run explains and completes its work"
        ));
    }
    let (published, published_error) = match publisher.read() {
        Ok(p) => (p, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let Some(l) = loaded else {
        return Ok(Inspection {
            keyset: None,
            journal: Vec::new(),
            published,
            published_error,
            problems,
            notes,
            lock_holder: holder,
        });
    };
    let ks = &l.keyset;
    if l.journal.torn {
        problems.push(
            "the journal ends in a torn entry (a crash while appending); the next run drops it"
                .into(),
        );
    }
    if l.replayed > 0 {
        problems.push(format!(
            "an interrupted run journaled {} change(s) that state.json does not record yet; the next run completes them",
            l.replayed
        ));
    }
    if l.rebuilt {
        problems.push("state.json is missing; the next run rebuilds it from the journal".into());
    }
    let desired = ks.jwks();
    match (&published, &published_error) {
        (_, Some(e)) => problems.push(e.clone()),
        (None, None) => problems.push(format!(
            "nothing is published at {}; the next run publishes the JWKS",
            publisher.describe()
        )),
        (Some(doc), None) if doc != &desired => {
            let kids = |v: &Value| -> Vec<String> {
                v.get("keys")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|k| k.get("kid").and_then(Value::as_str).map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let have = kids(doc);
            let want = kids(&desired);
            let missing: Vec<&String> = want.iter().filter(|k| !have.contains(k)).collect();
            let extra: Vec<&String> = have.iter().filter(|k| !want.contains(k)).collect();
            problems.push(format!(
                "the published JWKS at {} differs from the keystore (missing: {}; extra: {}); the next run republishes it",
                publisher.describe(),
                list(&missing),
                list(&extra)
            ));
        }
        _ => {}
    }
    for v in keyset::check_invariants(ks, &cfg.policy, published.as_ref(), now) {
        problems.push(v.to_string());
    }
    for k in ks.keys.iter().filter(|_| check_keys) {
        match (k.state, k.private_key) {
            (KeyState::Pending | KeyState::Active | KeyState::Retiring, _)
            | (_, PrivateKey::Present) => {
                if k.state != KeyState::Revoked
                    && let Err(e) = backend.check(k)
                {
                    problems.push(e.to_string());
                }
            }
            (_, PrivateKey::Destroyed)
                if backend.file().is_some_and(|f| f.has_file(&k.kid)) =>
            {
                problems.push(format!(
                    "{}: the private key of {} was destroyed but its file is still there; the next run removes it",
                    backend.file().map(|f| f.key_path(&k.kid).display().to_string()).unwrap_or_default(),
                    k.kid
                ))
            }
            _ => {}
        }
    }
    let known: Vec<&str> = ks.keys.iter().map(|k| k.kid.as_str()).collect();
    if let Some(kms) = backend.kms() {
        let refs: Vec<&str> = ks
            .keys
            .iter()
            .filter_map(|k| k.backend_ref.as_deref())
            .collect();
        for key_ref in kms.orphans(&refs) {
            notes.push(format!(
                "KMS key {key_ref}: created by an interrupted run that never journaled it (it never signed and was never published); the next run schedules its deletion"
            ));
        }
    }
    for orphan in backend
        .file()
        .map(|f| f.orphans(&known))
        .unwrap_or_default()
    {
        notes.push(format!(
            "{}: a key file no journal entry names (a run was interrupted before journaling it); it never signed and was never published: safe to delete",
            orphan.display()
        ));
    }
    Ok(Inspection {
        keyset: Some(l.keyset),
        journal: l.journal.entries,
        published,
        published_error,
        problems,
        notes,
        lock_holder: holder,
    })
}

fn list(items: &[&String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
