//! The documents of a case: `GET /cases/{crn}/documents` lists them (kind, title, who made it,
//! when) with the upload form (`POST`, multipart, under the same file rules as partner
//! attachments: [`keepsafe_domain::partner::Attachment::parse`] and
//! [`keepsafe_domain::partner::MediaType::matches_content`]); `GET …/documents/{document}` shows a
//! generated letter or report as a printable page, or downloads an uploaded file. Every opening
//! is audit-logged.

use crate::cases::access::{open_case, open_case_for, Need};
use crate::error::AppError;
use crate::forms::{self, FieldError, FormFields, FormWithFiles, Posted, Submission};
use crate::layout::{render, Chrome};
use crate::routes::{Access, Registry, SignedIn};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::supervision::enforcement::{parse_id, when};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use keepsafe_domain::partner::{Attachment, AttachmentForm};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{self, AuditEntry};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::supervision::documents::{self, Content, DocumentSummary, Upload};
use keepsafe_storage::AnyConnection;
use serde::Deserialize;
use uuid::Uuid;

/// The document routes.
pub(crate) fn routes(registry: Registry) -> Registry {
    registry
        .add(
            Method::GET,
            "/cases/{crn}/documents",
            Access::Case,
            get(list),
        )
        .add_upload(
            Method::POST,
            "/cases/{crn}/documents",
            Access::Case,
            post(upload),
            // Files up to the partner attachment limit, as the portal takes them.
            crate::csrf::MAX_UPLOAD_BYTES,
        )
        .add(
            Method::GET,
            "/cases/{crn}/documents/{document}",
            Access::Case,
            get(open),
        )
}

struct Line {
    id: String,
    title: String,
    kind: String,
    by: String,
    at: String,
    file: String,
}

#[derive(Template)]
#[template(path = "supervision/document_list.html")]
struct ListPage {
    chrome: Chrome,
    csrf_token: String,
    name: String,
    crn: String,
    documents: Vec<Line>,
    page: i64,
    pages: i64,
    errors: Vec<FieldError>,
    title: String,
    title_error: Option<String>,
    file_error: Option<String>,
}

struct Listed {
    name: String,
    crn: String,
    documents: Vec<DocumentSummary>,
    total: i64,
    page: i64,
}

fn listed(conn: &mut AnyConnection, person_id: Uuid, page: i64) -> Result<Listed, AppError> {
    let (name, crn) = case_record::heading(conn, person_id)?;
    let (documents, total) = documents::list(conn, person_id, page)?;
    Ok(Listed {
        name,
        crn,
        documents,
        total,
        page,
    })
}

fn list_page(
    user: &CurrentUser,
    data: Listed,
    fields: &FormFields,
    errors: Vec<FieldError>,
) -> ListPage {
    ListPage {
        chrome: Chrome::for_form(user, "Documents", &errors, ""),
        csrf_token: user.csrf_token.clone(),
        documents: data
            .documents
            .iter()
            .map(|d| Line {
                id: d.id.to_string(),
                title: d.title.clone(),
                kind: d.kind.label().to_owned(),
                by: d.created_by.clone(),
                at: when(d.created_at),
                file: match (&d.file_name, d.size_bytes) {
                    (Some(name), Some(size)) => {
                        format!("{name}, {}", crate::format::file_size(size.max(0) as u64))
                    }
                    _ => String::new(),
                },
            })
            .collect(),
        page: data.page,
        pages: ((data.total + documents::PAGE_SIZE - 1) / documents::PAGE_SIZE).max(1),
        title: fields.get("title").chars().take(200).collect(),
        title_error: forms::message_for(&errors, "title"),
        file_error: forms::message_for(&errors, "file"),
        errors,
        name: data.name,
        crn: data.crn,
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

/// `GET /cases/{crn}/documents`.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let data = open_case(&state, &user, &crn, "view_documents", move |conn, case| {
        listed(conn, case.person_id, page)
    })
    .await?;
    Ok(render(&list_page(&user, data, &FormFields::default(), Vec::new()))?.into_response())
}

/// The longest title kept.
const MAX_TITLE_CHARS: usize = 200;

