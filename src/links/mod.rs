//! The links of a site's pages checked: external ones over the network ([`external`]).

pub mod external;
