// Pressbox dashboard: small progressive enhancements; every page works without it.
// Sections add their own modules below (editor, media, comments).
"use strict";
