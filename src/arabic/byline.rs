//! Bylines that agree in gender: «كتب محمد …» / «كتبت سارة …».
//!
//! Arabic news bylines open with the verb «كتب» ("wrote"), which agrees with the author's gender.
//! A verb before its subject stays singular in Arabic, so several authors take «كتبت» only when
//! all of them are women, and «كتب» otherwise (the masculine is the grammatical default for
//! mixed groups and for authors whose gender the site did not record). Names are joined with
//! the conjunction «و», written attached to the name it introduces.

use serde::Deserialize;

use super::script::is_arabic_letter;

/// An author's grammatical gender, as recorded in `data/authors.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Masculine: «كتب».
    Male,
    /// Feminine: «كتبت».
    Female,
}

/// The byline verb for authors of the given genders (`None` = not recorded): «كتبت» if there is
/// at least one author and all are female, «كتب» otherwise.
pub fn verb(genders: &[Option<Gender>]) -> &'static str {
    let all_female =
        !genders.is_empty() && genders.iter().all(|gender| *gender == Some(Gender::Female));
    if all_female { "كتبت" } else { "كتب" }
}

/// Joins author names the Arabic way: «أحمد»، «أحمد وسارة»، «أحمد وسارة ومنى». Names are
/// trimmed and empty ones skipped. «و» is attached to an Arabic name; before a name that starts
/// with a Latin letter or a digit it is followed by a space («سارة و John Smith»), since a
/// joining letter cannot attach to Latin script.
pub fn join_names(names: &[&str]) -> String {
    let mut joined = String::new();
    for name in names.iter().map(|name| name.trim()).filter(|name| !name.is_empty()) {
        if !joined.is_empty() {
            let attaches = name.chars().next().is_some_and(is_arabic_letter);
            joined.push_str(if attaches { " و" } else { " و " });
        }
        joined.push_str(name);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(genders: &[Option<Gender>], expect: &str) {
        assert_eq!(verb(genders), expect, "genders: {genders:?}");
    }

    #[test]
    fn verbs() {
        use Gender::{Female, Male};
        check(&[Some(Male)], "كتب");
        check(&[Some(Female)], "كتبت");
        check(&[Some(Female), Some(Female)], "كتبت");
        check(&[Some(Female), Some(Male)], "كتب");
        check(&[Some(Male), Some(Female), Some(Female)], "كتب");
        check(&[None], "كتب");
        check(&[Some(Female), None], "كتب");
        check(&[], "كتب");
    }

    #[track_caller]
    fn check_join(names: &[&str], expect: &str) {
        assert_eq!(join_names(names), expect, "names: {names:?}");
    }

    #[test]
    fn joins() {
        check_join(&["محمد علي"], "محمد علي");
        check_join(&["أحمد", "سارة"], "أحمد وسارة");
        check_join(&["أحمد", "سارة", "منى"], "أحمد وسارة ومنى");
        check_join(&["إيمان", "عمر"], "إيمان وعمر");
        check_join(&["سارة", "John Smith"], "سارة و John Smith");
        check_join(&[" هدى ", "", "  "], "هدى");
        check_join(&[], "");
    }
}
