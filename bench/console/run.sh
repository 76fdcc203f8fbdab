#!/usr/bin/env bash
# The console's render bench (issue 17): every page's server-side render time with 10,000 organisations and
# 100,000 keys, against the same page with 10 organisations measured in the same run; SQLite, and PostgreSQL
# when HAETAE_TEST_POSTGRES_URL is set. The tables go to stdout (markdown) and the seeding times to stderr.
#
#   bench/console/run.sh                                # release build (cargo's bench profile)
#   HAETAE_BENCH_PROFILE=dev bench/console/run.sh       # reuse a debug build's dependencies (slower pages)
#   HAETAE_BENCH_ORGS=1000 HAETAE_BENCH_BACKENDS=sqlite bench/console/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo bench -p haetae-console --bench render --profile "${HAETAE_BENCH_PROFILE:-bench}"
