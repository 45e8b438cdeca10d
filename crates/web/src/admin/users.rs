//! `GET /admin/users`: the accounts that can sign in, for administrators. Accounts are created
//! and passwords reset with `keepsafe user add | reset-password`.

use crate::error::AppError;
use crate::layout::{render, Chrome};
use crate::routes::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use keepsafe_storage::audit::{self, AuditEntry, Outcome};
use keepsafe_storage::staff;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserLine>,
}

struct UserLine {
    username: String,
    name: String,
    grade: String,
    place: String,
    status: String,
    locked: bool,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Html<String>, AppError> {
    let entry = AuditEntry {
        staff_id: Some(user.account.id),
        actor: user.audit_name(),
        action: "view_users".into(),
        outcome: Outcome::Allowed,
        person_id: None,
        crn: None,
        detail: String::new(),
    };
    let accounts = state
        .write(move |conn| {
            let accounts = staff::list_accounts(conn)?;
            audit::record(conn, &entry, state.clock.now())?;
            Ok(accounts)
        })
        .await?;
    let now = state.clock.now();
    render(&UsersPage {
        chrome: Chrome::for_user(&user, "Users", "/admin/users"),
        users: accounts
            .into_iter()
            .map(|a| {
                let locked = a.locked_until.is_some_and(|until| until > now);
                UserLine {
                    status: if !a.active {
                        "Deactivated".into()
                    } else if locked {
                        "Locked".into()
                    } else {
                        "Active".into()
                    },
                    locked,
                    username: a.username,
                    name: a.name,
                    grade: a.grade.to_string(),
                    place: a.team.or(a.pdu).unwrap_or_else(|| "Region".into()),
                }
            })
            .collect(),
    })
}
