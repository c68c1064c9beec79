#!/bin/bash
# lava-lab.sh - `pmig lava-lab`: a LAVA lab on this machine (lava-server on PostgreSQL, lava-scheduler, a lava-worker, QEMU devices without KVM); start it, run the kernel matrix on it (or any lab) as LAVA jobs with lavacli, stop it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=${PMIG_DRIVER:?lava-lab.sh is started by pmig}
die() {
	echo "pmig lava-lab: $*" >&2
	exit 2
}
fail() {
	echo "pmig lava-lab: $*" >&2
	exit 1
}
# shellcheck source=scripts/vm/matrix-args.sh
. "$here/matrix-args.sh"

usage() {
	cat <<USAGE
usage: pmig lava-lab start [--devices N] [--port P]
       pmig lava-lab submit [--kernels K1,K2,...] [--topology T] [--timeout S]
                            [--url BASE] [--identity ID] [--out DIR]
       pmig lava-lab jobs [--kernels ...] [--topology T] [--timeout S] [--url BASE] --out DIR
       pmig lava-lab status | stop
start: installs lava-server, lavacli and PostgreSQL (scripts/deps.sh lava-lab), starts
PostgreSQL if it is down, gunicorn (lava-server's web and API, 127.0.0.1:P, default
8000), lava-scheduler and a lava-worker, and registers N qemu devices (default 2)
whose QEMU runs single-threaded TCG, no KVM. As root. State, logs and the
API token: \$PMIG_LAVA_LAB (default /var/lib/pmig/lava-lab).
submit: one job per kernel (pmig lava-job; default the four Debian suites, 2node;
each action's time limit from the job's size, the monitor's at least --timeout S),
submitted with lavacli, waited for; the results pulled through LAVA's API make
DIR/matrix.tsv and the table pmig matrix prints (PASS, **FAIL**, SKIP: LAVA's pass,
fail, skip; a pmig XFAIL is a LAVA pass). --identity ID sends the jobs to another
lab (a lavacli identity, lavacli identities add); its dispatchers fetch each kernel
and initramfs from --url BASE/CELL/ (CELL as bookworm_2node): first write the jobs
(jobs: submit's first step alone), copy DIR to what BASE serves, then submit with the
same --out DIR (a DIR/CELL/job.yaml already there is sent as it is).
Exit 1 when a job is not Complete or a case fails.
stop: stops every daemon start started (and PostgreSQL if start started it); the
database keeps the lab (user, worker, devices, past jobs) for the next start.
USAGE
}

state=${PMIG_LAVA_LAB:-/var/lib/pmig/lava-lab}
worker='pmig-worker'
user=pmig

# A daemon: its own session (setsid), so stop ends it with its children (lava-run, QEMU).
alive() { # NAME
	local p
	p=$(cat "$state/$1.pid" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}
daemon() { # NAME CMD...
	local name=$1
	shift
	alive "$name" && return 0
	setsid "$@" >>"$state/$name.log" 2>&1 </dev/null &
	echo $! >"$state/$name.pid"
}
manage() { lava-server manage "$@" 2>>"$state/manage.log"; }
waitfor() { # SECONDS WHAT CMD...: polls CMD once a second
	local n=$1 what=$2
	shift 2
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || fail "$what did not come up (logs in $state)"
		sleep 1
	done
}

start() {
	local devices=2 port=8000
	while [ $# -gt 0 ]; do
		case "$1" in
		--devices | --port)
			[ $# -ge 2 ] || die "$1 needs an argument"
			[[ "$2" =~ ^[1-9][0-9]{0,2}$ ]] || die "$1 '$2': give a whole number"
			case "$1" in --devices) devices=$2 ;; --port) port=$2 ;; esac
			shift 2
			;;
		*) die "start: unknown option '$1' (see pmig lava-lab --help)" ;;
		esac
	done
	[ "$(id -u)" = 0 ] || die "start needs root (it installs packages and starts lava-server)"
	mkdir -p "$state" && chmod 700 "$state" || die "cannot write to $state"
	# lava-server's package sets its database up when installed: PostgreSQL first, running.
	"$here/../deps.sh" lava-db || exit 2
	local cluster
	cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $1, $2, $4 }')
	[ -n "$cluster" ] || fail "no PostgreSQL cluster (pg_lsclusters lists none)"
	# shellcheck disable=SC2086 # version, name, status
	set -- $cluster
	if [ "$3" != online ]; then
		pg_ctlcluster "$1" "$2" start || fail "cannot start PostgreSQL $1/$2"
		echo "$1 $2" >"$state/postgresql.started"
	fi
	"$here/../deps.sh" lava-lab || exit 2
	manage migrate --noinput >/dev/null || fail "lava-server manage migrate failed ($state/manage.log)"

	# The lab's objects, made once and kept in the database.
	manage users list | grep -qx "\* $user" ||
		manage users add "$user" --superuser --staff >/dev/null || fail "cannot add user $user"
	if [ ! -s "$state/token" ]; then
		manage tokens add --user "$user" --description pmig-lava-lab >"$state/token" ||
			fail "cannot make an API token for $user"
	fi
	manage workers list | grep -q "^\* $worker " ||
		manage workers add --description pmig-lava-lab "$worker" >/dev/null || fail "cannot add worker $worker"
	manage workers details "$worker" | sed -n 's/^token *: //p' >"$state/worker-token"
	manage device-types list | grep -q '^\* qemu ' ||
		manage device-types add qemu >/dev/null || fail "cannot add device type qemu"
	local i d have
	have=$(manage devices list)
	for i in $(seq 1 "$devices"); do
		d=$(printf 'qemu-%02d' "$i")
		grep -q "^\* $d " <<<"$have" ||
			manage devices add --device-type qemu --worker "$worker" "$d" >/dev/null ||
			fail "cannot add device $d"
	done
	echo "$port" >"$state/port"
	echo "http://$user:$(cat "$state/token")@127.0.0.1:$port/RPC2" >"$state/uri"

	# The daemons, as their systemd units run them (lava-server's packaging); the
	# worker asks for work every 2 s, not 20 (a job starts and ends sooner).
	daemon gunicorn gunicorn3 lava_server.wsgi -u lavaserver -g lavaserver --workers 2 \
		--timeout 120 --bind "127.0.0.1:$port"
	daemon scheduler lava-server manage lava-scheduler --level INFO
	waitfor 60 "lava-server (http://127.0.0.1:$port)" curl -fs "http://127.0.0.1:$port/api/v0.2/"
	daemon worker lava-worker --name "$worker" --url "http://127.0.0.1:$port/" \
		--token-file "$state/worker-token" --worker-dir "$state/worker" --level INFO \
		--ping-interval 2
	local lc=(lavacli --uri "$(cat "$state/uri")")
	# The device dictionary: qemu.jinja2 with pmig's QEMU options (lava/qemu-pmig.yaml's).
	cat >"$state/qemu-pmig.jinja2" <<'DICT'
{% extends 'qemu.jinja2' %}
{% block qemu_options %}
          - -nographic
          - -accel tcg,thread=single
          - -nodefaults
          - -no-reboot
          - -monitor none
          - -serial mon:stdio
          - -display none
{% endblock qemu_options -%}
DICT
	for i in $(seq 1 "$devices"); do
		d=$(printf 'qemu-%02d' "$i")
		"${lc[@]}" devices dict set "$d" "$state/qemu-pmig.jinja2" >/dev/null ||
			fail "cannot set the device dictionary of $d"
	done
	waitfor 60 "lava-worker $worker" sh -c "$(printf '%q ' "${lc[@]}") workers show $worker | grep -q 'state *: Online'"
	echo "pmig lava-lab: up: http://127.0.0.1:$port ($devices qemu devices, worker $worker); lavacli --uri \$(cat $state/uri)" >&2
}

