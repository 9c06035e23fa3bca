//! The syntax tree of an Okta expression and the recursive-descent parser that builds it.
//!
//! Precedence, lowest first, as in SpEL: `c ? a : b` and `x ?: d` (right-associative), `OR`,
//! `AND`, the comparisons (`==`, `!=`, `<`, `>`, `<=`, `>=`, `matches`; not chained), `+` and
//! `-`, the prefix `!` and `-`, then indexing `[i]` and the primaries.

use std::ops::Range;

use super::MAX_DEPTH;
use super::error::Fault;
use super::functions::{self, Func};
use super::lexer::{Tok, Token};
use super::value::Value;

/// Which profile an attribute reference reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    /// `user.*`: the Okta user profile.
    User,
    /// `appuser.*`: the in-context app user profile.
    AppUser,
    /// `source.*`: the left side of the mapping, which for Okta-to-app is the Okta user.
    Source,
}

impl Binding {
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Binding::User => "user",
            Binding::AppUser => "appuser",
            Binding::Source => "source",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    And,
    Or,
    Matches,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Lit(Value),
    Array(Vec<Node>),
    Attr {
        binding: Binding,
        name: String,
    },
    /// `user.getInternalProperty("id")` (true) or `("status")` (false).
    Internal {
        id: bool,
    },
    Call {
        func: Func,
        args: Vec<Node>,
    },
    Index {
        target: Box<Node>,
        index: Box<Node>,
    },
    Not(Box<Node>),
    Neg(Box<Node>),
    Binary {
        op: BinOp,
        left: Box<Node>,
        right: Box<Node>,
    },
    /// `a + b - c`, `a AND b AND c`, `a OR b`: operators of one precedence level, left to right.
    Chain {
        first: Box<Node>,
        rest: Vec<(BinOp, Node)>,
    },
    Cond {
        cond: Box<Node>,
        then: Box<Node>,
        other: Box<Node>,
    },
    Elvis {
        value: Box<Node>,
        default: Box<Node>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) span: Range<usize>,
}

impl Node {
    /// Calls `f` on this node and every node under it, parents first.
    pub(crate) fn walk(&self, f: &mut dyn FnMut(&Node)) {
        f(self);
        match &self.kind {
            Kind::Lit(_) | Kind::Attr { .. } | Kind::Internal { .. } => {}
            Kind::Array(items) | Kind::Call { args: items, .. } => {
                items.iter().for_each(|n| n.walk(f));
            }
            Kind::Not(n) | Kind::Neg(n) => n.walk(f),
            Kind::Chain { first, rest } => {
                first.walk(f);
                rest.iter().for_each(|(_, n)| n.walk(f));
            }
            Kind::Index {
                target: a,
                index: b,
            }
            | Kind::Binary {
                left: a, right: b, ..
            }
            | Kind::Elvis {
                value: a,
                default: b,
            } => {
                a.walk(f);
                b.walk(f);
            }
            Kind::Cond { cond, then, other } => {
                cond.walk(f);
                then.walk(f);
                other.walk(f);
            }
        }
    }
}

pub(crate) fn parse(tokens: &[Token]) -> Result<Node, Fault> {
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let node = p.expression()?;
    let next = p.peek();
    if next.tok != Tok::End {
        return Err(Fault::new(
            &next.span,
            format!(
                "expected an operator or the end of the expression, found {}",
                next.tok.describe()
            ),
        ));
    }
    Ok(node)
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    depth: usize,
}

