//! The cell-key method (ABS TableBuilder; UK Census 2021): consistent perturbation.
//!
//! Every device bucket carries a random 32-bit key next to its count. A published cell (any
//! period, place and measure) adds up both: its count, and its key modulo 2^32. The cell's
//! noise is read from a perturbation table at a position given by its key. So:
//! - the same cell always shows the same value, however it is asked for: repeating a query,
//!   or asking for it through another filter, never averages the noise away;
//! - two cells that differ by a few encounters have independent noise, so subtracting one
//!   from the other gives a small count plus noise, not the small count;
//! - any change to a bucket draws a new key for it, so a cell's published value only
//!   changes when its noise is drawn again: a reader watching live updates sees a new
//!   noisy value, never one sync's exact contribution.
//!
//! The service derives each bucket's key from a secret of the organization, the device,
//! the bucket and its count ([`KeyedCount`] holds the result); no reader, and no phone,
//! ever knows a key.

use serde::{Deserialize, Serialize};
use std::iter::Sum;
use std::ops::{Add, AddAssign};

/// The key of a bucket or a cell: for a cell, the sum of its buckets' keys modulo 2^32.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct CellKey(pub u32);

impl Add for CellKey {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0.wrapping_add(other.0))
    }
}

impl AddAssign for CellKey {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl Sum for CellKey {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), Add::add)
    }
}

/// A count and its key: a stored bucket, or a cell summed from buckets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyedCount {
    /// How many.
    pub count: u32,
    /// The key.
    pub key: CellKey,
}

impl KeyedCount {
    /// A count with its key.
    pub fn new(count: u32, key: CellKey) -> Self {
        Self { count, key }
    }
}

impl AddAssign for KeyedCount {
    fn add_assign(&mut self, other: Self) {
        self.count = self.count.saturating_add(other.count);
        self.key += other.key;
    }
}

impl Sum for KeyedCount {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |mut a, b| {
            a += b;
            a
        })
    }
}

/// The largest noise the table holds, whatever the threshold.
pub const MAX_NOISE_CAP: u32 = 16;

/// The perturbation table: noise `e` from `-max..=max` with probability proportional to
/// `2^-|e|` (a two-sided geometric distribution, truncated; standard deviation about 1.7).
/// Small noise is common, so totals stay useful; large noise is rare but possible, so no
/// difference of two published cells is ever certain to be exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoiseTable {
    max: u32,
}

impl NoiseTable {
    /// The table reaching `max` either way (capped at [`MAX_NOISE_CAP`]).
    pub fn reaching(max: u32) -> Self {
        Self {
            max: max.clamp(1, MAX_NOISE_CAP),
        }
    }

    /// The largest noise either way.
    pub fn max(self) -> u32 {
        self.max
    }

    /// The noise of the cell with `key`.
    pub fn noise(self, key: CellKey) -> i64 {
        let max = i64::from(self.max);
        let weight = |e: i64| 1u64 << (max - e.abs());
        let total: u64 = (-max..=max).map(weight).sum();
        // A position in [0, total) spread evenly over the key's values.
        let mut position = (u64::from(mix(key.0)) * total) >> 32;
        for e in -max..=max {
            if position < weight(e) {
                return e;
            }
            position -= weight(e);
        }
        unreachable!("position is below the sum of the weights")
    }
}

/// A bijective 32-bit mixer (the finalizer of MurmurHash3), so neighbouring keys land far
/// apart in the table.
fn mix(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x85eb_ca6b);
    x ^= x >> 13;
    x = x.wrapping_mul(0xc2b2_ae35);
    x ^ (x >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_add_up_modulo_two_to_the_32() {
        let keys = [CellKey(u32::MAX), CellKey(2), CellKey(5)];
        assert_eq!(keys.into_iter().sum::<CellKey>(), CellKey(6));
        let cell: KeyedCount = [
            KeyedCount::new(3, CellKey(u32::MAX)),
            KeyedCount::new(4, CellKey(1)),
        ]
        .into_iter()
        .sum();
        assert_eq!(cell, KeyedCount::new(7, CellKey(0)));
    }

    #[test]
    fn the_noise_follows_its_table_and_is_the_same_for_the_same_key() {
        let table = NoiseTable::reaching(5);
        let mut seen = [0u32; 11];
        for i in 0..200_000u32 {
            let key = CellKey(i.wrapping_mul(2_654_435_761));
            let e = table.noise(key);
            assert!((-5..=5).contains(&e));
            assert_eq!(table.noise(key), e, "the same key, the same noise");
            seen[usize::try_from(e + 5).unwrap()] += 1;
        }
        // Weights 1,2,4,8,16,32,16,8,4,2,1 out of 94.
        for (i, &n) in seen.iter().enumerate() {
            let expected = f64::from(1u32 << (5 - (i as i32 - 5).abs())) / 94.0 * 200_000.0;
            assert!(
                (f64::from(n) - expected).abs() < expected * 0.1 + 50.0,
                "noise {}: {n} against {expected}",
                i as i64 - 5
            );
        }
        let mean: f64 = seen
            .iter()
            .enumerate()
            .map(|(i, &n)| (i as f64 - 5.0) * f64::from(n))
            .sum::<f64>()
            / 200_000.0;
        assert!(mean.abs() < 0.02, "unbiased: {mean}");
    }

    #[test]
    fn the_table_reaches_at_least_one_and_at_most_its_cap() {
        assert_eq!(NoiseTable::reaching(0).max(), 1);
        assert_eq!(NoiseTable::reaching(500).max(), MAX_NOISE_CAP);
        let wide = NoiseTable::reaching(500);
        assert!((0..10_000u32).all(|k| wide.noise(CellKey(k)).unsigned_abs() <= 16));
    }
}
