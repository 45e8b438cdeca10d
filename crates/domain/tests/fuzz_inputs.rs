//! Fuzzing the domain's readers of outside input with generated cases (proptest, stable
//! toolchain): the dataset's CSV rows, court list files and predictor inputs written as JSON.
//! Each reader must never panic whatever it is given, must name the line and field of every
//! refusal, and must give back exactly what keepsafe itself writes.
//!
//! The number of cases is kept small enough for the normal suite; `PROPTEST_CASES=20000 cargo
//! nextest run -p keepsafe-domain --test fuzz_inputs` runs as many as wanted.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use keepsafe_domain::court::hearing::{parse_list, LIST_COLUMNS};
use keepsafe_domain::court::ReportType;
use keepsafe_domain::dataset::{parse_row, Column, FileSpec, Kind, Validator, Value, FILES};
use keepsafe_domain::event::OffenceCategory;
use keepsafe_domain::person::Sex;
use keepsafe_domain::predictors::json::{ogrs3_inputs, InputsError};
use keepsafe_domain::predictors::ogrs3::ogrs3;
use keepsafe_domain::tiering::json::{tier_answer, FIELDS as TIER_FIELDS};
use keepsafe_domain::CodedValue;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{json, Map, Value as Json};
use uuid::Uuid;

/// `default` cases per property, or `PROPTEST_CASES` when set; failures are shrunk and shown,
/// and a failure worth keeping becomes a named regression test below (nothing is written to
/// disk).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that is troublesome to readers: separators, quotes, line ends, a byte-order mark,
/// non-ASCII letters, numbers at their limits and dates that are nearly right.
fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ ,\"\r\n\t\u{feff}a-zA-Z0-9:./+-]{0,24}",
        prop::sample::select(vec![
            "",
            " ",
            "\"",
            "\"\"",
            ",",
            "\n",
            "\r\n",
            "\u{feff}",
            "X123456",
            "x123456 ",
            "1990-02-30",
            "1990-2-3",
            "31/12/1990",
            "+10000-01-01",
            "-0001-01-01",
            "262143-12-31",
            "2026-11-18T10:00:00",
            "2026-11-18T24:00:00",
            "2026-11-18T10:00:60",
            "2026-11-18T10:00:00.1234567891",
            "2147483648",
            "-2147483649",
            "1e309",
            "NaN",
            "inf",
            "-0",
            "true",
            "TRUE",
            "null",
            "6f1c2a9e-0000-4000-8000-000000000001",
            "{6f1c2a9e-0000-4000-8000-000000000001}",
            "urn:uuid:6f1c2a9e-0000-4000-8000-000000000001",
            "male",
            "violence",
            "short_format",
            "\u{0}",
            "ﬀ",
            "İ",
        ])
        .prop_map(str::to_owned),
    ]
}

mod dataset {
    use super::*;

    /// A value a column of this kind holds, as keepsafe writes it (identifiers in their canonical
    /// form, moments to the microsecond); empty only where the column allows it.
    fn value_for(column: &Column) -> BoxedStrategy<Value> {
        let present: BoxedStrategy<Value> = match column.kind {
            Kind::Id | Kind::Ref(_) | Kind::Uuid => any::<u128>()
                .prop_map(|n| Value::Text(Uuid::from_u128(n).to_string()))
                .boxed(),
            Kind::Crn => "[A-Z][0-9]{6}".prop_map(Value::Text).boxed(),
            Kind::Text => any::<String>()
                .prop_filter("an empty field is no value", |s| !s.is_empty())
                .prop_map(Value::Text)
                .boxed(),
            Kind::Date => any_date().prop_map(Value::Date).boxed(),
            Kind::DateTime => (any_date(), 0..86_400u32, 0..1_000_000u32)
                .prop_map(|(day, second, micros)| {
                    let time = NaiveTime::from_num_seconds_from_midnight_opt(second, micros * 1000)
                        .expect("in range");
                    Value::DateTime(NaiveDateTime::new(day, time))
                })
                .boxed(),
            Kind::Integer => any::<i32>().prop_map(Value::Integer).boxed(),
            Kind::Decimal => any::<f64>()
                .prop_filter("finite", |x| x.is_finite())
                .prop_map(Value::Decimal)
                .boxed(),
            Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Kind::Code(vocabulary) => prop::sample::select((vocabulary.codes)())
                .prop_map(|code| Value::Text(code.to_owned()))
                .boxed(),
        };
        if column.required {
            present
        } else {
            prop_oneof![1 => Just(Value::Empty), 4 => present].boxed()
        }
    }

