//! Each misuse signal fires on its scenario, once per burst, and stays quiet on a normal
//! workload.

use std::net::{IpAddr, Ipv4Addr};

use haetae_meter::misuse::{
    DenialCause, Evidence, MisuseConfig, MisuseDetector, Observation, Severity, Signal, SignalKind,
    SignalSubject,
};

const T0: u64 = 1_795_600_800_000; // 2026-11-25T10:00Z
const MIN: u64 = 60_000;
const HOUR: u64 = 3_600_000;

fn det() -> MisuseDetector {
    MisuseDetector::new(MisuseConfig::default())
}

fn kinds(s: &[Signal]) -> Vec<SignalKind> {
    s.iter().map(|s| s.kind).collect()
}

/// A busy but legitimate organisation: 3 keys, steady traffic over 3 days of working
/// hours, a few addresses per key, occasional denials of every kind, and an occasional
/// rate-limit flurry from a batch job.
fn normal_workload(d: &MisuseDetector) -> Vec<Signal> {
    let mut out = Vec::new();
    for day in 0..3u64 {
        for hour in 0..9u64 {
            for i in 0..120u64 {
                let at = T0 + day * 24 * HOUR + hour * HOUR + i * 30_000;
                let key = format!("k{}", i % 3);
                let addr = IpAddr::V4(Ipv4Addr::new(10, 0, (i % 3) as u8, (i % 4) as u8));
                let tokens = 800 + (i * 37 + hour * 11) % 400;
                let mut o = Observation::allowed(at, "org-normal", key.clone(), tokens)
                    .with_addr(addr)
                    .with_use_case("vulnerability-research");
                if i % 40 == 0 {
                    o = Observation::denied(at, "org-normal", key.clone(), DenialCause::Policy)
                        .with_addr(addr);
                }
                if i % 60 == 5 {
                    o = Observation::denied(
                        at,
                        "org-normal",
                        key.clone(),
                        DenialCause::UseCaseNotPermitted,
                    )
                    .with_use_case("exploit-development")
                    .with_addr(addr);
                }
                if i == 7 {
                    o = o.with_guard_hit("exploit-development", Some("rule-17".into()));
                }
                out.extend(d.observe(&o));
                if i % 50 == 0 {
                    // A batch job bumping into its rate limit: capacity, not misuse.
                    for j in 0..30 {
                        out.extend(d.observe(&Observation::denied(
                            at + j,
                            "org-normal",
                            key.clone(),
                            DenialCause::RateLimited,
                        )));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn quiet_on_normal_workload() {
    let d = det();
    let s = normal_workload(&d);
    assert!(s.is_empty(), "false positives: {:?}", kinds(&s));
}

#[test]
fn denial_burst_fires_once() {
    let d = det();
    let mut all = Vec::new();
    for i in 0..300 {
        all.extend(d.observe(&Observation::denied(
            T0 + i * 500,
            "o1",
            "k-bad",
            DenialCause::Policy,
        )));
    }
    assert_eq!(
        kinds(&all),
        [SignalKind::DenialBurst],
        "one burst, one signal"
    );
    let s = &all[0];
    assert_eq!(
        s.subject,
        SignalSubject::Key {
            key_id: "k-bad".into(),
            org_id: "o1".into()
        }
    );
    match &s.evidence {
        Evidence::DenialBurst {
            denials, by_cause, ..
        } => {
            assert_eq!(*denials, 20);
            assert_eq!(by_cause.get(&DenialCause::Policy), Some(&20));
        }
        e => panic!("wrong evidence {e:?}"),
    }
    // Evidence is structured data only.
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["evidence"]["kind"], "denial_burst");
    // After the cooldown, a new burst opens a new signal.
    let later = T0 + 2 * HOUR;
    let mut again = Vec::new();
    for i in 0..25 {
        again.extend(d.observe(&Observation::denied(
            later + i,
            "o1",
            "k-bad",
            DenialCause::Guard,
        )));
    }
    assert_eq!(kinds(&again), [SignalKind::DenialBurst]);
    // Spread-out denials (19 per 5 minutes) do not fire.
    let d2 = det();
    let mut s = Vec::new();
    for i in 0..200 {
        s.extend(d2.observe(&Observation::denied(
            T0 + i * 16_000,
            "o1",
            "k-slow",
            DenialCause::Policy,
        )));
    }
    assert!(s.is_empty());
}

#[test]
fn use_case_probing_fires() {
    let d = det();
    let mut all = Vec::new();
    for (i, uc) in [
        "exploit-development",
        "malware-development",
        "credential-theft",
        "exploit-development",
    ]
    .iter()
    .enumerate()
    {
        all.extend(
            d.observe(
                &Observation::denied(
                    T0 + i as u64 * MIN,
                    "o1",
                    "k-probe",
                    DenialCause::UseCaseNotPermitted,
                )
                .with_use_case(*uc),
            ),
        );
    }
    assert_eq!(kinds(&all), [SignalKind::UseCaseProbing]);
    assert_eq!(all[0].severity, Severity::High);
    match &all[0].evidence {
        Evidence::UseCaseProbing {
            attempts,
            use_cases,
            ..
        } => {
            assert_eq!(*attempts, 3);
            assert_eq!(use_cases.len(), 3);
        }
        e => panic!("wrong evidence {e:?}"),
    }
    // Same use-case repeatedly: fires on the 5th attempt.
    let d = det();
    let fired: Vec<usize> = (0..10)
        .filter(|i| {
            !d.observe(
                &Observation::denied(T0 + i * MIN, "o1", "k2", DenialCause::UseCaseNotPermitted)
                    .with_use_case("malware-development"),
            )
            .is_empty()
        })
        .map(|i| i as usize)
        .collect();
    assert_eq!(fired, [4]);
}

#[test]
fn high_risk_guard_hits_fire() {
    let d = det();
    let mut all = Vec::new();
    for i in 0..10u64 {
        let o = Observation::allowed(T0 + i * MIN, "o1", "k-guard", 100)
            .with_guard_hit("malware-development", Some(format!("rule-{}", i % 2)));
        all.extend(d.observe(&o));
    }
    assert_eq!(kinds(&all), [SignalKind::HighRiskGuardHit]);
    match &all[0].evidence {
        Evidence::HighRiskGuardHit {
            hits,
            rules,
            allowed,
            ..
        } => {
            assert_eq!(*hits, 3);
            assert_eq!(rules.len(), 2);
            assert_eq!(*allowed, 3);
        }
        e => panic!("wrong evidence {e:?}"),
    }
    // Guard hits on non-high-risk use-cases are ignored.
    let d = det();
    for i in 0..10u64 {
        assert!(
            d.observe(
                &Observation::allowed(T0 + i, "o1", "k", 1)
                    .with_guard_hit("malware-analysis", None)
            )
            .is_empty()
        );
    }
}

#[test]
fn volume_anomaly_fires_against_own_baseline() {
    let d = det();
    // 30 active hours of ~20k tokens/hour build the baseline (quiet nights skipped).
    for h in 0..30u64 {
        for i in 0..20u64 {
            let at = T0 + h * HOUR + i * MIN;
            assert!(
                d.observe(&Observation::allowed(at, "o-vol", "k1", 1000))
                    .is_empty()
            );
        }
    }
    // Then an hour of 10x volume.
    let start = T0 + 40 * HOUR;
    let mut all = Vec::new();
    for i in 0..200u64 {
        all.extend(d.observe(&Observation::allowed(
            start + i * 10_000,
            "o-vol",
            "k1",
            1000,
        )));
    }
    assert_eq!(kinds(&all), [SignalKind::VolumeAnomaly]);
    assert_eq!(
        all[0].subject,
        SignalSubject::Org {
            org_id: "o-vol".into()
        }
    );
    match &all[0].evidence {
        Evidence::VolumeAnomaly {
            tokens,
            baseline_tokens,
            ratio,
            ..
        } => {
            assert!(*tokens >= 100_000);
            assert!((*baseline_tokens - 20_000.0).abs() < 1.0);
            assert!(*ratio > 5.0);
        }
        e => panic!("wrong evidence {e:?}"),
    }
    // Another organisation with a high but steady volume stays quiet.
    let d = det();
    for h in 0..50u64 {
        for i in 0..60u64 {
            assert!(
                d.observe(&Observation::allowed(
                    T0 + h * HOUR + i * MIN,
                    "o-big",
                    "k",
                    50_000
                ))
                .is_empty()
            );
        }
    }
}

#[test]
fn many_client_addresses_fire() {
    let d = det();
    let mut all = Vec::new();
    for i in 0..40u8 {
        let o = Observation::allowed(T0 + u64::from(i) * MIN, "o1", "k-shared", 10)
            .with_addr(IpAddr::V4(Ipv4Addr::new(203, 0, 113, i)));
        all.extend(d.observe(&o));
    }
    assert_eq!(kinds(&all), [SignalKind::ManyClientAddresses]);
    match &all[0].evidence {
        Evidence::ManyClientAddresses {
            distinct, sample, ..
        } => {
            assert_eq!(*distinct, 10);
            assert_eq!(sample.len(), 10);
        }
        e => panic!("wrong evidence {e:?}"),
    }
    // Rotating through 9 addresses, or 10 spread over more than the window, is quiet.
    let d = det();
    for i in 0..100u64 {
        let o = Observation::allowed(T0 + i * 7 * MIN, "o1", "k", 10)
            .with_addr(IpAddr::V4(Ipv4Addr::new(198, 51, 100, (i % 10) as u8)));
        assert!(d.observe(&o).is_empty(), "fired at {i}");
    }
}

#[test]
fn config_defaults_and_overrides() {
    let c: MisuseConfig =
        serde_json::from_str(r#"{"denial_burst":{"threshold":3},"volume":{"enabled":false}}"#)
            .unwrap();
    assert_eq!(c.denial_burst.threshold, 3);
    assert_eq!(c.denial_burst.window_secs, 300);
    assert!(!c.volume.enabled);
    assert_eq!(c.client_addresses.threshold, 10);
    assert!(serde_json::from_str::<MisuseConfig>(r#"{"denial_burts":{}}"#).is_err());
    let d = MisuseDetector::new(c);
    let mut n = 0;
    for i in 0..3 {
        n += d
            .observe(&Observation::denied(T0 + i, "o", "k", DenialCause::Policy))
            .len();
    }
    assert_eq!(n, 1);
}

#[test]
fn idle_subjects_are_forgotten() {
    let d = det();
    for i in 0..100u64 {
        d.observe(
            &Observation::allowed(T0, "o", format!("k{i}"), 1)
                .with_addr(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        );
    }
    assert_eq!(d.tracked().0, 100);
    d.prune(T0 + 2 * HOUR);
    assert_eq!(d.tracked().0, 0);
}
