//! A WordPress post's content (HTML with `wpautop` paragraphs and shortcodes) to Markdown.
