"""Comment views: submit (the public form), own (a commenter's 10-minute edit and
delete), email (reply-notification opt-in and unsubscribe), moderate (one-click
moderation links sent to authors)."""
