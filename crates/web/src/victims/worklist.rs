//! `GET /victims`: victim liaison's worklist across their region — referrals due (overdue first),
//! contacts due at each stage, representations to ask for before a release — and the scheme's
//! two measures, each with how it was worked out. Each list is paged on its own. Read in a read
//! transaction, then audit-logged.

use crate::cases::list::{Pagination, PAGE_SIZE};
use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use keepsafe_domain::supervision::diary::page_of;
use keepsafe_domain::victims::VictimContactRules;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditEntry, Outcome};
use keepsafe_storage::victims::worklist::{self, Measure};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "victims/worklist.html")]
struct WorklistPage {
    chrome: Chrome,
    sections: Vec<Section>,
    measures: Vec<MeasureView>,
}

/// A paged list: its lines and its page links.
struct Section {
    title: &'static str,
    id: &'static str,
    lines: Vec<Line>,
    count: String,
    pagination: Pagination,
}

struct Line {
    crn: String,
    name: String,
    link: String,
    what: String,
    due: String,
    overdue: bool,
    explained: String,
}

struct MeasureView {
    title: &'static str,
    value: String,
    explained: Vec<String>,
}

#[derive(Deserialize)]
pub struct WorklistQuery {
    referrals: Option<usize>,
    contacts: Option<usize>,
    representations: Option<usize>,
}

/// `GET /victims`.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Query(query): Query<WorklistQuery>,
) -> Result<Html<String>, AppError> {
    let today = state.clock.today();
    let region = user.account.region_id;
    let staff_id = user.account.id;
    let limited_actor = user.account.actor();
    let actor = user.audit_name();
    let list = state
        .read_then_audit(move |conn| {
            let mut list =
                worklist::for_region(conn, region, today, &VictimContactRules::default())?;
            // Limited access: no line about a case the officer may not see (the measures still
            // count every case of the region: they name nobody).
            let hidden = keepsafe_storage::cases::limited::hidden_from(conn, &limited_actor)?;
            list.referrals_due =
                hidden.leave_out_crns(std::mem::take(&mut list.referrals_due), |l| &l.case.crn);
            list.contacts_due =
                hidden.leave_out_crns(std::mem::take(&mut list.contacts_due), |l| &l.case.crn);
            list.representations_due = hidden
                .leave_out_crns(std::mem::take(&mut list.representations_due), |l| {
                    &l.case.crn
                });
            let entry = AuditEntry {
                staff_id: Some(staff_id),
                actor,
                action: "view_victim_worklist".into(),
                outcome: Outcome::Allowed,
                person_id: None,
                crn: None,
                detail: format!(
                    "{} referrals, {} contacts, {} representations due",
                    list.referrals_due.len(),
                    list.contacts_due.len(),
                    list.representations_due.len()
                ),
            };
            Ok((list, entry))
        })
        .await?;
    let pages = |referrals, contacts, representations| {
        move |which: &str, n: usize| {
            let (r, c, p) = match which {
                "referrals" => (n, contacts, representations),
                "contacts" => (referrals, n, representations),
                _ => (referrals, contacts, n),
            };
            format!("/victims?referrals={r}&contacts={c}&representations={p}")
        }
    };
    let href = pages(
        query.referrals.unwrap_or(1),
        query.contacts.unwrap_or(1),
        query.representations.unwrap_or(1),
    );
    let due = |day: NaiveDate| crate::format::date(day);
    let referrals = section(
        ("Referrals due", "referrals"),
        list.referrals_due
            .iter()
            .map(|r| Line {
                crn: r.case.crn.clone(),
                name: r.case.name.clone(),
                link: format!("/cases/{}/victims/referral", r.case.crn),
                what: "Refer to the victim contact service".to_owned(),
                due: due(r.due_on),
                overdue: r.due_on < today,
                explained: r.explained.clone(),
            })
            .collect(),
        query.referrals,
        |n| href("referrals", n),
    );
    let contacts = section(
        ("Contacts due", "contacts"),
        list.contacts_due
            .iter()
            .map(|c| Line {
                crn: c.case.crn.clone(),
                name: c.case.name.clone(),
                link: format!("/cases/{}/victims/{}", c.case.crn, c.victim_id),
                what: format!("Contact the victim: {}", c.stage.label().to_lowercase()),
                due: due(c.due_on),
                overdue: c.due_on < today,
                explained: format!(
                    "Stage reached on {}; the contact is due {} working days later (rules {}).",
                    due(c.stage_on),
                    VictimContactRules::default().contact_working_days,
                    VictimContactRules::default().version
                ),
            })
            .collect(),
        query.contacts,
        |n| href("contacts", n),
    );
    let representations = section(
        ("Representations due before release", "representations"),
        list.representations_due
            .iter()
            .map(|r| Line {
                crn: r.case.crn.clone(),
                name: r.case.name.clone(),
                link: format!("/cases/{}/victims/{}/contacts/new", r.case.crn, r.victim_id),
                what: "Ask the victim for their representations".to_owned(),
                due: due(r.due_on),
                overdue: r.due_on < today,
                explained: r.explained.clone(),
            })
            .collect(),
        query.representations,
        |n| href("representations", n),
    );
    render(&WorklistPage {
        chrome: Chrome::for_user(&user, "Victim contact", "/victims"),
        sections: vec![referrals, contacts, representations],
        measures: vec![
            measure(
                "Eligible victims offered contact within 20 working days",
                &list.offered_in_time,
            ),
            measure(
                "Victims given the chance to make representations before release",
                &list.representations_before_release,
            ),
        ],
    })
}

fn section(
    (title, id): (&'static str, &'static str),
    lines: Vec<Line>,
    page: Option<usize>,
    href: impl Fn(usize) -> String,
) -> Section {
    let total = lines.len();
    let (page, pages) = page_of(page, total, PAGE_SIZE);
    let first = (page - 1) * PAGE_SIZE;
    let lines: Vec<Line> = lines.into_iter().skip(first).take(PAGE_SIZE).collect();
    let count = match total {
        0 => "None due.".to_owned(),
        _ if pages == 1 => format!("{total} due."),
        _ => format!(
            "Showing {} to {} of {total}.",
            first + 1,
            first + lines.len()
        ),
    };
    Section {
        title,
        id,
        lines,
        count,
        pagination: Pagination::new(page, pages, href),
    }
}

fn measure(title: &'static str, measure: &Measure) -> MeasureView {
    MeasureView {
        title,
        value: match measure.percent() {
            Some(percent) => format!("{percent}% ({} of {})", measure.met, measure.out_of),
            None => "Nothing to count yet".to_owned(),
        },
        explained: measure.explained.clone(),
    }
}
