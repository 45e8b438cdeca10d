//! Events: the conviction and sentence that brought someone to probation, and any earlier ones.
//!
//! Dates are drawn backwards from `today` so every case is in the state its case type says:
//! community orders still running, prisoners not yet released, licences begun but not ended.

use crate::calendar::{add_days, add_months, days_between, sub_months};
use crate::model::{Event, Person};
use crate::offences::{self, Gravity, Offence};
use crate::places::PduPlace;
use crate::random::DemoRng;
use chrono::NaiveDate;
use keepsafe_domain::event::{CaseType, SentenceType};

/// The offence behind a case of the given type.
pub(crate) fn offence_for(rng: &mut DemoRng, case_type: CaseType) -> &'static Offence {
    match case_type {
        CaseType::Community => offences::for_community_sentence(rng),
        CaseType::Custody | CaseType::Licence => offences::for_custodial_sentence(rng),
        CaseType::PreSentence => offences::for_court(rng),
    }
}

/// The active event for a case. `just_sentenced` gives a community order made in the last week,
/// as for a case still waiting to be allocated.
pub(crate) fn current(
    rng: &mut DemoRng,
    case_type: CaseType,
    offence: &Offence,
    place: &PduPlace,
    today: NaiveDate,
    just_sentenced: bool,
) -> Event {
    match case_type {
        CaseType::Community => community(rng, offence, place, today, just_sentenced),
        CaseType::Custody => custody(rng, offence, place, today),
        CaseType::Licence => licence(rng, offence, place, today),
        CaseType::PreSentence => pre_sentence(rng, offence, place, today),
    }
}

/// A community or suspended sentence order still running on `today`, made in the last two years.
fn community(
    rng: &mut DemoRng,
    offence: &Offence,
    place: &PduPlace,
    today: NaiveDate,
    just_sentenced: bool,
) -> Event {
    let suspended = rng.chance(0.3);
    let (sentence_type, length, supervision_months) = if suspended {
        let custodial_term = rng.range(4..=24);
        let operational_period = rng.choose(&[12, 18, 24]);
        (
            SentenceType::SuspendedSentenceOrder,
            custodial_term,
            operational_period,
        )
    } else {
        let months = rng.weighted(&[(12, 40), (18, 25), (24, 30), (36, 5)]);
        (SentenceType::CommunityOrder, months, months)
    };
    let sentence_date = if just_sentenced {
        add_days(today, -rng.range(1..=7))
    } else {
        let supervision_days = days_between(sub_months(today, supervision_months), today);
        add_days(today, -rng.range(1..=(supervision_days - 7).min(730)))
    };
    let crown = (suspended && length > 12) || rng.chance(0.2);
    Event {
        sentence_length_months: Some(to_i32(length)),
        expected_end_date: Some(add_months(sentence_date, supervision_months)),
        ..sentenced(
            rng,
            offence,
            place,
            crown,
            sentence_type,
            CaseType::Community,
            sentence_date,
        )
    }
}

/// A prison sentence being served on `today`.
fn custody(rng: &mut DemoRng, offence: &Offence, place: &PduPlace, today: NaiveDate) -> Event {
    let term = Custodial::choose(rng, offence, today);
    let (sentence_date, release_date) = match term.months_to_release() {
        Some(to_release) => {
            let latest_release = add_days(add_months(today, to_release), -3);
            let release = add_days(today, rng.range(1..=days_between(today, latest_release)));
            let sentence = sub_months(release, to_release).min(add_days(today, -1));
            (sentence, Some(release))
        }
        None => (term.indeterminate_sentence_date(rng, today), None),
    };
    custodial_event(
        rng,
        offence,
        place,
        term,
        CaseType::Custody,
        sentence_date,
        release_date,
    )
}

/// A prison sentence whose licence period is running on `today`.
fn licence(rng: &mut DemoRng, offence: &Offence, place: &PduPlace, today: NaiveDate) -> Event {
    let term = Custodial::choose(rng, offence, today);
    let (sentence_date, release_date) = match (term.months_to_release(), term.licence_months()) {
        (Some(to_release), Some(on_licence)) => {
            let licence_days = days_between(sub_months(today, on_licence), today);
            let release = add_days(today, -rng.range(1..=licence_days - 5));
            (sub_months(release, to_release), release)
        }
        _ => term.indeterminate_release(rng, today),
    };
    custodial_event(
        rng,
        offence,
        place,
        term,
        CaseType::Licence,
        sentence_date,
        Some(release_date),
    )
}

