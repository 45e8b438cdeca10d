//! Words for people: every role clicks through the pages it can reach, as a new user would, and
//! no page answers with an error or shows a code, an enum name, a debug dump or a date that is not
//! in GOV.UK style. The rule versions and identifiers behind a number belong on its "how it was
//! worked out" page, in words there too.

use crate::support::{Session, TestApp};
use keepsafe_domain::staff::Grade;
use std::collections::{BTreeSet, HashSet, VecDeque};

/// Pages of one shape (the same path with a different CRN or id) say the same things, so each
/// shape is visited once; a role's walk stops after this many pages.
const PAGES_PER_ROLE: usize = 90;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_any_role_reaches_shows_codes_debug_text_or_machine_dates() {
    let app = TestApp::sqlite();
    let mut problems = Vec::new();
    let mut visited = 0;
    for grade in [
        Grade::ProbationOfficer,
        Grade::ProbationServiceOfficer,
        Grade::SeniorProbationOfficer,
        Grade::HeadOfPdu,
        Grade::VictimLiaisonOfficer,
        Grade::QualityInspection,
        Grade::Administrator,
        Grade::PartnerUser,
    ] {
        let session = app.sign_in_as(grade).await;
        let walk = walk(&app, &session).await;
        visited += walk.pages;
        problems.extend(
            walk.problems
                .into_iter()
                .map(|problem| format!("{grade:?}: {problem}")),
        );
    }
    assert!(visited > 100, "the walk reached {visited} pages");
    assert!(
        problems.is_empty(),
        "{} problem(s) on pages people reach:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_template_makes_a_possessive_of_a_name_it_does_not_know() {
    // "Midchester and the Wolds's ratings": a name filled in later cannot be given an
    // apostrophe correctly, so templates say "ratings for Midchester and the Wolds" instead.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut found = Vec::new();
    for path in templates(std::path::Path::new(root)) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.contains("}}'s") || line.contains("}}’s") {
                found.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "possessives of names:\n{}",
        found.join("\n")
    );
}

fn templates(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(templates(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    found
}

struct Walk {
    pages: usize,
    problems: Vec<String>,
}

/// Breadth first from the role's start page, following every link within the service that a
/// GET can open (not downloads, feeds or signing out).
async fn walk(app: &TestApp, session: &Session) -> Walk {
    let mut queue = VecDeque::from([String::from("/")]);
    let mut shapes = HashSet::new();
    let mut problems = Vec::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if pages >= PAGES_PER_ROLE {
            break;
        }
        if !shapes.insert(shape(&path)) {
            continue;
        }
        let mut page = app.get(&path, Some(session)).await;
        let mut at = path.clone();
        for _ in 0..3 {
            match page.location() {
                Some(next) if page.status.is_redirection() => {
                    at = next.to_owned();
                    page = app.get(&at, Some(session)).await;
                }
                _ => break,
            }
        }
        pages += 1;
        if page.status.is_server_error() {
            problems.push(format!("{at}: answered {}", page.status));
            continue;
        }
        let is_html = page
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        for problem in wording_problems(&visible_text(&page.body)) {
            problems.push(format!("{at}: {problem}"));
        }
        if is_form_page(&page.body) && !page.body.contains("govuk-back-link") {
            problems.push(format!("{at}: a form page without a back link"));
        }
        for link in links(&page.body) {
            if followable(&link) {
                queue.push_back(link);
            }
        }
    }
    Walk { pages, problems }
}

/// A path with its identifiers replaced: `/cases/M123456/checks/…` → `/cases/*/checks/*`.
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| {
            let identifier = segment.chars().any(|c| c.is_ascii_digit())
                || segment.len() >= 32
                || segment.chars().all(|c| c.is_ascii_uppercase() || c == '-')
                    && !segment.is_empty();
            if identifier {
                "*"
            } else {
                segment
            }
        })
        .collect();
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(key, _)| key))
        .filter(|key| *key != "page")
        .collect();
    format!(
        "{}?{}",
        segments.join("/"),
        keys.into_iter().collect::<Vec<_>>().join("&")
    )
}

