//! Console sessions: a random token in an HttpOnly, SameSite=Strict cookie; the server keeps only its SHA-256.
//!
//! Sessions live in a bounded in-memory map rather than a store table. A console session is short (an idle
//! timeout of minutes), revoking a passkey or disabling a user must close its sessions at once, and a restart
//! signing everyone out is acceptable for an administrative console; a table would add a write per page view
//! for nothing those properties need. The cost: with several gateway replicas the console must be routed to one
//! of them (or sticky). The map is bounded ([`MAX_SESSIONS`]); when full, expired sessions go first, then the
//! least recently used *anonymous* one (a pre-sign-in session, which anyone can create), so flooding the sign-in
//! page cannot push signed-in operators out.
//!
//! Every session, signed in or not, has its own CSRF token: forms carry it in a hidden field, scripts in the
//! `x-csrf-token` header, and it is compared in constant time. Signing in replaces the session (new token, new
//! CSRF token), so a token from before sign-in, or from a session since closed, is refused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use haetae_meter::Clock;
use haetae_store::ConsoleRole;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// Most sessions (signed in or not) held at once.
pub const MAX_SESSIONS: usize = 10_000;
pub const SESSION_COOKIE: &str = "haetae_console";

/// Who a signed-in session belongs to, and the passkey that opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: String,
    pub name: String,
    pub role: ConsoleRole,
    pub org_id: Option<String>,
    pub member_id: Option<String>,
    pub passkey_id: String,
}

/// A WebAuthn ceremony in progress; its state never leaves the server (webauthn-rs's advice against replay).
#[derive(Clone)]
pub enum Ceremony {
    Enrol {
        token_hash: String,
        user_id: String,
        state: webauthn_rs::prelude::PasskeyRegistration,
    },
    SignIn {
        user_id: String,
        state: webauthn_rs::prelude::PasskeyAuthentication,
    },
}

#[derive(Clone)]
pub struct Session {
    pub csrf: String,
    pub user: Option<SessionUser>,
    pub ceremony: Option<Ceremony>,
    pub created_ms: u64,
    pub last_seen_ms: u64,
}

/// What a request learns about its session.
#[derive(Clone)]
pub struct Current {
    pub token_hash: String,
    pub session: Session,
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// A session unused this long is closed.
    pub idle_ms: u64,
    /// A session is closed this long after sign-in however busy it is.
    pub absolute_ms: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            idle_ms: 15 * 60 * 1000,
            absolute_ms: 12 * 60 * 60 * 1000,
        }
    }
}

/// Why a presented session is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Missing,
    Expired,
}

pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    clock: Arc<dyn Clock>,
    timeouts: Timeouts,
    max: usize,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time equality of two tokens (their lengths are not secret).
pub fn tokens_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// One cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

impl Sessions {
    pub fn new(clock: Arc<dyn Clock>, timeouts: Timeouts) -> Self {
        Self::with_capacity(clock, timeouts, MAX_SESSIONS)
    }

