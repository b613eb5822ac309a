//! Property-style tests of the keyset state machine on a real keystore
//! (files in a temporary directory, real keys, real fsync'd writes).
//!
//! Random walks of time steps, runs, early rotations, emergency revocations
//! and crashes at random fault points; after every durable step the
//! keystore on disk (the journal folded as a recovering reader sees it) and
//! the published JWKS are checked against invariants 2–4, and after every
//! completed command against all four, plus "no key is lost". Seeds are
//! fixed, so a failure names the seed and the step sequence that reproduce
//! it. (A hand-rolled generator rather than proptest: no new dependency,
//! and each case runs real file I/O, where shrinking would cost more than
//! it gives.)

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use jiff::Timestamp;

use super::engine::{Engine, Faults};
use super::keyset::{KeyState, Keyset, PrivateKey, check_invariants};
use super::publish::FilePublisher;
use super::store::Store;
use super::{BackendConfig, IssuerConfig, Policy, PublishConfig, RotateError};
use crate::duration::Duration;
use crate::registry::SigningAlgorithm;

const T0: &str = "2026-11-01T00:00:00Z";

fn t0() -> Timestamp {
    T0.parse().expect("time")
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn policy(alg: SigningAlgorithm, retain: Option<Duration>) -> Policy {
    Policy {
        algorithm: alg,
        rotation_period: Duration::days(1),
        max_token_lifetime: secs(3600),
        clock_skew: secs(60),
        jwks_cache_ttl: secs(600),
        retain,
    }
}

fn config(dir: &Path, policy: Policy) -> IssuerConfig {
    std::fs::create_dir_all(dir.join("www")).expect("www");
    IssuerConfig {
        name: "test-issuer".into(),
        url: "https://id.example".into(),
        policy,
        state_dir: dir.join("keys"),
        backend: BackendConfig::File {
            dir: dir.join("keys"),
        },
        publish: PublishConfig::File {
            path: dir.join("www/jwks.json"),
        },
    }
}

fn published(cfg: &IssuerConfig) -> Option<serde_json::Value> {
    let PublishConfig::File { path } = &cfg.publish else {
        unreachable!()
    };
    FilePublisher::new(path)
        .read()
        .expect("published JWKS readable")
}

/// The keyset as any reader would see it now (journal folded in).
fn on_disk(cfg: &IssuerConfig) -> Option<Keyset> {
    Store::new(&cfg.state_dir)
        .load(&cfg.name)
        .expect("keystore loads")
        .map(|l| l.keyset)
}

/// Invariants 2–4 at an instant, and 1 too when `complete`.
fn check(cfg: &IssuerConfig, now: Timestamp, complete: bool) -> Vec<String> {
    let Some(ks) = on_disk(cfg) else {
        return Vec::new();
    };
    let doc = published(cfg);
    let mut out: Vec<String> = check_invariants(&ks, &cfg.policy, doc.as_ref(), now)
        .into_iter()
        .filter(|v| complete || v.invariant != 1)
        .map(|v| v.to_string())
        .collect();
    // A key whose jwks_cache_ttl clock runs is in the file relying parties fetch.
    for k in ks
        .keys
        .iter()
        .filter(|k| k.state.is_published() && k.published_at.is_some())
    {
        let listed = doc
            .as_ref()
            .and_then(|d| d["keys"].as_array())
            .is_some_and(|keys| {
                keys.iter()
                    .any(|j| j["kid"].as_str() == Some(k.kid.as_str()))
            });
        if !listed {
            out.push(format!(
                "{} is recorded as published but is not in the JWKS",
                k.kid
            ));
        }
    }
    if ks.ever_active() && doc.is_none() {
        out.push("invariant 4: nothing is published while a key signs".into());
    }
    if complete {
        let backend = super::backend::FileBackend::new(&cfg.state_dir);
        for k in &ks.keys {
            let must_exist = k.state.is_published()
                || (k.state == KeyState::Retired && k.private_key == PrivateKey::Present);
            if must_exist && let Err(e) = backend.check(k) {
                out.push(format!("lost key: {e}"));
            }
            if k.private_key == PrivateKey::Destroyed && backend.has_file(&k.kid) {
                out.push(format!("{} destroyed but its file remains", k.kid));
            }
        }
    }
    out
}

/// Faults that check invariants 2–4 on disk after every durable step.
fn watched(
    cfg: &IssuerConfig,
    now: Timestamp,
    crash_after: Option<u32>,
    log: &Rc<RefCell<Vec<String>>>,
) -> Faults {
    let cfg = cfg.clone();
    let log = Rc::clone(log);
    let faults = match crash_after {
        Some(n) => Faults::crash_after(n),
        None => Faults::none(),
    };
    faults.observe(Box::new(move |step| {
        for v in check(&cfg, now, false) {
            log.borrow_mut().push(format!("after step {step}: {v}"));
        }
    }))
}

struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

enum Op {
    Init,
    Run { rotate_now: bool },
    Revoke(usize),
}

fn perform(cfg: &IssuerConfig, op: &Op, now: Timestamp, faults: Faults) -> Result<(), RotateError> {
    let create = matches!(op, Op::Init);
    let mut e = Engine::open(cfg, "test", now, faults, create)?;
    match op {
        Op::Init => e.init(now),
        Op::Run { rotate_now } => e.run_due(now, *rotate_now, None),
        Op::Revoke(i) => {
            let kid = e.keyset.keys[i % e.keyset.keys.len()].kid.clone();
            e.revoke(&kid, "test", now).map(|_| ())
        }
    }
}

fn random_walk(seed: u64, alg: SigningAlgorithm, steps: usize) {
    let mut rng = Xorshift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let retain = (rng.below(2) == 0).then(|| secs(7200));
    let cfg = config(dir.path(), policy(alg, retain));
    let mut now = t0();
    let mut trace = Vec::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    let steps_of = [
        60,
        540,
        600,
        1800,
        3600,
        3660,
        6 * 3600,
        86_400,
        86_460,
        3 * 86_400,
    ];
    let mut initialised = false;
    for i in 0..steps {
        let op = if !initialised {
            Op::Init
        } else {
            match rng.below(10) {
                0 => Op::Revoke(rng.below(8) as usize),
                1 => Op::Run { rotate_now: true },
                _ => Op::Run { rotate_now: false },
            }
        };
        if i > 0 {
            now = now
                .checked_add(jiff::SignedDuration::from_secs(
                    steps_of[rng.below(steps_of.len() as u64) as usize],
                ))
                .expect("time");
        }
        let crash = (rng.below(4) == 0).then(|| 1 + rng.below(14) as u32);
        let name = match &op {
            Op::Init => "init".to_string(),
            Op::Run { rotate_now } => {
                format!("run{}", if *rotate_now { " --rotate-now" } else { "" })
            }
            Op::Revoke(k) => format!("revoke key #{k}"),
        };
        trace.push(format!("{now} {name} crash_after={crash:?}"));
        let result = perform(&cfg, &op, now, watched(&cfg, now, crash, &log));
        let completed = match result {
            Ok(()) => true,
            Err(RotateError::Crashed(_)) => false,
            Err(e) => panic!("seed {seed}: {e}\n{}", trace.join("\n")),
        };
        if completed {
            initialised = true;
            for v in check(&cfg, now, true) {
                log.borrow_mut().push(format!("after {name}: {v}"));
            }
        } else if on_disk(&cfg).is_some() {
            // A crashed init still leaves a keystore that `run` completes.
            initialised = true;
        }
        let problems = log.borrow().clone();
        assert!(
            problems.is_empty(),
            "seed {seed}, {alg:?}: {}\ntrace:\n{}",
            problems.join("\n"),
            trace.join("\n")
        );
    }
    // After the walk, one clean run leaves a complete, consistent keystore.
    now = now
        .checked_add(jiff::SignedDuration::from_secs(60))
        .expect("time");
    perform(&cfg, &Op::Run { rotate_now: false }, now, Faults::none())
        .unwrap_or_else(|e| panic!("seed {seed}: final run: {e}\n{}", trace.join("\n")));
    let v = check(&cfg, now, true);
    assert!(v.is_empty(), "seed {seed}: {v:?}\n{}", trace.join("\n"));
    let ks = on_disk(&cfg).expect("keystore");
    assert!(ks.pending().is_some(), "seed {seed}: no pending successor");
}

#[test]
fn random_walks_keep_the_invariants_es256() {
    for seed in 1..=24 {
        random_walk(seed, SigningAlgorithm::ES256, 30);
    }
}

#[test]
fn random_walks_keep_the_invariants_eddsa_and_rs256() {
    for seed in 100..=106 {
        random_walk(seed, SigningAlgorithm::EdDSA, 25);
    }
    // RSA key generation is slow: fewer, shorter walks.
    for seed in 200..=201 {
        random_walk(seed, SigningAlgorithm::RS256, 12);
    }
}

/// The states of the keys, in creation order (kids of new keys differ
/// between runs, so compare shapes).
fn shape(ks: &Keyset) -> Vec<(KeyState, PrivateKey, Option<Timestamp>, Option<Timestamp>)> {
    let mut keys = ks.keys.clone();
    keys.sort_by_key(|k| (k.created_at, k.activated_at));
    keys.iter()
        .map(|k| (k.state, k.private_key, k.activated_at, k.retired_at))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
    let mode = std::fs::metadata(from).expect("meta").permissions();
    std::fs::set_permissions(to, mode).expect("chmod");
}

/// A crash after every durable step of a command, in turn: after each, the
/// invariants hold on disk, the next `run` completes the work, no key is
/// lost, and the result has the same shape as an uninterrupted run.
fn crash_every_step(
    alg: SigningAlgorithm,
    op: &dyn Fn(&IssuerConfig) -> Op,
    before: &[(u64, Op)],
    at: u64,
    rerun: bool,
) {
    let base = tempfile::tempdir().expect("tempdir");
    let cfg = config(base.path(), policy(alg, None));
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut now = t0();
    for (offset, o) in before {
        now = t0() + jiff::SignedDuration::from_secs(*offset as i64);
        perform(&cfg, o, now, Faults::none()).expect("setup");
    }
    let when = t0() + jiff::SignedDuration::from_secs(at as i64);
    assert!(when >= now);
    // The uninterrupted reference.
    let reference = tempfile::tempdir().expect("tempdir");
    copy_dir(base.path(), reference.path());
    let ref_cfg = config(reference.path(), cfg.policy);
    perform(&ref_cfg, &op(&ref_cfg), when, Faults::none()).expect("reference run");
    let expected = shape(&on_disk(&ref_cfg).expect("reference keystore"));

    let mut crashed_at = 0;
    for n in 1..=40 {
        let trial = tempfile::tempdir().expect("tempdir");
        copy_dir(base.path(), trial.path());
        let cfg = config(trial.path(), cfg.policy);
        match perform(&cfg, &op(&cfg), when, watched(&cfg, when, Some(n), &log)) {
            Err(RotateError::Crashed(_)) => crashed_at = n,
            Ok(()) => {
                assert!(crashed_at > 0, "no fault point was reached");
                return;
            }
            Err(e) => panic!("{alg:?} crash after step {n}: {e}"),
        }
        // status is consistent: the keystore loads, and recovery completes it.
        let a = Store::new(&cfg.state_dir).load(&cfg.name);
        assert!(a.is_ok(), "after a crash at step {n}: {:?}", a.err());
        // An operator re-runs an interrupted emergency; cron runs `run`.
        // Before anything was journaled there is no keystore: init again.
        let again = if rerun || on_disk(&cfg).is_none() {
            op(&cfg)
        } else {
            Op::Run { rotate_now: false }
        };
        perform(&cfg, &again, when, watched(&cfg, when, None, &log))
            .unwrap_or_else(|e| panic!("{alg:?}: recovery after step {n}: {e}"));
        let v = check(&cfg, when, true);
        assert!(
            v.is_empty(),
            "{alg:?}: after crash at step {n} and recovery: {v:?}"
        );
        let got = shape(&on_disk(&cfg).expect("keystore"));
        assert_eq!(got, expected, "{alg:?}: crash at step {n}, then run");
        let problems = log.borrow().clone();
        assert!(
            problems.is_empty(),
            "{alg:?} crash at step {n}: {problems:?}"
        );
    }
    panic!("the command did not finish within 40 steps");
}

#[test]
fn a_crash_at_every_step_of_init_is_recovered() {
    for alg in [SigningAlgorithm::ES256, SigningAlgorithm::EdDSA] {
        crash_every_step(alg, &|_| Op::Init, &[], 0, false);
    }
}

#[test]
fn a_crash_at_every_step_of_a_rotation_and_retirement_is_recovered() {
    for alg in [SigningAlgorithm::ES256, SigningAlgorithm::EdDSA] {
        // Rotation due at 1d; at 1d + 2h the retirement (1h + 60s later) is due too.
        crash_every_step(
            alg,
            &|_| Op::Run { rotate_now: false },
            &[(0, Op::Init), (86_400, Op::Run { rotate_now: false })],
            86_400 + 7200,
            false,
        );
        crash_every_step(
            alg,
            &|_| Op::Run { rotate_now: false },
            &[(0, Op::Init)],
            86_400,
            false,
        );
    }
}

#[test]
fn a_crash_at_every_step_of_an_emergency_is_recovered() {
    for alg in [SigningAlgorithm::ES256, SigningAlgorithm::EdDSA] {
        // Revoke the active key (index 0 is the first, active key).
        crash_every_step(alg, &|_| Op::Revoke(0), &[(0, Op::Init)], 3600, true);
    }
}

#[test]
fn a_full_cycle_happens_at_exactly_the_policy_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), policy(SigningAlgorithm::ES256, None));
    let at = |s: i64| t0() + jiff::SignedDuration::from_secs(s);
    perform(&cfg, &Op::Init, at(0), Faults::none()).expect("init");
    let ks = on_disk(&cfg).expect("ks");
    let first = ks.active().expect("active").kid.clone();
    let second = ks.pending().expect("pending").kid.clone();
    // One second before rotation_period: nothing happens.
    perform(
        &cfg,
        &Op::Run { rotate_now: false },
        at(86_399),
        Faults::none(),
    )
    .expect("run");
    let before = on_disk(&cfg).expect("ks");
    assert_eq!(before.active().map(|k| k.kid.clone()), Some(first.clone()));
    assert_eq!(
        before.journal_seq, ks.journal_seq,
        "a run with nothing due writes nothing"
    );
    // At rotation_period: the pending key signs, the old one retires.
    perform(
        &cfg,
        &Op::Run { rotate_now: false },
        at(86_400),
        Faults::none(),
    )
    .expect("run");
    let ks = on_disk(&cfg).expect("ks");
    assert_eq!(ks.active().map(|k| k.kid.clone()), Some(second.clone()));
    assert_eq!(ks.key(&first).map(|k| k.state), Some(KeyState::Retiring));
    let third = ks.pending().expect("a new successor").kid.clone();
    // Published: the retiring, the active and the new pending key.
    let doc = published(&cfg).expect("published");
    assert_eq!(doc["keys"].as_array().map(Vec::len), Some(3));
    // max_token_lifetime + clock_skew later, less a second: still published.
    perform(
        &cfg,
        &Op::Run { rotate_now: false },
        at(86_400 + 3660 - 1),
        Faults::none(),
    )
    .expect("run");
    assert_eq!(
        on_disk(&cfg).and_then(|k| k.key(&first).map(|k| k.state)),
        Some(KeyState::Retiring)
    );
    perform(
        &cfg,
        &Op::Run { rotate_now: false },
        at(86_400 + 3660),
        Faults::none(),
    )
    .expect("run");
    let ks = on_disk(&cfg).expect("ks");
    let k = ks.key(&first).expect("first");
    assert_eq!(
        (k.state, k.private_key),
        (KeyState::Retired, PrivateKey::Destroyed)
    );
    let doc = published(&cfg).expect("published");
    let kids: Vec<&str> = doc["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(kids.len(), 2);
    assert!(
        kids.contains(&second.as_str()) && kids.contains(&third.as_str()),
        "{kids:?}"
    );
    assert!(
        !Path::new(&cfg.state_dir)
            .join(format!("{first}.key.pem"))
            .exists()
    );
    assert!(check(&cfg, at(86_400 + 3660), true).is_empty());
}

