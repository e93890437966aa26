//! What any text the system stores may hold, decided once for every field of every record, every
//! query parameter and every imported cell.
//!
//! Refused: the C0 control characters except tab, line feed and carriage return (so U+0000 NUL,
//! which PostgreSQL cannot store in `text` at all, and the escape and bell characters that no
//! keyboard types), DEL (U+007F) and the C1 controls (U+0080–U+009F). Everything else — every
//! printable character of every script, emoji, and the three whitespace controls a typed
//! multi-line note holds — is accepted. One rule for all fields: a name with a line break is
//! wrong, but it is a field's own rule (its validation) that says so, not the storage rule.

/// Longest free text (a description, a note, remarks) in characters.
pub const MAX_FREE_TEXT: usize = 2000;

/// Longest one-line text (a name, an address, a person or company) in characters.
pub const MAX_SHORT_TEXT: usize = 200;

/// Whether a character may appear in stored text.
pub fn allowed_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The first character text may not hold, if any.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars().find(|c| !allowed_char(*c))
}

/// Why a text is refused, for a problem's detail: `control character U+0000 is not allowed`.
pub fn refusal(c: char) -> String {
    format!("control character U+{:04X} is not allowed", c as u32)
}

/// The text with each character it may not hold written as `\u{XXXX}` (for echoing input back,
/// e.g. in an error's detail, without the character itself).
pub fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if forbidden_char(s).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| if allowed_char(c) { c.to_string() } else { format!("\\u{{{:04X}}}", c as u32) })
        .collect::<String>()
        .into()
}

/// `Ok` when the text holds only allowed characters; else the refusal.
pub fn check(s: &str) -> Result<(), String> {
    match forbidden_char(s) {
        Some(c) => Err(refusal(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_controls_and_every_script_pass() {
        for ok in
            ["", "东街村 12 号", "line one\nline two\r\n\tindented", "🔥 emoji", "ÀÉ ß ø", "\u{a0}nbsp", "\u{200b}"]
        {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn each_boundary_of_the_refused_ranges() {
        for c in ['\u{0}', '\u{8}', '\u{b}', '\u{c}', '\u{e}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}'] {
            assert!(!allowed_char(c), "{:04X}", c as u32);
        }
        for c in ['\t', '\n', '\r', ' ', '~', '\u{a0}', 'a', '中'] {
            assert!(allowed_char(c), "{:04X}", c as u32);
        }
    }

    #[test]
    fn escaped_text_holds_no_refused_character() {
        assert_eq!(escaped("location.\u{84}x"), "location.\\u{0084}x");
        assert!(matches!(escaped("fine\n"), std::borrow::Cow::Borrowed("fine\n")));
        assert_eq!(check(&escaped("\u{0}\u{1b}\u{9f}")), Ok(()));
    }

    #[test]
    fn the_refusal_names_the_first_bad_character() {
        assert_eq!(forbidden_char("ab\u{0}cd\u{1b}"), Some('\u{0}'));
        assert_eq!(check("ab\u{0}cd").unwrap_err(), "control character U+0000 is not allowed");
        assert_eq!(refusal('\u{9f}'), "control character U+009F is not allowed");
    }
}
