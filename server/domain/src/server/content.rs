//! Loads `content/` once at start-up: course files and reference data.
//! Paths are fixed here, never built from user input.

use crate::{
    course::{Course, CourseFile, Module},
    jurisdiction::JurisdictionIndex,
};
use std::path::{Path, PathBuf};

/// The id of the 心のサポーター course in `content/courses/`.
pub const KOKORO_SUPPORTER_COURSE: &str = "kokoro-supporter";

/// All validated content.
#[derive(Debug)]
pub struct Content {
    pub kokoro_supporter: Course,
    pub jurisdictions: JurisdictionIndex,
}

/// Why content could not be loaded; the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum ContentLoadError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(transparent)]
    Course(#[from] crate::course::ContentError),
    #[error(transparent)]
    Reference(#[from] crate::jurisdiction::ReferenceDataError),
}

fn read(path: &Path) -> Result<String, ContentLoadError> {
    std::fs::read_to_string(path).map_err(|source| ContentLoadError::Read { path: path.to_owned(), source })
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ContentLoadError> {
    toml::from_str(&read(path)?).map_err(|e| ContentLoadError::Parse { path: path.to_owned(), message: e.to_string() })
}

impl Content {
    /// Loads and validates everything under `root` (the `content/` folder).
    ///
    /// # Errors
    /// The first file that cannot be read or parsed, or every problem the
    /// validators found.
    pub fn load(root: &Path) -> Result<Self, ContentLoadError> {
        let kokoro_supporter = load_course(&root.join("courses").join(KOKORO_SUPPORTER_COURSE))?;
        let jurisdictions_dir = root.join("jurisdictions");
        let jurisdictions = JurisdictionIndex::from_csv(
            &read(&jurisdictions_dir.join("local_government_codes.csv"))?,
            &read(&jurisdictions_dir.join("prefecture_population_2020.csv"))?,
        )?;
        Ok(Self { kokoro_supporter, jurisdictions })
    }

    /// The course a session teaches, by its `course_id`.
    #[must_use]
    pub fn course(&self, course_id: &str) -> Option<&Course> {
        (course_id == self.kokoro_supporter.id).then_some(&self.kokoro_supporter)
    }
}

/// Reads `course.toml` and every `modules/*.toml` of one course directory.
///
/// # Errors
/// As [`Content::load`].
pub fn load_course(dir: &Path) -> Result<Course, ContentLoadError> {
    let plan: CourseFile = parse_toml(&dir.join("course.toml"))?;
    let modules_dir = dir.join("modules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&modules_dir)
        .map_err(|source| ContentLoadError::Read { path: modules_dir.clone(), source })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let modules = paths.iter().map(|p| parse_toml::<Module>(p)).collect::<Result<Vec<_>, _>>()?;
    Ok(Course::assemble(plan, modules)?)
}
