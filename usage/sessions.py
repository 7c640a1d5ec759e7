"""The session of COUNTER without a cookie: a hash of the client address and browser with
a random salt of the day, so that neither can be read back once the salt is deleted.

The salt is kept in the process, in the shared cache and in the database (so that every
worker and server of one day agrees without Redis); only the first request of a day in a
process asks the cache or the database for it.
"""

import hashlib
import secrets

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.db import IntegrityError, transaction

from usage.models import DaySalt

_remembered = {}


def _cache_key(day):
    return f"usage:salt:{day.isoformat()}"


def salt_for(day):
    """The salt of day (a date), made on first use."""
    value = _remembered.get(day)
    if value is None:
        value = cache.get(_cache_key(day))
        if value is None:
            value = _stored_salt(day)
            cache.set(_cache_key(day), value, 2 * 24 * 3600)
        _remembered.clear()
        _remembered[day] = value
    return value


def _stored_salt(day):
    salt = DaySalt.objects.filter(day=day).values_list("value", flat=True).first()
    if salt is not None:
        return salt
    try:
        with transaction.atomic():
            return DaySalt.objects.create(day=day, value=secrets.token_hex(16)).value
    except IntegrityError:  # another process made it first
        return DaySalt.objects.get(day=day).value


def forget_salts(days):
    """Throw the salts of these days away, everywhere they are kept."""
    DaySalt.objects.filter(day__in=days).delete()
    cache.delete_many([_cache_key(day) for day in days])
    for day in days:
        _remembered.pop(day, None)


def remember_salt(day, value):
    """Set the process's salt of day (tests pin query counts without the first lookup)."""
    _remembered.clear()
    _remembered[day] = value


def session_of(request, day):
    """The hash that stands for the session of request on day: 32 hex characters."""
    address = get_client_ip_address(request) or ""
    agent = request.headers.get("User-Agent", "")
    digest = hashlib.sha256(f"{salt_for(day)}\n{address}\n{agent}".encode())
    return digest.hexdigest()[:32]
