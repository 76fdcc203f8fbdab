#!/usr/bin/env bash
# bench/scan: the scan pipeline's own cost per candidate with the scripted model, and the scan queue's throughput
# with several workers (SQLite; PostgreSQL too when HAETAE_TEST_POSTGRES_URL is set). Figures: README.md here.
# Needs cc with AddressSanitizer, make, git (as the scan's end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
# The dev profile: the pipeline's time is in its subprocesses (cc, make, the sandbox) and the queue's in the
# database, so an optimised build would change little and costs a separate full build of the workspace.
exec cargo run -p haetae-scan --example scan_bench -- "$@"
