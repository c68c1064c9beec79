#!/bin/bash
# vm-repeat.t - in Debian trixie guests: pmig matrix --repeat finds no flaky case among the page kinds (KSM among them), and a stale profile entry shows as XPASS, "TODO passed" to prove, exit 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..5"
# The page kinds, 3 runs in one guest: KSM's move failed about one full run in ten
# while ksmd still scanned (see conformance/page_kinds.c, ksmd_stop()).
out=$tmp/matrix
"$pmig" matrix --kernels debian:trixie --topology 2node --repeat 3 \
	--filter 'move_pages.kind.*' --out "$out" >"$tmp/md" 2>"$tmp/err"
rc=$?
ok "$([ $rc = 0 ] && grep -q '^### Flaky cases (3 runs per guest)$' "$tmp/md" &&
	grep -q '^None: every case had one outcome in every run of every guest.$' "$tmp/md" && echo 0)" \
	matrix_repeat_finds_no_flaky_case
[ $rc = 0 ] || { sed 's/^/# /' "$tmp/md" | grep -i flaky; tail -3 "$tmp/err" | sed 's/^/# /'; }
ok "$(ls "$out"/trixie_2node/conform.repeat.{1,2,3}.tap >/dev/null 2>&1 &&
	grep -q '^| `move_pages.kind.ksm_moved_with_move_all` | PASS |' "$tmp/md" && echo 0)" \
	each_runs_tap_kept_and_ksm_passes

# trixie's kernel with 5.10's expectations: the count fixed in 6.1 (a7504ed14f9b) passes
# where 5.10's profile says XFAIL, so the entry is stale there: XPASS.
"$pmig" vm --kernel debian:trixie --out "$tmp/vm" -- conform --profile 5.10 \
	--filter 'move_pages.return.positive_count_*' >"$tmp/tap" 2>/dev/null
rc=$?
ok "$([ $rc = 1 ] && grep -q '^ok [0-9]* move_pages.return.positive_count_pinned # TODO XPASS: known bug did not show' "$tmp/tap" && echo 0)" \
	stale_entry_is_xpass_and_exit_1
prove -e cat "$tmp/tap" >"$tmp/prove" 2>&1
ok "$(grep -qE '^  TODO passed: +[0-9]' "$tmp/prove" && echo 0)" prove_reports_todo_passed
# --xpass-ok: the XPASS is a note, exit 0 and no JUnit failure.
"$pmig" vm --kernel debian:trixie --out "$tmp/vm2" -- conform --profile 5.10 --xpass-ok \
	--filter 'move_pages.return.positive_count_pinned' --junit r.xml >/dev/null 2>&1
rc=$?
ok "$([ $rc = 0 ] && grep -q 'XPASS: known bug did not show' "$tmp/vm2/r.xml" &&
	! grep -q '<failure' "$tmp/vm2/r.xml" && echo 0)" xpass_ok_makes_it_a_note
exit $tap_failed
