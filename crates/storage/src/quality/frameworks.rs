//! The frameworks as this deployment rates with them: the built-in framework
//! ([`Framework::by_code`]) with any thresholds or bands set for it here
//! (`quality_framework_settings`), so every rating — pages, reports, the CLI — uses the same
//! rule, and its explanation shows the thresholds and bands it used.

use crate::connection::AnyConnection;
use crate::error::{StorageError, StorageResult};
use crate::schema::quality_framework_settings;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_domain::quality::{Framework, OverallBands, RatingThresholds};

/// A framework's local setting, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkSetting {
    pub framework: String,
    pub thresholds: Option<RatingThresholds>,
    /// The bands as written ("0-3,4-10,11-17,18-21").
    pub bands: Option<String>,
    pub reason: String,
    pub set_by: String,
    pub set_at: NaiveDateTime,
}

type SettingRow = (
    String,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    Option<String>,
    String,
    String,
    NaiveDateTime,
);

fn setting(row: SettingRow) -> StorageResult<FrameworkSetting> {
    let (framework, outstanding, good, ri, bands, reason, set_by, set_at) = row;
    let thresholds = match (outstanding, good, ri) {
        (Some(o), Some(g), Some(r)) => Some(
            RatingThresholds::new(o.max(0) as u32, g.max(0) as u32, r.max(0) as u32)
                .map_err(|e| StorageError::Corrupt(format!("thresholds of {framework}: {e}")))?,
        ),
        _ => None,
    };
    Ok(FrameworkSetting {
        framework,
        thresholds,
        bands,
        reason,
        set_by,
        set_at,
    })
}

/// Every local setting.
pub fn settings(conn: &mut AnyConnection) -> StorageResult<Vec<FrameworkSetting>> {
    quality_framework_settings::table
        .order(quality_framework_settings::framework)
        .load::<SettingRow>(conn)?
        .into_iter()
        .map(setting)
        .collect()
}

/// The framework with this deployment's setting applied; `None` for an unknown code.
pub fn configured(conn: &mut AnyConnection, code: &str) -> StorageResult<Option<Framework>> {
    let Some(framework) = Framework::by_code(code) else {
        return Ok(None);
    };
    let row: Option<SettingRow> = quality_framework_settings::table
        .find(code)
        .first(conn)
        .optional()?;
    let Some(local) = row.map(setting).transpose()? else {
        return Ok(Some(framework));
    };
    apply(framework, &local).map(Some)
}

fn apply(framework: Framework, local: &FrameworkSetting) -> StorageResult<Framework> {
    let mut framework = match local.thresholds {
        Some(thresholds) => framework.with_thresholds(thresholds),
        None => framework,
    };
    if let Some(text) = &local.bands {
        let corrupt =
            |e: String| StorageError::Corrupt(format!("bands of {}: {e}", local.framework));
        let bands = OverallBands::parse(framework.standards.len() as u32, text)
            .map_err(|e| corrupt(e.to_string()))?;
        framework = framework
            .with_bands(bands)
            .map_err(|e| corrupt(e.to_string()))?;
    }
    Ok(framework)
}

/// A setting to store: checked against the framework first, so a stored setting always applies.
#[derive(Debug, Clone)]
pub struct NewSetting<'a> {
    pub framework: &'a Framework,
    pub thresholds: Option<RatingThresholds>,
    pub bands: Option<&'a str>,
    pub reason: &'a str,
    pub set_by: &'a str,
}

/// Stores (or replaces) a framework's setting. The bands are checked for the framework's number
/// of standards; a refusal says exactly what is wrong.
pub fn set(
    conn: &mut AnyConnection,
    new: &NewSetting<'_>,
    now: DateTime<Utc>,
) -> StorageResult<Result<Framework, String>> {
    let local = FrameworkSetting {
        framework: new.framework.code.clone(),
        thresholds: new.thresholds,
        bands: new.bands.map(str::to_owned),
        reason: new.reason.trim().to_owned(),
        set_by: new.set_by.to_owned(),
        set_at: now.naive_utc(),
    };
    if let Some(text) = new.bands {
        if let Err(refused) = OverallBands::parse(new.framework.standards.len() as u32, text) {
            return Ok(Err(refused.to_string()));
        }
    }
    let applied = apply(new.framework.clone(), &local)?;
    diesel::delete(quality_framework_settings::table.find(&local.framework)).execute(conn)?;
    diesel::insert_into(quality_framework_settings::table)
        .values((
            quality_framework_settings::framework.eq(&local.framework),
            quality_framework_settings::outstanding_from
                .eq(local.thresholds.map(|t| t.outstanding() as i32)),
            quality_framework_settings::good_from.eq(local.thresholds.map(|t| t.good() as i32)),
            quality_framework_settings::requires_improvement_from
                .eq(local.thresholds.map(|t| t.requires_improvement() as i32)),
            quality_framework_settings::bands.eq(&local.bands),
            quality_framework_settings::reason.eq(&local.reason),
            quality_framework_settings::set_by.eq(&local.set_by),
            quality_framework_settings::set_at.eq(local.set_at),
        ))
        .execute(conn)?;
    Ok(Ok(applied))
}

/// Goes back to the built-in thresholds and bands. Returns whether there was a setting.
pub fn clear(conn: &mut AnyConnection, code: &str) -> StorageResult<bool> {
    Ok(diesel::delete(quality_framework_settings::table.find(code)).execute(conn)? > 0)
}
