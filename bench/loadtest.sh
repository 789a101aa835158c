#!/usr/bin/env bash
# Load test of the running app: gunicorn (DEBUG off) on loopback with PostgreSQL and Redis, driven by wrk.
# Bounded: USERS connections (50) for DURATION (60s), one wrk thread per Bench Brand member (one per role), each
# opening its main pages and, every WRITE_EVERY-th request (5), writing: an idea, an editorial move, an approval.
#
#   DATABASE_URL=postgres://... REDIS_URL=redis://... bench/loadtest.sh
#
# Needs wrk (Debian: apt-get install wrk). Writes bench/results/loadtest-<timestamp>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (the load test measures the production set-up)}"
: "${REDIS_URL:?set REDIS_URL (cache and broker, as in production)}"
case "$DATABASE_URL" in postgres*) ;; *) echo "DATABASE_URL must point at PostgreSQL" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python )}
PORT=${PORT:-8107}
USERS=${USERS:-50}
DURATION=${DURATION:-60s}
WORKERS=${WORKERS:-4}
SCALE=${SCALE:-1}
# Only loopback: this never points at anything but this machine.
HOST=127.0.0.1

export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-$(date +%s)-0123456789abcdef0123456789}
export TOKEN_ENCRYPTION_KEY=${TOKEN_ENCRYPTION_KEY:-$($PYTHON -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}
if [ -z "${VAR_DIR:-}" ]; then
  VAR_DIR=$(mktemp -d /tmp/smm-loadtest.XXXXXX)
  OWN_VAR_DIR=$VAR_DIR
fi
export VAR_DIR

$PYTHON manage.py migrate --noinput -v0
$PYTHON manage.py collectstatic --noinput -v0
if ! $PYTHON manage.py shell -v0 -c "from bench.data import bench_workspace; raise SystemExit(0 if bench_workspace() else 1)"; then
  $PYTHON manage.py bench_data --scale "$SCALE"
fi
# A real session row and CSRF cookie per member, the pages each may open, the writes each may make.
eval "$($PYTHON manage.py shell -v0 -c "from bench.loadtest import shell_exports; print(shell_exports())")"

$PYTHON -m gunicorn smm.wsgi --bind "$HOST:$PORT" --workers "$WORKERS" --log-level warning &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true; [ -n "${OWN_VAR_DIR:-}" ] && rm -rf "$OWN_VAR_DIR"' EXIT
for _ in $(seq 100); do curl -fso /dev/null "http://$HOST:$PORT/accounts/login/" && break; sleep 0.2; done
# Every page must answer 200 to this session before the load starts: a redirect to the login page is no result.
for path in $BENCH_PATHS; do
  code=$(curl -so /dev/null -w '%{http_code}' -H "Cookie: sessionid=$BENCH_SESSION" "http://$HOST:$PORT$path")
  [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
done

export BENCH_PATHS BENCH_SESSION BENCH_USERS
export WRITE_EVERY=${WRITE_EVERY:-5}
mkdir -p bench/results
OUT=bench/results/loadtest-$(date -u +%Y%m%dT%H%M%SZ).json
echo "wrk: $USERS connections for $DURATION against gunicorn ($WORKERS workers) on $HOST:$PORT," \
  "$BENCH_USERS members, a write every $WRITE_EVERY requests"
WRK_OUT=$(mktemp)
wrk -t"$BENCH_USERS" -c"$USERS" -d"$DURATION" --timeout 10s -s bench/wrk_pages.lua "http://$HOST:$PORT" | tee "$WRK_OUT"
tail -n 1 "$WRK_OUT" | USERS=$USERS DURATION=$DURATION WORKERS=$WORKERS $PYTHON -c '
import json, os, sys
figures = json.loads(sys.stdin.read())
members = int(os.environ["BENCH_USERS"])
figures.update(users=int(os.environ["USERS"]), duration=os.environ["DURATION"], gunicorn_workers=int(os.environ["WORKERS"]),
               write_every=int(os.environ["WRITE_EVERY"]),
               members=[{"role": os.environ[f"BENCH_ROLE_{i}"], "pages": len(os.environ[f"BENCH_PATHS_{i}"].split()),
                         "writes": len(os.environ[f"BENCH_WRITES_{i}"].split())} for i in range(1, members + 1)])
print(json.dumps(figures, indent=2))' > "$OUT"
rm -f "$WRK_OUT"
echo "results: $OUT"
