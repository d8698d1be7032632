//! Integration tests: the real `midad` binary on fixture sites under `tests/fixtures/`.

#![allow(unreachable_pub)]

mod harness;
mod images;

mod arabic;
mod bilingual;
mod build;
mod churn;
mod crash;
mod embeds;
mod errors;
mod example;
mod extreme;
mod feeds;
mod hostile;
mod import;
mod invalid;
mod links;
mod pages;
mod photos;
mod preview;
mod publishing;
mod rebuild;
mod related;
mod search;
mod seo;
mod serve;
mod soak;
mod start;
mod tidy;
mod webdriver;
mod wxr;
