//! How the organisation's letters look: the envelope window and its
//! offsets, the contact line, the logo.

use serde::{Deserialize, Serialize};

use super::layout::PRESETS;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::Store;
use crate::validate::{text_problem, Lines};

/// How the organisation's letters are laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LetterSettings {
    /// One of [`PRESETS`].
    pub window: String,
    /// Fine offsets of the address, mm (right, down).
    pub offset_x: f32,
    pub offset_y: f32,
    /// E-mail, phone, web: printed in the letterhead and footer.
    pub contact: String,
}

impl Default for LetterSettings {
    fn default() -> Self {
        LetterSettings {
            window: "se_right".to_owned(),
            offset_x: 0.0,
            offset_y: 0.0,
            contact: String::new(),
        }
    }
}

const SET_LETTERS: &str = "letter_settings";
const LOGO: &str = "logo";
/// Offsets beyond this are a mistake, not a fine adjustment.
const MAX_OFFSET: f32 = 30.0;

/// `offsetX` / `offsetY` refused when not a number of mm within ±30.
pub(super) fn offset_errors(x: f32, y: f32) -> Vec<FieldError> {
    [("offsetX", x), ("offsetY", y)]
        .into_iter()
        .filter(|(_, v)| !v.is_finite() || v.abs() > MAX_OFFSET)
        .map(|(field, _)| FieldError::new(field, FieldCode::InvalidNumber))
        .collect()
}

/// The organisation's letter settings; the default window follows its
/// country.
pub fn settings(reg: &dyn Store) -> Result<LetterSettings> {
    if let Some(s) = reg
        .setting(SET_LETTERS)?
        .and_then(|s| serde_json::from_str::<LetterSettings>(&s).ok())
    {
        return Ok(s);
    }
    let window = match reg.org()?.map(|o| o.country.as_str()) {
        Some("DK") => "dk_left",
        Some("NO") => "no_left",
        _ => "se_right",
    };
    Ok(LetterSettings {
        window: window.to_owned(),
        ..LetterSettings::default()
    })
}

pub fn set_settings(reg: &mut dyn Store, s: &LetterSettings) -> Result<LetterSettings> {
    let mut errors = Vec::new();
    if !PRESETS.iter().any(|(id, _)| *id == s.window) {
        errors.push(FieldError::new("window", FieldCode::InvalidChoice));
    }
    errors.extend(offset_errors(s.offset_x, s.offset_y));
    if let Some(code) = text_problem(&s.contact, 200, Lines::One) {
        errors.push(FieldError::new("contact", code));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let s = LetterSettings {
        contact: s.contact.trim().to_owned(),
        ..s.clone()
    };
    let work = reg.begin()?;
    work.put_setting(SET_LETTERS, &serde_json::to_string(&s).unwrap_or_default())?;
    work.commit()?;
    Ok(s)
}

/// Sets the logo from the PNG or JPEG file at `path`, or removes it
/// (`None`); a file over 2 MB is refused before it is read.
pub fn set_logo_file(reg: &mut dyn Store, path: Option<&std::path::Path>) -> Result<()> {
    let bytes = match path {
        None => None,
        Some(p) => Some(
            crate::atomic_file::read_at_most(p, MAX_LOGO)
                .ok()
                .flatten()
                .ok_or(Error::field("logo", FieldCode::InvalidChoice))?,
        ),
    };
    set_logo(reg, bytes.as_deref())
}

/// The largest logo, in bytes.
pub const MAX_LOGO: usize = 2_000_000;

/// Sets (or with `None` removes) the logo: a PNG or JPEG of at most 2 MB.
pub fn set_logo(reg: &mut dyn Store, bytes: Option<&[u8]>) -> Result<()> {
    if let Some(b) = bytes {
        if b.len() > MAX_LOGO || decode_logo(b).is_none() {
            return Err(Error::field("logo", FieldCode::InvalidChoice));
        }
    }
    let work = reg.begin()?;
    work.letter_writes().put_file(LOGO, bytes)?;
    work.commit()
}

/// Has the organisation a logo?
pub fn has_logo(reg: &dyn Store) -> Result<bool> {
    reg.letters().has_file(LOGO)
}

pub(super) fn logo(reg: &dyn Store) -> Result<Option<printpdf::RawImage>> {
    Ok(reg.letters().file(LOGO)?.as_deref().and_then(decode_logo))
}

pub(super) fn decode_logo(bytes: &[u8]) -> Option<printpdf::RawImage> {
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_png && !is_jpeg {
        return None;
    }
    printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new()).ok()
}
