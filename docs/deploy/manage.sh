#!/bin/sh
# Run one management command with the app servers' environment, for cron (docs/deploy.md):
#   docs/deploy/manage.sh send_mail
set -a
. /etc/asmhub/asmhub.env
set +a
cd /srv/asmhub && exec .venv/bin/python manage.py "$@"
