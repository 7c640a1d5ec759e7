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


class AsWarningFilter(logging.Filter):
    """Logs a record as a one-line warning, without its traceback: for what a client's
    request caused, not the code, such as a Host this site does not serve (which Django
    logs as an error with a traceback)."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = None
        return True
