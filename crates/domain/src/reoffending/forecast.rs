//! OGRS3's forecast for a follow-up, worked out from the facts fixed when it starts.
//!
//! keepsafe stores OGRS3 only for active sentences (the risk pages read those), but a follow-up
//! that has ended is usually of a sentence that has ended too. OGRS3 reads nothing that changes
//! after follow-up starts — sex, date of birth, the conviction, the sanctions before it, the age
//! at the first, the offence — so working it out again from the record gives exactly the forecast
//! that applied at the start.

use super::rates::Prediction;
use crate::event::OffenceCategory;
use crate::person::Sex;
use crate::predictors::ogrs3::{ogrs3, Ogrs3Inputs};
use chrono::NaiveDate;

/// What OGRS3 reads about a person and one of their sentences, as recorded (the counts may be
/// missing or, in bad data, negative: then there is no forecast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastFacts {
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    pub conviction_date: NaiveDate,
    pub sanctions_before: Option<i32>,
    pub age_at_first_sanction: Option<i32>,
    pub offence_category: OffenceCategory,
}

/// OGRS3's one- and two-year forecast for a follow-up starting on `start`, or `None` when the
/// record lacks what OGRS3 needs (the risk pages say what to record).
pub fn ogrs3_forecast(facts: &ForecastFacts, start: NaiveDate) -> Option<Prediction> {
    let before = u32::try_from(facts.sanctions_before?).ok()?;
    let inputs = Ogrs3Inputs {
        sex: facts.sex,
        date_of_birth: facts.date_of_birth,
        conviction_date: facts.conviction_date,
        followup_start_date: start,
        total_sanctions: before.checked_add(1)?,
        age_at_first_sanction: u32::try_from(facts.age_at_first_sanction?).ok()?,
        offence_category: facts.offence_category,
    };
    let score = ogrs3(&inputs).ok()?;
    Some(Prediction {
        one_year: score.one_year,
        two_year: score.two_year,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_forecast_is_ogrs3s_published_worked_example() {
        // Reference §11: male, born 1975-04-29, convicted 2009-02-19, follow-up from 2020-01-14,
        // 22 sanctions, first at 17, drug import/export/production → 35% / 52%.
        let facts = ForecastFacts {
            sex: Sex::Male,
            date_of_birth: date(1975, 4, 29),
            conviction_date: date(2009, 2, 19),
            sanctions_before: Some(21),
            age_at_first_sanction: Some(17),
            offence_category: OffenceCategory::DrugImportExportProduction,
        };
        assert_eq!(
            ogrs3_forecast(&facts, date(2020, 1, 14)),
            Some(Prediction {
                one_year: 35,
                two_year: 52
            })
        );
    }

    #[test]
    fn without_the_criminal_history_there_is_no_forecast() {
        let facts = ForecastFacts {
            sex: Sex::Female,
            date_of_birth: date(1990, 1, 1),
            conviction_date: date(2024, 1, 1),
            sanctions_before: None,
            age_at_first_sanction: Some(20),
            offence_category: OffenceCategory::Other,
        };
        assert_eq!(ogrs3_forecast(&facts, date(2024, 2, 1)), None);
        let negative = ForecastFacts {
            sanctions_before: Some(-1),
            ..facts
        };
        assert_eq!(ogrs3_forecast(&negative, date(2024, 2, 1)), None);
    }
}
