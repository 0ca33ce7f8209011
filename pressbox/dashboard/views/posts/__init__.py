"""The posts section of the dashboard: list, editor, preview, autosave and revisions.

Views here parse the form and call pressbox.posts.services, which holds the rules
(permissions, versions, redirects, revisions); forms.py turns input into PostData.
"""
