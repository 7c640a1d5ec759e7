"""The use of the library in the JSON API: monthly figures per resource with the
library's filters, and a COUNTER-style item report (IR) for a date range, so that
aggregators can read them. People's use only (machine use is not in COUNTER's IR)."""

import datetime as dt
import re

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.api import (
    CACHE_HEADERS,
    ApiError,
    ApiPagination,
    ApiView,
    answers,
    check_known,
    strict_filterset,
)
from resources.discovery.api import ResourceRefSerializer, resource_ref
from resources.filters import ResourceFilter
from resources.models import Resource
from usage.models import DailyUsage
from usage.recording import RESOURCE
from usage_reports.figures import FIGURES

MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _month_param(request, name, default):
    """A YYYY-MM (or YYYY-MM-DD, as COUNTER clients send) parameter as the month's first
    day."""
    value = request.GET.get(name)
    if value is None:
        return default
    match = MONTH.match(value)
    try:
        if not match:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ApiError(
            f"{name} must be a month as YYYY-MM, not {value[:20]!r}.",
            code="bad_parameter",
            parameter=name,
        ) from None


def _month_end(first):
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _range(request, begin_name, end_name):
    today = timezone.now().date()
    begin = _month_param(request, begin_name, today.replace(month=1, day=1))
    end = _month_end(_month_param(request, end_name, today.replace(day=1)))
    if end < begin:
        raise ApiError(
            f"{end_name} is before {begin_name}.", code="bad_parameter", parameter=end_name
        )
    return begin, end


class ResourceMonthSerializer(serializers.Serializer):
    resource = ResourceRefSerializer()
    month = serializers.CharField(help_text="YYYY-MM")
    views = serializers.IntegerField()
    unique_views = serializers.IntegerField()
    downloads = serializers.IntegerField()
    unique_downloads = serializers.IntegerField()


class ResourceUsageList(ApiView):
    """Each published resource's use per month by the COUNTER rules: the library's
    filters, and `from` and `to` months (YYYY-MM; this year by default)."""

    pagination_class = ApiPagination

    def known_parameters(self):
        return set(ResourceFilter.base_filters) - {"sort"} | {"from", "to", "page", "page_size"}

    @extend_schema(
        operation_id="listResourceUsage",
        summary="Use of published resources per month (COUNTER), with the library's filters",
        parameters=[
            *CACHE_HEADERS,
            OpenApiParameter("from", str, description="First month, YYYY-MM."),
            OpenApiParameter("to", str, description="Last month, YYYY-MM."),
            *[
                OpenApiParameter(name, str, many=name not in ("q", "year_from", "year_to"))
                for name in ResourceFilter.base_filters
                if name != "sort"
            ],
        ],
        responses=answers(ResourceMonthSerializer(many=True)),
    )
    def get(self, request):
        begin, end = _range(request, "from", "to")
        params = request.GET.copy()
        for name in ("from", "to", "page", "page_size"):
            params.pop(name, None)
        filterset = strict_filterset(ResourceFilter(params, queryset=Resource.objects.published()))
        rows = (
            DailyUsage.objects.filter(
                item_kind=RESOURCE,
                machine=False,
                day__range=(begin, end),
                item_id__in=filterset.qs.order_by().values("pk"),
            )
            .annotate(month=TruncMonth("day"))
            .values("month", "item_id")
            .annotate(**{name: Sum(name) for name in FIGURES})
            .order_by("month", "item_id")
        )
        page = list(self.paginate_queryset(rows))
        resources = Resource.objects.in_bulk([row["item_id"] for row in page])
        absolute = request.build_absolute_uri
        return self.get_paginated_response(
            [
                {
                    "resource": resource_ref(resources[row["item_id"]], absolute),
                    "month": row["month"].strftime("%Y-%m"),
                    **{name: row[name] for name in FIGURES},
                }
                for row in page
            ]
        )


class ReportFiltersSerializer(serializers.Serializer):
    Begin_Date = serializers.DateField()
    End_Date = serializers.DateField()
    Access_Method = serializers.ListField(child=serializers.CharField())


class ReportAttributesSerializer(serializers.Serializer):
    Attributes_To_Show = serializers.ListField(child=serializers.CharField())


class ReportHeaderSerializer(serializers.Serializer):
    Report_Name = serializers.CharField()
    Report_ID = serializers.CharField()
    Release = serializers.CharField()
    Created = serializers.DateTimeField()
    Created_By = serializers.CharField()
    Report_Filters = ReportFiltersSerializer()
    Report_Attributes = ReportAttributesSerializer()
    Exceptions = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class ItemIdSerializer(serializers.Serializer):
    Type = serializers.CharField()
    Value = serializers.CharField()