/// Convicted in the last three weeks; sentence adjourned for a pre-sentence report.
fn pre_sentence(rng: &mut DemoRng, offence: &Offence, place: &PduPlace, today: NaiveDate) -> Event {
    let conviction_date = add_days(today, -rng.range(0..=20));
    let crown = offence.usually_custodial() && rng.chance(0.6);
    Event {
        id: rng.id(),
        number: 0,
        sanctions_before: 0,
        offence_description: offence.description.to_owned(),
        offence_category: offence.category,
        offence_date: add_days(conviction_date, -rng.range(14..=300)),
        conviction_date,
        court: court(rng, place, crown),
        sentence_type: SentenceType::AwaitingSentence,
        case_type: CaseType::PreSentence,
        sentence_date: None,
        sentence_length_months: None,
        release_date: None,
        expected_end_date: None,
        active: true,
        requirements: Vec::new(),
    }
}

fn custodial_event(
    rng: &mut DemoRng,
    offence: &Offence,
    place: &PduPlace,
    term: Custodial,
    case_type: CaseType,
    sentence_date: NaiveDate,
    release_date: Option<NaiveDate>,
) -> Event {
    // Magistrates can imprison for up to 12 months; longer sentences come from the Crown Court.
    let crown = term.length_months().is_none_or(|months| months > 12);
    Event {
        sentence_length_months: term.length_months().map(to_i32),
        release_date,
        expected_end_date: term.end_date(sentence_date, release_date),
        ..sentenced(
            rng,
            offence,
            place,
            crown,
            term.sentence_type(),
            case_type,
            sentence_date,
        )
    }
}

/// An event sentenced on `sentence_date`, with offence and conviction dates before it and no
/// length, release or end yet.
fn sentenced(
    rng: &mut DemoRng,
    offence: &Offence,
    place: &PduPlace,
    crown: bool,
    sentence_type: SentenceType,
    case_type: CaseType,
    sentence_date: NaiveDate,
) -> Event {
    // Crown Court cases and reports adjourn sentence for weeks; many pleas are sentenced on the day.
    let adjournment = if crown {
        rng.range(21..=56)
    } else if rng.chance(0.5) {
        0
    } else {
        rng.range(14..=28)
    };
    let conviction_date = add_days(sentence_date, -adjournment);
    Event {
        id: rng.id(),
        number: 0,
        sanctions_before: 0,
        offence_description: offence.description.to_owned(),
        offence_category: offence.category,
        offence_date: add_days(conviction_date, -rng.range(14..=300)),
        conviction_date,
        court: court(rng, place, crown),
        sentence_type,
        case_type,
        sentence_date: Some(sentence_date),
        sentence_length_months: None,
        release_date: None,
        expected_end_date: None,
        active: true,
        requirements: Vec::new(),
    }
}

fn court(rng: &mut DemoRng, place: &PduPlace, crown: bool) -> String {
    if crown {
        place.crown_court()
    } else {
        place.magistrates_court(rng)
    }
}

/// Earlier, finished events between the person's 18th birthday and the current offence: none
/// for half of people, up to two for the rest.
pub(crate) fn previous(
    rng: &mut DemoRng,
    adult_from: NaiveDate,
    before: NaiveDate,
    place: &PduPlace,
) -> Vec<Event> {
    let count: i64 = rng.weighted(&[(0, 50), (1, 32), (2, 18)]);
    let window_end = add_days(before, -60);
    // Leave room before each sentence for its offence and conviction (up to 328 days).
    let window_start = add_days(adult_from, 330);
    let window = days_between(window_start, window_end);
    if count == 0 || window < 400 {
        return Vec::new();
    }
    let slice = window / count;
    (0..count)
        .filter_map(|index| {
            let from = add_days(window_start, index * slice);
            previous_event(rng, from, add_days(from, slice), place)
        })
        .collect()
}

/// A finished community order or short prison sentence fitting between two dates, if one fits.
fn previous_event(
    rng: &mut DemoRng,
    from: NaiveDate,
    until: NaiveDate,
    place: &PduPlace,
) -> Option<Event> {
    let offence = previous_offence(rng);
    let custodial = rng.chance(0.4);
    let (sentence_type, case_type, months, span_months) = if custodial {
        let months: u32 = rng.range(3..=18);
        let span = months.max(months.div_ceil(2) + 12);
        (
            SentenceType::DeterminateCustody,
            CaseType::Licence,
            months,
            span,
        )
    } else {
        let months = rng.choose(&[12, 18]);
        (
            SentenceType::CommunityOrder,
            CaseType::Community,
            months,
            months,
        )
    };
    let latest_sentence = sub_months(until, span_months);
    let room = days_between(from, latest_sentence);
    if room < 1 {
        return None;
    }
    let sentence_date = add_days(from, rng.range(0..room));
    let release_date = custodial.then(|| add_months(sentence_date, months.div_ceil(2)));
    let end = match release_date {
        Some(release) => add_months(sentence_date, months).max(add_months(release, 12)),
        None => add_months(sentence_date, months),
    };
    Some(Event {
        sentence_length_months: Some(to_i32(months)),
        release_date,
        expected_end_date: Some(end),
        active: false,
        ..sentenced(
            rng,
            offence,
            place,
            false,
            sentence_type,
            case_type,
            sentence_date,
        )
    })
}