    /// Any day chrono can hold, from 262,144 BCE to 262,143 CE.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).expect("in range"))
    }

    fn any_file() -> impl Strategy<Value = &'static FileSpec> {
        prop::sample::select(FILES.iter().collect::<Vec<_>>())
    }

    fn valid_row() -> impl Strategy<Value = (&'static FileSpec, Vec<Value>)> {
        any_file().prop_flat_map(|spec| {
            let values: Vec<_> = spec.columns.iter().map(value_for).collect();
            (Just(spec), values)
        })
    }

    proptest! {
        #![proptest_config(config(512))]

        /// Export then import gives the same values: every kind of field, every file.
        #[test]
        fn every_value_keepsafe_writes_reads_back_as_the_same_value((spec, values) in valid_row()) {
            let fields: Vec<String> = values.iter().map(Value::to_field).collect();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let read = parse_row(spec, 2, &fields);
            prop_assert_eq!(read, Ok(values), "{} {:?}", spec.name, fields);
        }

        /// Whatever a row holds, checking it never panics, and every problem names the file and
        /// the line, and a column of the file when it is about one field.
        #[test]
        fn any_row_is_checked_without_panicking_and_every_problem_names_its_line(
            spec in any_file(),
            line in 2..u64::MAX,
            fields in prop::collection::vec(awkward_text(), 0..24),
        ) {
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let mut validator = Validator::new();
            let mut in_database = |_: &'static str, _: &str| false;
            if let Err(problems) = validator.check(spec, line, &fields, &mut in_database) {
                prop_assert!(!problems.is_empty());
                for problem in problems {
                    prop_assert_eq!(&problem.file, &spec.file_name());
                    prop_assert_eq!(problem.line, Some(line));
                    if let Some(column) = &problem.column {
                        prop_assert!(spec.position(column).is_some(), "{}", column);
                    }
                    let place = format!("{}:{line}", spec.file_name());
                    prop_assert!(problem.to_string().starts_with(&place));
                }
            }
        }

        /// One wrong field in an otherwise good row is refused naming exactly that column.
        #[test]
        fn a_wrong_field_is_refused_naming_its_column(
            (spec, values) in valid_row(),
            at in any::<prop::sample::Index>(),
            garbage in awkward_text(),
        ) {
            let at = at.index(spec.columns.len());
            let column = spec.columns[at];
            let mut fields: Vec<String> = values.iter().map(Value::to_field).collect();
            fields[at] = match column.kind {
                Kind::Text if column.required => String::new(),
                Kind::Text => return Ok(()),
                _ => garbage,
            };
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            match parse_row(spec, 7, &refs) {
                Ok(read) => {
                    // The garbage happened to be a value of the column's kind: it is read as one.
                    prop_assert_eq!(read.len(), spec.columns.len());
                }
                Err(problems) => {
                    prop_assert_eq!(problems.len(), 1, "{:?}", problems);
                    prop_assert_eq!(problems[0].column.as_deref(), Some(column.name));
                    prop_assert_eq!(problems[0].line, Some(7));
                }
            }
        }

        /// A moment with more than microseconds is read as the moment it will be written as, so
        /// exporting it again gives the same text.
        #[test]
        fn moments_are_written_back_as_they_were_read(day in any_date(), second in 0..86_400u32, nanos in 0..1_000_000_000u32) {
            let time = NaiveTime::from_num_seconds_from_midnight_opt(second, nanos).unwrap();
            let written = Value::DateTime(NaiveDateTime::new(day, time)).to_field();
            let read = parse_row(&only_column_of_kind(|kind| matches!(kind, Kind::DateTime)), 2, &[written.as_str()]);
            prop_assert_eq!(read.map(|values| values[0].to_field()), Ok(written));
        }
    }

    /// A file of one column: the first of the given kind in any file.
    fn only_column_of_kind(kind: fn(&Kind) -> bool) -> FileSpec {
        let spec = FILES
            .iter()
            .find(|f| f.columns.iter().any(|c| kind(&c.kind)))
            .expect("a file with such a column");
        let at = spec.columns.iter().position(|c| kind(&c.kind)).unwrap();
        FileSpec {
            columns: std::slice::from_ref(&spec.columns[at]),
            ..*spec
        }
    }

    /// Found by fuzzing: years before 1 CE and after 9999 are written with a sign (`+10000-01-01`),
    /// which must read back as the same day rather than be refused.
    #[test]
    fn dates_outside_four_digit_years_read_back_as_written() {
        for day in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(-1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
        ] {
            let written = Value::Date(day).to_field();
            let only = only_column_of_kind(|kind| matches!(kind, Kind::Date));
            assert_eq!(
                parse_row(&only, 2, &[written.as_str()]),
                Ok(vec![Value::Date(day)]),
                "{written}"
            );
        }
    }
}