stop() {
	[ $# = 0 ] || die "stop: takes no options"
	local n p g name
	# Every process group in each daemon's session: lava-worker puts each lava-run
	# (and its QEMU) in a group of its own.
	for n in TERM TERM TERM TERM TERM TERM TERM TERM TERM TERM KILL; do
		p=0
		for name in worker scheduler gunicorn; do
			[ -s "$state/$name.pid" ] || continue
			for g in $(ps -eo pgid=,sid= | awk -v s="$(cat "$state/$name.pid")" '$2 == s { print $1 }' | sort -u); do
				kill "-$n" -- "-$g" 2>/dev/null
				p=1
			done
		done
		[ "$p" = 0 ] && break
		sleep 2
	done
	rm -f "$state/worker.pid" "$state/scheduler.pid" "$state/gunicorn.pid"
	if [ -s "$state/postgresql.started" ]; then
		# shellcheck disable=SC2046 # version and cluster name
		pg_ctlcluster $(cat "$state/postgresql.started") stop || fail "cannot stop PostgreSQL"
		rm -f "$state/postgresql.started"
	fi
	echo "pmig lava-lab: stopped" >&2
}

status() {
	local name rc=1
	for name in gunicorn scheduler worker; do
		if alive "$name"; then
			echo "$name: running (pid $(cat "$state/$name.pid"))"
			rc=0
		else
			echo "$name: stopped"
		fi
	done
	return $rc
}

submit() {
	local kernels=debian:bookworm,debian:trixie,debian:sid,debian:experimental
	local topology=2node timeout=0 url='' identity='' out='' jobs_only=0
	[ "${1:-}" = --jobs-only ] && { jobs_only=1; shift; }
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernels | --topology | --timeout | --url | --identity | --out)
			[ $# -ge 2 ] || die "$1 needs an argument"
			case "$1" in
			--kernels) kernels=$2 ;;
			--topology) topology=$2 ;;
			--timeout) timeout=$2 ;;
			--url) url=${2%/} ;;
			--identity) identity=$2 ;;
			--out) out=$2 ;;
			esac
			shift 2
			;;
		*) die "submit: unknown option '$1' (see pmig lava-lab --help)" ;;
		esac
	done
	local klist
	IFS=, read -ra klist <<<"$kernels"
	[ ${#klist[@]} -gt 0 ] || die "empty --kernels"
	"$here/topology.sh" --describe "$topology" >/dev/null || exit 2
	check_kernels "${klist[@]}"
	check_timeout "$timeout"
	case "$url" in
	'' | http://* | https://*) ;;
	*) die "--url '$url': give the http:// or https:// base another lab fetches from" ;;
	esac
	local lc
	if [ "$jobs_only" = 1 ]; then
		:
	elif [ -n "$identity" ]; then
		lc=(lavacli -i "$identity")
	else
		[ -r "$state/uri" ] || die "no lab here: pmig lava-lab start (or --identity ID for another lab)"
		lc=(lavacli --uri "$(cat "$state/uri")")
	fi
	out=${out:-${PMIG_RUNS:-.}/lava-lab-$(date -u +%Y%m%dT%H%M%SZ)}
	mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"
	out=$(cd "$out" && pwd)

	# One job per kernel, all submitted before the first wait: the lab runs as
	# many at once as it has idle devices.
	local k col cell dir id cols=() status=0
	for k in "${klist[@]}"; do
		col="${k#debian:}/$topology"
		cell=$(tr '/:' '__' <<<"$col")
		dir=$out/$cell
		# A job written before (pmig lava-lab jobs) is sent as it is.
		if [ ! -s "$dir/job.yaml" ]; then
			"$pmig" lava-job --kernel "$k" --topology "$topology" --timeout "$timeout" \
				${url:+--url "$url/$cell"} --out "$dir" -- conform 2>"$dir.err" ||
				fail "$col: pmig lava-job failed: $(tail -n 1 "$dir.err")"
		fi
		[ "$jobs_only" = 1 ] && { echo "# $col: $dir/job.yaml" >&2; continue; }
		id=$("${lc[@]}" jobs submit "$dir/job.yaml" 2>"$dir.err") && [[ "$id" =~ ^[0-9]+$ ]] ||
			fail "$col: lavacli jobs submit failed: $(tail -n 1 "$dir.err")"
		echo "$id" >"$dir.job"
		echo "# $col: LAVA job $id" >&2
		cols+=("$col|$dir|$id")
	done
	[ "$jobs_only" = 1 ] && return 0
	local i health release limit
	# The case ids in pmig conform's order: the table's rows, as pmig matrix's.
	"$pmig" conform --list >"$out/.ids" 2>/dev/null || : >"$out/.ids"
	for i in "${!cols[@]}"; do
		IFS='|' read -r col dir id <<<"${cols[$i]}"
		# The job's own limit (pmig lava-job's, from its size), and 15 minutes in the queue.
		limit=$(sed -n 's/^  job: {seconds: \([0-9]*\)}$/\1/p' "$dir/job.yaml")
		"${lc[@]}" jobs wait --polling 2 --timeout $((${limit:-3600} + 900)) "$id" >/dev/null 2>&1
		"${lc[@]}" jobs show --yaml "$id" >"$dir.show" 2>&1
		health=$(sed -n 's/^health: //p' "$dir.show")
		# Each case as the job's monitor recorded it: "* pmig-conform.NAME [RESULT]",
		# NAME the case id with LAVA's "_" for each "." (back to the id by pmig's list).
		"${lc[@]}" results "$id" 2>/dev/null | sed -n 's/^\* pmig-conform\.\(.*\) \[\(.*\)\]$/\1\t\2/p' |
			awk -F'\t' 'NR == FNR { k = $0; gsub(/[^A-Za-z0-9_-]/, "_", k); ids[k] = $0; next }
				{
					c = ($2 == "pass") ? "PASS" : ($2 == "skip") ? "SKIP" : "**FAIL**"
					print (($1 in ids) ? ids[$1] : $1) "\t" c
				}' "$out/.ids" - >"$out/.cells.$i"
		grep -q '\*\*FAIL\*\*' "$out/.cells.$i" && status=1
		if [ "$health" != Complete ]; then
			status=1
			# Why, as LAVA says it: the job's error_msg, from its log.
			"${lc[@]}" jobs logs --raw "$id" >"$dir.log" 2>/dev/null
			health="$health: $(grep -m 1 -o '"error_msg": ".*' "$dir.log" |
				sed 's/^"error_msg": "//; s/", "error_type".*//; s/\\"/'"'"'/g; s/\\n$//' | cut -c1-240)"
		fi
		release=$(sed -n 's/^kernel_release=//p' "$dir/kernel.txt" 2>/dev/null)
		cols[$i]="$col|$dir|$id|${release:-unknown}|${health:-unknown}"
	done
	# TSV as pmig matrix writes it: header, then one row per case id seen in any job.
	local heads=() files=()
	for i in "${!cols[@]}"; do
		IFS='|' read -r col _ _ release _ <<<"${cols[$i]}"
		heads+=("$col ($release)")
		files+=("$out/.cells.$i")
	done
	"$here/matrix-table.sh" --tsv "$out/.ids" "${heads[@]}" -- "${files[@]}" >"$out/matrix.tsv"
	rm -f "$out"/.cells.* "$out/.ids"
	{
		"$here/matrix-table.sh" "$out/matrix.tsv"
		printf '\n'
		for c in "${cols[@]}"; do
			IFS='|' read -r col _ id _ health <<<"$c"
			printf '%s: LAVA job %s %s\n' "$col" "$id" "$health"
		done
	} | tee "$out/matrix.md"
	return $status
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
start) start "$@" ;;
submit) submit "$@" ;;
jobs) submit --jobs-only "$@" ;;
stop) stop "$@" ;;
status) status ;;
--help | -h | help) usage ;;
'') die "no command: start, submit, status or stop (see pmig lava-lab --help)" ;;
*) die "unknown command '$cmd' (see pmig lava-lab --help)" ;;
esac
