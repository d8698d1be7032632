//! `midad import wordpress EXPORT.xml`: a WordPress export (WXR) to a midad site.

pub mod body;