/// Checks the upload against the partner attachment rules (type, name, size, then the bytes).
fn read_upload(form: &FormWithFiles) -> Result<Upload, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = form.fields.get("title").trim().to_owned();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Enter a title for the document"));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            format!("The title must be {MAX_TITLE_CHARS} characters or fewer"),
        ));
    }
    let file = form.files.iter().find(|f| f.field == "file");
    let upload = match file {
        None => {
            errors.push(FieldError::new("file", "Choose a file to upload"));
            None
        }
        Some(file) => match Attachment::parse(&AttachmentForm {
            file_name: file.file_name.clone(),
            media_type: file.media_type.clone(),
            size_bytes: file.bytes.len() as u64,
        }) {
            Err(problems) => {
                for (_, message) in problems {
                    errors.push(FieldError::new("file", capitalise(&message)));
                }
                None
            }
            Ok(checked) if !checked.media_type.matches_content(&file.bytes) => {
                errors.push(FieldError::new(
                    "file",
                    format!(
                        "{} is not a {} file",
                        checked.file_name,
                        checked.media_type.file_kind()
                    ),
                ));
                None
            }
            Ok(checked) => Some(Upload {
                title: title.clone(),
                file_name: checked.file_name,
                media_type: checked.media_type,
                bytes: file.bytes.clone(),
            }),
        },
    };
    match upload {
        Some(upload) if errors.is_empty() => Ok(upload),
        _ => Err(errors),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `POST /cases/{crn}/documents` (multipart): uploads a file to the case.
pub async fn upload(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(crn): Path<String>,
    form: FormWithFiles,
) -> Result<Response, AppError> {
    let posted = Posted::new(&user, &form.fields);
    let fields = form.fields.clone();
    let now = state.clock.now();
    let outcome = open_case_for(
        &state,
        &user,
        &crn,
        "upload_document",
        Need::Work,
        move |conn, case| {
            let upload = match read_upload(&form) {
                Ok(upload) => upload,
                Err(errors) => {
                    return Ok(Submission::Refused((
                        listed(conn, case.person_id, 1)?,
                        errors,
                    )))
                }
            };
            let id = documents::insert_upload(conn, case.person_id, &upload, posted.by, now)?;
            audit::record(
                conn,
                &posted.audit_on_case(
                    "upload_document",
                    case,
                    format!("{id} {} ({})", upload.file_name, upload.media_type.code()),
                ),
                now,
            )?;
            Ok(Submission::Saved(case.crn.clone()))
        },
    )
    .await?;
    forms::respond(
        outcome,
        |crn| Redirect::to(&format!("/cases/{crn}/documents")),
        |(data, errors)| list_page(&user, data, &fields, errors),
    )
}

#[derive(Template)]
#[template(path = "supervision/document_show.html")]
struct DocumentPage {
    chrome: Chrome,
    name: String,
    crn: String,
    title: String,
    kind: String,
    by: String,
    at: String,
    /// Paragraphs, each a list of lines.
    paragraphs: Vec<Vec<String>>,
}

/// `GET /cases/{crn}/documents/{document}`: a generated document as a printable page, or an
/// uploaded file as a download (never inline, so a file cannot run in keepsafe's pages).
pub async fn open(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path((crn, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let by = user.account.id;
    let actor = user.audit_name();
    let now = state.clock.now();
    let (name, crn, document) =
        open_case(&state, &user, &crn, "view_documents", move |conn, case| {
            let document = documents::find(conn, case.person_id, parse_id(&document)?)?;
            let (name, crn) = case_record::heading(conn, case.person_id)?;
            let action = match document.content {
                Content::Generated(_) => "open_document",
                Content::File { .. } => "download_document",
            };
            audit::record(
                conn,
                &AuditEntry::on_case(
                    by,
                    actor,
                    action,
                    case,
                    format!("{} {}", document.summary.id, document.summary.title),
                ),
                now,
            )?;
            Ok((name, crn, document))
        })
        .await?;
    match document.content {
        Content::Generated(body) => Ok(render(&DocumentPage {
            chrome: Chrome::for_user(&user, document.summary.title.clone(), ""),
            name,
            crn,
            title: document.summary.title,
            kind: document.summary.kind.label().to_owned(),
            by: document.summary.created_by,
            at: when(document.summary.created_at),
            paragraphs: body
                .split("\n\n")
                .map(|p| p.lines().map(str::to_owned).collect())
                .collect(),
        })?
        .into_response()),
        Content::File {
            file_name,
            media_type,
            bytes,
        } => {
            let safe_name: String = file_name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            Ok((
                [
                    (header::CONTENT_TYPE, media_type.code().to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{safe_name}\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response())
        }
    }
}
