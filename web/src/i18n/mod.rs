//! The two languages of the app, zh-CN and en: every string a user sees is here, in one
//! dictionary per part of the app so that each bundle carries only its own words: the
//! editor's ([`Msg`], `editor.rs`), the sun page's ([`Sn`], `sun.rs`), the consultation
//! pages' ([`M`], `consult.rs`), the committee's ([`Cm`], `committee.rs`) and what every page that talks to the server needs
//! ([`Common`], `common.rs`). One lookup reads them all: [`tr`], and [`fill`] / [`tr_n`] for
//! texts with `{placeholders}`. The tests check that every key has both languages and that
//! both have the same placeholders.
//!
//! Each dictionary is an enum and a table of (English, Chinese) pairs made by [`texts!`]:
//! a lookup is an index (a fluent bundle would add ~43 KB gzipped for plural rules Chinese
//! does not have). The language chosen is kept in `localStorage`.

use gloo::storage::{LocalStorage, Storage};
use plotwise_plan::Text;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese, the first language of most residents.
    ZhCn,
    /// English.
    En,
}

const STORAGE_KEY: &str = "plotwise.lang";

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and the language menu.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag; anything starting with `zh` is Chinese, `en` English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The saved choice, else the browser's language, else Chinese.
    pub fn initial() -> Lang {
        if let Some(lang) = LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .and_then(|t| Lang::from_tag(&t))
        {
            return lang;
        }
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .and_then(|t| Lang::from_tag(&t))
            .unwrap_or(Lang::ZhCn)
    }

    /// Saves the choice and sets `<html lang>` so screen readers and fonts follow it.
    pub fn apply(self) {
        // Storage can be full or disabled (private mode): the choice then lasts this visit.
        let _ = LocalStorage::set(STORAGE_KEY, self.tag());
        if let Some(html) = gloo::utils::document().document_element() {
            let _ = html.set_attribute("lang", self.tag());
        }
    }
}

/// The version of a bilingual text from crates/plan in `lang`.
pub fn pick(lang: Lang, text: &Text) -> &str {
    match lang {
        Lang::ZhCn => &text.zh,
        Lang::En => &text.en,
    }
}

/// A dictionary: an enum whose every key has an English and a Chinese text.
pub trait Texts: Copy + std::fmt::Debug + 'static {
    /// The (English, Chinese) texts of this key.
    fn texts(self) -> (&'static str, &'static str);
    /// Every key, for the tests.
    #[cfg(test)]
    fn all() -> &'static [Self];
}

/// Declares a dictionary: `enum Name { Key => ("English", "中文"), … }` becomes the enum and
/// its [`Texts`] as a table indexed by the key.
macro_rules! texts {
    ($(#[$meta:meta])* pub enum $name:ident { $($key:ident => ($en:expr, $zh:expr $(,)?)),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs, reason = "each variant names its text")]
        pub enum $name { $($key),* }

        impl $crate::i18n::Texts for $name {
            fn texts(self) -> (&'static str, &'static str) {
                const TABLE: &[(&str, &str)] = &[$(($en, $zh)),*];
                TABLE[self as usize]
            }
            #[cfg(test)]
            fn all() -> &'static [Self] {
                &[$($name::$key),*]
            }
        }
    };
}

mod committee;
mod common;
mod consult;
mod editor;
mod sun;

pub use committee::Cm;
pub use common::{Common, Nav};
pub use consult::M;
pub use editor::Msg;
pub use sun::Sn;

/// The text of `key` in `lang`.
pub fn tr<K: Texts>(lang: Lang, key: K) -> &'static str {
    let (en, zh) = key.texts();
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// The text of `key` in `lang` with each `{name}` replaced by its value.
pub fn fill<K: Texts>(lang: Lang, key: K, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut s = tr(lang, key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

/// The text of `key` in `lang` with `{n}` replaced by `n`.
pub fn tr_n<K: Texts>(lang: Lang, key: K, n: usize) -> String {
    fill(lang, key, &[("n", &n)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `{placeholders}` of a text.
    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            let after = &rest[i + 1..];
            match after.find('}') {
                Some(j) => {
                    out.insert(after[..j].to_owned());
                    rest = &after[j + 1..];
                }
                None => break,
            }
        }
        out
    }

    fn is_cjk(c: char) -> bool {
        matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    }

    /// Every key has an English and a Chinese text, the Chinese one in Chinese (or, for
    /// symbols and units, without Latin letters), with the same placeholders.
    fn check<K: Texts>(problems: &mut Vec<String>) {
        for &k in K::all() {
            let (en, zh) = k.texts();
            if en.trim().is_empty() || zh.trim().is_empty() {
                problems.push(format!("{k:?}: a language is empty ({en:?}, {zh:?})"));
            }
            let latin_only = zh.chars().any(|c| c.is_ascii_alphabetic()) && !zh.chars().any(is_cjk);
            if latin_only && zh != en {
                problems.push(format!("{k:?}: the Chinese text is not Chinese: {zh:?}"));
            }
            if en.chars().any(is_cjk) {
                problems.push(format!("{k:?}: the English text has Chinese in it: {en:?}"));
            }
            if placeholders(en) != placeholders(zh) {
                problems.push(format!(
                    "{k:?}: placeholders differ: {:?} in English, {:?} in Chinese",
                    placeholders(en),
                    placeholders(zh)
                ));
            }
        }
    }

    #[test]
    fn every_key_in_both_languages_with_the_same_placeholders() {
        let mut problems = vec![];
        check::<Msg>(&mut problems);
        check::<M>(&mut problems);
        check::<Cm>(&mut problems);
        check::<Sn>(&mut problems);
        check::<Common>(&mut problems);
        check::<Nav>(&mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn placeholders_are_filled_in_either_language() {
        assert_eq!(tr_n(Lang::En, M::ChoiceN, 2), "Choice 2");
        assert_eq!(tr_n(Lang::ZhCn, M::ChoiceN, 2), "第 2 选择");
        assert_eq!(
            placeholders("{a} and {b}"),
            ["a".to_owned(), "b".to_owned()].into()
        );
        assert_eq!(tr(Lang::ZhCn, Msg::Undo), "撤销");
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
