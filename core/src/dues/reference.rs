//! Payment references (Swedish OCR, Norwegian KID, Danish FIK 71) and the bank numbers
//! members pay to; `std` only. Luhn: weights 2,1,2,… from the right of the payload, digit
//! sums, check = (10 - sum mod 10) mod 10 (Bankgirot's "10-modul", KID MOD10, Bankgiro,
//! Plusgiro). FIK 71: weights 1,2,1,2,… from the left over the 14 digits before the check
//! digit, digit sums, mod 10, which is Luhn again. MOD11: weights 2..=7 repeating from the
//! right, 11 - sum mod 11, 11 -> '0', 10 -> '-' in a KID; Norwegian accounts use the same
//! weights (5,4,3,2,7,6,5,4,3,2 from the left), but there a 10 makes the number invalid.

/// Which kind of payment reference an organisation's bank agreement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Sweden: OCR for Bankgiro/Plusgiro. Luhn (modulus 10) check digit last; with
    /// `length_digit`, the second-to-last digit is the whole reference's length mod 10
    /// (the check digit covers it). 2–25 digits in all.
    SeOcr {
        /// Whether the agreement also asks for a length digit before the check digit.
        length_digit: bool,
    },
    /// Norway: KID with a MOD10 (Luhn) check digit. 2–25 digits.
    NoKidMod10,
    /// Norway: KID with a MOD11 check digit (weights 2,3,4,5,6,7 repeating from the right;
    /// remainder 0 -> '0'; a check value of 10 is written '-', as Nets allows). 2–25 chars.
    NoKidMod11,
    /// Denmark: FIK card type 71: a 15-digit payment id whose last digit is a modulus-10
    /// check digit over the 14 before it, weights 1,2,1,2,… from the left with digit sums
    /// (the same as Luhn for 14 digits; sources at the top of this file).
    DkFik71,
}

/// Why a reference or a bank number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was given, or only spaces and separators.
    Empty,
    /// A character that is neither a digit nor a separator this number is written with.
    NotDigits,
    /// Fewer digits than the number needs.
    TooShort,
    /// More digits than the number allows.
    TooLong,
    /// The check digit does not match the rest of the number.
    CheckDigit,
    /// The length digit of a Swedish OCR reference does not match the reference's length.
    LengthDigit,
    /// The country code is not two letters.
    Country,
    /// The parts of the number are not laid out the way the number is written.
    Format,
}

fn ensure(ok: bool, problem: Problem) -> Result<(), Problem> {
    ok.then_some(()).ok_or(problem)
}

