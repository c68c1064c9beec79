#!/bin/bash
# topology.t - TAP test of scripts/vm/topology.sh: presets, golden QEMU args and guest facts, normalization, bad files, QEMU acceptance.
# Run from anywhere (make check does: prove -v scripts/tests/*.t).
set -u
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
topo=$root/scripts/vm/topology.sh
golden=$root/scripts/tests/data/topology
fixtures=$root/harness/tests/data
presets="1node 2node 2node-cxl 2node-hotplug 2node-movable 3node-cxl 3node-memless 4node-asym"
topo_outs="1node 2node 2node-memless 3node-cxl 4node-hbm"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmig-topology-t.XXXXXX") || {
	echo "Bail out! cannot make a temporary directory"
	exit 1
}
qpids=()
cleanup() {
	local p
	for p in "${qpids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
failed=0
ok() { # STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}
skip() { # NAME REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
diag() { sed 's/^/# /' "$@"; }

# run ARGS...: topology.sh ARGS into $tmp/out, $tmp/err; $rc.
run() {
	"$topo" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# same NAME FILE GOLDEN: ok when FILE equals GOLDEN, else the diff as diagnostics.
same() {
	if diff -u "$3" "$2" >"$tmp/diff"; then
		ok 0 "$1"
	else
		diag "$tmp/diff"
		ok 1 "$1"
	fi
}

# ---- bad input: name, file contents, and the expected start of the stderr line
# ("@N" stands for "pmig vm: topology FILE line N: ", "@" for "pmig vm: topology FILE: ").
bad_names=()
bad_texts=()
bad_wants=()
bad() { # NAME WANT TEXT
	bad_names+=("$1")
	bad_wants+=("$2")
	bad_texts+=("$3")
}
two='node 0 cpus=0 mem=512M
node 1 cpus=1 mem=512M'
three="$two
node 2 mem=512M"
bad unknown_keyword @3 "$two
nodes 2 mem=1G"
bad unknown_node_option @1 'node 0 cpus=0 memory=1G'
bad node_option_without_value @1 'node 0 cpus=0 mem=1G huge'
bad node_without_id @1 'node'
bad node_id_not_a_number @1 'node zero cpus=0 mem=1G'
bad node_id_leading_zero @2 'node 0 cpus=0 mem=512M
node 01 cpus=1 mem=512M'
bad node_id_out_of_range @2 'node 0 cpus=0 mem=512M
node 2 cpus=1 mem=512M'
bad node_id_twice @2 'node 0 cpus=0 mem=512M
node 0 cpus=1 mem=512M'
bad cpu_in_two_nodes @2 'node 0 cpus=0-1 mem=512M
node 1 cpus=1 mem=512M'
bad cpu_twice_in_a_node @1 'node 0 cpus=0,0 mem=512M'
bad cpus_not_from_zero @1 'node 0 cpus=1 mem=512M'
bad cpus_with_a_gap @2 'node 0 cpus=0 mem=512M
node 1 cpus=2 mem=512M'
bad cpu_list_syntax @1 'node 0 cpus=0-1, mem=512M'
bad cpu_range_backwards @1 'node 0 cpus=1-0 mem=512M'
bad cpus_given_twice @1 'node 0 cpus=0 cpus=1 mem=512M'
bad size_without_unit @1 'node 0 cpus=0 mem=512'
bad size_fraction @1 'node 0 cpus=0 mem=1.5G'
bad size_zero @1 'node 0 cpus=0 mem=0M'
bad size_lowercase @1 'node 0 cpus=0 mem=512m'
bad mem_given_twice @1 'node 0 cpus=0 mem=512M mem=1G'
bad node_with_neither @2 'node 0 cpus=0 mem=512M
node 1'
bad no_nodes @ '# nothing here'
bad no_node_with_memory @ 'node 0 cpus=0'
bad no_node_with_cpus @ 'node 0 mem=512M'
bad distance_too_big @3 "$two
distance 0 1 255"
bad distance_10_between_nodes @3 "$two
distance 0 1 10"
bad distance_below_10 @3 "$two
distance 0 1 9"
bad distance_not_a_number @3 "$two
distance 0 1 far"
bad distance_missing_value @3 "$two
distance 0 1"
bad distance_to_unknown_node @3 "$two
distance 0 2 21"
bad distance_from_unknown_node @4 "$two
distance 0 1 21
distance 5 0 21"
bad self_distance_not_10 @3 "$two
distance 1 1 20"
bad partial_distance_matrix @4 "$three
distance 0 1 21
distance 0 2 30"
bad distance_twice @4 "$two
distance 0 1 21
distance 0 1 21"
bad hmat_initiator_without_cpus @4 "$three
hmat 2 0 latency=100"
bad hmat_initiator_unknown @3 "$two
hmat 4 0 latency=100"
bad hmat_target_unknown @3 "$two
hmat 0 2 latency=100"
bad hmat_twice @4 "$two
hmat 0 1 latency=100
hmat 0 1 bandwidth=1G"
bad hmat_without_values @3 "$two
hmat 0 1"
bad hmat_latency_zero @3 "$two
hmat 0 1 latency=0"
bad hmat_latency_given_twice @3 "$two
hmat 0 1 latency=1 latency=2"
bad hmat_bandwidth_in_kib @3 "$two
hmat 0 1 bandwidth=1500K"
bad hmat_unknown_option @3 "$two
hmat 0 1 delay=5"
bad hmat_latencies_too_far_apart @4 "$two
hmat 0 0 latency=1
hmat 0 1 latency=65535"
bad hmat_bandwidths_too_far_apart @4 "$two
hmat 0 0 bandwidth=1M
hmat 0 1 bandwidth=64G"
bad dimm_without_size @3 "$two
dimm node=1"
bad dimm_unknown_node @3 "$two
dimm node=2 size=256M"
bad dimm_not_whole_blocks @3 "$two
dimm node=1 size=200M"
bad dimm_unknown_option @3 "$two
dimm node=1 size=256M slot=2"
bad movable_twice @4 "$two
movable size=256M
movable size=256M"
bad movable_without_size @3 "$two
movable 256M"

# ---- valid files beyond the presets: name, contents, golden --expect.
good_names=()
good_texts=()
good_expects=()
good() { # NAME TEXT EXPECT
	good_names+=("$1")
	good_texts+=("$2")
	good_expects+=("$3")
}
# Comments, CRLF, tabs, one direction meaning both, a written self distance.
good symmetric_from_one_direction "$(printf '%s\r\n' \
	'# comment line' '' \
	'node 1	cpus=1   mem=1G # trailing comment' \
	'node 0 mem=512M cpus=0' \
	'distance 0 0 10' 'distance 1 0 30')" \
	'distance 0 1 30
distance 1 0 30
node 0 cpus 0
node 0 memory yes
node 1 cpus 1
node 1 memory yes'
good memoryless_node 'node 0 cpus=0-1 mem=512M
node 1 cpus=2
distance 0 1 21' \
	'distance 0 1 21
distance 1 0 21
node 0 cpus 0-1
node 0 memory yes
node 1 cpus 2
node 1 memory no'
# No distance lines: the guest sees Linux's default 20.
good cpuless_no_distances 'node 0 cpus=0,1 mem=256M
node 1 mem=256M
node 2 mem=256M' \
	'distance 0 1 20
distance 0 2 20
distance 1 0 20
distance 1 2 20
distance 2 0 20
distance 2 1 20
node 0 cpus 0-1
node 0 memory yes
node 1 cpus none
node 1 memory yes
node 2 cpus none
node 2 memory yes'
# HMAT with a CPU-less node nearer to node 1: its initiator is 1.
good hmat_initiator_nearest 'node 0 cpus=0 mem=256M
node 1 cpus=1 mem=256M
node 2 mem=256M
distance 0 1 21
distance 0 2 40
distance 1 2 30
distance 2 1 31
distance 1 0 21
distance 2 0 40
hmat 1 2 latency=300 bandwidth=4G/s
hmat 0 0 latency=100' \
	'distance 0 1 21
distance 0 2 40
distance 1 0 21
distance 1 2 30
distance 2 0 40
distance 2 1 31
node 0 cpus 0
node 0 memory yes
node 1 cpus 1
node 1 memory yes
node 2 cpus none
node 2 memory yes'

# ---- guest-side samples: what `pmig topo` prints in a guest of a preset
# (memory below the backend size) must normalize to that preset's --expect.
guest_3node_cxl='nodes: 3 (memory: 3, cpu-less: 1)
node 0: cpus 0, memory 453 MiB
node 1: cpus 1, memory 491 MiB
node 2: cpu-less, memory 497 MiB
distances:
       0   1   2
  0:  10  21  30
  1:  21  10  32
  2:  30  32  10'
# 4node-asym with the matrix transposed (a from/to mix-up): must not match.
guest_4node_transposed='nodes: 4 (memory: 4, cpu-less: 0)
node 0: cpus 0, memory 200 MiB
node 1: cpus 1, memory 240 MiB
node 2: cpus 2, memory 240 MiB
node 3: cpus 3, memory 240 MiB
distances:
       0   1   2   3
  0:  10  22  30  35
  1:  20  10  27  30
  2:  30  25  10  24
  3:  40  30  20  10'

# The same guest in `pmig topo --facts` form (node by node, unsorted).
facts_3node_cxl='node 0 cpus 0
node 0 memory yes
distance 0 1 21
distance 0 2 30
node 1 cpus 1
node 1 memory yes
distance 1 0 21
distance 1 2 32
node 2 cpus none
node 2 memory yes
distance 2 0 30
distance 2 1 32'

bad_normalize_names=(normalize_facts_bad_line normalize_garbage normalize_node_count normalize_short_row normalize_no_nodes_line)
bad_normalize_texts=(
	'node 0 cpus 0
node 0 memory maybe'
	'Linux version 6.1.0'
	'nodes: 2 (memory: 1, cpu-less: 0)
node 0: cpus 0, memory 100 MiB
distances: unknown'
	'nodes: 2 (memory: 2, cpu-less: 0)
node 0: cpus 0, memory 100 MiB
node 1: cpus 1, memory 100 MiB
distances:
       0   1
  0:  10  21
  1:  21'
	'node 0: cpus 0, memory 100 MiB'
)

have_qemu=
command -v qemu-system-x86_64 >/dev/null 2>&1 && have_qemu=1
np=0
for p in $presets; do np=$((np + 1)); done
nt=0
for p in $topo_outs; do nt=$((nt + 1)); done
echo "TAP version 13"
# per preset: qemu golden, expect golden, describe, qemu accepted;
# per pmig topo fixture: normalize; bad files; good files (expect + qemu);
# 3 guest samples; bad normalize input; 6 usage/lookup errors; per preset, the virt and
# pseries arguments accepted; 6 --missing checks; 4 --append checks.
echo "1..$((np * 4 + nt + ${#bad_names[@]} + ${#good_names[@]} * 2 + 3 + ${#bad_normalize_names[@]} + 6 + np * 2 + 6 + 4))"

# ---- presets: golden --qemu and --expect
for p in $presets; do
	run --qemu "$p"
	if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ]; then
		same "preset $p --qemu matches $p.qemu" "$tmp/out" "$golden/$p.qemu"
	else
		diag "$tmp/err"
		ok 1 "preset $p --qemu (exit $rc)"
	fi
	cp "$tmp/out" "$tmp/$p.args"
	run --expect "$p"
	if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ]; then
		same "preset $p --expect matches $p.expect" "$tmp/out" "$golden/$p.expect"
	else
		diag "$tmp/err"
		ok 1 "preset $p --expect (exit $rc)"
	fi
done

# ---- presets: --describe
declare -A describe=(
	[1node]='1 node: 0 (cpus 0-1, 1G)'
	[2node]='2 nodes: 0 (cpus 0, 512M), 1 (cpus 1, 512M)'
	[2node-cxl]='2 nodes: 0 (cpus 0, 512M), 1 (cpu-less, 512M); hmat'
	[2node-hotplug]='2 nodes: 0 (cpus 0, 512M), 1 (cpus 1, 512M); dimm 256M on node 1'
	[2node-movable]='2 nodes: 0 (cpus 0, 512M), 1 (cpus 1, 512M); 512M of boot memory movable'
	[3node-cxl]='3 nodes: 0 (cpus 0, 512M), 1 (cpus 1, 512M), 2 (cpu-less, 512M); hmat'
	[3node-memless]='3 nodes: 0 (cpus 0, 512M), 1 (cpus 1, 512M), 2 (cpus 2, no memory)'
	[4node-asym]='4 nodes: 0 (cpus 0, 256M), 1 (cpus 1, 256M), 2 (cpus 2, 256M), 3 (cpus 3, 256M); asymmetric distances'
)
for p in $presets; do
	got=$("$topo" --describe "$p" 2>&1)
	if [ "$got" = "${describe[$p]}" ]; then
		ok 0 "preset $p --describe"
	else
		echo "# got:  $got"
		echo "# want: ${describe[$p]}"
		ok 1 "preset $p --describe"
	fi
done

# ---- --normalize of the golden `pmig topo` outputs
for f in $topo_outs; do
	run --normalize <"$fixtures/$f.out"
	if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ]; then
		same "normalize $f.out" "$tmp/out" "$golden/$f.norm"
	else
		diag "$tmp/err"
		ok 1 "normalize $f.out (exit $rc)"
	fi
done

# ---- bad files: exit 2, exactly one stderr line naming the right line, empty stdout
for i in "${!bad_names[@]}"; do
	name=${bad_names[$i]}
	f=$tmp/$name.topo
	printf '%s\n' "${bad_texts[$i]}" >"$f"
	want=${bad_wants[$i]}
	if [ "$want" = @ ]; then
		want="pmig vm: topology $f: "
	else
		want="pmig vm: topology $f line ${want#@}: "
	fi
	run --qemu "$f"
	lines=$(wc -l <"$tmp/err")
	first=$(head -n 1 "$tmp/err")
	if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" = 1 ] &&
		[ "${first#"$want"}" != "$first" ]; then
		ok 0 "bad file: $name"
	else
		echo "# exit $rc, stdout $(wc -c <"$tmp/out") bytes, $lines stderr lines, want '$want...'"
		diag "$tmp/err"
		ok 1 "bad file: $name"
	fi
done

# ---- other valid files: --expect
for i in "${!good_names[@]}"; do
	name=${good_names[$i]}
	printf '%s\n' "${good_texts[$i]}" >"$tmp/$name.topo"
	printf '%s\n' "${good_expects[$i]}" >"$tmp/$name.expect"
	run --expect "$tmp/$name.topo"
	if [ "$rc" = 0 ] && [ ! -s "$tmp/err" ]; then
		same "file $name --expect" "$tmp/out" "$tmp/$name.expect"
	else
		diag "$tmp/err"
		ok 1 "file $name --expect (exit $rc)"
	fi
	"$topo" --qemu "$tmp/$name.topo" >"$tmp/$name.args" 2>/dev/null ||
		: >"$tmp/$name.args"
done

# ---- guest samples against the presets' expectations
# guest_matches TEXT PRESET NAME: TEXT normalizes to exactly --expect PRESET.
guest_matches() {
	printf '%s\n' "$1" | "$topo" --normalize >"$tmp/g.norm" 2>"$tmp/err"
	"$topo" --expect "$2" >"$tmp/g.expect"
	if cmp -s "$tmp/g.norm" "$tmp/g.expect" && [ ! -s "$tmp/err" ]; then
		ok 0 "$3"
	else
		diff "$tmp/g.expect" "$tmp/g.norm" | diag
		diag "$tmp/err"
		ok 1 "$3"
	fi
}
guest_matches "$guest_3node_cxl" 3node-cxl \
	"a 3node-cxl guest's pmig topo matches --expect 3node-cxl"
guest_matches "$facts_3node_cxl" 3node-cxl \
	"a 3node-cxl guest's pmig topo --facts matches --expect 3node-cxl"
printf '%s\n' "$guest_4node_transposed" | "$topo" --normalize >"$tmp/g.norm" 2>"$tmp/err"
"$topo" --expect 4node-asym >"$tmp/g.expect"
if [ ! -s "$tmp/err" ] && [ -s "$tmp/g.norm" ] && ! cmp -s "$tmp/g.norm" "$tmp/g.expect"; then
	ok 0 "a transposed 4node-asym distance matrix does not match --expect 4node-asym"
else
	diag "$tmp/err"
	ok 1 "a transposed 4node-asym distance matrix does not match --expect 4node-asym"
fi

# ---- bad --normalize input
for i in "${!bad_normalize_names[@]}"; do
	printf '%s\n' "${bad_normalize_texts[$i]}" | "$topo" --normalize >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" = 1 ]; then
		ok 0 "${bad_normalize_names[$i]}"
	else
		echo "# exit $rc, stdout $(wc -c <"$tmp/out") bytes, $lines stderr lines"
		diag "$tmp/err"
		ok 1 "${bad_normalize_names[$i]}"
	fi
done

# ---- usage and lookup errors
usage_error() { # NAME WANT-STDERR-OR-EMPTY ARGS...
	local name=$1 want=$2
	shift 2
	run "$@"
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" = 1 ] &&
		{ [ -z "$want" ] || [ "$(cat "$tmp/err")" = "$want" ]; }; then
		ok 0 "$name"
	else
		echo "# exit $rc, stdout $(wc -c <"$tmp/out") bytes, $lines stderr lines"
		diag "$tmp/err"
		ok 1 "$name"
	fi
}
usage_error "no such preset" \
	"pmig vm: no such topology 'nope' (presets: 1node 2node-1g 2node-cxl 2node-hotplug 2node-movable 2node 3node-cxl 3node-memless 4node-asym)" --qemu nope
usage_error "missing file" "" --expect "$tmp/missing.topo"
usage_error "a directory is no topology file" "" --expect "$tmp/"
usage_error "no arguments" ""
usage_error "unknown mode" "" --bogus 2node
usage_error "--qemu without a topology" "" --qemu

# ---- QEMU accepts the arguments: started paused with no devices; still
# running after 5 s (killed by timeout) is accepted, an early exit refused.
qnames=()
for p in $presets; do qnames+=("preset:$p"); done
for name in "${good_names[@]}"; do qnames+=("file:$name"); done
if [ -n "$have_qemu" ]; then
	for q in "${qnames[@]}"; do
		a=${q#*:}
		[ -s "$tmp/$a.args" ] || continue # --qemu failed: reported below
		mapfile -t args <"$tmp/$a.args"
		(
			timeout 5 qemu-system-x86_64 -accel tcg "${args[@]}" -nodefaults \
				-display none -S -monitor none -serial none \
				</dev/null >"$tmp/$a.qout" 2>&1
			echo $? >"$tmp/$a.qrc"
		) &
		qpids+=($!)
	done
	wait "${qpids[@]}"
	qpids=()
	for q in "${qnames[@]}"; do
		a=${q#*:}
		qrc=$(cat "$tmp/$a.qrc" 2>/dev/null)
		if [ ! -s "$tmp/$a.args" ]; then
			echo "# topology.sh --qemu gave no arguments"
			ok 1 "qemu accepts the arguments of ${q%%:*} $a"
		elif [ "$qrc" = 124 ]; then
			ok 0 "qemu accepts the arguments of ${q%%:*} $a"
		else
			echo "# qemu exited with status ${qrc:-?} before the timeout:"
			grep -v 'terminating on signal' "$tmp/$a.qout" | diag
			ok 1 "qemu accepts the arguments of ${q%%:*} $a"
		fi
	done
else
	for q in "${qnames[@]}"; do
		skip "qemu accepts the arguments of ${q%%:*} ${q#*:}" "qemu-system-x86_64 is not installed"
	done
fi

# ---- the other machine types: each preset's arguments accepted by that QEMU (paused 5 s
# as above), and what the machine type cannot give said by --missing.
declare -A machine_qemu=([virt]=qemu-system-aarch64 [pseries]=qemu-system-ppc64)
for m in virt pseries; do
	q=${machine_qemu[$m]}
	for p in $presets; do
		if ! command -v "$q" >/dev/null 2>&1; then
			skip "$q accepts the $m arguments of preset $p" "$q is not installed"
			continue
		fi
		mapfile -t args < <("$topo" --qemu "$p" "$m")
		timeout 5 "$q" -accel tcg "${args[@]}" -nodefaults -display none -S -monitor none \
			-serial none </dev/null >"$tmp/$m-$p.qout" 2>&1 &
		qpids+=("$!:$m:$p")
	done
done
for e in "${qpids[@]}"; do
	IFS=: read -r pid m p <<<"$e"
	wait "$pid"
	qrc=$?
	if [ "$qrc" = 124 ] && ! grep -q hmat "$tmp/$m-$p.qout"; then
		ok 0 "${machine_qemu[$m]} accepts the $m arguments of preset $p"
	else
		echo "# exit ${qrc} before the timeout:"
		grep -v 'terminating on signal' "$tmp/$m-$p.qout" | diag
		ok 1 "${machine_qemu[$m]} accepts the $m arguments of preset $p"
	fi
done
qpids=()
missing_is() { # NAME TOPOLOGY MACHINE WANT-PREFIX (empty: nothing missing)
	local got
	got=$("$topo" --missing "$2" "$3" 2>&1)
	if { [ -z "$4" ] && [ -z "$got" ]; } || { [ -n "$4" ] && [ "${got#"$4"}" != "$got" ]; }; then
		ok 0 "$1"
	else
		echo "# got: $got"
		ok 1 "$1"
	fi
}
missing_is "--missing: 3node-cxl on virt has no HMAT" 3node-cxl virt "hmat: the virt machine type gives the guest no HMAT"
missing_is "--missing: 3node-cxl on q35 lacks nothing" 3node-cxl q35 ""
missing_is "--missing: 2node on pseries lacks nothing" 2node pseries ""
missing_is "--missing: an unknown machine type is one line" 2node m68k "pmig vm: unknown machine type 'm68k' (q35, virt, pseries)"
missing_is "--missing: 2node-hotplug on virt has no DIMM" 2node-hotplug virt "dimm: the virt machine type gets no hot-pluggable DIMM"
missing_is "--missing: 2node-hotplug on q35 lacks nothing" 2node-hotplug q35 ""

# ---- --append: the DIMMs onlined movable on q35, nothing where there are none or no DIMM is given
append_is() { # NAME WANT ARGS...
	local got want=$2
	got=$("$topo" --append "${@:3}" 2>&1)
	if [ "$got" = "$want" ]; then
		ok 0 "$1"
	else
		echo "# got: '$got', want: '$want'"
		ok 1 "$1"
	fi
}
append_is "--append: 2node-hotplug onlines its DIMM movable" "memhp_default_state=online_movable movable_node" 2node-hotplug
append_is "--append: 2node needs no parameter" "" 2node q35
append_is "--append: 2node-hotplug on pseries gets no DIMM" "" 2node-hotplug pseries
append_is "--append: 2node-movable makes boot memory movable, on any machine" movablecore=512M 2node-movable virt

[ "$failed" = 0 ]
