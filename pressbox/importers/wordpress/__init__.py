"""Importing a WordPress site from its export (WXR): `pressbox import_wxr FILE`.

The command calls `pressbox.importers.services.wxr_import`, which reads the file twice:

- `parse`: the streaming reader (entities refused, namespaces bound by URI) that turns
  the file into dataclasses, one author, term or item at a time;
- `catalog`: the first reading, of what posts refer to (attachments, reusable blocks);
- `load`: the second reading, which writes everything in batches, with `references`
  (authors, categories, tags, uploaded files), `conversion` and `content` (WordPress
  content as stored HTML), `render` (rendering, in a helper process for big exports),
  `threads` (comments), `redirects` (every old address) and `rows` (fast inserts);
- `summary`: what the command prints at the end.

docs/migrating-from-wordpress.md is the site owner's guide.
"""
