"""The JSON fixture format of backups: Django's JSON, with times to the microsecond.

Django's JSON encoder cuts datetimes and times to the millisecond, so a record written at
12:00:00.000512 came back from a backup as 12:00:00.000 (and history, download and
publication times all lost their last digits). This format writes them whole; it reads
with Django's own JSON deserializer, which parses any precision. Registered as "pjson"
(SERIALIZATION_MODULES), so `dumpdata --format pjson` writes it and `loaddata` reads a
`.pjson` file."""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseEncoder
