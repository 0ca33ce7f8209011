"""URL patterns of each dashboard section, included by pressbox.dashboard.urls."""
