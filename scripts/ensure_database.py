"""Create the PostgreSQL database a DATABASE_URL names, if it does not exist yet.

Used by `make bench` and `make loadtest`, so they work on a machine that has only the
server: python scripts/ensure_database.py postgres://user@host:port/name
"""

import sys

import dj_database_url
import psycopg2
from psycopg2 import sql


def main(url):
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"ensure_database: not a PostgreSQL URL: {url}")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"ensure_database: created {config['NAME']}")
    connection.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ensure_database.py DATABASE_URL")
    main(sys.argv[1])