mod court_list {
    use super::*;

    /// The day of the hearing every generated list is for.
    fn hearing_on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    /// One hearing as a court's spreadsheet might give it, and the values it must be read as.
    #[derive(Debug, Clone)]
    struct Hearing {
        cells: [String; 9],
        crn: Option<String>,
        first_name: String,
        last_name: String,
        date_of_birth: NaiveDate,
        sex: Sex,
        offence: String,
        offence_category: OffenceCategory,
        offence_date: NaiveDate,
        report: Option<ReportType>,
    }

    fn day_between(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = NaiveDate> {
        (0..=(to - from).num_days()).prop_map(move |n| from + Duration::days(n))
    }

    /// A date written either way the list accepts.
    fn written(day: NaiveDate, day_first: bool) -> String {
        if day_first {
            day.format("%d/%m/%Y").to_string()
        } else {
            day.format("%Y-%m-%d").to_string()
        }
    }

    /// A vocabulary value written as its code or its label, in any case.
    fn word<T: CodedValue + std::fmt::Debug>() -> impl Strategy<Value = (T, String)> {
        (prop::sample::select(T::ALL.to_vec()), 0..3u8, any::<bool>()).prop_map(
            |(value, how, upper)| {
                let text = match how {
                    0 => value.code().to_owned(),
                    _ => value.label().to_owned(),
                };
                (value, if upper { text.to_uppercase() } else { text })
            },
        )
    }

    fn name() -> impl Strategy<Value = String> {
        "[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' ,\"-]{0,20}[A-Za-zÀ-ÿ]|[A-Za-z]"
    }

    fn hearing() -> impl Strategy<Value = Hearing> {
        let born = day_between(
            NaiveDate::from_ymd_opt(1907, 12, 3).unwrap(),
            NaiveDate::from_ymd_opt(2016, 12, 2).unwrap(),
        );
        let offended = day_between(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), hearing_on());
        (
            prop::option::of("[A-Z][0-9]{6}"),
            name(),
            name(),
            (born, any::<bool>()),
            word::<Sex>(),
            "[A-Za-z0-9][A-Za-z0-9 ,\"\n()-]{0,40}[A-Za-z0-9)]|[A-Za-z]",
            word::<OffenceCategory>(),
            (offended, any::<bool>()),
            prop::option::of(word::<ReportType>()),
        )
            .prop_map(
                |(
                    crn,
                    first,
                    last,
                    (born, dob_first),
                    sex,
                    offence,
                    category,
                    (offended, od_first),
                    report,
                )| {
                    Hearing {
                        cells: [
                            crn.clone().unwrap_or_default(),
                            first.clone(),
                            last.clone(),
                            written(born, dob_first),
                            sex.1,
                            offence.clone(),
                            category.1,
                            written(offended, od_first),
                            report.as_ref().map(|r| r.1.clone()).unwrap_or_default(),
                        ],
                        crn,
                        first_name: first,
                        last_name: last,
                        date_of_birth: born,
                        sex: sex.0,
                        offence,
                        offence_category: category.0,
                        offence_date: offended,
                        report: report.map(|r| r.0),
                    }
                },
            )
    }