fn boxed(n: Node) -> Box<Node> {
    Box::new(n)
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .unwrap_or(&END)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if &self.peek().tok == tok {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<Token, Fault> {
        if &self.peek().tok == tok {
            Ok(self.bump())
        } else {
            let t = self.peek();
            Err(Fault::new(
                &t.span,
                format!("expected {what}, found {}", t.tok.describe()),
            ))
        }
    }

    /// The word operator (`AND`, `OR`, `matches`, any case) at the cursor, if it is `word`.
    fn eat_word(&mut self, word: &str) -> bool {
        if let Tok::Ident(name) = &self.peek().tok
            && name.eq_ignore_ascii_case(word)
        {
            self.pos += 1;
            return true;
        }
        false
    }

    fn enter(&mut self) -> Result<(), Fault> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Fault::new(
                &self.peek().span,
                format!("the expression nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn expression(&mut self) -> Result<Node, Fault> {
        self.enter()?;
        let node = self.conditional();
        self.depth -= 1;
        node
    }

    fn conditional(&mut self) -> Result<Node, Fault> {
        let first = self.or()?;
        if self.eat(&Tok::Elvis) {
            let default = self.expression()?;
            let span = first.span.start..default.span.end;
            return Ok(Node {
                kind: Kind::Elvis {
                    value: boxed(first),
                    default: boxed(default),
                },
                span,
            });
        }
        if self.eat(&Tok::Question) {
            let then = self.expression()?;
            self.expect(&Tok::Colon, "`:` and the value when the condition is false")?;
            let other = self.expression()?;
            let span = first.span.start..other.span.end;
            return Ok(Node {
                kind: Kind::Cond {
                    cond: boxed(first),
                    then: boxed(then),
                    other: boxed(other),
                },
                span,
            });
        }
        Ok(first)
    }

    fn binary(op: BinOp, left: Node, right: Node) -> Node {
        let span = left.span.start..right.span.end;
        Node {
            kind: Kind::Binary {
                op,
                left: boxed(left),
                right: boxed(right),
            },
            span,
        }
    }

    /// `first` alone, or a chain of one precedence level (evaluated in a loop, so that a long
    /// chain is not a deep tree).
    fn chain(first: Node, rest: Vec<(BinOp, Node)>) -> Node {
        let Some((_, last)) = rest.last() else {
            return first;
        };
        let span = first.span.start..last.span.end;
        Node {
            kind: Kind::Chain {
                first: boxed(first),
                rest,
            },
            span,
        }
    }

    fn or(&mut self) -> Result<Node, Fault> {
        let first = self.and()?;
        let mut rest = Vec::new();
        while self.eat_word("or") {
            rest.push((BinOp::Or, self.and()?));
        }
        Ok(Self::chain(first, rest))
    }

    fn and(&mut self) -> Result<Node, Fault> {
        let first = self.comparison()?;
        let mut rest = Vec::new();
        while self.eat_word("and") {
            rest.push((BinOp::And, self.comparison()?));
        }
        Ok(Self::chain(first, rest))
    }

    fn comparison(&mut self) -> Result<Node, Fault> {
        let left = self.sum()?;
        if self.eat_word("matches") {
            let right = self.sum()?;
            return Ok(Self::binary(BinOp::Matches, left, right));
        }
        let op = match self.peek().tok {
            Tok::Eq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Lt => BinOp::Lt,
            Tok::Gt => BinOp::Gt,
            Tok::Le => BinOp::Le,
            Tok::Ge => BinOp::Ge,
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.sum()?;
        Ok(Self::binary(op, left, right))
    }

    fn sum(&mut self) -> Result<Node, Fault> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek().tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(Self::chain(first, rest)),
            };
            self.pos += 1;
            rest.push((op, self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Node, Fault> {
        let start = self.peek().span.start;
        let make: fn(Box<Node>) -> Kind = match self.peek().tok {
            Tok::Not => Kind::Not,
            Tok::Minus => Kind::Neg,
            Tok::Plus => {
                self.pos += 1;
                return self.unary();
            }
            _ if matches!(&self.peek().tok, Tok::Ident(w) if w.eq_ignore_ascii_case("not")) => {
                Kind::Not
            }
            _ => return self.postfix(),
        };
        self.pos += 1;
        self.enter()?;
        let operand = self.unary();
        self.depth -= 1;
        let operand = operand?;
        let span = start..operand.span.end;
        Ok(Node {
            kind: make(boxed(operand)),
            span,
        })
    }

    fn postfix(&mut self) -> Result<Node, Fault> {
        let mut node = self.primary()?;
        let outer = self.depth;
        loop {
            if self.eat(&Tok::LBracket) {
                self.enter()?;
                let index = self.expression()?;
                let close = self.expect(&Tok::RBracket, "`]` after the index")?;
                let span = node.span.start..close.span.end;
                node = Node {
                    kind: Kind::Index {
                        target: boxed(node),
                        index: boxed(index),
                    },
                    span,
                };
            } else if self.peek().tok == Tok::Dot {
                let dot = self.bump();
                let name = match self.peek().tok.clone() {
                    Tok::Ident(name) => name,
                    _ => String::new(),
                };
                return Err(Fault::new(
                    &(dot.span.start..self.peek().span.end),
                    format!(
                        "`.{name}` after a value: Okta Expression Language mappings read attributes as user.NAME or appuser.NAME and call functions as String.NAME(...), Arrays.NAME(...) or Convert.NAME(...)"
                    ),
                ));
            } else {
                self.depth = outer;
                return Ok(node);
            }
        }
    }

    fn arguments(&mut self, name: &str) -> Result<(Vec<Node>, usize), Fault> {
        self.expect(&Tok::LParen, &format!("`(` after {name}"))?;
        let mut args = Vec::new();
        if let Some(close) = self.peek_is(&Tok::RParen) {
            self.pos += 1;
            return Ok((args, close));
        }
        loop {
            args.push(self.expression()?);
            if let Some(close) = self.peek_is(&Tok::RParen) {
                self.pos += 1;
                return Ok((args, close));
            }
            if !self.eat(&Tok::Comma) {
                let t = self.peek();
                return Err(Fault::new(
                    &t.span,
                    format!(
                        "expected `,` or `)` after an argument of {name}, found {}",
                        t.tok.describe()
                    ),
                ));
            }
        }
    }

    /// The end of the current token's span when it is `tok`.
    fn peek_is(&self, tok: &Tok) -> Option<usize> {
        (&self.peek().tok == tok).then(|| self.peek().span.end)
    }

    fn primary(&mut self) -> Result<Node, Fault> {
        let token = self.bump();
        let span = token.span.clone();
        let lit = |v: Value| {
            Ok(Node {
                kind: Kind::Lit(v),
                span: span.clone(),
            })
        };
        match token.tok {
            Tok::Str(s) => lit(Value::String(s)),
            Tok::Int(n) => lit(Value::Int(n)),
            Tok::Num(x) => lit(Value::Number(x)),
            Tok::LParen => {
                let inner = self.expression()?;
                let close = self.expect(&Tok::RParen, "`)`")?;
                Ok(Node {
                    kind: inner.kind,
                    span: span.start..close.span.end,
                })
            }
            Tok::LBrace => {
                let mut items = Vec::new();
                if !self.eat(&Tok::RBrace) {
                    loop {
                        items.push(self.expression()?);
                        if self.eat(&Tok::RBrace) {
                            break;
                        }
                        self.expect(&Tok::Comma, "`,` or `}` in the array")?;
                    }
                }
                let end = self
                    .tokens
                    .get(self.pos.saturating_sub(1))
                    .map_or(span.end, |t| t.span.end);
                Ok(Node {
                    kind: Kind::Array(items),
                    span: span.start..end,
                })
            }
            Tok::Ident(word) => self.named(word, span),
            other => Err(Fault::new(
                &span,
                format!(
                    "expected a value (a string, a number, user.NAME, a function call, `(`, `{{`), found {}",
                    other.describe()
                ),
            )),
        }
    }

    /// What follows a name: a literal word, an attribute, a function call.
    fn named(&mut self, word: String, span: Range<usize>) -> Result<Node, Fault> {
        let lower = word.to_ascii_lowercase();
        let lit = |v: Value| {
            Ok(Node {
                kind: Kind::Lit(v),
                span: span.clone(),
            })
        };
        match lower.as_str() {
            "true" => return lit(Value::Bool(true)),
            "false" => return lit(Value::Bool(false)),
            "null" => return lit(Value::Null),
            _ => {}
        }
        if self.peek().tok == Tok::LParen {
            let func = functions::lookup(&word).map_err(|m| Fault::new(&span, m))?;
            return self.call(func, &word, span);
        }
        if self.peek().tok != Tok::Dot {
            return Err(Fault::new(
                &span,
                format!(
                    "`{word}` alone is not bound to anything: write user.{word} (the Okta profile) or appuser.{word} (the app user profile)"
                ),
            ));
        }
        self.pos += 1;
        let member = self.bump();
        let Tok::Ident(member_name) = member.tok else {
            return Err(Fault::new(
                &member.span,
                format!(
                    "expected a name after `{word}.`, found {}",
                    member.tok.describe()
                ),
            ));
        };
        let full = span.start..member.span.end;
        let binding = match word.as_str() {
            "user" => Some(Binding::User),
            "appuser" => Some(Binding::AppUser),
            "source" => Some(Binding::Source),
            _ => None,
        };
        if word == "user" && member_name == "getInternalProperty" {
            let (args, end) = self.arguments("user.getInternalProperty")?;
            let id = match args.as_slice() {
                [
                    Node {
                        kind: Kind::Lit(Value::String(p)),
                        ..
                    },
                ] if p == "id" => true,
                [
                    Node {
                        kind: Kind::Lit(Value::String(p)),
                        ..
                    },
                ] if p == "status" => false,
                _ => {
                    return Err(Fault::new(
                        &(full.start..end),
                        "user.getInternalProperty takes \"id\" or \"status\"",
                    ));
                }
            };
            return Ok(Node {
                kind: Kind::Internal { id },
                span: full.start..end,
            });
        }
        if self.peek().tok == Tok::LParen || binding.is_none() {
            let qualified = format!("{word}.{member_name}");
            if self.peek().tok == Tok::LParen {
                let func = functions::lookup(&qualified).map_err(|m| Fault::new(&full, m))?;
                return self.call(func, &qualified, full);
            }
            return Err(Fault::new(
                &full,
                format!(
                    "`{qualified}` cannot be evaluated offline: only user.*, appuser.* and source.* attributes are bound (app, org, session and IdP properties are not in an export)"
                ),
            ));
        }
        Ok(Node {
            kind: Kind::Attr {
                binding: binding.unwrap_or(Binding::User),
                name: member_name,
            },
            span: full,
        })
    }

    fn call(&mut self, func: Func, name: &str, span: Range<usize>) -> Result<Node, Fault> {
        let (args, end) = self.arguments(name)?;
        let full = span.start..end;
        functions::check_arity(func, args.len()).map_err(|m| Fault::new(&full, m))?;
        Ok(Node {
            kind: Kind::Call { func, args },
            span: full,
        })
    }
}

static END: Token = Token {
    tok: Tok::End,
    span: 0..0,
};
