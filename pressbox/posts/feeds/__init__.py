"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, every archive and comments.

`formats` writes each format, `links` makes every URL absolute on `settings.SITE_URL`,
`base` is the view every feed shares, `posts` the post feeds; the comment feeds live in
`pressbox.comments.feeds` and use the same three pieces. Every feed answers at
`<address>feed/`, `<address>feed/atom/` and `<address>feed/json/`.
"""
