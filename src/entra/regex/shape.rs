//! The structure of a pattern as far as JavaScript needs it: which repeated parts can match
//! empty text.

/// A group being read, for [`Shape`].
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Whether the current branch can match empty text so far.
    seq_nullable: bool,
    /// Whether an earlier branch can match empty text.
    branch_nullable: bool,
    /// Whether a capturing group, a lazy quantifier or an alternation is inside.
    risky: bool,
    /// Whether the group itself captures.
    capturing: bool,
}

impl Frame {
    fn new(capturing: bool) -> Frame {
        Frame {
            seq_nullable: true,
            branch_nullable: false,
            risky: false,
            capturing,
        }
    }
}

/// The structure of the pattern as far as JavaScript needs it: a repeated part that can match
/// empty text. There the `regex` crate may take an empty iteration, whose captures replace the
/// earlier ones, and which a lazy quantifier or an empty alternative prefers; JavaScript
/// refuses empty iterations. Such a part is refused when it captures, is lazy or has
/// alternatives inside; a greedy one without them matches the same in both.
#[derive(Debug)]
pub(super) struct Shape {
    outer: Vec<Frame>,
    current: Frame,
    /// The atom before a quantifier: whether it can match empty text, whether it is risky
    /// (see [`Frame::risky`]).
    pub(super) last: Option<(bool, bool)>,
    pub(super) after_quantifier: bool,
}

impl Shape {
    pub(super) fn new() -> Shape {
        Shape {
            outer: Vec::new(),
            current: Frame::new(false),
            last: None,
            after_quantifier: false,
        }
    }

    fn commit(&mut self) {
        if let Some((nullable, risky)) = self.last.take() {
            self.current.seq_nullable &= nullable;
            self.current.risky |= risky;
        }
        self.after_quantifier = false;
    }

    pub(super) fn atom(&mut self, nullable: bool) {
        self.commit();
        self.last = Some((nullable, false));
    }

    pub(super) fn open(&mut self, capturing: bool) {
        self.commit();
        self.outer
            .push(std::mem::replace(&mut self.current, Frame::new(capturing)));
    }

    pub(super) fn alternative(&mut self) {
        self.commit();
        self.current.branch_nullable |= self.current.seq_nullable;
        self.current.seq_nullable = true;
        self.current.risky = true;
    }

    pub(super) fn close(&mut self) {
        self.commit();
        let done = self.current;
        if let Some(outer) = self.outer.pop() {
            self.current = outer;
        }
        self.last = Some((
            done.branch_nullable || done.seq_nullable,
            done.risky || done.capturing,
        ));
    }

    /// A quantifier; false when it repeats a risky part that can match empty text.
    pub(super) fn quantifier(&mut self, min_zero: bool) -> bool {
        self.after_quantifier = true;
        match &mut self.last {
            Some((nullable, risky)) => {
                let same = !(*nullable && *risky);
                *nullable |= min_zero;
                same
            }
            None => true,
        }
    }
}
