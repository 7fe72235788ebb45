//! Where to turn when things are hard: the crisis and consultation contacts
//! of `content/safety/crisis-contacts.toml`, one list shown wherever a
//! learner may need it (the footer's 「つらくなったら」 link, the course page,
//! the certificate page, `/help`). Every contact names the page its number
//! and hours were confirmed against and the date; start-up refuses one that
//! does not.

use serde::{Deserialize, Serialize};

/// Whom a contact is for, in the order the list shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactSection {
    /// 119 / 110: life in danger now.
    Emergency,
    Adult,
    /// Children and young people.
    Youth,
}

/// A further page used for part of an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsoChecked {
    pub url: String,
    pub title: String,
}

/// One contact, as the file gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisContact {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub hours: String,
    pub for_whom: String,
    pub section: ContactSection,
    #[serde(default)]
    pub note: Option<String>,
    /// A kind of local service with no national number.
    #[serde(default)]
    pub local: bool,
    pub source_url: String,
    pub source_title: String,
    /// `YYYY-MM-DD`: when the number and hours were confirmed in the source.
    pub checked_on: String,
    #[serde(default)]
    pub also_checked: Vec<AlsoChecked>,
}

impl CrisisContact {
    /// `tel:` link for the number (digits only).
    #[must_use]
    pub fn tel(&self) -> Option<String> {
        self.number.as_ref().map(|n| format!("tel:{}", n.chars().filter(char::is_ascii_digit).collect::<String>()))
    }
}

/// The whole list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisContacts {
    pub title: String,
    pub lead: String,
    pub change_notice: String,
    pub checked_on: String,
    pub contacts: Vec<CrisisContact>,
}

impl CrisisContacts {
    /// What is wrong with the list, one line per problem (empty: fine).
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let is_date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
        if !is_date(&self.checked_on) {
            problems.push(format!("`checked_on`: `{}` is not a date (YYYY-MM-DD)", self.checked_on));
        }
        for section in [ContactSection::Emergency, ContactSection::Adult, ContactSection::Youth] {
            if !self.contacts.iter().any(|c| c.section == section) {
                problems.push(format!("no contact in section {section:?}"));
            }
        }
        for (i, contact) in self.contacts.iter().enumerate() {
            let at = format!("contacts[{i}] `{}`", contact.id);
            if self.contacts.iter().filter(|c| c.id == contact.id).count() > 1 {
                problems.push(format!("{at}: the id is used twice"));
            }
            if contact.number.is_none() && contact.url.is_none() && !contact.local {
                problems.push(format!("{at}: a number or a url is needed (or `local = true`)"));
            }
            if let Some(number) = &contact.number
                && (number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '-'))
            {
                problems.push(format!("{at}: `number` `{number}` must be digits and hyphens"));
            }
            for url in contact.url.iter().chain(std::iter::once(&contact.source_url)) {
                if !url.starts_with("https://") && !url.starts_with("http://") {
                    problems.push(format!("{at}: `{url}` is not a web address"));
                }
            }
            if contact.source_title.trim().is_empty() {
                problems.push(format!("{at}: `source_title` is empty: say which page confirmed it"));
            }
            if !is_date(&contact.checked_on) {
                problems.push(format!("{at}: `checked_on` `{}` is not a date (YYYY-MM-DD)", contact.checked_on));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(id: &str, section: ContactSection) -> CrisisContact {
        CrisisContact {
            id: id.to_owned(),
            name: "窓口".into(),
            number: Some("0120-000-000".into()),
            url: None,
            hours: "24時間".into(),
            for_whom: "だれでも".into(),
            section,
            note: None,
            local: false,
            source_url: "https://example.go.jp/".into(),
            source_title: "確認したページ".into(),
            checked_on: "2026-11-25".into(),
            also_checked: Vec::new(),
        }
    }

    #[test]
    fn a_contact_without_a_source_date_or_number_is_refused() {
        let mut list = CrisisContacts {
            title: "相談先".into(),
            lead: String::new(),
            change_notice: String::new(),
            checked_on: "2026-11-25".into(),
            contacts: vec![
                contact("a", ContactSection::Emergency),
                contact("b", ContactSection::Adult),
                contact("c", ContactSection::Youth),
            ],
        };
        assert!(list.problems().is_empty(), "{:?}", list.problems());
        list.contacts[1].checked_on = "いつか".into();
        list.contacts[2].number = None;
        list.contacts[0].source_title = " ".into();
        let problems = list.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(contact("x", ContactSection::Adult).tel().as_deref(), Some("tel:0120000000"));
    }
}
