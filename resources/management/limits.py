"""The options that keep a timer's run of a command short (docs/deploy.md)."""


def add_run_limits(parser, things):
    """--limit (at most this many things) and --seconds (start none after that long)."""
    parser.add_argument("--limit", type=int, default=None, help=f"At most this many {things}.")
    parser.add_argument(
        "--seconds",
        type=int,
        default=None,
        help=f"Start no new {things[:-1]} after this many seconds (keeps a timer's run short).",
    )
