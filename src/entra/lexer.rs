//! Splits an expression into tokens, each with its byte span.

use std::ops::Range;

use super::ast::CmpOp;
use super::error::Error;

/// A token of the expression language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// `[name]`, without the brackets.
    Attribute(String),
    /// `"text"`, unescaped.
    Str(String),
    /// `42`, `-10`, `&HF7`.
    Number(i64),
    /// A function name or a constant such as `vbTextCompare`.
    Ident(String),
    LParen,
    RParen,
    Comma,
    Cmp(CmpOp),
    Eof,
}

impl Tok {
    /// How a token is named in "expected X, found Y" messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Tok::Attribute(_) => "an attribute",
            Tok::Str(_) => "a string",
            Tok::Number(_) => "a number",
            Tok::Ident(_) => "a name",
            Tok::LParen => "`(`",
            Tok::RParen => "`)`",
            Tok::Comma => "`,`",
            Tok::Cmp(_) => "a comparison operator",
            Tok::Eof => "the end of the expression",
        }
    }
}

/// An on-demand tokenizer; the parser pulls one token at a time.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Lexer<'a> {
        Lexer { src, pos: 0 }
    }

    fn err(&self, span: Range<usize>, message: impl Into<String>) -> Error {
        Error::new(self.src, span, message)
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn peek_second(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().nth(1))
    }

    /// The next token and its span.
    pub(crate) fn next_token(&mut self) -> Result<(Tok, Range<usize>), Error> {
        while let Some(c) = self.peek_char() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok((Tok::Eof, start..start));
        };
        let single = |lexer: &mut Lexer<'_>, tok: Tok| {
            lexer.pos += 1;
            Ok((tok, start..start + 1))
        };
        match c {
            '(' => single(self, Tok::LParen),
            ')' => single(self, Tok::RParen),
            ',' => single(self, Tok::Comma),
            '=' => single(self, Tok::Cmp(CmpOp::Eq)),
            '<' | '>' => {
                let two = match (c, self.peek_second()) {
                    ('<', Some('>')) => Some(CmpOp::Ne),
                    ('<', Some('=')) => Some(CmpOp::Le),
                    ('>', Some('=')) => Some(CmpOp::Ge),
                    _ => None,
                };
                if let Some(op) = two {
                    self.pos += 2;
                    Ok((Tok::Cmp(op), start..start + 2))
                } else {
                    let op = if c == '<' { CmpOp::Lt } else { CmpOp::Gt };
                    single(self, Tok::Cmp(op))
                }
            }
            '[' => self.attribute(start),
            '"' => self.string(start),
            '&' => self.hex(start),
            '-' | '0'..='9' => self.number(start),
            c if c.is_ascii_alphabetic() || c == '_' => {
                let len = self.src[start..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(self.src.len() - start);
                self.pos += len;
                Ok((Tok::Ident(self.src[start..start + len].to_owned()), start..start + len))
            }
            ']' => Err(self.err(start..start + 1, "unexpected `]` without a matching `[`")),
            '\'' => Err(self.err(
                start..start + 1,
                "strings are written in double quotes (\"text\"), not single quotes",
            )),
            '\u{201C}' | '\u{201D}' => Err(self.err(
                start..start + c.len_utf8(),
                "typographic quote: strings are written in straight double quotes (\"text\")",
            )),
            other => Err(self.err(
                start..start + other.len_utf8(),
                format!(
                    "unexpected character `{}`; expected an attribute in [brackets], a string in \"quotes\", a number or a function call",
                    other.escape_debug()
                ),
            )),
        }
    }

    fn attribute(&mut self, start: usize) -> Result<(Tok, Range<usize>), Error> {
        let rest = &self.src[start + 1..];
        let Some(len) = rest.find([']', '[', '\n']) else {
            return Err(self.err(
                start..self.src.len(),
                "unclosed `[`: expected `]` after the attribute name",
            ));
        };
        let end = start + 1 + len;
        if !rest[len..].starts_with(']') {
            return Err(self.err(
                start..end,
                "unclosed `[`: expected `]` after the attribute name",
            ));
        }
        let name = &rest[..len];
        if name.trim().is_empty() {
            return Err(self.err(
                start..end + 1,
                "empty attribute name: expected a name between `[` and `]`",
            ));
        }
        self.pos = end + 1;
        Ok((Tok::Attribute(name.to_owned()), start..end + 1))
    }

    fn string(&mut self, start: usize) -> Result<(Tok, Range<usize>), Error> {
        let mut out = String::new();
        let mut i = start + 1;
        loop {
            let Some(c) = self.src.get(i..).and_then(|s| s.chars().next()) else {
                return Err(self.err(start..start + 1, "unclosed string: expected a closing `\"`"));
            };
            match c {
                '"' => {
                    self.pos = i + 1;
                    return Ok((Tok::Str(out), start..i + 1));
                }
                '\\' => match self.src.get(i + 1..).and_then(|s| s.chars().next()) {
                    Some(e @ ('"' | '\\')) => {
                        out.push(e);
                        i += 2;
                    }
                    Some(other) => {
                        return Err(self.err(
                            i..i + 1 + other.len_utf8(),
                            format!(
                                "unknown escape `\\{}` in a string: only `\\\"` and `\\\\` are escapes, so write `\\\\` for a backslash",
                                other.escape_debug()
                            ),
                        ));
                    }
                    None => {
                        return Err(
                            self.err(start..start + 1, "unclosed string: expected a closing `\"`")
                        );
                    }
                },
                c => {
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<(Tok, Range<usize>), Error> {
        let digits_start = if self.src[start..].starts_with('-') {
            start + 1
        } else {
            start
        };
        let len = self.src[digits_start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.src.len() - digits_start);
        let end = digits_start + len;
        if len == 0 {
            return Err(self.err(start..start + 1, "expected digits after `-`"));
        }
        if self.src[end..].starts_with(|c: char| c == '.' || c.is_ascii_alphabetic()) {
            return Err(self.err(start..end + 1, "only whole numbers are allowed here"));
        }
        let text = &self.src[start..end];
        let value = text
            .parse::<i64>()
            .map_err(|_| self.err(start..end, "number out of range"))?;
        self.pos = end;
        Ok((Tok::Number(value), start..end))
    }

    fn hex(&mut self, start: usize) -> Result<(Tok, Range<usize>), Error> {
        if !self.src[start..].starts_with("&H") {
            return Err(self.err(
                start..start + 1,
                "unexpected `&`: hexadecimal numbers are written `&HFF`",
            ));
        }
        let digits = start + 2;
        let len = self.src[digits..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(self.src.len() - digits);
        let end = digits + len;
        let value = i64::from_str_radix(&self.src[digits..end], 16).map_err(|_| {
            self.err(
                start..end,
                "expected hexadecimal digits after `&H`, at most 15 of them",
            )
        })?;
        self.pos = end;
        Ok((Tok::Number(value), start..end))
    }
}
