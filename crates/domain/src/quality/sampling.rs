//! Random stratified case samples, drawn as inspectors draw them (reference §12: about 40–60
//! cases per PDU), so that an audit sample represents the caseload's mix of PDUs, case types and
//! RoSH levels.
//!
//! - Allocation is proportional by the largest-remainder method: each stratum gets the whole part
//!   of its share of n, and the cases left over go to the largest fractional parts (ties to the
//!   larger stratum, then the stratum key). When n is at least the number of strata, every
//!   non-empty stratum gets at least one case — a stratum with none would be invisible in the
//!   audit — taken from the stratum furthest above its exact share.
//! - Within a stratum, cases are put in case-identifier order (so the caller's order does not
//!   matter) and chosen by a partial Fisher–Yates shuffle driven by splitmix64 from the caller's
//!   seed. The same population and seed always give the same sample; the caller stores the seed
//!   so a sample can be re-drawn and explained.

use crate::event::CaseType;
use crate::rosh::RoshLevel;
use crate::workload::Explanation;
use crate::CodedValue;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The version of the sampling rule, stored with every sample.
pub const SAMPLING_RULE_VERSION: &str = "sampling-2026/1";

/// One case in the population, with the stratum it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationItem {
    pub case: String,
    pub stratum: String,
}

/// The usual stratum key: PDU, case type and RoSH level ("N07AB/licence/high").
pub fn stratum_key(pdu: &str, case_type: CaseType, rosh: Option<RoshLevel>) -> String {
    format!(
        "{pdu}/{}/{}",
        case_type.code(),
        rosh.map_or("not_assessed", |level| level.code())
    )
}

/// One stratum's part of the sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratumDraw {
    pub stratum: String,
    pub population: u32,
    /// The stratum's share of the population, as a percentage.
    pub share_percent: f64,
    pub drawn: u32,
    pub cases: Vec<String>,
}

/// A drawn sample, with the seed that reproduces it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    pub seed: u64,
    pub requested: u32,
    /// True when the sample size was at least the population, so every case is in the sample.
    pub everything: bool,
    pub strata: Vec<StratumDraw>,
    pub cases: Vec<String>,
    pub explanation: Explanation,
}

/// Why a sample was not drawn.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SampleRefused {
    #[error("Choose a sample size of at least 1")]
    ZeroSize,
    #[error("The population is empty: there are no cases to sample")]
    EmptyPopulation,
    #[error("Case {0} appears more than once in the population")]
    DuplicateCase(String),
}

/// splitmix64: a small, well-mixed generator, enough for choosing cases reproducibly.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number below `bound` (> 0), rejecting the biased top of the range.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let value = self.next();
            if value < zone {
                return value % bound;
            }
        }
    }
}

