"""The request id every log record carries, so one request's lines can be found together."""

import contextvars
import logging

current_request_id = contextvars.ContextVar("asmhub_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds request_id to each record: the id of the request being served, or "-"."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True
