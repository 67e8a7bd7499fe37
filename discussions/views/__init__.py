"""The discussions' pages, one module per subject: ``topics`` (lists, topic page, new, edit,
delete), ``replies`` (reply, edit, delete, react), ``moderation`` (the queue and the moderators'
actions), ``notifications`` (follows, notifications, unsubscribe), ``polls`` (a topic's quick
poll: vote, withdraw, add or change it), ``attachments`` (the files of topics and replies);
``common`` holds what they share. The URLs are in
``discussions/urls.py``."""
