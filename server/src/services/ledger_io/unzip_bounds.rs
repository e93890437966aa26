//! What an uploaded XLSX may unpack to, checked before calamine parses it. An XLSX is a zip of XML
//! parts, and deflate packs one repeated character about 1,000 to 1: a 511 KiB upload can hold a
//! 512 MiB shared string, which calamine builds in memory (1.5 GiB resident, measured). Each part is
//! inflated here into a counting sink, so nothing unpacked is held, and refused past a limit.
//!
//! The limits are sized from the largest file an import accepts, 5,010 rows (5,000 and a title) by
//! the 11 ledger columns: written by rust_xlsxwriter with 30 Chinese characters in every cell, its
//! shared strings unpack to 5.6 MiB and its sheet to 2.0 MiB (test `a_full_ledger_is_within_bounds`).

use crate::error::AppError;
use std::io::{self, Read, Write};
use xunjian_shared::ErrorCode;

const MIB: u64 = 1024 * 1024;
/// What one part may unpack to: about three times the shared strings of the largest ledger we accept.
pub const MAX_PART_BYTES: u64 = 16 * MIB;
/// What the whole workbook may unpack to: three times the largest ledger (7.6 MiB in all). The worst
/// file found within the bounds (15.5 MiB of one-letter shared strings and one 8 MiB cell) peaks some
/// 75 MiB above the server's idle memory (`scripts/xlsx-bomb worst`, measured by scripts/smoke-cli).
pub const MAX_WORKBOOK_BYTES: u64 = 24 * MIB;
/// Parts in a workbook: Excel writes about a dozen for one sheet.
pub const MAX_PARTS: usize = 1_000;
/// The shared strings a workbook may announce (`<sst uniqueCount="…">`). calamine reserves room for
/// that many before reading one, so a count of 10^11 in a 2 KiB file aborts the server; a sheet we
/// read holds at most 5,010 × 64 cells.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;

fn unreadable(e: impl std::fmt::Display) -> AppError {
    AppError::validation("file", format!("not a readable XLSX file ({e})"))
}

fn too_big(what: impl std::fmt::Display) -> AppError {
    AppError::with_detail(
        ErrorCode::PayloadTooLarge,
        format!(
            "file: {what}; an XLSX is read if it unpacks to at most {} MiB, {} MiB in one part",
            MAX_WORKBOOK_BYTES / MIB,
            MAX_PART_BYTES / MIB
        ),
    )
}

/// Refuses a workbook that unpacks to more than the limits above, or announces more shared strings,
/// without holding what it unpacks to.
pub fn check(bytes: &[u8]) -> Result<(), AppError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(AppError::validation(
            "file",
            "an encrypted workbook or an old .xls file; save it as .xlsx without a password, or as .csv",
        ));
    }
    // Every XLSX starts with a part; this also keeps calamine from parsing a prefix as another format.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(unreadable("not a zip file"));
    }
    let mut zip = zip::ZipArchive::new(io::Cursor::new(bytes)).map_err(unreadable)?;
    if zip.len() > MAX_PARTS {
        return Err(AppError::validation("file", format!("more than {MAX_PARTS} parts in the XLSX")));
    }
    // Two parts of one name would let the one counted differ from the one parsed.
    if zip.has_duplicate_names() {
        return Err(unreadable("two parts of the same name"));
    }
    if let Some(n) = zip.decompressed_size().filter(|n| *n > u128::from(MAX_WORKBOOK_BYTES)) {
        return Err(too_big(format_args!("the XLSX unpacks to {} MiB", n >> 20)));
    }
    let mut total = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(unreadable)?;
        if part.size() > MAX_PART_BYTES {
            return Err(too_big(format_args!("a part of the XLSX unpacks to {} MiB", part.size() / MIB)));
        }
        // Declared sizes can lie (zip 9 also stops at the declared size, but that is its detail, not
        // our bound): what inflates is counted, up to one byte past what is left.
        let room = MAX_PART_BYTES.min(MAX_WORKBOOK_BYTES - total);
        let name = part.name().map(|n| n.replace('\\', "/").to_ascii_lowercase()).unwrap_or_default();
        let mut sink = Sink { scan: name.ends_with("sharedstrings.xml").then(CountScan::default) };
        let n = io::copy(&mut (&mut part).take(room + 1), &mut sink).map_err(unreadable)?;
        if n > room {
            return Err(too_big(if room == MAX_PART_BYTES {
                format!("a part of the XLSX unpacks to more than {} MiB", MAX_PART_BYTES / MIB)
            } else {
                format!("the XLSX unpacks to more than {} MiB", MAX_WORKBOOK_BYTES / MIB)
            }));
        }
        total += n;
        if let Some(count) = sink.scan.map(CountScan::largest).filter(|n| *n > MAX_SHARED_STRINGS) {
            return Err(AppError::validation(
                "file",
                format!("the XLSX announces {count} shared strings; at most {MAX_SHARED_STRINGS} are read"),
            ));
        }
    }
    Ok(())
}

