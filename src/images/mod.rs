//! Photos: every raster image a site ships, as a ladder of sizes and crops in modern formats,
//! made once per source content and kept in a cache outside the output.

pub mod codec;
