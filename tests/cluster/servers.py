"""Real servers on loopback for the cluster, fault and backup tests, and `make cluster`:
a private PostgreSQL cluster, SeaweedFS with its S3 API, Redis, and gunicorn app servers.

Every server is a child process started here and ended here, by its own process id (a
process group for gunicorn and its workers). Ports come from ASMHUB_CLUSTER_PORT_BASE
(default 8170) so that several checkouts on one machine do not collide:

    base+1 PostgreSQL   base+2 Redis   base+3, base+4 app servers A and B
    base+10 … base+19  SeaweedFS (master, volume, filer, S3 and their gRPC ports)

PostgreSQL's programs are taken from PG_BIN, else the newest Debian install
(/usr/lib/postgresql/<version>/bin).

Run as a script (`make cluster`), it starts two app servers with the demo data and
waits for Ctrl-C.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _postgres_bin():
    """PG_BIN, or the newest PostgreSQL installed the Debian way."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    return found[0] if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _postgres_bin()
PORT_BASE = int(os.environ.get("ASMHUB_CLUSTER_PORT_BASE", "8170"))
BUCKET = "asmhub-documents"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "asmhub-test", "AWS_SECRET_ACCESS_KEY": "asmhub-test-secret"}


def wait_for(check, what, timeout=30.0, interval=0.1):
    """Call check() until it returns true; fail with what after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(interval)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


def port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url, timeout=2.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop_process(process, sig=signal.SIGTERM, timeout=10.0, group=False):
    """End a child we started (its whole group for gunicorn), then make sure it is gone."""
    if process is None or process.poll() is not None:
        return
    try:
        (os.killpg if group else os.kill)(process.pid, sig)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        (os.killpg if group else os.kill)(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def _as_postgres(command):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class Postgres:
    """A throwaway PostgreSQL cluster with trust authentication on one loopback port."""

    def __init__(self, root, port):
        self.port = port
        self.data = Path(root) / "pgdata"
        self.log = Path(root) / "postgres.log"

    def init(self):
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.data.parent, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _ctl(self, *args):
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self._ctl("-w", "-o", options, "start")

    def stop(self):
        self._ctl("-w", "-m", "fast", "stop")

    def is_running(self):
        return (self.data / "postmaster.pid").exists()

    def createdb(self, name):
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                name,
            ],
            check=True,
        )

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class SeaweedFS:
    """`weed server -s3`: master, volume, filer and the S3 gateway in one process."""

    def __init__(self, root, port_base):
        self.dir = Path(root) / "seaweedfs"
        self.ports = list(range(port_base, port_base + 10))
        self.s3_port = self.ports[6]
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        p = self.ports
        command = [
            str(BIN / "weed"),
            "server",
            f"-dir={self.dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={p[0]}",
            f"-master.port.grpc={p[1]}",
            f"-volume.port={p[2]}",
            f"-volume.port.grpc={p[3]}",
            f"-filer.port={p[4]}",
            f"-filer.port.grpc={p[5]}",
            "-s3",
            f"-s3.port={p[6]}",
            f"-s3.port.grpc={p[7]}",
            f"-s3.port.iceberg={p[8]}",
            f"-s3.port.lance={p[9]}",
            "-volume.max=20",
            "-master.volumeSizeLimitMB=64",
            # A restarted single master would wait 10 s to elect itself leader again.
            "-master.electionTimeout=1s",
            "-master.telemetry=false",
        ]
        log = open(self.dir.parent / "seaweedfs.log", "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(command, stdout=log, stderr=log, cwd=self.dir)
        log.close()
        wait_for(self._bucket_ready, "SeaweedFS S3", timeout=60)

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def _bucket_ready(self):
        # A bucket that accepts a write and gives it back: the volume server is up too.
        client = self.client()
        self.create_bucket(BUCKET)
        client.put_object(Bucket=BUCKET, Key=".probe", Body=b"ok")
        client.delete_object(Bucket=BUCKET, Key=".probe")
        return True

    def create_bucket(self, name):
        client = self.client()
        try:
            client.create_bucket(Bucket=name)
        except client.exceptions.BucketAlreadyOwnedByYou:
            pass

    def objects(self, bucket):
        """{key: bytes} of every object in a bucket."""
        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])[
                    "Body"
                ].read()
        return found

    def stop(self):
        # weed can take long to shut down on SIGTERM; its data is flushed on each write.
        stop_process(self.process, timeout=1)
        self.process = None


class Redis:
    def __init__(self, root, port):
        self.port = port
        self.root = Path(root)
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.root),
        ]
        log = open(self.root / "redis.log", "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(command, stdout=log, stderr=log)
        log.close()
        wait_for(lambda: port_open(self.port), "Redis")

    def stop(self):
        stop_process(self.process)
        self.process = None


class AppServer:
    """gunicorn serving the hub with gunicorn.conf.py, in its own process group."""

    def __init__(self, name, root, port, env):
        self.name = name
        self.port = port
        self.env = env
        self.log = Path(root) / f"app-{name}.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_PROC_NAME": f"asmhub-{self.name}",
        }
        log = open(self.log, "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "asmhub.wsgi"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        wait_for(lambda: http_ok(f"{self.url}/healthz"), f"app server {self.name}", timeout=60)

    def kill(self):
        """Kill the server and its workers at once, as a crash would."""
        stop_process(self.process, sig=signal.SIGKILL, group=True)

    def stop(self):
        # SIGQUIT: gunicorn's quick shutdown; SIGTERM would wait for idle keep-alive
        # connections of the tests' sessions.
        stop_process(self.process, sig=signal.SIGQUIT, group=True)
        self.process = None


class Cluster:
    """One PostgreSQL, one SeaweedFS, one Redis and two app servers, A and B."""

    def __init__(self, root=None, port_base=PORT_BASE, workers=2):
        self.root = Path(root or tempfile.mkdtemp(prefix="asmhub-cluster-"))
        self.postgres = Postgres(self.root, port_base + 1)
        self.redis = Redis(self.root, port_base + 2)
        self.seaweedfs = SeaweedFS(self.root, port_base + 10)
        self.database = "asmhub"
        self.workers = workers
        self.apps = {}
        self.app_ports = {"a": port_base + 3, "b": port_base + 4}

    def env(self, database=None, bucket=BUCKET):
        """The environment of every app server and management command of this cluster."""
        # Nothing of the caller's own configuration may leak into the cluster's servers.
        leaks = ("DJANGO_", "S3_", "AWS_", "GUNICORN_", "SENTRY_", "ASMHUB_", "CACHE_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(leaks)}
        env.update(S3_KEYS)
        env.update(
            {
                "DATABASE_URL": self.postgres.url(database or self.database),
                "S3_BUCKET": bucket,
                "S3_ENDPOINT_URL": self.seaweedfs.endpoint,
                "S3_REGION": "us-east-1",
                "REDIS_URL": self.redis.url,
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "cluster-test-secret-key-not-for-production-0123456789",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SECURE_COOKIES": "false",
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "DJANGO_HSTS_SECONDS": "0",
                "STATIC_ROOT": str(self.root / "static"),
                "ASMHUB_VAR_DIR": str(self.root / "var"),
                "GUNICORN_WORKERS": str(self.workers),
                "GUNICORN_TIMEOUT": "20",
                "DATABASE_CONNECT_TIMEOUT": "2",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def manage(self, *args, env=None, check=True, **kwargs):
        return subprocess.run(
            [str(BIN / "python"), str(REPO / "manage.py"), *args],
            cwd=REPO,
            env=env or self.env(),
            check=check,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def start(self):
        self.postgres.init()
        self.postgres.start()
        self.postgres.createdb(self.database)
        self.redis.start()
        self.seaweedfs.start()
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input", "--verbosity", "0")
        for name, port in self.app_ports.items():
            self.apps[name] = AppServer(name, self.root, port, self.env())
            self.apps[name].start()

    def stop(self):
        """Stop everything that is still running; each step runs even if one fails."""
        for app in self.apps.values():
            app.stop()
        self.seaweedfs.stop()
        self.redis.stop()
        if self.postgres.is_running():
            self.postgres.stop()

    @property
    def a(self):
        return self.apps["a"]

    @property
    def b(self):
        return self.apps["b"]

    def sql(self, query, database=None):
        """One value from PostgreSQL, straight from the database (not through an app)."""
        import psycopg2

        connection = psycopg2.connect(self.postgres.url(database or self.database))
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchone()[0]
        finally:
            connection.close()


def main():
    # A plain `kill` (or systemd, or timeout) must stop the servers too, not orphan them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cluster = Cluster()
    try:
        cluster.start()
        demo = cluster.manage("load_demo", "--if-empty", check=False)
        if demo.returncode:
            last = demo.stderr.strip().splitlines()[-1:] or ["?"]
            print(f"warning: the demo data did not load: {last[0]}")
        print(f"Cluster under {cluster.root}")
        for name, app in cluster.apps.items():
            print(f"  app server {name.upper()}: {app.url}/")
        print(f"  PostgreSQL: {cluster.postgres.url(cluster.database)}")
        print(f"  SeaweedFS S3: {cluster.seaweedfs.endpoint} (bucket {BUCKET})")
        print(f"  Redis: {cluster.redis.url}")
        print("Ctrl-C stops all of it.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


if __name__ == "__main__":
    main()
