//! Splits an Okta expression into tokens, each with its byte span.
//!
//! Strings are SpEL's: `'…'` or `"…"`, the quote doubled inside (`'it''s'`); a backslash is an
//! ordinary character (Okta's own example `"XDOMAIN\" + …` writes one backslash).

use std::ops::Range;

use super::error::Fault;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Str(String),
    Int(i32),
    Num(f64),
    Ident(String),
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Plus,
    Minus,
    Question,
    Colon,
    Elvis,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Not,
    End,
}

impl Tok {
    /// How a message names the token.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Str(_) => "a string".to_owned(),
            Tok::Int(_) | Tok::Num(_) => "a number".to_owned(),
            Tok::Ident(name) => format!("`{name}`"),
            Tok::End => "the end of the expression".to_owned(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Question => "?",
            Tok::Colon => ":",
            Tok::Elvis => "?:",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Gt => ">",
            Tok::Le => "<=",
            Tok::Ge => ">=",
            Tok::Not => "!",
            _ => "",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Range<usize>,
}

/// The tokens of `source`, ending with [`Tok::End`].
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, Fault> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let two = bytes.get(i..i + 2).unwrap_or(&[]);
        let (tok, len) = match c {
            b'\'' | b'"' => {
                let (text, end) = string(source, i)?;
                tokens.push(Token {
                    tok: Tok::Str(text),
                    span: start..end,
                });
                i = end;
                continue;
            }
            b'0'..=b'9' => {
                let (tok, end) = number(source, i)?;
                tokens.push(Token {
                    tok,
                    span: start..end,
                });
                i = end;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$'))
                    .map_or(bytes.len(), |n| i + n);
                tokens.push(Token {
                    tok: Tok::Ident(source[i..end].to_owned()),
                    span: start..end,
                });
                i = end;
                continue;
            }
            _ if two == b"==" => (Tok::Eq, 2),
            _ if two == b"!=" => (Tok::Ne, 2),
            _ if two == b"<=" => (Tok::Le, 2),
            _ if two == b">=" => (Tok::Ge, 2),
            _ if two == b"?:" => (Tok::Elvis, 2),
            _ if two == b"&&" || two == b"||" => {
                let word = if two == b"&&" { "AND" } else { "OR" };
                return Err(Fault::new(
                    &(i..i + 2),
                    format!(
                        "`{}` is not an operator of Okta Expression Language: write {word}",
                        &source[i..i + 2]
                    ),
                ));
            }
            _ if two == b"?." || two == b"?[" => {
                return Err(Fault::new(
                    &(i..i + 2),
                    "safe navigation (`?.`) is not part of Okta Expression Language",
                ));
            }
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b',' => (Tok::Comma, 1),
            b'.' => (Tok::Dot, 1),
            b'+' => (Tok::Plus, 1),
            b'-' => (Tok::Minus, 1),
            b'?' => (Tok::Question, 1),
            b':' => (Tok::Colon, 1),
            b'<' => (Tok::Lt, 1),
            b'>' => (Tok::Gt, 1),
            b'!' => (Tok::Not, 1),
            b'=' => {
                return Err(Fault::new(
                    &(i..i + 1),
                    "expressions cannot assign (`=`): write `==` to compare",
                ));
            }
            b'*' | b'/' | b'%' | b'^' => {
                return Err(Fault::new(
                    &(i..i + 1),
                    format!(
                        "`{}` is not among Okta Expression Language's operators (`+`, `==`, `!=`, `<`, `>`, `<=`, `>=`, AND, OR, `!`, `?:`)",
                        c as char
                    ),
                ));
            }
            _ => {
                let ch = source[i..].chars().next().unwrap_or('\u{fffd}');
                return Err(Fault::new(
                    &(i..i + ch.len_utf8()),
                    format!("unexpected character {ch:?}"),
                ));
            }
        };
        tokens.push(Token {
            tok,
            span: start..start + len,
        });
        i += len;
    }
    tokens.push(Token {
        tok: Tok::End,
        span: source.len()..source.len(),
    });
    Ok(tokens)
}

/// A string literal starting at `start` (on its quote): its text and the index after it.
fn string(source: &str, start: usize) -> Result<(String, usize), Fault> {
    let quote = source.as_bytes()[start];
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(rest) = source.get(i..) {
        let Some(at) = rest.bytes().position(|b| b == quote) else {
            break;
        };
        text.push_str(&rest[..at]);
        i += at + 1;
        if source.as_bytes().get(i) == Some(&quote) {
            text.push(quote as char);
            i += 1;
        } else {
            return Ok((text, i));
        }
    }
    Err(Fault::new(
        &(start..source.len()),
        format!(
            "this string has no closing {} (a quote inside is doubled: {})",
            quote as char,
            if quote == b'\'' {
                "'it''s'"
            } else {
                "\"say \"\"hi\"\"\""
            }
        ),
    ))
}

/// A number starting at `start`: an `int`, or a `double` with a fraction or an exponent.
fn number(source: &str, start: usize) -> Result<(Tok, usize), Fault> {
    let bytes = source.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| from + n)
    };
    let mut end = digits(start);
    let mut real = false;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        real = true;
        end = digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut exp = end + 1;
        if matches!(bytes.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        if bytes.get(exp).is_some_and(u8::is_ascii_digit) {
            real = true;
            end = digits(exp);
        }
    }
    let text = &source[start..end];
    if bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        let stop = bytes[end..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(bytes.len(), |n| end + n);
        return Err(Fault::new(
            &(start..stop),
            format!("`{}` is not a number", &source[start..stop]),
        ));
    }
    if real {
        text.parse::<f64>()
            .map(|x| (Tok::Num(x), end))
            .map_err(|_| Fault::new(&(start..end), format!("`{text}` is not a number")))
    } else {
        text.parse::<i32>()
            .map(|n| (Tok::Int(n), end))
            .map_err(|_| {
                Fault::new(
                    &(start..end),
                    format!("{text} is too large for an Integer (at most 2147483647)"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::{Tok, tokenize};

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s)
            .expect("tokenizes")
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn strings_double_their_quote_and_keep_backslashes() {
        assert_eq!(
            toks(r#"'it''s' "a""b" "\""#),
            [
                Tok::Str("it's".into()),
                Tok::Str("a\"b".into()),
                Tok::Str("\\".into()),
                Tok::End
            ]
        );
    }

    #[test]
    fn numbers_and_operators() {
        assert_eq!(
            toks("1 3.5 2e3 x?:y<=1"),
            [
                Tok::Int(1),
                Tok::Num(3.5),
                Tok::Num(2000.0),
                Tok::Ident("x".into()),
                Tok::Elvis,
                Tok::Ident("y".into()),
                Tok::Le,
                Tok::Int(1),
                Tok::End
            ]
        );
    }

    #[test]
    fn faults_point_at_the_fault() {
        let fault = tokenize("a && b").expect_err("not an operator");
        assert_eq!(fault.span, 2..4);
        assert!(fault.message.contains("AND"));
        assert_eq!(tokenize("'abc").expect_err("unclosed").span, 0..4);
        assert!(tokenize("99999999999").is_err());
        assert!(tokenize("é").is_err());
    }
}
