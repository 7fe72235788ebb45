//! Loads `content/` once at start-up: programmes, demo sessions and
//! reference data. Paths are fixed here, never built from user input.

use crate::store::entity::certificate;
use crate::{
    certificate::NumberPrefix,
    jurisdiction::{JurisdictionIndex, LocalGovCode},
    programme::{ContentError, Programme, ProgrammeFile, ProgrammeId, Unit, assemble},
    roles::Scope,
    service::DomainError,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Statement};
use serde::Deserialize;
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

/// All validated content.
#[derive(Debug)]
pub struct Content {
    /// In `certificate_code` order, which is the order they were founded in.
    programmes: Vec<Programme>,
    pub demo_sessions: Vec<DemoSession>,
    pub jurisdictions: JurisdictionIndex,
    /// Where to turn when things are hard (`content/safety/`).
    pub crisis_contacts: crate::safety::CrisisContacts,
}

/// One session of `demo/sessions.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSession {
    pub code: String,
    pub programme: ProgrammeId,
    pub electives: Vec<String>,
    pub title: String,
    pub implementing_body: String,
    pub venue: String,
    /// In person or live online.
    pub mode: crate::programme::DeliveryMode,
    /// 14:00 JST this many days after the server starts…
    #[serde(default)]
    pub days_from_today: Option<i64>,
    /// …or this many minutes from when it starts (negative: under way).
    #[serde(default)]
    pub starts_minutes_from_now: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    sessions: Vec<DemoSession>,
}

/// Why content could not be loaded; the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum ContentLoadError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(transparent)]
    Programme(#[from] ContentError),
    #[error(transparent)]
    Reference(#[from] crate::jurisdiction::ReferenceDataError),
    #[error("reading what the database holds: {0}")]
    Database(#[from] sea_orm::DbErr),
}

fn read(path: &Path) -> Result<String, ContentLoadError> {
    std::fs::read_to_string(path).map_err(|source| ContentLoadError::Read { path: path.to_owned(), source })
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ContentLoadError> {
    toml::from_str(&read(path)?).map_err(|e| ContentLoadError::Parse { path: path.to_owned(), message: e.to_string() })
}

/// The entries of a folder, sorted, keeping those `keep` accepts.
fn entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, ContentLoadError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| ContentLoadError::Read { path: dir.to_owned(), source })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| keep(path))
        .collect();
    paths.sort();
    Ok(paths)
}

impl Content {
    /// Loads and validates everything under `root` (the `content/` folder).
    ///
    /// # Errors
    /// The first file that cannot be read or parsed, or every problem the
    /// validators found.
    pub fn load(root: &Path) -> Result<Self, ContentLoadError> {
        let folders = entries(&root.join("programmes"), |p| p.is_dir())?;
        let mut programmes = folders.iter().map(|dir| load_programme(dir)).collect::<Result<Vec<_>, _>>()?;
        check_unique(&programmes)?;
        programmes.sort_by_key(|p| p.certificate_code);
        let jurisdictions_dir = root.join("jurisdictions");
        let jurisdictions = JurisdictionIndex::from_csv(
            &read(&jurisdictions_dir.join("local_government_codes.csv"))?,
            &read(&jurisdictions_dir.join("prefecture_population_2020.csv"))?,
        )?;
        let demo_path = root.join("demo").join("sessions.toml");
        let demo_sessions = parse_toml::<DemoFile>(&demo_path)?.sessions;
        let crisis_path = root.join("safety").join("crisis-contacts.toml");
        let crisis_contacts = parse_toml::<crate::safety::CrisisContacts>(&crisis_path)?;
        let problems = crisis_contacts.problems();
        if !problems.is_empty() {
            return Err(ContentError {
                problems: problems.into_iter().map(|p| format!("{}: {p}", crisis_path.display())).collect(),
            }
            .into());
        }
        let content = Self { programmes, demo_sessions, jurisdictions, crisis_contacts };
        content.check_demo_sessions(&demo_path)?;
        Ok(content)
    }

