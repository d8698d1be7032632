//! Whether the addresses articles point at lead somewhere: inside the site (`internal`).

pub mod internal;
