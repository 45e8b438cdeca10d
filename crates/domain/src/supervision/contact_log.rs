//! The contact log: recording a contact after the fact (a phone call, a visit) and how its notes
//! are kept and shown.

use crate::supervision::contact::{ContactOutcome, FailureJudgement};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use thiserror::Error;

/// The clock time in England and Wales at `now`: contacts and appointments are written in the
/// time on the office's clock, and the server's clock is UTC. British Summer Time runs from 01:00
/// GMT on the last Sunday in March to 01:00 GMT on the last Sunday in October (The Summer Time
/// Order 2002, SI 2002/262), an hour ahead of GMT.
pub fn local_time(now: DateTime<Utc>) -> NaiveDateTime {
    let utc = now.naive_utc();
    let year = utc.year();
    let change = |month: u32| {
        last_sunday(year, month)
            .and_hms_opt(1, 0, 0)
            .expect("01:00 exists")
    };
    if utc >= change(3) && utc < change(10) {
        utc + Duration::hours(1)
    } else {
        utc
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last =
        NaiveDate::from_ymd_opt(year, month + 1, 1).expect("a real month") - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// Contact notes: trimmed, no control characters but line breaks, at most
/// [`ContactNotes::MAX_CHARS`]. Longer than other free text (10,000) because a home visit or a
/// three-way meeting is written up in full here and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactNotes(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NotesError {
    #[error("Notes must be {max} characters or fewer (they are {actual})", max = ContactNotes::MAX_CHARS)]
    TooLong { actual: usize },
}

impl ContactNotes {
    pub const MAX_CHARS: usize = 12_000;

    /// Notes as typed; empty notes are allowed (a letter sent needs none).
    pub fn parse(raw: &str) -> Result<Self, NotesError> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        let actual = cleaned.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(NotesError::TooLong { actual });
        }
        Ok(Self(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The first `max` characters of notes for a list, cut at a word and marked with "…" when cut.
pub fn preview(notes: &str, max: usize) -> String {
    if notes.chars().count() <= max {
        return notes.to_owned();
    }
    let cut: String = notes.chars().take(max).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .filter(|&i| i > max / 2)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end())
}

/// Why a contact recorded after the fact is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RecordingRefusal {
    #[error("The contact cannot be in the future: arrange an appointment instead")]
    InTheFuture,
    #[error("Select whether the failure was acceptable, unacceptable or is waiting for evidence")]
    JudgementMissing,
}

/// A contact recorded after it happened: it must not be in the future, and a failure (failed to
/// attend, or attended but failed to comply) must be judged. A judgement given for an attended
/// contact is dropped, as there is nothing to judge.
pub fn check_recorded(
    at: NaiveDateTime,
    now: NaiveDateTime,
    outcome: ContactOutcome,
    judgement: Option<FailureJudgement>,
) -> Result<Option<FailureJudgement>, Vec<RecordingRefusal>> {
    let mut refusals = Vec::new();
    if at > now {
        refusals.push(RecordingRefusal::InTheFuture);
    }
    let judgement = if outcome.is_failure() {
        if judgement.is_none() {
            refusals.push(RecordingRefusal::JudgementMissing);
        }
        judgement
    } else {
        None
    };
    if refusals.is_empty() {
        Ok(judgement)
    } else {
        Err(refusals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn the_time_on_the_office_clock_is_an_hour_ahead_in_british_summer_time() {
        let utc = |y, m, d, h, min| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap()
                .and_utc()
        };
        // 2027: summer time from 28 March to 31 October, changing at 01:00 GMT.
        assert_eq!(
            local_time(utc(2026, 12, 2, 10, 0)),
            utc(2026, 12, 2, 10, 0).naive_utc()
        );
        assert_eq!(
            local_time(utc(2027, 3, 28, 0, 59)),
            utc(2027, 3, 28, 0, 59).naive_utc()
        );
        assert_eq!(
            local_time(utc(2027, 3, 28, 1, 0)),
            utc(2027, 3, 28, 2, 0).naive_utc()
        );
        assert_eq!(
            local_time(utc(2027, 7, 1, 13, 30)),
            utc(2027, 7, 1, 14, 30).naive_utc()
        );
        assert_eq!(
            local_time(utc(2027, 10, 31, 0, 59)),
            utc(2027, 10, 31, 1, 59).naive_utc()
        );
        assert_eq!(
            local_time(utc(2027, 10, 31, 1, 0)),
            utc(2027, 10, 31, 1, 0).naive_utc()
        );
    }

    #[test]
    fn notes_up_to_12000_characters_are_kept_and_more_are_refused_with_their_length() {
        assert_eq!(
            ContactNotes::parse(&"a".repeat(12_000))
                .unwrap()
                .as_str()
                .len(),
            12_000
        );
        let refused = ContactNotes::parse(&"é".repeat(12_001)).unwrap_err();
        assert_eq!(refused, NotesError::TooLong { actual: 12_001 });
        assert_eq!(
            refused.to_string(),
            "Notes must be 12000 characters or fewer (they are 12001)"
        );
    }

    #[test]
    fn notes_keep_line_breaks_but_lose_other_control_characters() {
        assert_eq!(
            ContactNotes::parse(" Called.\nNo answer\u{7}. ")
                .unwrap()
                .as_str(),
            "Called.\nNo answer."
        );
    }

    #[test]
    fn a_preview_is_cut_at_a_word_and_marked() {
        assert_eq!(preview("Short note", 20), "Short note");
        assert_eq!(
            preview("Discussed housing and the job centre appointment", 30),
            "Discussed housing and the job…"
        );
    }

    #[test]
    fn a_contact_in_the_future_is_refused() {
        assert_eq!(
            check_recorded(at(10, 1), at(10, 0), ContactOutcome::Attended, None),
            Err(vec![RecordingRefusal::InTheFuture])
        );
        assert_eq!(
            check_recorded(at(10, 0), at(10, 0), ContactOutcome::Attended, None),
            Ok(None)
        );
    }

    #[test]
    fn a_failure_must_be_judged_and_an_attended_contact_is_not() {
        assert_eq!(
            check_recorded(at(9, 0), at(10, 0), ContactOutcome::FailedToAttend, None),
            Err(vec![RecordingRefusal::JudgementMissing])
        );
        assert_eq!(
            check_recorded(
                at(9, 0),
                at(10, 0),
                ContactOutcome::AttendedFailedToComply,
                Some(FailureJudgement::Unacceptable)
            ),
            Ok(Some(FailureJudgement::Unacceptable))
        );
        assert_eq!(
            check_recorded(
                at(9, 0),
                at(10, 0),
                ContactOutcome::Attended,
                Some(FailureJudgement::Unacceptable)
            ),
            Ok(None)
        );
    }
}
