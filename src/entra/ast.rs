//! The syntax tree of an expression. Every node keeps its byte span; two trees are equal when
//! they have the same shape and content, whatever their spans.

use std::fmt;
use std::ops::Range;

/// A node of the syntax tree with its byte span in the expression.
///
/// ```
/// use usernorm::entra::{Expression, NodeKind};
///
/// let expr = Expression::parse(r#"Append([givenName], "x")"#)?;
/// let NodeKind::Call { name, args } = &expr.root().kind else { unreachable!() };
/// assert_eq!(name, "Append");
/// assert_eq!(args[0].as_ref().map(|a| a.span.clone()), Some(7..18));
/// # Ok::<(), usernorm::entra::ParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// Where it is in the expression, in bytes.
    pub span: Range<usize>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        self.kind == other.kind
    }
}

impl Eq for Node {}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// `[name]`: a source attribute.
    Attribute(String),
    /// `"text"`: a string constant, unescaped.
    String(String),
    /// `42`, `-10` or `&HF7`: a whole number.
    Number(i64),
    /// A bare name that is not a call, such as `vbTextCompare`.
    Constant(String),
    /// `Name(arg, , arg)`: a function call; `None` is an empty (omitted) argument.
    Call {
        /// The function's name, case-sensitive.
        name: String,
        /// The arguments; `None` where the argument is left empty.
        args: Vec<Option<Node>>,
    },
    /// `left = right` and the other comparisons, as used in `IIF` conditions.
    Compare {
        /// The operator.
        op: CmpOp,
        /// The left operand.
        left: Box<Node>,
        /// The right operand.
        right: Box<Node>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as written.
    ///
    /// ```
    /// assert_eq!(usernorm::entra::CmpOp::Ne.as_str(), "<>");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl fmt::Display for Node {
    /// Prints the node back as a valid expression that parses to the same tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            NodeKind::Attribute(name) => write!(f, "[{name}]"),
            NodeKind::String(text) => {
                f.write_str("\"")?;
                for c in text.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
            NodeKind::Number(n) => write!(f, "{n}"),
            NodeKind::Constant(name) => f.write_str(name),
            NodeKind::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if let Some(arg) = arg {
                        write!(f, "{arg}")?;
                    }
                }
                f.write_str(")")
            }
            NodeKind::Compare { op, left, right } => {
                write!(f, "{left} {} {right}", op.as_str())
            }
        }
    }
}

impl Node {
    /// Calls `visit` on this node and every node below it, parents first.
    pub(crate) fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Node)) {
        visit(self);
        match &self.kind {
            NodeKind::Call { args, .. } => {
                for arg in args.iter().flatten() {
                    arg.walk(visit);
                }
            }
            NodeKind::Compare { left, right, .. } => {
                left.walk(visit);
                right.walk(visit);
            }
            _ => {}
        }
    }
}