/// Earlier offences are the everyday ones: never sexual (which would change the current risk
/// picture) and never the gravest.
/// A finished community order or short prison sentence of someone no longer supervised (the
/// reoffending measure's closed cases), sentenced between `from` and the end fitting before
/// `until`, if one fits.
pub(crate) fn finished(
    rng: &mut DemoRng,
    from: NaiveDate,
    until: NaiveDate,
    place: &PduPlace,
) -> Option<Event> {
    previous_event(rng, from, until, place)
}

fn previous_offence(rng: &mut DemoRng) -> &'static Offence {
    loop {
        let offence = offences::for_community_sentence(rng);
        if offence.gravity == Gravity::Ordinary && !offence.category.is_sexual() {
            return offence;
        }
    }
}

/// Puts events in conviction order and numbers them from 1.
pub(crate) fn numbered(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by_key(|event| event.conviction_date);
    for (index, event) in events.iter_mut().enumerate() {
        event.number = to_i32(index as u32 + 1);
    }
    events
}

fn to_i32(value: u32) -> i32 {
    i32::try_from(value).expect("demo lengths and counts are small")
}

/// The first day IPP sentences could be passed and the day they were abolished.
fn ipp_period() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2005, 4, 4).expect("a real date"),
        NaiveDate::from_ymd_opt(2012, 12, 2).expect("a real date"),
    )
}

/// A custodial sentence's shape: how long, when release comes and how long the licence runs.
#[derive(Debug, Clone, Copy)]
enum Custodial {
    Determinate { months: u32 },
    Extended { custodial: u32, extension: u32 },
    Life,
    Ipp,
}

impl Custodial {
    fn choose(rng: &mut DemoRng, offence: &Offence, today: NaiveDate) -> Self {
        let (shortest, longest) = offence.custody_months;
        // Sentences bunch at the shorter end of each offence's range.
        let skewed = |rng: &mut DemoRng| {
            let share: f64 = rng.range(0.0..1.0);
            shortest + ((longest - shortest) as f64 * share * share).round() as u32
        };
        let ipp_possible = today > add_months(ipp_period().1, 60);
        match offence.gravity {
            Gravity::Grave => Custodial::Life,
            Gravity::Serious if ipp_possible && rng.chance(0.04) => Custodial::Ipp,
            Gravity::Serious if longest >= 48 && rng.chance(0.12) => Custodial::Extended {
                custodial: skewed(rng).max(48),
                extension: 12 * rng.range(2..=8),
            },
            _ => Custodial::Determinate {
                months: skewed(rng),
            },
        }
    }

    fn sentence_type(self) -> SentenceType {
        match self {
            Custodial::Determinate { .. } => SentenceType::DeterminateCustody,
            Custodial::Extended { .. } => SentenceType::ExtendedDeterminate,
            Custodial::Life => SentenceType::Life,
            Custodial::Ipp => SentenceType::ImprisonmentForPublicProtection,
        }
    }

    /// The whole sentence, custody and licence, in months; none for indeterminate sentences.
    fn length_months(self) -> Option<u32> {
        match self {
            Custodial::Determinate { months } => Some(months),
            Custodial::Extended {
                custodial,
                extension,
            } => Some(custodial + extension),
            Custodial::Life | Custodial::Ipp => None,
        }
    }

    /// Automatic release: halfway for most determinate sentences, two-thirds for serious ones of
    /// four years or more and for extended sentences. Indeterminate sentences wait for parole.
    fn months_to_release(self) -> Option<u32> {
        match self {
            Custodial::Determinate { months } if months >= 48 => Some((months * 2).div_ceil(3)),
            Custodial::Determinate { months } => Some(months.div_ceil(2)),
            Custodial::Extended { custodial, .. } => Some((custodial * 2).div_ceil(3)),
            Custodial::Life | Custodial::Ipp => None,
        }
    }

    /// Months on licence after release, including the 12-month top-up for short sentences.
    fn licence_months(self) -> Option<u32> {
        let length = self.length_months()?;
        let to_release = self.months_to_release()?;
        let short = matches!(self, Custodial::Determinate { months } if months < 24);
        Some(if short {
            (length - to_release).max(12)
        } else {
            length - to_release
        })
    }

