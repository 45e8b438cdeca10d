//! Actuarial predictors (reference §11): published formulas that turn a person's history into the
//! chance of proven reoffending.
//!
//! Each predictor takes a plain inputs struct, validates it with errors that name the bad field,
//! and returns a score together with an explanation carrying every intermediate number and the
//! rule version — a practitioner, an inspector or a court must be able to see how a score was
//! reached, not just what it is.
//!
//! The predictors keepsafe cannot compute from what it holds (RSR, ARP, CSRP, the sexual
//! predictors, OVP's points) are recorded from an external assessment ([`recorded`]), with their
//! source, date and age; OVP's percentages and band are worked out from its points ([`ovp`]).

pub mod json;
pub mod ogp;
pub mod ogrs3;
pub mod ovp;
pub mod recorded;

/// The logistic function, `1 / (1 + e^-x)`: how every OASys predictor turns a linear score into a
/// probability.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A probability as a whole percentage, the way the published predictors report it: round the
/// probability to 5 decimal places first, then round `p × 100` half-up (0.125 → 13, 0.12499 →
/// 12). Not clamped: each predictor states its own range.
///
/// The 5-decimal value is held as an integer count of 1/100,000ths so the half-up step is exact;
/// `0.125 * 100.0` happens to be exact in binary but many other half-way values are not.
pub fn round_half_up_percent(probability: f64) -> u32 {
    let probability = probability.clamp(0.0, 1.0);
    // Positive, so `round` (half away from zero) is half-up.
    let hundred_thousandths = (probability * 100_000.0).round() as u32;
    (hundred_thousandths + 500) / 1_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_of_zero_is_one_half() {
        assert_eq!(logistic(0.0), 0.5);
        assert!(logistic(40.0) > 0.999_999);
        assert!(logistic(-40.0) < 0.000_001);
    }

    #[test]
    fn a_half_percent_rounds_up() {
        assert_eq!(round_half_up_percent(0.125), 13);
        assert_eq!(round_half_up_percent(0.135), 14);
        assert_eq!(round_half_up_percent(0.005), 1);
        assert_eq!(round_half_up_percent(0.995), 100);
    }

    #[test]
    fn just_under_a_half_percent_rounds_down() {
        assert_eq!(round_half_up_percent(0.12499), 12);
        assert_eq!(round_half_up_percent(0.00499), 0);
    }

    #[test]
    fn the_probability_is_rounded_to_five_places_before_the_percentage() {
        // 0.124996 is 0.12500 to five places, which is then exactly half-way: 13, not 12.
        assert_eq!(round_half_up_percent(0.124_996), 13);
        // 0.124994 is 0.12499 to five places: 12.
        assert_eq!(round_half_up_percent(0.124_994), 12);
    }

    #[test]
    fn probabilities_of_nought_and_one_are_nought_and_a_hundred_percent() {
        assert_eq!(round_half_up_percent(0.0), 0);
        assert_eq!(round_half_up_percent(1.0), 100);
    }
}
