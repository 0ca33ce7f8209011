import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressbox.settings")

from pressbox.lib.pagecache_wsgi import CachedPages  # noqa: E402  (needs the settings)

# Page-cache hits are answered before Django builds a request (pressbox/lib/pagecache_wsgi.py).
application = CachedPages(get_wsgi_application())