fn span(len: usize, min: usize, max: usize) -> Result<(), Problem> {
    ensure(len >= min, Problem::TooShort)?;
    ensure(len <= max, Problem::TooLong)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The Luhn (modulus 10, weights 2,1 from the right of the payload) check digit of
/// `payload`. None if the payload is empty or holds anything but ASCII digits.
pub fn luhn_digit(payload: &str) -> Option<u8> {
    is_digits(payload).then(|| {
        let sum = payload.bytes().rev().enumerate().fold(0, |sum, (i, b)| {
            let v = u32::from(b - b'0') * (2 - (i % 2) as u32);
            (sum + v / 10 + v % 10) % 10
        });
        ((10 - sum) % 10) as u8
    })
}

/// Whether `digits` (ASCII digits only, at least two) ends in its correct Luhn check digit.
pub fn luhn_ok(digits: &str) -> bool {
    is_digits(digits) && {
        let (payload, last) = digits.split_at(digits.len() - 1);
        luhn_digit(payload) == Some(last.as_bytes()[0] - b'0')
    }
}

/// The MOD11 check character ('0'..='9', or '-' for a check value of 10) of `payload`,
/// with the KID weights 2,3,4,5,6,7 repeating from the right. None unless ASCII digits.
pub fn mod11_char(payload: &str) -> Option<char> {
    is_digits(payload).then(|| {
        let sum = payload.bytes().rev().enumerate().fold(0, |sum, (i, b)| {
            (sum + u32::from(b - b'0') * (2 + (i % 6) as u32)) % 11
        });
        match sum {
            0 => '0',
            1 => '-',
            r => char::from(b'0' + (11 - r) as u8),
        }
    })
}

fn check_char(scheme: Scheme, payload: &str) -> Option<char> {
    match scheme {
        Scheme::NoKidMod11 => mod11_char(payload),
        _ => luhn_digit(payload).map(|d| char::from(b'0' + d)),
    }
}

/// Makes a reference in `scheme` from `base` (the digits that identify the invoice, e.g.
/// "100042"; spaces ignored): appends the length digit (SeOcr with length_digit) and the
/// check digit (a MOD11 KID may end in '-'). For DkFik71 the base is left-padded with zeros
/// to 14 digits. Refuses a base that is empty, not digits, or too long for the scheme.
pub fn make(scheme: Scheme, base: &str) -> Result<String, Problem> {
    let base = base.replace(char::is_whitespace, "");
    ensure(!base.is_empty(), Problem::Empty)?;
    ensure(is_digits(&base), Problem::NotDigits)?;
    let fik = scheme == Scheme::DkFik71;
    let length_digit = scheme == (Scheme::SeOcr { length_digit: true });
    let max = if fik { 15 } else { 25 };
    span(base.len() + 1 + usize::from(length_digit), 2, max)?;
    let mut body = if fik { format!("{base:0>14}") } else { base };
    if length_digit {
        body.push(char::from(b'0' + ((body.len() + 2) % 10) as u8));
    }
    body.push(check_char(scheme, &body).ok_or(Problem::NotDigits)?);
    Ok(body)
}

/// Checks a reference as a payer or a bank file writes it and returns it normalised (see
/// `normalise`: spaces, dashes between digit groups and a leading FIK "+71<" are
/// tolerated). Checks in this order: empty, characters, length, length digit, check digit.
pub fn check(scheme: Scheme, reference: &str) -> Result<String, Problem> {
    let n = normalise(reference);
    ensure(!n.is_empty(), Problem::Empty)?;
    let digits = match n.strip_suffix('-') {
        Some(rest) if scheme == Scheme::NoKidMod11 => rest,
        _ => n.as_str(),
    };
    ensure(is_digits(digits), Problem::NotDigits)?;
    let fik = scheme == Scheme::DkFik71;
    let (min, max) = if fik { (15, 15) } else { (2, 25) };
    span(n.len(), min, max)?;
    if scheme == (Scheme::SeOcr { length_digit: true }) {
        let length_digit = usize::from(n.as_bytes()[n.len() - 2] - b'0');
        ensure(length_digit == n.len() % 10, Problem::LengthDigit)?;
    }
    let (payload, last) = n.split_at(n.len() - 1);
    let expected = check_char(scheme, payload).map(String::from);
    ensure(expected.as_deref() == Some(last), Problem::CheckDigit)?;
    Ok(n)
}

/// Tidies a reference as typed or printed: takes out whitespace (no-break spaces too) and
/// any '-' between two digits, keeping other '-' (a MOD11 KID's last char) and leading
/// zeros; drops a leading FIK "+71<" and everything from the next '+', '<' or '>' on.
pub fn normalise(reference: &str) -> String {
    let mut s = reference.replace(char::is_whitespace, "");
    if let Some(rest) = s.strip_prefix("+71<") {
        let end = rest.find(['+', '<', '>']).unwrap_or(rest.len());
        s = rest[..end].to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_digit());
    (0..chars.len())
        .filter(|&i| !(chars[i] == '-' && i > 0 && digit_at(i - 1) && digit_at(i + 1)))
        .map(|i| chars[i])
        .collect()
}

/// Finds in free text (a bank file's message, say) the first reference `check` accepts in
/// `scheme`, normalised. Candidates are digit runs not glued to letters, with single spaces
/// inside (and, for MOD11, maybe a final '-'), tried whole, then cut at spaces. Dates and
/// amounts can pass a check by chance: compare the result with the references you expect.
pub fn find_in(scheme: Scheme, text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let glued = |k: usize| k > 0 && chars[k - 1].is_alphanumeric();
    let starts_run = |k: &usize| chars[*k].is_ascii_digit() && !glued(*k);
    let mut i = 0;
    while let Some(start) = (i..chars.len()).find(starts_run) {
        let (mut groups, mut cur, mut j) = (Vec::new(), String::new(), start);
        while let Some(&c) = chars.get(j) {
            j += 1;
            let next = chars.get(j).copied();
            if c.is_ascii_digit() {
                cur.push(c);
            } else if c.is_whitespace() && next.is_some_and(|n| n.is_ascii_digit()) {
                groups.push(std::mem::take(&mut cur));
            } else {
                let dash = c == '-' && scheme == Scheme::NoKidMod11;
                let dash = dash && !next.is_some_and(char::is_alphanumeric);
                cur.extend(dash.then_some('-')); // a MOD11 KID's last char
                j -= usize::from(!dash); // c is not part of the run
                break;
            }
        }
        // A last group glued to a word ("250kr") is no candidate.
        if !chars.get(j).is_some_and(|c| c.is_alphanumeric()) {
            groups.push(cur);
        }
        for start in 0..groups.len() {
            let (mut stop, mut len) = (start, 0);
            while stop < groups.len() && len + groups[stop].len() <= 25 {
                len += groups[stop].len();
                stop += 1;
            }
            for stop in (start + 1..=stop).rev() {
                if let Ok(found) = check(scheme, &groups[start..stop].concat()) {
                    return Some(found);
                }
            }
        }
        i = j.max(start + 1);
    }
    None
}

// Splits `s` into digit groups at whitespace and at `seps`; anything else is NotDigits.
fn groups(s: &str, seps: &[char]) -> Result<Vec<String>, Problem> {
    let split = s.split(|c: char| c.is_whitespace() || seps.contains(&c));
    let groups: Vec<String> = split.filter(|g| !g.is_empty()).map(String::from).collect();
    ensure(groups.iter().all(|g| is_digits(g)), Problem::NotDigits)?;
    Ok(groups)
}

// The digits of `s` once whitespace and `seps` are taken out, `min` to `max` of them.
fn digits(s: &str, seps: &[char], min: usize, max: usize) -> Result<String, Problem> {
    let d = groups(s, seps)?.concat();
    ensure(!d.is_empty(), Problem::Empty)?;
    span(d.len(), min, max)?;
    Ok(d)
}

/// Swedish Bankgiro number: 7 or 8 digits, Luhn over all; written with a dash before the
/// last four ("505-1055", "5050-1055").
pub fn bankgiro(s: &str) -> Result<String, Problem> {
    let d = digits(s, &['-'], 7, 8)?;
    ensure(luhn_ok(&d), Problem::CheckDigit)?;
    let (head, tail) = d.split_at(d.len() - 4);
    Ok(format!("{head}-{tail}"))
}

/// Swedish Plusgiro number: 2–8 digits, Luhn over all; written with a dash before the check
/// digit and the digits before it in pairs from the right, an odd leading digit joining the
/// first pair: "4-2", "28 65 43-4", "410 54 68-5". That is how IKEA prints its Plusgiro
/// numbers (and what the banktools-se gem does); no rule from Plusgirot itself was found.
pub fn plusgiro(s: &str) -> Result<String, Problem> {
    let d = digits(s, &['-'], 2, 8)?;
    ensure(luhn_ok(&d), Problem::CheckDigit)?;
    let (body, check) = d.split_at(d.len() - 1);
    let first = (2 + body.len() % 2).min(body.len());
    let pairs = (first..body.len()).step_by(2).map(|i| &body[i..i + 2]);
    let groups: Vec<&str> = std::iter::once(&body[..first]).chain(pairs).collect();
    Ok(format!("{}-{check}", groups.join(" ")))
}

/// Norwegian account number: 11 digits, MOD11 with weights 5,4,3,2,7,6,5,4,3,2 (a check
/// value of 10 means no valid number); dots or spaces between groups; written
/// "8601.11.17947".
pub fn no_account(s: &str) -> Result<String, Problem> {
    let d = digits(s, &['.'], 11, 11)?;
    let (payload, check) = d.split_at(10);
    let expected = mod11_char(payload).map(String::from);
    ensure(expected.as_deref() == Some(check), Problem::CheckDigit)?;
    Ok(format!("{}.{}.{}", &d[..4], &d[4..6], &d[6..]))
}

/// Danish account: a 4-digit registration number and an account number of up to 10 digits
/// (no public check digit), with spaces, '-' or '.' between the parts or run together;
/// written "1234 0001234567" (account left-padded to 10).
pub fn dk_account(s: &str) -> Result<String, Problem> {
    let g = groups(s, &['-', '.'])?;
    ensure(g.len() < 2 || g[0].len() == 4, Problem::Format)?;
    let all = digits(&g.concat(), &[], 5, 14)?;
    let (reg, account) = all.split_at(4);
    Ok(format!("{reg} {account:0>10}"))
}

/// Swedish account: a clearing number of 4 digits (5 for Swedbank's 8xxx-x series, whose
/// fifth digit is a check digit) and an account of 1–10 digits, typed loosely, e.g.
/// "8327-9, 123 456 789-0". Only digits and lengths are checked (banks' rules differ).
/// Written "clearing-account" without spaces: "83279-1234567890".
pub fn se_account(s: &str) -> Result<String, Problem> {
    let seps = ['-', '.'];
    let (clearing, account) = match s.split_once(',') {
        Some((c, a)) => (groups(c, &seps)?.concat(), groups(a, &seps)?.concat()),
        None => {
            let g = groups(s, &seps)?;
            let first = g.first().ok_or(Problem::Empty)?;
            ensure(g.len() < 2 || matches!(first.len(), 4 | 5), Problem::Format)?;
            let swedbank = first.starts_with('8')
                && (g.len() == 1 || (first.len() == 4 && g.len() > 2 && g[1].len() == 1));
            let all = g.concat();
            let cut = if first.len() == 5 || swedbank { 5 } else { 4 };
            let (c, a) = all.split_at(cut.min(all.len()));
            (c.to_string(), a.to_string())
        }
    };
    ensure(!clearing.is_empty() || !account.is_empty(), Problem::Empty)?;
    ensure(matches!(clearing.len(), 4 | 5), Problem::Format)?;
    span(account.len(), 1, 10)?;
    Ok(format!("{clearing}-{account}"))
}

/// IBAN (ISO 13616): two letters, two check digits, then letters and digits; mod 97 must be
/// 1; the registry length for SE 24, NO 15, DK 18, FI 18, IS 26, DE 22, GB 22, NL 18,
/// FR 27, otherwise 15–34. Written upper-case in groups of four ("SE45 5000 …"). Whether
/// the country suits the organisation is not checked here.
pub fn iban(s: &str) -> Result<String, Problem> {
    let v = s.replace(char::is_whitespace, "").to_ascii_uppercase();
    let b = v.as_bytes();
    ensure(!b.is_empty(), Problem::Empty)?;
    ensure(b.iter().all(u8::is_ascii_alphanumeric), Problem::Format)?;
    let letters = b.len() >= 2 && b[..2].iter().all(u8::is_ascii_alphabetic);
    ensure(letters, Problem::Country)?;
    let check_digits = b.len() >= 4 && is_digits(&v[2..4]);
    ensure(check_digits, Problem::Format)?;
    const LENGTHS: &str = "NO15 DK18 FI18 NL18 DE22 GB22 SE24 IS26 FR27";
    let known = LENGTHS
        .split(' ')
        .find_map(|k| k.strip_prefix(&v[..2])?.parse().ok());
    span(v.len(), known.unwrap_or(15), known.unwrap_or(34))?;
    let rem = v[4..].chars().chain(v[..4].chars()).fold(0, |rem, c| {
        let n = c.to_digit(36).unwrap_or(0);
        let scale = if n < 10 { 10 } else { 100 };
        (rem * scale + n) % 97
    });
    ensure(rem == 1, Problem::CheckDigit)?;
    let fours: Vec<&str> = (0..v.len())
        .step_by(4)
        .map(|i| &v[i..v.len().min(i + 4)])
        .collect();
    Ok(fours.join(" "))
}

/// BIC (SWIFT code): 8 or 11 characters: 4 letters for the bank, 2 letters for the country,
/// 2 letters or digits for the location, optionally 3 letters or digits for the branch.
/// Spaces are ignored; returned upper-cased.
pub fn bic(s: &str) -> Result<String, Problem> {
    let v = s.replace(char::is_whitespace, "").to_ascii_uppercase();
    ensure(!v.is_empty(), Problem::Empty)?;
    let alnum = v.chars().all(|c| c.is_ascii_alphanumeric());
    ensure(alnum && !matches!(v.len(), 9 | 10), Problem::Format)?;
    span(v.len(), 8, 11)?;
    let b = v.as_bytes();
    ensure(b[..4].iter().all(u8::is_ascii_alphabetic), Problem::Format)?;
    let country = b[4..6].iter().all(u8::is_ascii_alphabetic);
    ensure(country, Problem::Country)?;
    Ok(v)
}

/// Danish FI creditor number (kreditornummer) for FIK 71: exactly 8 digits. No published
/// check-digit rule was found, so only the digits and the length are checked.
pub fn dk_creditor(s: &str) -> Result<String, Problem> {
    digits(s, &[], 8, 8)
}

/// Swedish Swish number for businesses and organisations: 10 digits starting "123";
/// written "123 456 78 90".
pub fn swish(s: &str) -> Result<String, Problem> {
    let d = digits(s, &['-'], 10, 10)?;
    ensure(d.starts_with("123"), Problem::Format)?;
    Ok(format!("{} {} {} {}", &d[..3], &d[3..6], &d[6..8], &d[8..]))
}

/// Vipps (Norway) or MobilePay (Denmark, Finland) business number: 4–8 digits, spaces
/// allowed; returned as bare digits.
pub fn vipps_mobilepay(s: &str) -> Result<String, Problem> {
    digits(s, &[], 4, 8)
}

/// The FIK code line a payer types into a Danish netbank: "+71<", the payment id, "+", the
/// creditor number, "<", e.g. "+71<000000000000026+12345678<". Takes the digits of each
/// argument, left-padded with zeros to 15 and 8, and does not check them: check the id with
/// `check(Scheme::DkFik71, ..)` and the creditor with `dk_creditor` first.
pub fn fik_line(payment_id: &str, creditor: &str) -> String {
    let id: String = payment_id.chars().filter(char::is_ascii_digit).collect();
    let creditor: String = creditor.chars().filter(char::is_ascii_digit).collect();
    format!("+71<{id:0>15}+{creditor:0>8}<")
}

#[cfg(test)]
mod tests {
    use super::Scheme::{DkFik71 as FIK, NoKidMod10 as MOD10, NoKidMod11 as MOD11};
    use super::*;
    use Problem::*;

    const SE: Scheme = Scheme::SeOcr {
        length_digit: false,
    };
    const SE_LEN: Scheme = Scheme::SeOcr { length_digit: true };
    const ALL: [Scheme; 5] = [SE, SE_LEN, MOD10, MOD11, FIK];
    const NAMES: [&str; 5] = ["SE", "SE_LEN", "MOD10", "MOD11", "FIK"];

    /// Runs what a table row names: a bank-number function, "check"/"make"/"find" + a NAME,
    /// "digits" (Luhn digit, MOD11 char), "luhn_ok", "normalise", "fik_line" (creditor fixed).
    fn run(kind: &str, input: &str) -> Result<String, Problem> {
        let (verb, name) = kind.split_once(' ').unwrap_or((kind, ""));
        let scheme = ALL[NAMES.iter().position(|&n| n == name).unwrap_or(0)];
        match verb {
            "check" => check(scheme, input),
            "make" => make(scheme, input),
            "find" => find_in(scheme, input).ok_or(Empty),
            "normalise" => Ok(normalise(input)),
            "luhn_ok" => Ok(luhn_ok(input).to_string()),
            "digits" => match (luhn_digit(input), mod11_char(input)) {
                (Some(luhn), Some(mod11)) => Ok(format!("{luhn}{mod11}")),
                _ => Err(NotDigits),
            },
            "fik_line" => Ok(fik_line(input, "1234 5678")),
            "bankgiro" => bankgiro(input),
            "plusgiro" => plusgiro(input),
            "no_account" => no_account(input),
            "dk_account" => dk_account(input),
            "se_account" => se_account(input),
            "iban" => iban(input),
            "bic" => bic(input),
            "dk_creditor" => dk_creditor(input),
            "swish" => swish(input),
            "vipps_mobilepay" => vipps_mobilepay(input),
            _ => panic!("no such kind: {kind}"),
        }
    }

    /// The check helper of all tables: rows "input => expected (text or Problem name)" split
    /// at ';' or new lines; "[kind]" sets the kind from there on. Only ' ' is trimmed.
    fn table(rows: &str) {
        let (mut kind, mut count) = ("", 0);
        for row in rows.split([';', '\n']) {
            let mut row = row.trim_matches(' ');
            if let Some((k, rest)) = row.strip_prefix('[').and_then(|r| r.split_once(']')) {
                (kind, row) = (k, rest);
            }
            if let Some((input, want)) = row.split_once("=>") {
                let (input, want) = (input.trim_matches(' '), want.trim_matches(' '));
                let got = run(kind, input).unwrap_or_else(|problem| format!("{problem:?}"));
                assert_eq!(got, want, "{kind}({input:?})");
                count += 1;
            }
        }
        assert!(count > 0, "empty table");
    }

    // digits (Luhn, MOD11): Bankgiro 5050-1055 (Skatteverket's), 160-9908 (Bankgirot's own,
    // in its "Bankernas kontonummer" PDF); Monitor ERP's KID help (60224 -> 602243). MOD11:
    // Erhvervsstyrelsen's CVR example 13748136 ("Modulus 11 kontrol"), HP's RPG/XL manual
    // (1234567 -> 4, 516192872 -> 2), IBM's mod 10/11 note (13739 -> 1). Rest computed.
    const DIGITS: &str = "[digits] 5050105 => 51; 160990 => 84; 60224 => 38; 1374813 => 26
        1234567 => 44; 516192872 => 52; 13739 => 81; 10003 => 2-; 0 => 00; => NotDigits
        12a => NotDigits; ١٢٣ => NotDigits; 1 2 => NotDigits
        [luhn_ok] 50501055 => true; 1609908 => true; 50501056 => false; 5 => false
        => false; é5 => false; 5é => false; 5050105x => false";
    // SE: banktools-se README (number_to_ocr: "123" -> "1230", with length digit "12351").
    // MOD10: Monitor ERP's KID help (invoice 60224 -> KID 602243). MOD11: the MOD11
    // examples above as KIDs. FIK: giro-kort.dk (FI-card printer Bording: id 1 -> "…18",
    // 2 -> "…26"); CPAN Business::DK::FI's synopsis (026840149965328 is valid).
    const REFERENCES: &str = "[check SE] 1230 => 1230; 1 2 3 0 => 1230; 1231 => CheckDigit
        [check SE_LEN] 12351 => 12351; 1235\u{a0}1 => 12351; 12361 => LengthDigit
        12352 => CheckDigit; 1230 => LengthDigit; 1 => TooShort; 12 35.1 => NotDigits
        \u{a0} => Empty; [make SE] 123 => 1230; => Empty; 12x => NotDigits
        [make SE_LEN] 123 => 12351; 123456789012345678901234 => TooLong
        12345678901234567890123 => 1234567890123456789012357
        [check MOD10] 602243 => 602243; 602234 => CheckDigit; [make MOD10] 60224 => 602243
        [check MOD11] 13748136 => 13748136; 12345674 => 12345674; 1 3739-1 => 137391
        602248 => 602248; 602240 => CheckDigit; 6022-4 => 60224; 10003- => 10003-
        10003 - => 10003-; 1000-3- => 10003-; 100036 => CheckDigit; - => NotDigits
        6-0 => CheckDigit; 10003-- => NotDigits; 100-03 => CheckDigit
        [make MOD11] 1374813 => 13748136; 10003 => 10003-
        [check FIK] 000000000000018 => 000000000000018; 26 => TooShort
        +71< 000000000000026 +12345678< => 000000000000026; 00000000000002a => NotDigits
        026840149965328 => 026840149965328; 026840149965327 => CheckDigit
        0000000000000026 => TooLong; [make FIK] 1 => 000000000000018
        2 => 000000000000026; 12345678901234 => 123456789012347; 123456789012345 => TooLong";
    // Made-up texts around the references above.
    const FINDING: &str = "[normalise] \u{a0}1234 5678 => 12345678; 1234-5678 => 12345678
        12345- => 12345-; -123 => -123; 1--2 => 1--2; 00012\u{202f}3 => 000123; +71< =>
        +71<000000000000026+12345678< => 000000000000026
        +71 < 000000000000026 + 12345678 < => 000000000000026
        [find SE] Medlemsavgift, OCR 1 2 3 0, tack! => 1230; inga siffror => Empty
        ref1230 och 1230kr => Empty; 1  2  3  0 => Empty
        [find SE_LEN] avser 2024: ref 1235 1 belopp => 12351
        [find MOD10] Faktura 60224, KID 602243 => 602243
        [find MOD11] KID 10003-, 300 kr => 10003-; KID 10003-9 => Empty
        [find FIK] Betal +71< 000000000000026+12345678< => 000000000000026
        [fik_line] 000000000000026 => +71<000000000000026+12345678<
        26 => +71<000000000000026+12345678<; => +71<000000000000000+12345678<
        [check FIK] +71<000000000000026+12345678< => 000000000000026";
    // bankgiro: 5050-1055 Skatteverket; 160-9908 Bankgirot itself; 5402-9681, 297-3675,
    // 640-5070 (Carnegie funds) and the 90-account 902-0033 from the banktools-se spec.
    // plusgiro: IKEA's numbers, Sveriges Riksbank's "4-2" and 90 20 03-3, same spec.
    const GIROS: &str = "[bankgiro] 5050-1055 => 5050-1055; 50501055 => 5050-1055
        160-9908 => 160-9908; \u{a0}5402 9681 => 5402-9681; 297-3675 => 297-3675
        640-5070 => 640-5070; 902-0033 => 902-0033; 5050-1056 => CheckDigit
        505-105 => TooShort; 5050-10550 => TooLong; 5050.1055 => NotDigits; - => Empty
        [plusgiro] 28 65 43-4 => 28 65 43-4; 2865434 => 28 65 43-4; 4-2 => 4-2
        41054685 => 410 54 68-5; 90 20 03-3 => 90 20 03-3; 1230 => 123-0
        12345674 => 123 45 67-4; 123455 => 123 45-5; 410 54 68-6 => CheckDigit
        4 => TooShort; 410 54 68-51 => TooLong; 410 54 68-5X => NotDigits";
    // no_account: 8601.11.17947 is the account in the SWIFT IBAN registry's Norwegian
    // example and in python-stdnum's no.kontonr docs (8601 11 17949 invalid there).
    // dk_account: 0040 0440116243 is the account in the registry's DK50 0040 0440 1162 43.
    // The rest are made up to show the layouts and the refusals.
    const ACCOUNTS: &str = "[no_account] 8601.11.17947 => 8601.11.17947
        86011117947 => 8601.11.17947; 8601 11 17947 => 8601.11.17947
        8601 11 17949 => CheckDigit; 8601-11-17947 => NotDigits; 8601.11.1794 => TooShort
        [dk_account] 0040 0440116243 => 0040 0440116243; 0040-440116243 => 0040 0440116243
        00400440116243 => 0040 0440116243; 1234 1234567 => 1234 0001234567
        40 0440116243 => Format; 0040 => TooShort; 0040 04401162431 => TooLong
        0040 x => NotDigits; . => Empty
        [se_account] 8327-9, 123 456 789-0 => 83279-1234567890; 83279123 => 83279-123
        8327-9 123 456 789-0 => 83279-1234567890; 6000 123456789 => 6000-123456789
        83279-1234567890 => 83279-1234567890; 5000,1234567 => 5000-1234567
        50001234567 => 5000-1234567; 1 2345678 => Format; 12,345 => Format
        5000, => TooShort; 3300 12345678901 => TooLong; 3300 1234a => NotDigits
        => Empty; , => Empty
        [dk_creditor] 12345678 => 12345678; 8765 4321 => 87654321; 1234567 => TooShort
        123456789 => TooLong; 8765432x => NotDigits
        [swish] 123 456 78 90 => 123 456 78 90; 1234567890 => 123 456 78 90
        0701234567 => Format; 123456789 => TooShort; 123.456 78 90 => NotDigits
        [vipps_mobilepay] 12345 => 12345; 12 34 => 1234; 123 => TooShort
        123456789 => TooLong; 12-45 => NotDigits";
    // iban: the SWIFT IBAN registry's example for each country named in `iban` (and BE),
    // typed compact and lower-case, then with errors put in. bic: Nordea Sweden, Danske
    // Bank, DNB, Deutsche Bank Frankfurt; then broken ones.
    const IBAN_BIC: &str = "[iban] se4550000000058398257466 => SE45 5000 0000 0583 9825 7466
        no9386011117947 => NO93 8601 1117 947; fi2112345600000785 => FI21 1234 5600 0007 85
        dk5000400440116243 => DK50 0040 0440 1162 43; be68539007547034 => BE68 5390 0754 7034
        is140159260076545510730339 => IS14 0159 2600 7654 5510 7303 39
        de89370400440532013000 => DE89 3704 0044 0532 0130 00
        gb29nwbk60161331926819 => GB29 NWBK 6016 1331 9268 19
        nl91abna0417164300 => NL91 ABNA 0417 1643 00
        fr1420041010050500013m02606 => FR14 2004 1010 0505 0001 3M02 606
        SE45 5000 0000 0583 9825 7466 => SE45 5000 0000 0583 9825 7466
        SE45 5000 0000 0583 9825 7467 => CheckDigit
        SE45 5000 0000 0583 9825 746 => TooShort; NO93 8601 1117 9470 => TooLong
        4545 5000 => Country; S => Country; SEXX 5000 0000 0583 9825 7466 => Format
        SE45-5000-0000-0583-9825-7466 => Format; => Empty; SE45 => TooShort
        [bic] NDEASESS => NDEASESS; dabadkkk => DABADKKK; DNBANOKK => DNBANOKK
        DEUT DE FF 500 => DEUTDEFF500; NDEASES => TooShort; NDEASESS1 => Format
        NDEASESS1234 => TooLong; ND3ASESS => Format; NDEA5ESS => Country; => Empty";

    const BASES: &str = "1 7 42 10003 100042 9999999999999 314159265358979323";
    const REFUSING: &str = "check SE,check SE_LEN,check MOD10,check MOD11,check FIK,find SE,\
        find FIK,bankgiro,plusgiro,no_account,dk_account,se_account,iban,bic,dk_creditor,\
        swish,vipps_mobilepay,make SE,make FIK,find MOD11";

    #[test]
    fn reference_tables() {
        [DIGITS, REFERENCES, FINDING].into_iter().for_each(table);
    }

    #[test]
    fn bank_number_tables() {
        [GIROS, ACCOUNTS, IBAN_BIC].into_iter().for_each(table);
    }

    #[test]
    fn round_trips_and_single_digit_errors() {
        let cases = ALL
            .into_iter()
            .flat_map(|s| BASES.split(' ').map(move |b| (s, b)));
        for (scheme, base) in cases {
            let Ok(made) = make(scheme, base) else {
                assert!(base.len() > 14 && scheme == FIK, "{base}");
                continue;
            };
            assert_eq!(check(scheme, &made), Ok(made.clone()), "{scheme:?} {base}");
            // Every change of one character to another digit must be caught.
            for (i, old) in made.char_indices() {
                for new in ('0'..='9').filter(|&c| c != old) {
                    let mut bad = made.clone();
                    bad.replace_range(i..i + 1, &new.to_string());
                    assert!(check(scheme, &bad).is_err(), "{scheme:?} accepted {bad}");
                }
            }
        }
        // A Norwegian account whose MOD11 value is 10 has no valid check digit.
        let tens = (8_601_111_700u64..8_601_111_800).map(|n| n.to_string());
        let tens: Vec<String> = tens.filter(|p| mod11_char(p) == Some('-')).collect();
        assert!(!tens.is_empty());
        for (payload, d) in tens.iter().flat_map(|p| ('0'..='9').map(move |d| (p, d))) {
            assert_eq!(no_account(&format!("{payload}{d}")), Err(CheckDigit));
        }
    }

    #[test]
    fn never_panics() {
        let huge = "9".repeat(200_000);
        let nasty = ",-,--,+71<,+71<+<,é,١٢٣٤,\u{a0},1é,+".split(',');
        for input in nasty.chain([huge.as_str()]) {
            for kind in REFUSING.split(',') {
                assert!(run(kind, input).is_err(), "{kind}({input:.20})");
            }
            assert!(fik_line(input, input).starts_with("+71<"));
            assert_eq!(luhn_ok(input), input == huge, "all nines pass Luhn");
            assert!(normalise(input).len() <= input.len());
        }
        assert_eq!(check(SE, &huge), Err(TooLong));
        assert!(luhn_digit(&huge).is_some() && mod11_char(&huge).is_some());
    }
}
