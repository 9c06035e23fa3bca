//! The text arena: the first phase's ids, usernames and person's names, in chunks kept as
//! the threads preparing rows wrote them.

use std::ops::Range;

use super::Invariant;

/// The first phase's text (ids, usernames, given and family names): each batch's, kept as
/// the thread that prepared the batch wrote it, instead of copied row by row on the thread
/// claiming the rows; the first chunk is the store's own, for short batches and the rows it
/// works out itself.
#[derive(Debug)]
pub(super) struct Texts {
    pub(super) chunks: Vec<String>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            chunks: vec![String::new()],
        }
    }
}

/// Where a batch's text went in [`Texts`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    pub(super) chunk: u32,
    pub(super) base: u64,
}

impl Place {
    /// Where a piece of the batch's text is now.
    pub(super) fn span(self, range: &Range<u32>) -> Span {
        Span {
            at: self.base + u64::from(range.start),
            chunk: self.chunk,
            len: range.end.saturating_sub(range.start),
        }
    }
}

/// Where a piece of text is in [`Texts`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Span {
    pub(super) at: u64,
    pub(super) chunk: u32,
    pub(super) len: u32,
}

impl Texts {
    pub(super) fn get(&self, span: Span) -> &str {
        let start = usize::try_from(span.at).unwrap_or(usize::MAX);
        (self.chunks.get(span.chunk as usize))
            .and_then(|c| c.get(start..start.saturating_add(span.len as usize)))
            .invariant("a span the arena handed out")
    }

    /// Copies `s` into the store's own chunk (cut at a character boundary to 4 GiB).
    pub(super) fn own(&mut self, s: &str) -> Span {
        let s = cut(s, u32::MAX as usize);
        let Some(own) = self.chunks.first_mut() else {
            return Span::default();
        };
        let at = own.len() as u64;
        own.push_str(s);
        Span {
            at,
            chunk: 0,
            len: s.len() as u32,
        }
    }

    /// Takes a batch's text: keeps it as a chunk when it is long, else copies it into the
    /// own chunk (and leaves it to the batch to reuse). Gives the chunk and where the text
    /// starts in it.
    pub(super) fn adopt(&mut self, text: &mut String, keep_text: usize) -> (u32, u64) {
        if text.len() >= keep_text {
            // Shrinking a block in place copies nothing.
            text.shrink_to_fit();
            self.chunks.push(std::mem::take(text));
            return (self.chunks.len() as u32 - 1, 0);
        }
        let Some(own) = self.chunks.first_mut() else {
            return (0, 0);
        };
        let base = own.len() as u64;
        own.push_str(text);
        text.clear();
        (0, base)
    }
}

pub(super) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).invariant("a character boundary")
}
