//! Starting: a new site (`midad init`) and a new article (`midad new`).

mod article;
mod files;
mod init;

pub use article::{NewArticle, NewOptions, new_article};
pub use init::{InitOptions, InitReport, init};
