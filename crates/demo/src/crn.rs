//! Case reference numbers for the demo region: the region's letter and six digits, never reused.

use crate::random::DemoRng;
use std::collections::HashSet;

/// Issues CRNs that are unique across the region.
pub(crate) struct CrnIssuer {
    letter: char,
    issued: HashSet<u32>,
}

impl CrnIssuer {
    pub(crate) fn new(letter: char) -> Self {
        Self {
            letter,
            issued: HashSet::new(),
        }
    }

    /// A random unused number: random rather than sequential so CRNs don't reveal case order.
    pub(crate) fn issue(&mut self, rng: &mut DemoRng) -> String {
        loop {
            let number = rng.range(100_000..=999_999);
            if self.issued.insert(number) {
                return format!("{}{number:06}", self.letter);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepsafe_domain::crn::Crn;

    #[test]
    fn issued_crns_are_well_formed_and_never_repeat() {
        let mut rng = DemoRng::from_seed(3);
        let mut issuer = CrnIssuer::new('M');
        let crns: HashSet<String> = (0..5000).map(|_| issuer.issue(&mut rng)).collect();
        assert_eq!(crns.len(), 5000);
        assert!(crns.iter().all(|crn| Crn::parse(crn).is_ok()));
    }
}
