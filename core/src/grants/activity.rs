//! What kind of activity an application is for: a code (`workplace_visit`)
//! that the window shows in the reader's language. The CLI and the window
//! may both hand over a name as people write it ("workplace visit",
//! "Arbetsplatsbesök"); it is kept as its code, so every language shows it
//! translated. Anything else is kept as written.

/// The codes with their names in Swedish, Danish, Norwegian and English
/// (as `ui/i18n/*.json` `grants.activity.<code>` write them; a test keeps
/// the two the same).
pub const ACTIVITIES: &[(&str, &[&str])] = &[
    ("talk", &["Föredrag", "Foredrag", "Talk"]),
    ("workshop", &["Workshop", "Verksted"]),
    (
        "network_meeting",
        &[
            "Nätverksträff",
            "Netværksmøde",
            "Nettverksmøte",
            "Network meeting",
        ],
    ),
    (
        "workplace_visit",
        &[
            "Arbetsplatsbesök",
            "Arbejdspladsbesøg",
            "Arbeidsplassbesøk",
            "Workplace visit",
        ],
    ),
    ("course", &["Kurs", "Kursus", "Course"]),
    ("other", &["Annat", "Andet", "Annet", "Other"]),
];

/// `written` as its activity code when it is a code or one of the names (any
/// case; `_`, `-` and spaces alike), else as written (trimmed).
pub fn activity_code(written: &str) -> String {
    let fold = |s: &str| {
        s.trim()
            .to_lowercase()
            .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let f = fold(written);
    ACTIVITIES
        .iter()
        .find(|(code, names)| fold(code) == f || names.iter().any(|n| fold(n) == f))
        .map(|(code, _)| (*code).to_owned())
        .unwrap_or_else(|| written.trim().to_owned())
}
