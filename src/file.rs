//! Writing one file whose folder may not exist yet, for the commands that make files outside the
//! output: `midad init` and `midad new` (`start`), `midad import` (`import`) and the built-in
//! theme written out to the cache (`theme`). The output folder is `output`'s alone: it stages and
//! swaps, and does not use this. And reading a large file of lines a few megabytes at a time.

use std::io::Read;
use std::path::Path;

/// Reads `reader` to its end about `chunk` bytes at a time, and calls `lines` with each run of
/// whole lines read (without the last newline; a line longer than `chunk` comes whole, alone),
/// then with what follows the last newline, if anything. One buffer is reused throughout, so
/// a file of hundreds of megabytes costs `chunk` bytes of memory, not its size.
pub(crate) fn for_each_lines(
    mut reader: impl Read,
    chunk: usize,
    mut lines: impl FnMut(&[u8]),
) -> std::io::Result<()> {
    let mut buffer = vec![0; chunk.max(1)];
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            // No newline in a whole buffer: a line longer than it.
            buffer.resize(buffer.len() * 2, 0);
        }
        let read = match reader.read(&mut buffer[filled..]) {
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if read == 0 {
            if filled > 0 {
                lines(&buffer[..filled]);
            }
            return Ok(());
        }
        filled += read;
        if let Some(last) = buffer[..filled].iter().rposition(|&b| b == b'\n') {
            lines(&buffer[..last]);
            buffer.copy_within(last + 1..filled, 0);
            filled -= last + 1;
        }
    }
}

/// Writes `contents` to `path`, making its parent folders first.
pub(crate) fn write_creating_parents(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str, chunk: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for_each_lines(text.as_bytes(), chunk, |run| {
            lines
                .extend(run.split(|&b| b == b'\n').map(|l| String::from_utf8_lossy(l).into_owned()))
        })
        .unwrap();
        lines
    }

    #[test]
    fn every_line_comes_whole_whatever_the_chunk() {
        let text = "سطر أول\nthe second, longer than a chunk of eight\n\nرابع";
        let expected: Vec<&str> = text.split('\n').collect();
        for chunk in [1, 3, 8, 64, 1 << 20] {
            assert_eq!(runs(text, chunk), expected, "chunk {chunk}");
        }
        assert_eq!(runs("a\nb\n", 2), ["a", "b"]);
        assert!(runs("", 4).is_empty());
    }
}