/// Draws a stratified sample of `n` cases from `population` with `seed`.
pub fn draw(population: &[PopulationItem], n: u32, seed: u64) -> Result<Sample, SampleRefused> {
    if n == 0 {
        return Err(SampleRefused::ZeroSize);
    }
    if population.is_empty() {
        return Err(SampleRefused::EmptyPopulation);
    }
    let mut seen = BTreeSet::new();
    let mut strata: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for item in population {
        if !seen.insert(item.case.as_str()) {
            return Err(SampleRefused::DuplicateCase(item.case.clone()));
        }
        strata.entry(&item.stratum).or_default().push(&item.case);
    }
    let total = population.len() as u64;
    let everything = u64::from(n) >= total;
    let size = if everything { total } else { u64::from(n) };

    // Largest remainder: whole parts first, then the left-over cases by fractional part.
    let keys: Vec<&str> = strata.keys().copied().collect();
    let sizes: Vec<u64> = keys.iter().map(|key| strata[key].len() as u64).collect();
    let mut allocation: Vec<u64> = sizes.iter().map(|s| size * s / total).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = ((size * sizes[a]) % total, (size * sizes[b]) % total);
        rb.cmp(&ra).then(sizes[b].cmp(&sizes[a])).then(a.cmp(&b))
    });
    let mut left = size - allocation.iter().sum::<u64>();
    for &index in order.iter().cycle() {
        if left == 0 {
            break;
        }
        allocation[index] += 1;
        left -= 1;
    }
    // At least one per stratum when there are enough cases to go round.
    if size >= keys.len() as u64 {
        while let Some(empty) = (0..keys.len()).find(|&i| allocation[i] == 0) {
            // Excess over the exact share, compared as allocation × total − size × stratum size.
            let donor = (0..keys.len())
                .filter(|&i| allocation[i] >= 2)
                .max_by_key(|&i| (allocation[i] * total) as i128 - (size * sizes[i]) as i128)
                .expect("a stratum with two or more cases exists when n ≥ strata");
            allocation[donor] -= 1;
            allocation[empty] += 1;
        }
    }

    let mut rng = SplitMix64(seed);
    let mut explanation = Explanation::new(SAMPLING_RULE_VERSION)
        .input("Seed", seed.to_string())
        .input("Sample size requested", n.to_string())
        .input("Population", total.to_string())
        .input("Strata", keys.len().to_string());
    if everything {
        explanation = explanation.step(format!(
            "The sample size {n} is at least the population of {total}: every case is in the sample"
        ));
    }
    let mut draws = Vec::new();
    let mut cases = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let mut members: Vec<&str> = strata[key].clone();
        members.sort_unstable();
        let take = allocation[index] as usize;
        for i in 0..take {
            let j = i + rng.below((members.len() - i) as u64) as usize;
            members.swap(i, j);
        }
        let chosen: Vec<String> = members[..take].iter().map(|c| (*c).to_owned()).collect();
        let share = sizes[index] as f64 * 100.0 / total as f64;
        explanation = explanation.step(format!(
            "{key}: {} of {total} cases ({share:.1}%), {take} drawn",
            sizes[index]
        ));
        cases.extend(chosen.iter().cloned());
        draws.push(StratumDraw {
            stratum: (*key).to_owned(),
            population: sizes[index] as u32,
            share_percent: share,
            drawn: take as u32,
            cases: chosen,
        });
    }
    Ok(Sample {
        seed,
        requested: n,
        everything,
        strata: draws,
        cases,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(strata: &[(&str, usize)]) -> Vec<PopulationItem> {
        let mut items = Vec::new();
        for (key, count) in strata {
            for i in 0..*count {
                items.push(PopulationItem {
                    case: format!("{key}-{i:04}"),
                    stratum: (*key).to_owned(),
                });
            }
        }
        items
    }

    fn drawn(sample: &Sample) -> Vec<u32> {
        sample.strata.iter().map(|s| s.drawn).collect()
    }

    #[test]
    fn fifty_from_a_six_to_three_to_one_population_is_thirty_fifteen_five() {
        let sample = draw(&population(&[("a", 600), ("b", 300), ("c", 100)]), 50, 7).unwrap();
        assert_eq!(drawn(&sample), [30, 15, 5]);
        assert_eq!(sample.cases.len(), 50);
    }

    #[test]
    fn left_over_cases_go_to_the_largest_remainders() {
        // Shares of 10: 4.5, 3.5, 2.0 → 4 + 3 + 2 = 9; the tie between .5s goes to the larger.
        let sample = draw(&population(&[("a", 45), ("b", 35), ("c", 20)]), 10, 1).unwrap();
        assert_eq!(drawn(&sample), [5, 3, 2]);
    }

    #[test]
    fn every_stratum_gets_a_case_when_there_are_enough_to_go_round() {
        let sample = draw(&population(&[("a", 990), ("b", 5), ("c", 5)]), 10, 3).unwrap();
        assert_eq!(drawn(&sample), [8, 1, 1]);
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_whatever_the_input_order() {
        let items = population(&[("a", 200), ("b", 100)]);
        let mut reversed = items.clone();
        reversed.reverse();
        assert_eq!(
            draw(&items, 40, 2026).unwrap().cases,
            draw(&reversed, 40, 2026).unwrap().cases
        );
    }

    #[test]
    fn different_seeds_draw_different_samples() {
        let items = population(&[("a", 200), ("b", 100)]);
        assert_ne!(
            draw(&items, 40, 1).unwrap().cases,
            draw(&items, 40, 2).unwrap().cases
        );
    }

    #[test]
    fn a_sample_has_no_duplicates_and_only_cases_of_its_stratum() {
        let sample = draw(&population(&[("a", 60), ("b", 40)]), 50, 9).unwrap();
        let unique: BTreeSet<&String> = sample.cases.iter().collect();
        assert_eq!(unique.len(), 50);
        for stratum in &sample.strata {
            assert!(stratum
                .cases
                .iter()
                .all(|c| c.starts_with(&stratum.stratum)));
        }
    }

    #[test]
    fn a_sample_larger_than_the_population_is_everything_and_says_so() {
        let sample = draw(&population(&[("a", 3), ("b", 2)]), 50, 0).unwrap();
        assert!(sample.everything);
        assert_eq!(sample.cases.len(), 5);
        assert!(sample.explanation.steps[0].contains("every case is in the sample"));
    }

    #[test]
    fn duplicates_empty_populations_and_zero_sizes_are_refused() {
        let mut items = population(&[("a", 2)]);
        items.push(items[0].clone());
        assert_eq!(
            draw(&items, 1, 0),
            Err(SampleRefused::DuplicateCase("a-0000".to_owned()))
        );
        assert_eq!(draw(&[], 5, 0), Err(SampleRefused::EmptyPopulation));
        assert_eq!(draw(&items, 0, 0), Err(SampleRefused::ZeroSize));
    }

    #[test]
    fn the_stratum_key_names_pdu_case_type_and_rosh_level() {
        assert_eq!(
            stratum_key("N07AB", CaseType::Licence, Some(RoshLevel::High)),
            "N07AB/licence/high"
        );
        assert_eq!(
            stratum_key("N07AB", CaseType::Community, None),
            "N07AB/community/not_assessed"
        );
    }
}
