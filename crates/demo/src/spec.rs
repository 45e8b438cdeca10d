//! What to generate: a seed, a size and the day the data is "as at".

use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// How much of a region to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scale {
    /// One PDU with two teams and about 60 people: every fixture the automated tests rely on,
    /// generated in milliseconds.
    Small,
    /// A whole region of three PDUs and about 4,000 people, the first PDU calibrated to a real
    /// inspected PDU (reference §1), so dashboards and caseloads look like the service's.
    #[default]
    Region,
    /// The whole service: the region above and eleven more, about 110 PDUs and 250,000 people
    /// (reference §1), for region and nation views, imports and benchmarks at full size.
    National,
}

impl Scale {
    /// Every scale, in the order offered to people choosing one.
    pub const ALL: [Scale; 3] = [Scale::Small, Scale::Region, Scale::National];

    /// The word used on the command line and in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Region => "region",
            Scale::National => "national",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = UnknownScale;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let wanted = raw.trim().to_ascii_lowercase();
        Scale::ALL
            .into_iter()
            .find(|scale| scale.as_str() == wanted)
            .ok_or_else(|| UnknownScale(raw.chars().take(64).collect()))
    }
}

/// A scale name that is not one of [`Scale::ALL`]; the message lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScale(pub String);

impl fmt::Display for UnknownScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let valid: Vec<&str> = Scale::ALL.iter().map(|scale| scale.as_str()).collect();
        write!(
            f,
            "'{}' is not a demo scale: use one of {}",
            self.0,
            valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownScale {}

/// Everything the generator needs. The same spec always gives the same region; `today` anchors
/// every date (sentences, releases, appointments) because the generator never reads a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DemoSpec {
    pub seed: u64,
    pub scale: Scale,
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_parse_from_their_names_in_any_case() {
        assert_eq!("small".parse(), Ok(Scale::Small));
        assert_eq!(" Region ".parse(), Ok(Scale::Region));
    }

    #[test]
    fn an_unknown_scale_lists_the_valid_ones() {
        let error = "huge".parse::<Scale>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "'huge' is not a demo scale: use one of small, region, national"
        );
    }

    #[test]
    fn the_whole_region_is_the_default_scale() {
        assert_eq!(Scale::default(), Scale::Region);
    }

    #[test]
    fn every_scale_round_trips_through_its_name() {
        for scale in Scale::ALL {
            assert_eq!(scale.to_string().parse(), Ok(scale));
        }
    }
}
