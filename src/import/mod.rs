//! Moving a site in: `midad import wordpress` reads another system's export and writes a midad
//! site (articles, sections, tags, authors, media, aliases for the old addresses).

pub mod wordpress;
