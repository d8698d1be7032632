//! Photos: every raster image a site ships, as a ladder of sizes and crops in modern formats,
//! made once per source content and kept in a cache outside the output.
//!
//! `gallery` probes the site's image files (format, upright size, hash) without decoding them;
//! `variants` says, from a probe alone, which files an image gets and the markup data naming
//! them; `photos` answers the build's questions (a lead photo, an inline photo, a portrait, the
//! share images, every file to make); `process` makes what `store`, the cache, lacks, with
//! `codec`'s decoders and encoders.

pub mod codec;
pub mod gallery;
pub mod photos;
pub mod process;
pub mod store;
pub mod variants;

pub use photos::{Lead, Photos};
pub use process::{Made, make};
pub use variants::{Picture, ShareImage, Variant};
