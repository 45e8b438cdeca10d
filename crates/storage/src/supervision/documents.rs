//! The documents of a case (`case_documents`): letters and reports generated from the record —
//! their text stored when made, so a letter never changes after it is sent — and files
//! practitioners upload.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::rows;
use crate::schema::{case_documents, staff};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::partner::MediaType;
use keepsafe_domain::supervision::enforcement::{DocumentKind, Letter};
use keepsafe_domain::CodedValue;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Stores a generated document inside the caller's transaction.
pub fn insert_generated(
    conn: &mut AnyConnection,
    person_id: Uuid,
    kind: DocumentKind,
    letter: &Letter,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(case_documents::table)
        .values((
            case_documents::id.eq(id.to_string()),
            case_documents::person_id.eq(person_id.to_string()),
            case_documents::kind.eq(kind.code()),
            case_documents::title.eq(&letter.title),
            case_documents::body.eq(Some(&letter.body)),
            case_documents::created_by.eq(by.to_string()),
            case_documents::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A file to store, already checked (name, type, size and bytes) by the domain's rules.
#[derive(Debug, Clone)]
pub struct Upload {
    pub title: String,
    pub file_name: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
}

/// Stores an uploaded file with its SHA-256.
pub fn insert_upload(
    conn: &mut AnyConnection,
    person_id: Uuid,
    upload: &Upload,
    by: Uuid,
    now: DateTime<Utc>,
) -> StorageResult<Uuid> {
    let id = Uuid::new_v4();
    let sha: String = Sha256::digest(&upload.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    diesel::insert_into(case_documents::table)
        .values((
            case_documents::id.eq(id.to_string()),
            case_documents::person_id.eq(person_id.to_string()),
            case_documents::kind.eq(DocumentKind::Uploaded.code()),
            case_documents::title.eq(&upload.title),
            case_documents::file_name.eq(Some(&upload.file_name)),
            case_documents::media_type.eq(Some(upload.media_type.code())),
            case_documents::size_bytes.eq(Some(upload.bytes.len() as i64)),
            case_documents::sha256.eq(Some(sha)),
            case_documents::content.eq(Some(&upload.bytes)),
            case_documents::created_by.eq(by.to_string()),
            case_documents::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A document as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    pub id: Uuid,
    pub kind: DocumentKind,
    pub title: String,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// How many documents a page of the list shows.
pub const PAGE_SIZE: i64 = 50;

type SummaryRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    String,
    NaiveDateTime,
);

/// A page (from 1) of the case's documents, newest first, and the number there are.
pub fn list(
    conn: &mut AnyConnection,
    person_id: Uuid,
    page: i64,
) -> StorageResult<(Vec<DocumentSummary>, i64)> {
    let total: i64 = case_documents::table
        .filter(case_documents::person_id.eq(person_id.to_string()))
        .count()
        .get_result(conn)?;
    let rows: Vec<SummaryRow> = case_documents::table
        .inner_join(staff::table.on(staff::id.eq(case_documents::created_by)))
        .filter(case_documents::person_id.eq(person_id.to_string()))
        .select(summary_columns())
        .order((case_documents::created_at.desc(), case_documents::id.asc()))
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .load(conn)?;
    let documents = rows
        .into_iter()
        .map(summary)
        .collect::<StorageResult<Vec<_>>>()?;
    Ok((documents, total))
}

/// The columns a [`DocumentSummary`] is read from (documents joined to their author).
#[diesel::dsl::auto_type(no_type_alias)]
fn summary_columns() -> _ {
    (
        case_documents::id,
        case_documents::kind,
        case_documents::title,
        case_documents::file_name,
        case_documents::size_bytes,
        staff::first_name,
        staff::last_name,
        case_documents::created_at,
    )
}

fn summary(r: SummaryRow) -> StorageResult<DocumentSummary> {
    Ok(DocumentSummary {
        id: rows::id(&r.0)?,
        kind: rows::code(&r.1)?,
        title: r.2,
        file_name: r.3,
        size_bytes: r.4,
        created_by: format!("{} {}", r.5, r.6),
        created_at: r.7,
    })
}

/// What a document holds: the generated text, or the uploaded file.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Generated(String),
    File {
        file_name: String,
        media_type: MediaType,
        bytes: Vec<u8>,
    },
}

/// One document of the case with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub summary: DocumentSummary,
    pub content: Content,
}

type DocumentRow = (
    SummaryRow,
    (Option<String>, Option<String>, Option<Vec<u8>>),
);

/// The document `id` of the person (not found if it is another person's).
pub fn find(conn: &mut AnyConnection, person_id: Uuid, id: Uuid) -> StorageResult<Document> {
    let (r, (body, media_type, bytes)): DocumentRow = case_documents::table
        .inner_join(staff::table.on(staff::id.eq(case_documents::created_by)))
        .filter(case_documents::person_id.eq(person_id.to_string()))
        .filter(case_documents::id.eq(id.to_string()))
        .select((
            summary_columns(),
            (
                case_documents::body,
                case_documents::media_type,
                case_documents::content,
            ),
        ))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let content = match (body, media_type, bytes, r.3.clone()) {
        (Some(body), _, _, _) => Content::Generated(body),
        (None, Some(media_type), Some(bytes), Some(file_name)) => Content::File {
            file_name,
            media_type: rows::code(&media_type)?,
            bytes,
        },
        _ => {
            return Err(StorageError::Corrupt(format!(
                "document {id} has no content"
            )))
        }
    };
    Ok(Document {
        summary: summary(r)?,
        content,
    })
}