    fn end_date(self, sentence: NaiveDate, release: Option<NaiveDate>) -> Option<NaiveDate> {
        let end = add_months(sentence, self.length_months()?);
        match (self, release) {
            (Custodial::Determinate { months }, Some(release)) if months < 24 => {
                Some(end.max(add_months(release, 12)))
            }
            _ => Some(end),
        }
    }

    /// When a life or IPP prisoner still inside was sentenced.
    fn indeterminate_sentence_date(self, rng: &mut DemoRng, today: NaiveDate) -> NaiveDate {
        let (first, last) = ipp_period();
        match self {
            Custodial::Ipp => add_days(first, rng.range(0..=days_between(first, last))),
            _ => add_days(today, -rng.range(365..=20 * 365)),
        }
    }

    /// Sentence and release dates for a life or IPP licensee, released by the Parole Board.
    fn indeterminate_release(self, rng: &mut DemoRng, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let release = add_days(today, -rng.range(30..=10 * 365));
        let sentence = match self {
            Custodial::Ipp => {
                let (first, last) = ipp_period();
                let latest = last.min(sub_months(release, 60));
                add_days(first, rng.range(0..=days_between(first, latest).max(0)))
            }
            _ => sub_months(release, rng.range(120..=216)),
        };
        (sentence, release)
    }
}

/// The two-year OGRS3 of the event, as keepsafe computes it: what demo scores and needs that
/// should agree with the person's likelihood of reoffending are drawn around.
pub(crate) fn ogrs3_two_year(person: &Person, event: &Event, today: NaiveDate) -> Option<u8> {
    use keepsafe_domain::predictors::ogrs3::{followup_start, ogrs3, Ogrs3Inputs};
    let start = followup_start(
        event.case_type,
        event.conviction_date,
        event.sentence_date,
        event.release_date,
        today,
    );
    ogrs3(&Ogrs3Inputs {
        sex: person.sex,
        date_of_birth: person.date_of_birth,
        conviction_date: event.conviction_date,
        followup_start_date: start.date,
        total_sanctions: event.sanctions_before + 1,
        age_at_first_sanction: person.age_at_first_sanction,
        offence_category: event.offence_category,
    })
    .ok()
    .map(|score| score.two_year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::PDUS;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 11).unwrap()
    }

    fn many(case_type: CaseType) -> Vec<Event> {
        let mut rng = DemoRng::from_seed(9);
        (0..2000)
            .map(|_| {
                let offence = offence_for(&mut rng, case_type);
                current(&mut rng, case_type, offence, &PDUS[0], today(), false)
            })
            .collect()
    }

    #[test]
    fn prisoners_have_not_yet_been_released() {
        for event in many(CaseType::Custody) {
            assert!(event.sentence_date.unwrap() < today());
            assert!(
                event.release_date.is_none_or(|release| release > today()),
                "{event:?}"
            );
        }
    }

    #[test]
    fn licences_have_begun_and_not_ended() {
        for event in many(CaseType::Licence) {
            assert!(event.release_date.unwrap() < today(), "{event:?}");
            assert!(
                event.expected_end_date.is_none_or(|end| end > today()),
                "{event:?}"
            );
            assert!(event.sentence_date.unwrap() < event.release_date.unwrap());
        }
    }

    #[test]
    fn community_orders_are_recent_and_still_running() {
        for event in many(CaseType::Community) {
            let sentenced = event.sentence_date.unwrap();
            assert!(days_between(sentenced, today()) <= 730);
            assert!(event.expected_end_date.unwrap() > today(), "{event:?}");
        }
    }

    #[test]
    fn ipp_sentences_were_passed_before_abolition() {
        let (first, last) = ipp_period();
        for event in many(CaseType::Licence)
            .into_iter()
            .chain(many(CaseType::Custody))
        {
            if event.sentence_type == SentenceType::ImprisonmentForPublicProtection {
                let sentenced = event.sentence_date.unwrap();
                assert!(first <= sentenced && sentenced <= last, "{event:?}");
            }
        }
    }

    #[test]
    fn earlier_events_finish_before_the_current_offence() {
        let mut rng = DemoRng::from_seed(4);
        let adult_from = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap();
        let before = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        for _ in 0..500 {
            for event in previous(&mut rng, adult_from, before, &PDUS[0]) {
                assert!(!event.active);
                assert!(event.offence_date >= adult_from);
                assert!(event.expected_end_date.unwrap() < before, "{event:?}");
            }
        }
    }
}
