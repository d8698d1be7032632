//! Whether the addresses articles point at lead somewhere: inside the site (`internal`, which
//! every build runs) and on other sites (`external`, which `midad check --external` runs).

pub mod external;
pub mod internal;