/// Discards what is written to it, watching the shared strings part for its announced count.
struct Sink {
    scan: Option<CountScan>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(scan) = &mut self.scan {
            scan.feed(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

const NAME: &[u8; 11] = b"uniqueCount";
/// The last 11 bytes seen, as a number, equal this when they are `uniqueCount`.
const NEEDLE: u128 = {
    let mut v = 0u128;
    let mut i = 0;
    while i < NAME.len() {
        v = v << 8 | NAME[i] as u128;
        i += 1;
    }
    v
};
const WINDOW: u128 = (1 << (8 * NAME.len())) - 1;

/// The largest value of any `uniqueCount = "digits"` in a stream fed in pieces. Looser than XML
/// (any occurrence, not only the attribute of `<sst>`), so it sees at least what calamine sees;
/// leading zeros count for nothing, as in calamine's parse.
#[derive(Default)]
struct CountScan {
    window: u128,
    phase: Phase,
    largest: u64,
}

#[derive(Clone, Copy, Default)]
enum Phase {
    #[default]
    Seek,
    Equals,
    Quote,
    Digits(u64),
}

impl CountScan {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.window = (self.window << 8 | u128::from(b)) & WINDOW;
            self.phase = match (self.phase, b) {
                (p @ (Phase::Equals | Phase::Quote), b' ' | b'\t' | b'\r' | b'\n') => p,
                (Phase::Equals, b'=') => Phase::Quote,
                (Phase::Quote, b'"' | b'\'') => Phase::Digits(0),
                (Phase::Digits(v), b'0'..=b'9') => {
                    Phase::Digits(v.saturating_mul(10).saturating_add(u64::from(b - b'0')))
                }
                (Phase::Digits(v), _) => {
                    self.largest = self.largest.max(v);
                    Phase::Seek
                }
                _ => Phase::Seek,
            };
            if self.window == NEEDLE {
                self.phase = Phase::Equals;
            }
        }
    }

    fn largest(self) -> u64 {
        match self.phase {
            Phase::Digits(v) => self.largest.max(v),
            _ => self.largest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(pieces: &[&str]) -> u64 {
        let mut s = CountScan::default();
        for p in pieces {
            s.feed(p.as_bytes());
        }
        s.largest()
    }

    #[test]
    fn the_announced_count_is_found_across_pieces_and_spellings() {
        assert_eq!(scan(&[r#"<sst count="9" uniqueCount="7">"#]), 7);
        assert_eq!(scan(&["<sst uniq", "ueCount = '0000", "00123' >"]), 123);
        assert_eq!(scan(&["uniquniqueCount=\"5\"", " uniqueCount=\"4\""]), 5);
        assert_eq!(scan(&[r#"uniqueCount="99999999999999999999999""#]), u64::MAX);
        assert_eq!(scan(&[r#"uniqueCount="12"#]), 12, "cut off: still counted");
        assert_eq!(scan(&[r#"<t>uniqueCount=&quot;99&quot;</t> uniqueCount=x"#]), 0);
    }
}
