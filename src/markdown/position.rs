//! Positions in a body: byte offsets as lines and columns, and offsets of a body with its
//! shortcode calls cut out taken back to the body as written.

/// A byte offset of a text with its line and column.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cursor {
    offset: usize,
    line: u32,
    line_start: usize,
}

impl Default for Cursor {
    fn default() -> Self {
        Cursor { offset: 0, line: 1, line_start: 0 }
    }
}

impl Cursor {
    /// Moves to `offset` of `src` and gives its 1-based line and column (in characters).
    pub(super) fn advance(&mut self, src: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(src.len());
        while !src.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Cursor::default();
        }
        let passed = &src[self.offset..offset];
        if let Some(last) = passed.rfind('\n') {
            self.line += u32::try_from(passed.matches('\n').count()).unwrap_or(u32::MAX);
            self.line_start = self.offset + last + 1;
        }
        self.offset = offset;
        let column = src[self.line_start..offset].chars().count() + 1;
        (self.line, u32::try_from(column).unwrap_or(u32::MAX))
    }
}

/// Takes byte offsets of a scanned body back to the body as written: a list of stretches, each
/// either copied (offsets move together) or a placeholder (all of it maps to its call's start).
#[derive(Debug, Default)]
pub(super) struct OffsetMap {
    /// `(offset in the scanned body, offset as written, copied)`, by offset.
    stretches: Vec<(usize, usize, bool)>,
}

impl OffsetMap {
    /// Starts a stretch at `scanned` in the scanned body, at `written` in the body as written.
    pub(super) fn push(&mut self, scanned: usize, written: usize, copied: bool) {
        self.stretches.push((scanned, written, copied));
    }

    /// Where offset `offset` of the scanned body is in the body as written.
    pub(super) fn written(&self, offset: usize) -> usize {
        let at = self.stretches.partition_point(|(scanned, _, _)| *scanned <= offset);
        match at.checked_sub(1).map(|i| self.stretches[i]) {
            Some((scanned, written, true)) => written + (offset - scanned),
            Some((_, written, false)) => written,
            None => offset,
        }
    }
}
