"""Database constraints every app's models share."""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import F, Q


def ends_after_start(start, end, *, name, message, optional=()):
    """A check that the field end is not before the field start, unless one of the
    fields named in optional is empty (then there is nothing to compare)."""
    condition = Q(**{f"{end}__gte": F(start)})
    empty = [Q(**{f"{field}__isnull": True}) for field in optional]
    return models.CheckConstraint(
        condition=reduce(or_, [*empty, condition]),
        name=name,
        violation_error_message=message,
    )