/// A page with a form to fill in: a form that posts (not signing out or in) and asks for more
/// than a button press.
fn is_form_page(html: &str) -> bool {
    html.split("<form").skip(1).any(|rest| {
        let form = rest.split("</form>").next().unwrap_or_default();
        let tag = form.split('>').next().unwrap_or_default();
        tag.contains("method=\"post\"")
            && !tag.contains("/sign-out")
            && !tag.contains("/sign-in")
            && [
                "govuk-input",
                "govuk-textarea",
                "govuk-radios",
                "govuk-select",
                "govuk-checkboxes",
            ]
            .iter()
            .any(|field| form.contains(field))
    })
}

fn followable(link: &str) -> bool {
    link.starts_with('/')
        && !link.starts_with("//")
        && !["/sign-out", "/assets/", "/calendar/", "/api/", "/health"]
            .iter()
            .any(|prefix| link.starts_with(prefix))
        && ![".ics", ".csv", ".json", "/download", "/attachments/"]
            .iter()
            .any(|part| link.contains(part))
}

fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(link, _)| decode(link)))
        .map(|link| link.split('#').next().unwrap_or_default().to_owned())
        .filter(|link| !link.is_empty())
        .collect()
}

/// The text a person reads: tags, scripts, styles and attribute values left out.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let after = &rest[start..];
        let skip_to = ["script", "style", "svg:metadata"]
            .iter()
            .find(|tag| after[1..].starts_with(*tag))
            .and_then(|tag| {
                after
                    .find(&format!("</{tag}>"))
                    .map(|end| end + tag.len() + 3)
            });
        let end = skip_to.or_else(|| after.find('>').map(|end| end + 1));
        match end {
            Some(end) => rest = &after[end..],
            None => {
                rest = "";
                break;
            }
        }
    }
    text.push_str(rest);
    decode(&text)
}

fn decode(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

/// What a person should never have to read.
fn wording_problems(text: &str) -> Vec<String> {
    let mut problems = BTreeSet::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, raw) in words.iter().enumerate() {
        let context = words[i.saturating_sub(6)..(i + 4).min(words.len())].join(" ");
        let word = raw.trim_matches(|c: char| ",;:()[]\"'“”‘’!?".contains(c));
        let word = word.strip_suffix('.').unwrap_or(word);
        if is_snake_case(word) {
            problems.insert(format!("a code \"{word}\" in “{context}”"));
        }
        if is_dotted_code(word) {
            problems.insert(format!("an identifier \"{word}\" in “{context}”"));
        }
        if is_machine_date(word) {
            problems.insert(format!(
                "a date not in GOV.UK style \"{word}\" in “{context}”"
            ));
        }
        if raw.starts_with("Some(") || raw.starts_with("Ok(") || raw.starts_with("Err(") {
            problems.insert(format!("debug text \"{raw}\" in “{context}”"));
        }
        if *raw == "{" && i > 0 && words.get(i + 1).is_some_and(|next| next.ends_with(':')) {
            problems.insert(format!(
                "debug text \"{} {{ {}\"",
                words[i - 1],
                words[i + 1]
            ));
        }
    }
    problems.into_iter().collect()
}

/// `burglary_domestic`, `head_of_pdu`: an enum's code rather than its words.
fn is_snake_case(word: &str) -> bool {
    word.contains('_')
        && !word.starts_with('_')
        && !word.ends_with('_')
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `2.1.safe`: a key question's code.
fn is_dotted_code(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && !parts[0].is_empty()
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && !parts[1].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_lowercase())
        && !parts[2].is_empty()
}

/// `2026-12-02` or `02/12/2026`.
fn is_machine_date(word: &str) -> bool {
    let iso = word.len() >= 10
        && word.as_bytes()[4] == b'-'
        && word.as_bytes()[7] == b'-'
        && word[..4].chars().all(|c| c.is_ascii_digit())
        && word[5..7].chars().all(|c| c.is_ascii_digit())
        && word[8..10].chars().all(|c| c.is_ascii_digit());
    let slashed = word.split('/').count() == 3
        && word
            .split('/')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    iso || slashed
}
