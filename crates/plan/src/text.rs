//! Bilingual text: every string a user sees exists in English and Simplified Chinese.

use serde::{Deserialize, Serialize};

/// A user-facing text in English and Simplified Chinese (`zh-CN`).
///
/// Serialised as `{"en": …, "zh-CN": …}`, the shape of `message` in `plotwise check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh: String,
}

impl Text {
    /// A text from its English and Chinese versions.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }
}
