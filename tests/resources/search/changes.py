"""Random changes to the library (hypothesis): what the search indexes must follow."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resources.models import Resource
from tests.factories import CommodityFactory, CountryFactory, ResourceFactory, ThemeFactory

WORDS = ["gold", "mercurio", "formalização", "Étain", "sand", "coltan", "-", '"', "or"]
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["create", "edit", "draft", "withdraw", "publish", "delete", "tag"]),
        st.integers(min_value=0, max_value=20),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    ),
    min_size=1,
    max_size=12,
)


def random_changes(examples):
    """A test run on that many random sequences of changes (OPERATIONS), each against
    the test database: as slow as the database is, and with its fixtures kept."""
    return lambda test: settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(given(operations=OPERATIONS)(test))


def apply(operations):
    """Create, edit, draft, withdraw, publish, tag and delete resources as operations say."""
    theme = ThemeFactory(slug="mercury", name="Mercury")
    gold = CommodityFactory(slug="gold", name="Gold")
    ghana = CountryFactory(code="GH")
    for operation, n, text in operations:
        resources = list(Resource.objects.order_by("pk"))
        target = resources[n % len(resources)] if resources else None
        if operation == "create" or target is None:
            ResourceFactory(
                title=text,
                summary=text,
                themes=[theme],
                commodities=[gold],
                countries=[ghana],
                status=Resource.Status.PUBLISHED if n % 3 else Resource.Status.DRAFT,
                language=("en", "es", "fr", "pt", "sw")[n % 5],
            )
        elif operation == "edit":
            target.title = f"{target.title} {text}"[:200]
            target.save()
        elif operation in ("draft", "withdraw", "publish"):
            status = {"draft": "draft", "withdraw": "withdrawn", "publish": "published"}
            target.status = status[operation]
            target.save()
        elif operation == "tag":
            target.tags.add(text.strip('"-') or "tag")
        else:
            target.delete()