#[test]
fn rotate_now_waits_for_jwks_cache_ttl_after_an_emergency() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), policy(SigningAlgorithm::ES256, None));
    let at = |s: i64| t0() + jiff::SignedDuration::from_secs(s);
    perform(&cfg, &Op::Init, at(0), Faults::none()).expect("init");
    // Revoke the pending key: a new pending key is published now.
    let pending = on_disk(&cfg)
        .and_then(|k| k.pending().map(|p| p.kid.clone()))
        .expect("p");
    let mut e = Engine::open(&cfg, "t", at(100), Faults::none(), false).expect("open");
    e.revoke(&pending, "test", at(100)).expect("revoke");
    drop(e);
    let fresh = on_disk(&cfg)
        .and_then(|k| k.pending().map(|p| p.kid.clone()))
        .expect("p");
    assert_ne!(fresh, pending);
    // --rotate-now at 200: not yet (published at 100, ttl 600).
    perform(&cfg, &Op::Run { rotate_now: true }, at(200), Faults::none()).expect("run");
    let ks = on_disk(&cfg).expect("ks");
    assert_eq!(ks.pending().map(|k| k.kid.clone()), Some(fresh.clone()));
    let next = super::plan::schedule(&ks, &cfg.policy, at(200));
    assert_eq!(next.last().map(|d| d.at), Some(at(700)), "{next:?}");
    // At 700 a plain run activates it (the request is remembered).
    perform(
        &cfg,
        &Op::Run { rotate_now: false },
        at(700),
        Faults::none(),
    )
    .expect("run");
    let ks = on_disk(&cfg).expect("ks");
    assert_eq!(ks.active().map(|k| k.kid.clone()), Some(fresh));
    assert_eq!(
        ks.active().and_then(|k| k.activation),
        Some(super::keyset::Activation::Early)
    );
}

#[test]
fn the_journal_and_state_disagreeing_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(dir.path(), policy(SigningAlgorithm::ES256, None));
    perform(&cfg, &Op::Init, t0(), Faults::none()).expect("init");
    let state = cfg.state_dir.join("state.json");
    let text = std::fs::read_to_string(&state).expect("state");
    std::fs::write(&state, text.replacen("\"active\"", "\"retiring\"", 1)).expect("write");
    let err = Store::new(&cfg.state_dir)
        .load(&cfg.name)
        .expect_err("refused");
    assert!(err.to_string().contains("does not match what"), "{err}");
    assert!(matches!(err, RotateError::Input(_)));
}
