"""Machine use of the endpoints made for machines (the JSON API, OAI-PMH, the feeds),
counted apart from people's use by the path that answered."""

import logging

from django.db import DatabaseError

from usage.models import Kind
from usage.recording import API, FEED, OAI, record

logger = logging.getLogger(__name__)

# Path prefixes, after any language prefix, and the kind each is counted as.
MACHINE_PATHS = (("/api/", API), ("/oai", OAI), ("/feeds/", FEED))
LANGUAGE_PREFIX_LENGTH = 4  # "/es/"


def _endpoint(path):
    for candidate in (path, path[LANGUAGE_PREFIX_LENGTH - 1 :]):
        for prefix, kind in MACHINE_PATHS:
            if candidate.startswith(prefix):
                name = candidate[len(prefix) :].split("/", 1)[0].split(".", 1)[0]
                return kind, name
    return None


class MachineUseMiddleware:
    """Records one machine request for each successful GET of a machine endpoint."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        endpoint = _endpoint(request.path_info)
        if endpoint and response.status_code in (200, 206):
            kind, name = endpoint
            try:
                record(request, Kind.REQUEST, kind, variant=name, machine=True)
            except DatabaseError as error:  # the answer is made: a lost count must not spoil it
                logger.warning("Machine use of %s not counted: %s", request.path_info, error)
        return response
