//! Excerpts: a summary cut at a word boundary with «…».
//!
//! Article lists, feeds and meta descriptions show the start of an article. Cutting at a byte or
//! character count can split an Arabic word in the middle of its letters (or a tashkeel from its
//! letter), which reads as a typo. [`excerpt`] cuts only between words, drops the punctuation
//! left dangling at the cut («، ؛ : -» …) and marks the cut with «…». It takes plain text:
//! removing Markdown and HTML tags, so a cut never falls inside one, is the Markdown layer's job.

/// Punctuation that must not end an excerpt before «…».
fn is_dangling(c: char) -> bool {
    const DANGLING: &[char] = &[
        '،', '؛', '؟', ',', ';', ':', '.', '!', '?', '-', '–', '—', '_', '(', '[', '{', '«', '“',
        '‘', '"', '\'', '/', '\\', '…', '\u{0640}',
    ];
    c.is_whitespace() || DANGLING.contains(&c)
}

/// The start of `text` (whitespace runs collapsed to one space) in at most `max_chars`
/// characters plus «…», cut between words, with trailing punctuation removed. Text that already
/// fits is returned whole, without «…». If the first word alone is longer than `max_chars` it is
/// kept whole rather than split.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let total =
        words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len().saturating_sub(1);
    if total <= max_chars {
        return words.join(" ");
    }
    let mut out = String::new();
    let mut n_chars = 0;
    for word in &words {
        let len = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if !out.is_empty() && n_chars + sep + len > max_chars {
            break;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        n_chars += sep + len;
    }
    let kept = out.trim_end_matches(is_dangling).len();
    out.truncate(kept);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, max_chars: usize, expect: &str) {
        assert_eq!(excerpt(input, max_chars), expect, "input: {input:?}, max {max_chars}");
    }

    #[test]
    fn excerpts() {
        let text = "أعلنت الحكومة المصرية، اليوم الأحد، موازنة العام المالي الجديد.";
        let cases = [
            (text, 200, text),
            (text, 64, text),
            (text, 30, "أعلنت الحكومة المصرية، اليوم…"),
            (text, 22, "أعلنت الحكومة المصرية…"),
            (text, 21, "أعلنت الحكومة…"),
            (text, 8, "أعلنت…"),
            (text, 3, "أعلنت…"),
            ("قال الوزير: «لن نتراجع» عن القرار", 12, "قال الوزير…"),
            ("قال الوزير: «لن نتراجع» عن القرار", 17, "قال الوزير: «لن…"),
            ("الأسعار — وفق التقرير — ارتفعت", 10, "الأسعار…"),
            ("السطر الأول\n\nالسطر   الثاني", 100, "السطر الأول السطر الثاني"),
            ("مُحَمَّدٌ رَسُولُ اللَّهِ", 12, "مُحَمَّدٌ…"),
            ("Apple تعلن عن iPhone جديد", 14, "Apple تعلن عن…"),
            ("", 10, ""),
            ("   ", 10, ""),
        ];
        for (input, max_chars, expect) in cases {
            check(input, max_chars, expect);
        }
    }

    mod properties {
        //! Properties of excerpts over random Arabic text, issue 17.

        use proptest::prelude::*;

        use super::super::*;
        use crate::arabic::arbitrary::text;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// An excerpt is the start of the text's words, at most `max_chars` long unless it
            /// is one word kept whole; a text that fits comes back whole, without «…».
            #[test]
            fn an_excerpt_is_the_start_of_the_text(text in text(), max_chars in 0..60usize) {
                let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let got = excerpt(&text, max_chars);
                if joined.chars().count() <= max_chars {
                    prop_assert_eq!(got, joined);
                } else {
                    let Some(kept) = got.strip_suffix('…') else {
                        return Err(TestCaseError::fail(format!("no «…» in {got:?}")));
                    };
                    prop_assert!(joined.starts_with(kept), "{:?} of {:?}", kept, joined);
                    prop_assert!(kept.chars().count() <= max_chars || !kept.contains(' '));
                }
            }
        }
    }
}