    /// Every programme, in the order they were founded.
    #[must_use]
    pub fn programmes(&self) -> &[Programme] {
        &self.programmes
    }

    #[must_use]
    pub fn programme(&self, id: &ProgrammeId) -> Option<&Programme> {
        self.programmes.iter().find(|p| &p.id == id)
    }

    /// The programme a certificate token's code names.
    #[must_use]
    pub fn programme_by_code(&self, code: u8) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.certificate_code == code)
    }

    /// The prefix of the programme a certificate code names.
    #[must_use]
    pub fn prefix_of(&self, code: u8) -> Option<NumberPrefix> {
        self.programme_by_code(code).map(|p| p.number_prefix)
    }

    /// "東京都" or "大阪府大阪市" for a stored 団体コード; the code itself if
    /// it names nothing (never an empty label).
    #[must_use]
    pub fn place_name(&self, code: &str) -> String {
        LocalGovCode::parse(code).map(|c| self.jurisdictions.full_name(c)).unwrap_or_else(|_| code.to_owned())
    }

    /// "東京都" for a prefecture's scope, "全国" for the nation.
    #[must_use]
    pub fn scope_name(&self, scope: Scope) -> String {
        match scope {
            Scope::National => "全国".to_owned(),
            Scope::Local(code) => self.jurisdictions.full_name(code),
        }
    }

    /// Parses a jurisdiction typed or chosen in a form: `national`, a code,
    /// or a full name ("東京都", "大阪府大阪市").
    ///
    /// # Errors
    /// A Japanese validation message.
    pub fn parse_scope(&self, input: &str) -> Result<Scope, DomainError> {
        let input = input.trim();
        if input.chars().count() > 40 || crate::text::find_hidden_character(input).is_some() {
            return Err(DomainError::validation("jurisdiction", "団体名か団体コードを正しく入力してください"));
        }
        if input == "national" || input == "全国" {
            return Ok(Scope::National);
        }
        let index = &self.jurisdictions;
        if let Ok(code) = LocalGovCode::parse(input) {
            return index
                .get(code)
                .map(|_| Scope::Local(code))
                .ok_or_else(|| DomainError::validation("jurisdiction", "その団体コードの自治体はありません"));
        }
        if let Some(prefecture) = index.prefectures().find(|p| p.name == input) {
            return Ok(Scope::Local(prefecture.code));
        }
        index
            .resolve_municipality(input)
            .map(Scope::Local)
            .map_err(|e| DomainError::validation("jurisdiction", e.to_string()))
    }

    /// Every programme the database names (sessions, certificates) is in
    /// content, and its certificates carry the `certificate_code` content
    /// gives it: a removed folder or a changed code would make every
    /// printed QR code of that programme look forged.
    ///
    /// # Errors
    /// A [`ContentError`] naming each mismatch; database errors.
    pub async fn check_stored(&self, db: &DatabaseConnection) -> Result<(), ContentLoadError> {
        let backend = db.get_database_backend();
        let names = "SELECT DISTINCT programme AS name FROM course_session \
                     UNION SELECT DISTINCT programme AS name FROM certificate";
        let mut problems = Vec::new();
        for row in db.query_all_raw(Statement::from_string(backend, names)).await? {
            let name: String = row.try_get("", "name")?;
            let Some(programme) = name.parse().ok().and_then(|id| self.programme(&id)) else {
                problems.push(format!(
                    "programmes/{name}/programme.toml: `id`: the database has sessions or certificates of `{name}`, \
                     but content has no such programme: restore its folder"
                ));
                continue;
            };
            let latest = certificate::Entity::find()
                .filter(certificate::Column::Programme.eq(programme.id.clone()))
                .order_by_desc(certificate::Column::Id)
                .one(db)
                .await?;
            let Some(token) = latest.map(|c| c.token) else { continue };
            let code = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok().and_then(|bytes| bytes.get(2).copied());
            if code != Some(programme.certificate_code) {
                problems.push(format!(
                    "programmes/{name}/programme.toml: `certificate_code`: is {}, but the certificates already \
                     issued carry {}: a code must never change",
                    programme.certificate_code,
                    code.map_or_else(|| "no readable code".to_owned(), |c| c.to_string()),
                ));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(ContentError { problems }.into()) }
    }

    fn check_demo_sessions(&self, path: &Path) -> Result<(), ContentError> {
        let file = path.display();
        let mut problems = Vec::new();
        for session in &self.demo_sessions {
            let code = &session.code;
            match self.programme(&session.programme) {
                None => {
                    problems.push(format!("{file}: `programme`: session {code}: no programme `{}`", session.programme))
                }
                Some(programme) => {
                    let chosen: Vec<&str> = session.electives.iter().map(String::as_str).collect();
                    if programme.plan_for(&chosen).is_none() || chosen.len() != programme.elective_groups.len() {
                        problems
                            .push(format!("{file}: `electives`: session {code}: choose one unit per elective group"));
                    }
                }
            }
            if session.days_from_today.is_some() == session.starts_minutes_from_now.is_some() {
                problems.push(format!(
                    "{file}: `days_from_today`: session {code}: give it or `starts_minutes_from_now`, not both"
                ));
            }
            if !session.mode.is_live() {
                problems.push(format!("{file}: `mode`: session {code}: a session part is in_person or live_online"));
            }
            if !LocalGovCode::parse(&session.implementing_body).is_ok_and(|c| self.jurisdictions.get(c).is_some()) {
                problems.push(format!("{file}: `implementing_body`: session {code}: not a known 団体コード"));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(ContentError { problems }) }
    }
}

/// Ids, certificate codes and number prefixes are unique across programmes,
/// and exactly one programme carries the national target (the home page and
/// the national count are about it).
fn check_unique(programmes: &[Programme]) -> Result<(), ContentError> {
    let mut problems = Vec::new();
    let targets: Vec<&str> = programmes.iter().filter(|p| p.national_target.is_some()).map(|p| p.id.as_str()).collect();
    if targets.len() != 1 {
        problems.push(format!(
            "programmes/*/programme.toml: `national_target`: exactly one programme must have one, found {} ({})",
            targets.len(),
            targets.join(", ")
        ));
    }
    let mut codes: HashMap<u8, &ProgrammeId> = HashMap::new();
    let mut prefixes: HashMap<NumberPrefix, &ProgrammeId> = HashMap::new();
    for programme in programmes {
        let id = &programme.id;
        if let Some(other) = codes.insert(programme.certificate_code, id) {
            problems.push(format!(
                "programmes/{id}/programme.toml: `certificate_code`: {} is already used by `{other}`",
                programme.certificate_code
            ));
        }
        if let Some(other) = prefixes.insert(programme.number_prefix, id) {
            problems.push(format!(
                "programmes/{id}/programme.toml: `number_prefix`: {} is already used by `{other}`",
                programme.number_prefix.as_str()
            ));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ContentError { problems }) }
}

/// Reads `programme.toml` and every `units/*.toml` of one programme folder.
///
/// # Errors
/// As [`Content::load`].
pub fn load_programme(dir: &Path) -> Result<Programme, ContentLoadError> {
    let plan_path = dir.join("programme.toml");
    let plan: ProgrammeFile = parse_toml(&plan_path)?;
    let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if plan.id.as_str() != folder {
        return Err(ContentError {
            problems: vec![format!(
                "{}: `id`: is `{}`, but the folder is `{folder}`: they must be the same",
                plan_path.display(),
                plan.id
            )],
        }
        .into());
    }
    let unit_paths = entries(&dir.join("units"), |p| p.extension().is_some_and(|e| e == "toml"))?;
    let units = unit_paths
        .iter()
        .map(|path| Ok((path.display().to_string(), parse_toml::<Unit>(path)?)))
        .collect::<Result<Vec<_>, ContentLoadError>>()?;
    Ok(assemble(plan, &plan_path.display().to_string(), units)?)
}
