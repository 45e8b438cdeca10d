//! Sign-in throttling and lockout: how many wrong passwords an account and a network address may
//! try before keepsafe stops listening for a while. The counts come from storage; the rules are here.

use chrono::{DateTime, Duration, Utc};

/// Limits on failed sign-ins. The defaults follow NCSC guidance: allow a handful of mistakes, then
/// lock for long enough to defeat guessing but not so long that a real user is stuck all day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInPolicy {
    /// Failed attempts for one account within `window` that lock it.
    pub failures_before_lockout: u32,
    /// Failed attempts from one network address within `window` that throttle it.
    pub failures_per_address: u32,
    /// How far back failures count.
    pub window: Duration,
    /// How long a locked account stays locked.
    pub lockout: Duration,
}

impl Default for SignInPolicy {
    fn default() -> Self {
        Self {
            failures_before_lockout: 5,
            failures_per_address: 30,
            window: Duration::minutes(15),
            lockout: Duration::minutes(15),
        }
    }
}

/// Whether a sign-in attempt may be checked at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGate {
    Open,
    /// The account is locked until this time.
    AccountLocked {
        until: DateTime<Utc>,
    },
    /// Too many failures from this network address recently.
    AddressThrottled,
}

impl SignInPolicy {
    /// Decides before the password is checked, so a locked account costs no hashing.
    pub fn gate(
        &self,
        locked_until: Option<DateTime<Utc>>,
        recent_address_failures: u32,
        now: DateTime<Utc>,
    ) -> SignInGate {
        match locked_until {
            Some(until) if until > now => SignInGate::AccountLocked { until },
            _ if recent_address_failures >= self.failures_per_address => {
                SignInGate::AddressThrottled
            }
            _ => SignInGate::Open,
        }
    }

    /// After a wrong password: the time the account is locked until, if this failure locks it.
    /// `recent_account_failures` includes the failure just made.
    pub fn lock_after_failure(
        &self,
        recent_account_failures: u32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (recent_account_failures >= self.failures_before_lockout).then(|| now + self.lockout)
    }

    /// Whether the `count`th attempt refused in one window while locked or throttled gets an audit
    /// row of its own: the 1st, 2nd, 4th, 8th… so a flood of requests writes a handful of rows
    /// (at most 32 a window, each saying how many had been refused), not one each.
    pub fn audits_refusal(&self, count: u32) -> bool {
        count.is_power_of_two()
    }

    /// The earliest failure time that still counts.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
    }

    #[test]
    fn the_fifth_wrong_password_locks_the_account_for_fifteen_minutes() {
        let policy = SignInPolicy::default();
        assert_eq!(policy.lock_after_failure(4, now()), None);
        assert_eq!(
            policy.lock_after_failure(5, now()),
            Some(now() + Duration::minutes(15))
        );
    }

    #[test]
    fn a_locked_account_is_refused_until_the_lock_expires() {
        let policy = SignInPolicy::default();
        let until = now() + Duration::minutes(3);
        assert_eq!(
            policy.gate(Some(until), 0, now()),
            SignInGate::AccountLocked { until }
        );
        assert_eq!(policy.gate(Some(until), 0, until), SignInGate::Open);
    }

    #[test]
    fn refusals_while_throttled_are_audited_ever_more_rarely() {
        let policy = SignInPolicy::default();
        let audited: Vec<u32> = (1..=200).filter(|n| policy.audits_refusal(*n)).collect();
        assert_eq!(audited, vec![1, 2, 4, 8, 16, 32, 64, 128]);
        assert!(!policy.audits_refusal(0));
    }

    #[test]
    fn an_address_with_many_recent_failures_is_throttled() {
        let policy = SignInPolicy::default();
        assert_eq!(policy.gate(None, 29, now()), SignInGate::Open);
        assert_eq!(policy.gate(None, 30, now()), SignInGate::AddressThrottled);
    }
}