    /// A cell as a spreadsheet writes it: quoted when it must be, and sometimes when it need not.
    fn cell(text: &str, quote_anyway: bool) -> String {
        if quote_anyway || text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }

    /// A list file: the columns in the given order, each hearing's cells in that order, lines
    /// ended as `crlf` says, and `blank` empty lines before each row.
    fn file(
        order: &[usize],
        hearings: &[Hearing],
        quote: bool,
        crlf: bool,
        blank: &[u8],
    ) -> String {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = order
            .iter()
            .map(|&i| cell(LIST_COLUMNS[i], quote))
            .collect::<Vec<_>>()
            .join(",");
        text.push_str(end);
        for (row, hearing) in hearings.iter().enumerate() {
            for _ in 0..blank.get(row).copied().unwrap_or(0) {
                text.push_str(end);
            }
            let cells: Vec<String> = order
                .iter()
                .map(|&i| cell(&hearing.cells[i], quote))
                .collect();
            text.push_str(&cells.join(","));
            text.push_str(end);
        }
        text
    }

    fn column_order() -> impl Strategy<Value = Vec<usize>> {
        Just((0..LIST_COLUMNS.len()).collect::<Vec<_>>()).prop_shuffle()
    }

    proptest! {
        #![proptest_config(config(256))]

        /// Whatever the file holds, reading it never panics, and every problem names a row of the
        /// file and, when it is about one cell, one of the list's columns.
        #[test]
        fn any_file_is_read_without_panicking_and_every_problem_names_a_row(text in any::<String>()) {
            check_problems(&text)?;
        }

        /// A file with the right columns but wrong cells: the same.
        #[test]
        fn rows_of_wrong_cells_are_refused_naming_row_and_column(
            order in column_order(),
            rows in prop::collection::vec(prop::collection::vec(awkward_text(), 0..11), 1..6),
        ) {
            let mut text = order.iter().map(|&i| LIST_COLUMNS[i]).collect::<Vec<_>>().join(",");
            text.push('\n');
            for row in &rows {
                text.push_str(&row.iter().map(|c| cell(c, false)).collect::<Vec<_>>().join(","));
                text.push('\n');
            }
            check_problems(&text)?;
        }

        /// Every hearing written by a spreadsheet, in any column order, quoting and line ending,
        /// is read back as what was written.
        #[test]
        fn a_list_written_by_a_spreadsheet_reads_back_as_written(
            order in column_order(),
            hearings in prop::collection::vec(hearing(), 1..5),
            quote in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let text = file(&order, &hearings, quote, crlf, &[]);
            let lines = parse_list(&text, hearing_on()).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
            prop_assert_eq!(lines.len(), hearings.len());
            for (line, hearing) in lines.iter().zip(&hearings) {
                prop_assert_eq!(line.crn.as_ref().map(|c| c.as_str().to_owned()), hearing.crn.clone());
                prop_assert_eq!(line.first_name.as_str(), hearing.first_name.trim());
                prop_assert_eq!(line.last_name.as_str(), hearing.last_name.trim());
                prop_assert_eq!(line.date_of_birth, hearing.date_of_birth);
                prop_assert_eq!(line.sex, hearing.sex);
                prop_assert_eq!(line.offence.as_str(), hearing.offence.trim());
                prop_assert_eq!(line.offence_category, hearing.offence_category);
                prop_assert_eq!(line.offence_date, hearing.offence_date);
                prop_assert_eq!(line.report, hearing.report);
            }
        }

        /// A refused row is named by the row a spreadsheet shows it on, blank rows and cells of
        /// several lines included.
        #[test]
        fn a_refused_row_is_named_by_its_row_in_the_spreadsheet(
            hearings in prop::collection::vec(hearing(), 1..5),
            bad in any::<prop::sample::Index>(),
            blank in prop::collection::vec(0..3u8, 5),
        ) {
            let mut hearings = hearings;
            let bad = bad.index(hearings.len());
            hearings[bad].cells[1] = String::new();
            let order: Vec<usize> = (0..LIST_COLUMNS.len()).collect();
            let text = file(&order, &hearings, false, false, &blank);
            let errors = parse_list(&text, hearing_on()).unwrap_err();
            let expected = 2 + bad + blank[..=bad].iter().map(|&n| n as usize).sum::<usize>();
            prop_assert_eq!(errors.len(), 1, "{:?}", errors);
            prop_assert_eq!(errors[0].row, expected, "{}", text);
            prop_assert_eq!(&errors[0].column, "first_name");
        }
    }