    pub fn with_capacity(clock: Arc<dyn Clock>, timeouts: Timeouts, max: usize) -> Self {
        Sessions {
            map: Mutex::new(HashMap::new()),
            clock,
            timeouts,
            max: max.max(1),
        }
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock leaves a map that is still consistent (every update is one insert or
        // remove), so a poisoned lock is used as it is rather than taking the console down.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn expired(&self, s: &Session, now: u64) -> bool {
        now.saturating_sub(s.last_seen_ms) >= self.timeouts.idle_ms
            || now.saturating_sub(s.created_ms) >= self.timeouts.absolute_ms
    }

    /// Opens a session (anonymous, or signed in as `user`); returns its token, for the cookie.
    pub fn open(&self, user: Option<SessionUser>) -> (String, Current) {
        let token = random_token();
        let token_hash = hash_token(&token);
        let now = self.now_ms();
        let session = Session {
            csrf: random_token(),
            user,
            ceremony: None,
            created_ms: now,
            last_seen_ms: now,
        };
        let mut map = self.lock();
        if map.len() >= self.max {
            map.retain(|_, s| !self.expired(s, now));
        }
        if map.len() >= self.max {
            let victim = map
                .iter()
                .filter(|(_, s)| s.user.is_none())
                .min_by_key(|(_, s)| s.last_seen_ms)
                .or_else(|| map.iter().min_by_key(|(_, s)| s.last_seen_ms))
                .map(|(k, _)| k.clone());
            if let Some(v) = victim {
                map.remove(&v);
            }
        }
        map.insert(token_hash.clone(), session.clone());
        (
            token,
            Current {
                token_hash,
                session,
            },
        )
    }

    /// The session behind a cookie's token, touched (its idle clock restarted); an expired one is removed.
    pub fn touch(&self, token: &str) -> Result<Current, Lookup> {
        let token_hash = hash_token(token);
        let now = self.now_ms();
        let mut map = self.lock();
        let Some(s) = map.get_mut(&token_hash) else {
            return Err(Lookup::Missing);
        };
        if self.expired(s, now) {
            map.remove(&token_hash);
            return Err(Lookup::Expired);
        }
        s.last_seen_ms = now;
        Ok(Current {
            token_hash,
            session: s.clone(),
        })
    }

    pub fn close(&self, token_hash: &str) {
        self.lock().remove(token_hash);
    }

    /// Closes every session opened with this passkey (it was revoked).
    pub fn close_for_passkey(&self, passkey_id: &str) -> usize {
        let mut map = self.lock();
        let before = map.len();
        map.retain(|_, s| s.user.as_ref().is_none_or(|u| u.passkey_id != passkey_id));
        before - map.len()
    }

    pub fn set_ceremony(&self, token_hash: &str, ceremony: Option<Ceremony>) -> bool {
        match self.lock().get_mut(token_hash) {
            Some(s) => {
                s.ceremony = ceremony;
                true
            }
            None => false,
        }
    }

    /// Takes the ceremony in progress (a challenge answers once).
    pub fn take_ceremony(&self, token_hash: &str) -> Option<Ceremony> {
        self.lock()
            .get_mut(token_hash)
            .and_then(|s| s.ceremony.take())
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haetae_meter::ManualClock;

    fn user(passkey: &str) -> SessionUser {
        SessionUser {
            user_id: "u".into(),
            name: "op".into(),
            role: ConsoleRole::Operator,
            org_id: None,
            member_id: None,
            passkey_id: passkey.into(),
        }
    }

    #[test]
    fn idle_timeout_follows_the_clock() {
        let clock = ManualClock::new(1_000_000);
        let sessions = Sessions::new(Arc::new(clock.clone()), Timeouts::default());
        let (token, _) = sessions.open(Some(user("p")));
        clock.advance_ms(14 * 60 * 1000);
        assert!(sessions.touch(&token).is_ok());
        // Touching restarted the idle clock.
        clock.advance_ms(14 * 60 * 1000);
        assert!(sessions.touch(&token).is_ok());
        clock.advance_ms(15 * 60 * 1000);
        assert_eq!(sessions.touch(&token).err(), Some(Lookup::Expired));
        assert_eq!(sessions.touch(&token).err(), Some(Lookup::Missing));
    }

    #[test]
    fn absolute_lifetime_ends_a_busy_session() {
        let clock = ManualClock::new(0);
        let sessions = Sessions::new(Arc::new(clock.clone()), Timeouts::default());
        let (token, _) = sessions.open(Some(user("p")));
        for _ in 0..(12 * 6) {
            clock.advance_ms(10 * 60 * 1000);
            let _ = sessions.touch(&token);
        }
        assert!(sessions.touch(&token).is_err());
    }

    #[test]
    fn a_full_map_evicts_anonymous_sessions_first() {
        let clock = ManualClock::new(0);
        let sessions = Sessions::with_capacity(Arc::new(clock.clone()), Timeouts::default(), 3);
        let (signed_in, _) = sessions.open(Some(user("p")));
        for _ in 0..10 {
            clock.advance_ms(1);
            sessions.open(None);
        }
        assert_eq!(sessions.len(), 3);
        assert!(sessions.touch(&signed_in).is_ok());
    }

    #[test]
    fn tokens_are_stored_hashed_and_compared_in_constant_time() {
        let sessions = Sessions::new(Arc::new(ManualClock::new(0)), Timeouts::default());
        let (token, current) = sessions.open(None);
        assert_ne!(token, current.token_hash);
        assert_eq!(hash_token(&token), current.token_hash);
        assert!(sessions.lock().get(&token).is_none());
        assert!(tokens_equal(
            &current.session.csrf,
            &current.session.csrf.clone()
        ));
        assert!(!tokens_equal(&current.session.csrf, "x"));
    }

    #[test]
    fn revoking_a_passkey_closes_its_sessions_only() {
        let sessions = Sessions::new(Arc::new(ManualClock::new(0)), Timeouts::default());
        let (a, _) = sessions.open(Some(user("p1")));
        let (b, _) = sessions.open(Some(user("p2")));
        assert_eq!(sessions.close_for_passkey("p1"), 1);
        assert!(sessions.touch(&a).is_err());
        assert!(sessions.touch(&b).is_ok());
    }
}
