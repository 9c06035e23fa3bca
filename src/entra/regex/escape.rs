//! Escapes (`\d`, `\x41`, `\p{L}`, ...): what each means, spelt for the `regex` crate and
//! for JavaScript, or why it is refused.

use crate::entra::chars::has_case;

/// The message of a construct the translation cannot honour: `what` it is, where (a character
/// index of the pattern) and `why`.
pub(super) fn unsupported(what: &str, at: usize, why: &str) -> String {
    format!(
        "the regular expression uses {what} at character {}, which {why}",
        at + 1
    )
}

/// The general categories `\p{..}` may name in every engine.
const CATEGORIES: [&str; 38] = [
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C",
    "Cc", "Cf", "Cs", "Co", "Cn", "LC",
];

/// What an escape means, for the dialects that spell it differently.
pub(super) enum Piece {
    /// A literal character.
    Char(char),
    /// `\d`, `\D`, `\w`, `\W`, `\s` or `\S`.
    Perl(char),
    /// `\b`, `\B`, `\A` or `\z`.
    Assert(char),
    /// `\p{..}` (false) or `\P{..}` (true) of a general category.
    Category(bool, String),
}

/// The `regex` crate's Unicode `\w`, as a JavaScript class.
const JS_WORD: &str = r"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]";

/// A literal character in JavaScript's `v` mode, in or out of a class: escaped unless it is
/// an ASCII letter, digit or `_`, so no character is read as syntax.
pub(super) fn js_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || c == '_' {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
    }
}

impl Piece {
    /// Whether the piece may match differently with and without `(?i)`.
    pub(super) fn cased(&self) -> bool {
        match self {
            Piece::Char(c) => has_case(*c),
            Piece::Perl(_) | Piece::Assert(_) => false,
            Piece::Category(..) => true,
        }
    }

    /// The piece in JavaScript's `v` mode, with the `regex` crate's meaning.
    pub(super) fn js(&self, out: &mut String) {
        match self {
            Piece::Char(c) => js_char(out, *c),
            Piece::Perl('d') => out.push_str(r"\p{Nd}"),
            Piece::Perl('D') => out.push_str(r"\P{Nd}"),
            Piece::Perl('w') => out.push_str(JS_WORD),
            Piece::Perl('W') => {
                out.push_str("[[^");
                out.push_str(&JS_WORD[1..]);
                out.push(']');
            }
            Piece::Perl('s') => out.push_str(r"\p{White_Space}"),
            Piece::Perl(_) => out.push_str(r"\P{White_Space}"),
            Piece::Assert('b') => {
                out.push_str(&format!(
                    "(?:(?<={JS_WORD})(?!{JS_WORD})|(?<!{JS_WORD})(?={JS_WORD}))"
                ));
            }
            Piece::Assert('B') => {
                out.push_str(&format!(
                    "(?:(?<={JS_WORD})(?={JS_WORD})|(?<!{JS_WORD})(?!{JS_WORD}))"
                ));
            }
            Piece::Assert('A') => out.push_str("(?:^)"),
            Piece::Assert(_) => out.push_str("(?:$)"),
            Piece::Category(negated, name) => {
                out.push_str(if *negated { "\\P{" } else { "\\p{" });
                out.push_str(name);
                out.push('}');
            }
        }
    }
}

/// The `regex` crate's escape of a literal character: a backslash before its meta characters.
fn rust_escape(c: char) -> String {
    if matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    ) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Translates the escape at `chars[i] == '\\'`: the `regex` crate's text, its meaning, and
/// how many characters it took.
pub(super) fn escape(
    chars: &[char],
    i: usize,
    in_class: bool,
) -> Result<(String, Piece, usize), String> {
    let Some(&c) = chars.get(i + 1) else {
        return Err(unsupported("a trailing `\\`", i, "is invalid"));
    };
    let hex = |count: usize| -> Option<u32> {
        let digits: String = chars.get(i + 2..i + 2 + count)?.iter().collect();
        if digits.len() == count && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&digits, 16).ok()
        } else {
            None
        }
    };
    let code = |cp: u32, used: usize| {
        let piece = char::from_u32(cp).map_or(Piece::Char('\u{FFFD}'), Piece::Char);
        (format!("\\x{{{cp:X}}}"), piece, used)
    };
    Ok(match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => (format!("\\{c}"), Piece::Perl(c), 2),
        'n' => ("\\n".to_owned(), Piece::Char('\n'), 2),
        'r' => ("\\r".to_owned(), Piece::Char('\r'), 2),
        't' => ("\\t".to_owned(), Piece::Char('\t'), 2),
        'f' => ("\\f".to_owned(), Piece::Char('\u{C}'), 2),
        'v' => ("\\v".to_owned(), Piece::Char('\u{B}'), 2),
        'b' if in_class => code(8, 2),
        'b' | 'B' | 'A' | 'z' => (format!("\\{c}"), Piece::Assert(c), 2),
        'a' => code(7, 2),
        'e' => code(0x1B, 2),
        'x' => match hex(2) {
            Some(cp) => code(cp, 4),
            None => return Err(unsupported("`\\x` without two hex digits", i, "is invalid")),
        },
        'u' => match hex(4) {
            Some(cp) if char::from_u32(cp).is_some() => code(cp, 6),
            _ => {
                return Err(unsupported(
                    "`\\u` without four hex digits of a character",
                    i,
                    "this engine cannot match (a surrogate code unit is not a character)",
                ));
            }
        },
        'c' => match chars.get(i + 2) {
            Some(l) if l.is_ascii_alphabetic() => code(u32::from(*l) & 0x1F, 3),
            _ => return Err(unsupported("`\\c` without a letter", i, "is invalid")),
        },
        'p' | 'P' => return category(chars, i, c),
        '0'..='9' if in_class => {
            return Err(unsupported(
                "an octal escape",
                i,
                "this engine does not support",
            ));
        }
        '0' => {
            return Err(unsupported(
                "an octal escape",
                i,
                "this engine does not support",
            ));
        }
        '1'..='9' | 'k' => {
            return Err(unsupported(
                "a backreference",
                i,
                "the `regex` crate cannot evaluate",
            ));
        }
        'G' | 'Z' => {
            return Err(unsupported(
                &format!("`\\{c}`"),
                i,
                "this engine does not support (use `\\z` for the end of the text)",
            ));
        }
        c if c.is_alphanumeric() => {
            return Err(unsupported(
                &format!("the unknown escape `\\{c}`"),
                i,
                ".NET rejects",
            ));
        }
        other => (rust_escape(other), Piece::Char(other), 2),
    })
}

/// `\p{Name}` or `\P{Name}` (`c` is `p` or `P`) at `chars[i] == '\\'`: a general category,
/// the only names every engine reads alike.
fn category(chars: &[char], i: usize, c: char) -> Result<(String, Piece, usize), String> {
    let rest = chars.get(i + 2..).unwrap_or(&[]);
    let close = rest.iter().position(|&c| c == '}');
    let name: Option<String> = match (rest.first(), close) {
        (Some('{'), Some(end)) => Some(rest[1..end].iter().collect()),
        _ => None,
    };
    match (name, close) {
        (Some(n), Some(end)) if CATEGORIES.contains(&n.as_str()) => Ok((
            format!("\\{c}{{{n}}}"),
            Piece::Category(c == 'P', n),
            end + 3,
        )),
        (Some(n), _) => Err(unsupported(
            &format!("the Unicode name `\\{c}{{{n}}}`"),
            i,
            "this engine does not support; only general categories such as `\\p{L}` are",
        )),
        _ => Err(unsupported("`\\p` without `{name}`", i, "is invalid")),
    }
}
