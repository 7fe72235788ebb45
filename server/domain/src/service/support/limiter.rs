//! The one rate-limiter type: a keyed GCRA limiter (governor) that forgets
//! idle keys, so memory stays bounded however many addresses or accounts
//! come by.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::{hash::Hash, num::NonZeroU32, time::Duration};

/// How many, how often, how many at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub per: Duration,
    pub count: u32,
    pub burst: u32,
}

impl Rate {
    #[must_use]
    pub fn per_minute(count: u32, burst: u32) -> Self {
        Self { per: Duration::from_secs(60), count, burst }
    }

    #[must_use]
    pub fn per_hour(count: u32, burst: u32) -> Self {
        Self { per: Duration::from_secs(3600), count, burst }
    }

    fn quota(self) -> Quota {
        let count = NonZeroU32::new(self.count).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        let period = self.per / count.get();
        Quota::with_period(period).unwrap_or_else(|| Quota::per_hour(count)).allow_burst(burst)
    }
}

/// A limit per key.
pub struct Limiter<K: Hash + Eq + Clone> {
    inner: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    #[must_use]
    pub fn new(rate: Rate) -> Self {
        Self { inner: RateLimiter::keyed(rate.quota()) }
    }

    /// Counts one more event for `key`; false when it is over the limit.
    #[must_use]
    pub fn allow(&self, key: &K) -> bool {
        self.inner.check_key(key).is_ok()
    }

    /// Forgets keys whose limit has fully recovered; call now and then.
    pub fn forget_idle(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }

    /// Keys remembered now.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_forgets_idle_keys() {
        let limiter = Limiter::new(Rate { per: Duration::from_millis(50), count: 1, burst: 2 });
        assert!(limiter.allow(&"a") && limiter.allow(&"a"));
        assert!(!limiter.allow(&"a"), "burst used up");
        assert!(limiter.allow(&"b"), "another key has its own limit");
        assert_eq!(limiter.len(), 2);
        std::thread::sleep(Duration::from_millis(150));
        limiter.forget_idle();
        assert!(limiter.is_empty(), "recovered keys are forgotten");
    }
}
