//! Court fixtures: a court of a PDU, and hearings on its list written as the court pages write
//! them (`storage::court::hearings::add`), with or without a report asked for.

use crate::clock;
use chrono::NaiveDate;
use keepsafe_domain::court::{CourtRules, HearingLine, ReportType};
use keepsafe_domain::crn::Crn;
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::person::{PersonName, Sex};
use keepsafe_domain::text::LongText;
use keepsafe_storage::court::courts::{self, Court};
use keepsafe_storage::court::hearings::{self, AddedHearing, ListDay};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use uuid::Uuid;

/// The test court of a PDU (made the first time it is asked for): code `T` and the PDU id's first
/// six hexadecimal digits.
pub fn court_of(conn: &mut AnyConnection, pdu_id: Uuid) -> Court {
    let code = format!("T{}", &pdu_id.simple().to_string()[..6]).to_uppercase();
    if let Some(court) = courts::find(conn, &code).unwrap() {
        return court;
    }
    courts::add(conn, &code, "Midchester Magistrates' Court", pdu_id).unwrap();
    courts::find(conn, &code).unwrap().unwrap()
}

/// A hearing line for a new person (no CRN): Jane Smith born 1 May 1990, unless named otherwise.
pub fn line(
    first: &str,
    last: &str,
    date_of_birth: NaiveDate,
    crn: Option<&str>,
    report: Option<ReportType>,
) -> HearingLine {
    HearingLine {
        crn: crn.map(|c| Crn::parse(c).unwrap()),
        first_name: PersonName::parse(first).unwrap(),
        last_name: PersonName::parse(last).unwrap(),
        date_of_birth,
        sex: Sex::Female,
        offence: LongText::required("Assault by beating").unwrap(),
        offence_category: OffenceCategory::Violence,
        offence_date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        report,
    }
}

/// Adds `line` to the court's list for `day` as `by`, in its own transaction.
pub fn add(
    conn: &mut AnyConnection,
    court: &Court,
    day: NaiveDate,
    line: &HearingLine,
    by: Uuid,
) -> AddedHearing {
    transaction::write(conn, |conn| {
        let list_day = ListDay {
            court,
            hearing_on: day,
            by,
            now: clock::now(),
        };
        Ok::<_, StorageError>(
            hearings::add(conn, &list_day, line, &CourtRules::default())?
                .expect("the line matches one case or none"),
        )
    })
    .unwrap()
}

/// A hearing today for the case with `crn`, with a short-format report started by `by`.
pub fn hearing_with_report(
    conn: &mut AnyConnection,
    pdu_id: Uuid,
    crn: &str,
    by: Uuid,
) -> AddedHearing {
    let court = court_of(conn, pdu_id);
    let (first, last, dob): (String, String, NaiveDate) = {
        use diesel::prelude::*;
        use keepsafe_storage::schema::people;
        people::table
            .filter(people::crn.eq(crn))
            .select((people::first_name, people::last_name, people::date_of_birth))
            .first(conn)
            .unwrap()
    };
    let line = line(&first, &last, dob, Some(crn), Some(ReportType::ShortFormat));
    add(conn, &court, clock::today(), &line, by)
}
