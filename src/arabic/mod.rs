//! Arabic text, done right: the pure text layer of midad.
//!
//! Everything that makes midad Arabic-first and is not HTML lives here: slugs that keep Arabic
//! words ([`slug`]), text direction from strong characters ([`direction`]), digit styles
//! ([`digits`]), regional month names and the Umm al-Qura Hijri calendar through ICU4X
//! ([`date`]), reading time with correct Arabic number agreement ([`reading_time`]),
//! gender-agreeing bylines ([`byline`]), word-boundary excerpts ([`excerpt`]) and search
//! normalisation and light stemming ([`normalize`]). README's "Arabic, done right" says what
//! users see of it.
//!
//! **Invariant:** this module is a leaf. It does no I/O, knows nothing of Tera, Markdown or
//! `Config`, and takes every option as an explicit argument; templates reach it through thin
//! filters in `templates::filters`.

pub mod byline;
pub mod date;
pub mod digits;
pub mod direction;
pub mod excerpt;
pub mod normalize;
pub mod reading_time;
pub mod slug;

#[cfg(test)]
mod arbitrary;
mod hijri;
mod script;
mod translit;
