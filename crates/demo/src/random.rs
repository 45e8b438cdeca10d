//! The single source of randomness for a generated region.
//!
//! Every choice — names, dates, ids — is drawn from one ChaCha8 stream seeded from the spec, in a
//! fixed order, so the same seed always gives the same region, row for row and id for id.

use rand::distributions::uniform::{SampleRange, SampleUniform};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::{Builder, Uuid};

/// A seeded random stream with the few kinds of draw the generator needs.
pub(crate) struct DemoRng(ChaCha8Rng);

impl DemoRng {
    pub(crate) fn from_seed(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A version-4 UUID made from the stream, so ids are as reproducible as everything else.
    pub(crate) fn id(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        self.0.fill_bytes(&mut bytes);
        Builder::from_random_bytes(bytes).into_uuid()
    }

    /// True with the given probability (clamped to 0–1).
    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        self.0.gen_bool(probability.clamp(0.0, 1.0))
    }

    /// A uniform draw from a range such as `1..=5` or `0.9..1.1`.
    pub(crate) fn range<T, R>(&mut self, range: R) -> T
    where
        T: SampleUniform,
        R: SampleRange<T>,
    {
        self.0.gen_range(range)
    }

    /// One item of a non-empty list, uniformly.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items
            .choose(&mut self.0)
            .expect("the generator only picks from non-empty lists")
    }

    /// A copy of one item of a non-empty list, uniformly.
    pub(crate) fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// One value of a non-empty list of `(value, weight)` pairs, in proportion to its weight.
    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut ticket = self.0.gen_range(0..total);
        for (value, weight) in items {
            if ticket < *weight {
                return *value;
            }
            ticket -= weight;
        }
        unreachable!("the ticket is below the total weight")
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        items.shuffle(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_uuids() {
        let id = DemoRng::from_seed(1).id();
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
    }

    #[test]
    fn the_same_seed_draws_the_same_values() {
        let draw = |seed| {
            let mut rng = DemoRng::from_seed(seed);
            (
                rng.id(),
                rng.range(0..1000),
                rng.weighted(&[('a', 1), ('b', 3)]),
            )
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7).0, draw(8).0);
    }

    #[test]
    fn a_zero_weight_is_never_chosen() {
        let mut rng = DemoRng::from_seed(3);
        for _ in 0..200 {
            assert_eq!(rng.weighted(&[("never", 0), ("always", 5)]), "always");
        }
    }
}
