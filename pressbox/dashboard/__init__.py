"""The writer's dashboard at /dashboard/: forms and thin views over posts, media,
comments and accounts. It owns no models; each section calls the services of the app
that owns the data, so the admin, commands and the dashboard share one behaviour."""
