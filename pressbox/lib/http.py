"""Small HTTP helpers shared by views."""

from __future__ import annotations

from django.http import HttpResponseRedirect


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: after a POST, the browser GETs the new address (no resubmission on reload)."""

    status_code = 303
