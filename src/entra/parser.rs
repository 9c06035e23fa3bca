//! A recursive-descent parser with a depth limit, so hostile input gets an error, never a stack
//! overflow.

use super::ast::{Node, NodeKind};
use super::error::Error;
use super::functions::{self, Arity};
use super::lexer::{Lexer, Tok};
use super::{MAX_DEPTH, MAX_EXPRESSION_LEN};

use std::ops::Range;

pub(crate) fn parse(src: &str) -> Result<Node, Error> {
    if src.len() > MAX_EXPRESSION_LEN {
        return Err(Error::new(
            src,
            0..src.len(),
            format!(
                "the expression is {} bytes long; the limit is {MAX_EXPRESSION_LEN} bytes",
                src.len()
            ),
        ));
    }
    let mut parser = Parser {
        src,
        lexer: Lexer::new(src),
        peeked: None,
    };
    let node = parser.expr(0)?;
    let (tok, span) = parser.next()?;
    if tok != Tok::Eof {
        let hint = if tok == Tok::Comma {
            "; arguments go inside a function call's parentheses"
        } else {
            ""
        };
        return Err(parser.err(
            span,
            format!(
                "expected the end of the expression, found {}{hint}",
                tok.describe()
            ),
        ));
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<(Tok, Range<usize>)>,
}

impl Parser<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> Error {
        Error::new(self.src, span, message)
    }

    fn next(&mut self) -> Result<(Tok, Range<usize>), Error> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Result<&(Tok, Range<usize>), Error> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        match &self.peeked {
            Some(t) => Ok(t),
            None => Err(self.err(0..0, "internal parser error")),
        }
    }

    /// `operand [op operand]`: comparisons do not chain.
    fn expr(&mut self, depth: usize) -> Result<Node, Error> {
        let left = self.operand(depth)?;
        let Tok::Cmp(op) = self.peek()?.0 else {
            return Ok(left);
        };
        self.next()?;
        let right = self.operand(depth)?;
        if let (Tok::Cmp(_), span) = self.peek()? {
            let span = span.clone();
            return Err(self.err(
                span,
                "comparisons cannot be chained; nest IIF calls to combine conditions",
            ));
        }
        let span = left.span.start..right.span.end;
        Ok(Node {
            kind: NodeKind::Compare {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            span,
        })
    }

    fn operand(&mut self, depth: usize) -> Result<Node, Error> {
        let (tok, span) = self.next()?;
        let kind = match tok {
            Tok::Attribute(name) => NodeKind::Attribute(name),
            Tok::Str(text) => NodeKind::String(text),
            Tok::Number(n) => NodeKind::Number(n),
            Tok::Ident(name) => {
                if self.peek()?.0 == Tok::LParen {
                    return self.call(name, span, depth);
                }
                return self.constant(name, span);
            }
            other => {
                let hint = match other {
                    Tok::LParen => "; parentheses only follow a function name",
                    _ => "",
                };
                return Err(self.err(
                    span,
                    format!(
                        "expected an attribute in [brackets], a string in \"quotes\", a number or a function call, found {}{hint}",
                        other.describe()
                    ),
                ));
            }
        };
        Ok(Node { kind, span })
    }

    fn constant(&self, name: String, span: Range<usize>) -> Result<Node, Error> {
        if functions::CONSTANTS.iter().any(|(c, _)| *c == name) {
            return Ok(Node {
                kind: NodeKind::Constant(name),
                span,
            });
        }
        let message = if functions::lookup(&name).is_some() {
            format!("expected `(` after the function name `{name}`")
        } else if let Some((c, _)) = functions::CONSTANTS
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(&name))
        {
            format!("unknown name `{name}`; did you mean `{c}`? Names are case-sensitive")
        } else {
            format!(
                "unknown name `{name}`; attributes are written in [brackets] and strings in \"quotes\""
            )
        };
        Err(self.err(span, message))
    }

    fn call(&mut self, name: String, name_span: Range<usize>, depth: usize) -> Result<Node, Error> {
        if depth >= MAX_DEPTH {
            return Err(self.err(
                name_span,
                format!("functions are nested more than {MAX_DEPTH} deep"),
            ));
        }
        let Some(signature) = functions::lookup(&name) else {
            let message = match functions::lookup_ignore_case(&name) {
                Some(real) => format!(
                    "unknown function `{name}`; did you mean `{}`? Function names are case-sensitive",
                    real.name
                ),
                None => format!("unknown function `{name}`"),
            };
            return Err(self.err(name_span, message));
        };
        self.next()?; // `(`
        let mut args: Vec<Option<Node>> = Vec::new();
        let end;
        if self.peek()?.0 == Tok::RParen {
            end = self.next()?.1.end;
        } else {
            loop {
                let arg = match self.peek()?.0 {
                    Tok::Comma | Tok::RParen => None,
                    _ => Some(self.expr(depth + 1)?),
                };
                args.push(arg);
                let (tok, span) = self.next()?;
                match tok {
                    Tok::Comma => continue,
                    Tok::RParen => {
                        end = span.end;
                        break;
                    }
                    other => {
                        return Err(self.err(
                            span,
                            format!(
                                "expected `,` or `)` after an argument of {name}, found {}",
                                other.describe()
                            ),
                        ));
                    }
                }
            }
        }
        let span = name_span.start..end;
        check_arity(
            self.src,
            &name,
            signature.arity,
            args.len(),
            signature.params,
            &span,
        )?;
        Ok(Node {
            kind: NodeKind::Call { name, args },
            span,
        })
    }
}

fn check_arity(
    src: &str,
    name: &str,
    arity: Arity,
    count: usize,
    params: &str,
    span: &Range<usize>,
) -> Result<(), Error> {
    let ok = match arity {
        Arity::Exactly(n) => count == n,
        Arity::Between(lo, hi) => (lo..=hi).contains(&count),
        Arity::AtLeast(n) => count >= n,
        Arity::Pairs(n) => count >= n && (count - n).is_multiple_of(2) && count > n,
    };
    if ok {
        return Ok(());
    }
    let wanted = match arity {
        Arity::Exactly(n) => format!("{n}"),
        Arity::Between(lo, hi) => format!("{lo} to {hi}"),
        Arity::AtLeast(n) => format!("at least {n}"),
        Arity::Pairs(n) => format!("{n} followed by key/value pairs"),
    };
    let plural = if count == 1 { "" } else { "s" };
    Err(Error::new(
        src,
        span.clone(),
        format!(
            "{name} takes {wanted} arguments ({name}({params})), found {count} argument{plural}; leave unused arguments empty, as in `F(a, , c)`"
        ),
    ))
}