    fn check_problems(text: &str) -> Result<(), TestCaseError> {
        // A spreadsheet has at most one row per line end (and one after the last).
        let rows = text.matches('\n').count() + 1;
        if let Err(errors) = parse_list(text, hearing_on()) {
            prop_assert!(!errors.is_empty());
            for error in &errors {
                prop_assert!((1..=rows).contains(&error.row), "{:?} of {}", error, rows);
                prop_assert!(
                    error.column.is_empty() || LIST_COLUMNS.contains(&error.column.as_str()),
                    "{:?}",
                    error
                );
                let place = format!("Row {}", error.row);
                prop_assert!(error.describe().starts_with(&place));
                prop_assert!(!error.message.is_empty());
            }
        }
        Ok(())
    }
}

mod predictor_inputs {
    use super::*;

    const OGRS3_FIELDS: [&str; 7] = [
        "sex",
        "date_of_birth",
        "conviction_date",
        "followup_start_date",
        "total_sanctions",
        "age_at_first_sanction",
        "offence_category",
    ];

    /// Any JSON value, nested a few levels.
    fn any_json() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>().prop_map(|x| json!(x)),
            awkward_text().prop_map(Json::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                prop::collection::vec((awkward_text(), inner), 0..6)
                    .prop_map(|pairs| Json::Object(pairs.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    /// An object with the given fields, each either a plausible value or anything at all.
    fn object_of(fields: &'static [&'static str], plausible: Json) -> impl Strategy<Value = Json> {
        let values: Vec<_> = fields
            .iter()
            .map(|field| {
                let good = plausible.get(*field).cloned().unwrap_or(Json::Null);
                prop::option::of(prop_oneof![3 => Just(good), 1 => any_json()])
            })
            .collect();
        values.prop_map(move |values| {
            Json::Object(
                fields
                    .iter()
                    .zip(values)
                    .filter_map(|(field, value)| value.map(|v| ((*field).to_owned(), v)))
                    .collect(),
            )
        })
    }

    fn good_ogrs3() -> Json {
        json!({
            "sex": "male",
            "date_of_birth": "1965-12-07",
            "conviction_date": "2025-05-13",
            "followup_start_date": "2026-12-12",
            "total_sanctions": 2,
            "age_at_first_sanction": 47,
            "offence_category": "soliciting",
        })
    }

    fn date_text() -> impl Strategy<Value = String> {
        (1..=9999i32, 1..=12u32, 1..=31u32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
    }

    proptest! {
        #![proptest_config(config(512))]

        /// Any JSON value: read without panicking; a refusal of an object names one of the seven
        /// fields, and anything else is refused as not an object.
        #[test]
        fn any_json_is_read_without_panicking_and_refusals_name_a_field(value in prop_oneof![any_json(), object_of(&OGRS3_FIELDS, good_ogrs3())]) {
            match ogrs3_inputs(&value) {
                Ok(inputs) => {
                    // Scoring what was read never panics either: a refusal names an input.
                    if let Err(error) = ogrs3(&inputs) {
                        prop_assert!(OGRS3_FIELDS.contains(&error.field()), "{}", error.field());
                    }
                }
                Err(InputsError::NotAnObject { kind }) => {
                    prop_assert!(!value.is_object(), "{}", kind);
                }
                Err(error @ InputsError::Field { .. }) => {
                    prop_assert!(value.is_object());
                    let field = error.field_name().unwrap();
                    prop_assert!(OGRS3_FIELDS.contains(&field), "{}", field);
                    prop_assert!(error.to_string().contains(field), "{}", error);
                }
            }
        }

        /// Every real combination of dates and counts is scored or refused naming an input; no
        /// combination panics (ages at the extremes, sanctions by the billion).
        #[test]
        fn any_well_formed_inputs_are_scored_or_refused_naming_an_input(
            sex in prop::sample::select(Sex::ALL.to_vec()),
            dates in (date_text(), date_text(), date_text()),
            total_sanctions in any::<u32>(),
            age_at_first_sanction in any::<u32>(),
            category in prop::sample::select(OffenceCategory::ALL.to_vec()),
        ) {
            let value = json!({
                "sex": sex.code(),
                "date_of_birth": dates.0,
                "conviction_date": dates.1,
                "followup_start_date": dates.2,
                "total_sanctions": total_sanctions,
                "age_at_first_sanction": age_at_first_sanction,
                "offence_category": category.code(),
            });
            match ogrs3_inputs(&value) {
                Ok(inputs) => match ogrs3(&inputs) {
                    Ok(score) => {
                        prop_assert!(score.one_year <= 100 && score.two_year <= 100);
                        prop_assert!(score.one_year <= score.two_year);
                    }
                    Err(error) => prop_assert!(OGRS3_FIELDS.contains(&error.field())),
                },
                // Only a day that does not exist (31 April) is refused, naming its field.
                Err(error) => {
                    let field = error.field_name().unwrap();
                    prop_assert!(field.ends_with("date") || field == "date_of_birth", "{}", error);
                    prop_assert!(error.to_string().contains("is not a real date"), "{}", error);
                }
            }
        }

        /// `predict tier`'s reader and rules: any object of its fields is tiered or refused
        /// naming one of them.
        #[test]
        fn any_tier_inputs_are_tiered_or_refused_naming_a_field(value in prop_oneof![any_json(), object_of(&TIER_FIELDS, tier_line())]) {
            match tier_answer(&value) {
                Ok(answer) => prop_assert!(!answer.single.is_empty()),
                Err(InputsError::NotAnObject { .. }) => prop_assert!(!value.is_object()),
                Err(error) => {
                    let field = error.field_name().unwrap();
                    prop_assert!(TIER_FIELDS.contains(&field), "{}", field);
                }
            }
        }
    }

    fn tier_line() -> Json {
        let mut object: Map<String, Json> = TIER_FIELDS
            .iter()
            .map(|field| ((*field).to_owned(), Json::Null))
            .collect();
        for (field, value) in [
            ("sex", json!("male")),
            ("non_restrictive_requirements", json!(true)),
            ("arp_percent", json!(10.0)),
            ("csrp_percent", json!(0.1)),
            ("arp_type", json!("dynamic")),
            ("csrp_type", json!("dynamic")),
            ("has_active_event", json!(true)),
            ("as_of", json!("2026-12-06")),
        ] {
            object.insert(field.to_owned(), value);
        }
        Json::Object(object)
    }
}
