#!/usr/bin/env bash
# CI only: the SQLite pass (`make test-sqlite`'s tests) in the background while the browser tests
# run in the foreground. The browser tests keep about one core busy (they mostly wait for the
# browser and the live server), so the SQLite pass fits beside them on the other core instead of
# running after them. `start` launches it; `wait` waits for it, prints its output and exits with
# its status. Used by `make test` when SQLITE_BESIDE_BROWSER is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=var/ci
case "${1:-}" in
start)
	shift
	mkdir -p "$dir"
	rm -f "$dir/sqlite.rc"
	(
		set +e
		env -u DATABASE_URL .venv/bin/pytest -n 1 -p no:cacheprovider -m "not browser" "$@" \
			>"$dir/sqlite.log" 2>&1
		echo $? >"$dir/sqlite.rc"
	) &
	echo "== the SQLite pass runs beside the browser tests (output below when both end)"
	;;
wait)
	while [ ! -f "$dir/sqlite.rc" ]; do sleep 2; done
	echo "== database-dependent tests again on the embedded SQLite database (the demo's)"
	cat "$dir/sqlite.log"
	exit "$(cat "$dir/sqlite.rc")"
	;;
*)
	echo "usage: $0 start TESTS... | wait" >&2
	exit 2
	;;
esac
