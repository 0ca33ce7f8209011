"""Public pages of the blog: post and page detail, archives, avatars."""