MONTHLY = serializers.DictField(child=serializers.IntegerField(), help_text="{YYYY-MM: count}")


class PerformanceSerializer(serializers.Serializer):
    Total_Item_Investigations = MONTHLY
    Total_Item_Requests = serializers.DictField(child=serializers.IntegerField())
    Unique_Item_Requests = serializers.DictField(child=serializers.IntegerField())


class AttributePerformanceSerializer(serializers.Serializer):
    Data_Type = serializers.CharField()
    Access_Method = serializers.CharField()
    Performance = PerformanceSerializer()


class ReportItemSerializer(serializers.Serializer):
    Item = serializers.CharField()
    Item_ID = ItemIdSerializer(many=True)
    Item_URL = serializers.URLField()
    Publisher = serializers.CharField()
    Platform = serializers.CharField()
    Attribute_Performance = AttributePerformanceSerializer(many=True)


class ItemReportSerializer(serializers.Serializer):
    Report_Header = ReportHeaderSerializer()
    Report_Items = ReportItemSerializer(many=True)


class ItemReport(ApiView):
    """A COUNTER Release 5.1 style Item Report (IR) in JSON for `begin_date` to `end_date`
    (YYYY-MM): per item, monthly Total_Item_Investigations (views and downloads) and
    Total_Item_Requests and Unique_Item_Requests (downloads)."""

    def known_parameters(self):
        return {"begin_date", "end_date"}

    @extend_schema(
        operation_id="getItemReport",
        summary="COUNTER-style Item Report (IR) of the published resources",
        parameters=[
            *CACHE_HEADERS,
            OpenApiParameter("begin_date", str, description="First month, YYYY-MM."),
            OpenApiParameter("end_date", str, description="Last month, YYYY-MM."),
        ],
        responses=answers(ItemReportSerializer),
    )
    def get(self, request):
        check_known(request, self.known_parameters())
        begin, end = _range(request, "begin_date", "end_date")
        rows = (
            DailyUsage.objects.filter(item_kind=RESOURCE, machine=False, day__range=(begin, end))
            .annotate(month=TruncMonth("day"))
            .values("month", "item_id")
            .annotate(**{name: Sum(name) for name in FIGURES})
            .order_by("item_id", "month")
        )
        by_item = {}
        for row in rows:
            by_item.setdefault(row["item_id"], []).append(row)
        resources = Resource.objects.published().select_related("owner").in_bulk(list(by_item))
        absolute = request.build_absolute_uri
        items = []
        for pk, months in by_item.items():
            resource = resources.get(pk)
            if resource is None:
                continue
            performance = {
                "Total_Item_Investigations": {},
                "Total_Item_Requests": {},
                "Unique_Item_Requests": {},
            }
            for row in months:
                key = row["month"].strftime("%Y-%m")
                performance["Total_Item_Investigations"][key] = row["views"] + row["downloads"]
                performance["Total_Item_Requests"][key] = row["downloads"]
                performance["Unique_Item_Requests"][key] = row["unique_downloads"]
            identifiers = [{"Type": "Proprietary", "Value": f"asmhub:{resource.slug}"}]
            if resource.doi:
                identifiers.append({"Type": "DOI", "Value": resource.doi})
            items.append(
                {
                    "Item": resource.title,
                    "Item_ID": identifiers,
                    "Item_URL": absolute(resource.get_absolute_url()),
                    "Publisher": resource.publisher or "",
                    "Platform": "ASM Hub",
                    "Attribute_Performance": [
                        {
                            "Data_Type": "Report"
                            if resource.resource_type != "dataset"
                            else "Dataset",
                            "Access_Method": "Regular",
                            "Performance": performance,
                        }
                    ],
                }
            )
        header = {
            "Report_Name": "Item Report",
            "Report_ID": "IR",
            "Release": "5.1",
            "Created": timezone.now().replace(microsecond=0).isoformat(),
            "Created_By": "ASM Hub",
            "Report_Filters": {
                "Begin_Date": begin.isoformat(),
                "End_Date": end.isoformat(),
                "Access_Method": ["Regular"],
            },
            "Report_Attributes": {"Attributes_To_Show": ["Data_Type", "Access_Method"]},
            "Exceptions": [],
        }
        return Response({"Report_Header": header, "Report_Items": items})
