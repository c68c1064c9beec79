#!/bin/bash
# topology.sh - pmig VM topology files: QEMU -numa arguments, the topology the guest must show, `pmig topo` normalization.
#
#   topology.sh --qemu NAME|FILE [MACHINE]
#                                     QEMU arguments, one per line (mapfile -t args), for
#                                     MACHINE: q35 (default, x86-64), virt (arm64), pseries (ppc64le)
#   topology.sh --missing NAME|FILE MACHINE
#                                     what of the topology MACHINE cannot give, one line each
#   topology.sh --expect NAME|FILE    normalized facts the guest must show, sorted
#   topology.sh --normalize           `pmig topo` (or `pmig topo --facts`) output on stdin -> the same facts, sorted
#   topology.sh --describe NAME|FILE  one human-readable line
#   topology.sh --append NAME|FILE [MACHINE]
#                                     kernel command-line parameters the topology needs
#                                     (hot-pluggable memory onlined movable), one line, maybe empty
#
# The file format is in topologies/README.md. NAME is topologies/NAME.topo next
# to this script; an argument containing '/' or ending in .topo is a file.
# Bad input: one line on stderr, nothing on stdout, exit status 2.

set -u
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || exit 2
topodir=$here/topologies

# Limits: QEMU's MAX_NODES is 128; Linux SLIT distances are one byte, 255
# meaning unreachable, and the kernel discards a SLIT whose remote entries
# are <= 10 (drivers/acpi/numa/srat.c slit_valid()).
max_nodes=128
max_cpu=1023

usage() {
	echo "pmig vm: usage: topology.sh --qemu NAME|FILE [q35|virt|pseries], --missing NAME|FILE q35|virt|pseries, --append NAME|FILE [MACHINE], --expect|--describe NAME|FILE, or --normalize <pmig-topo-output" >&2
	exit 2
}

label=
# Error at a line of the topology file.
die_at() {
	echo "pmig vm: topology $label line $1: $2" >&2
	exit 2
}
# Error about the file as a whole.
die_file() {
	echo "pmig vm: topology $label: $1" >&2
	exit 2
}

# Decimal without leading zeros (bash would read 010 as octal), up to 9 digits.
is_num() {
	[[ $1 =~ ^(0|[1-9][0-9]{0,8})$ ]]
}

# Parsed topology.
declare -A node_line=()  # id -> line of its node statement
declare -A node_cpus=()  # id -> space-separated sorted cpu numbers ("" when cpu-less)
declare -A node_mem=()   # id -> MiB (0 when memoryless)
declare -A cpu_owner=()  # cpu -> node id
declare -A dist=()       # "a b" -> value as given
declare -A dist_line=()  # "a b" -> line
declare -A hmat_lat=()   # "i t" -> ns ("" when not given)
declare -A hmat_bw=()    # "i t" -> e.g. 10G ("" when not given)
declare -A hmat_line=()  # "i t" -> line
dimm_node=()             # i -> node of hot-pluggable DIMM i
dimm_mem=()              # i -> MiB
dimm_line=()             # i -> line
movable_mem=0            # MiB of boot memory in ZONE_MOVABLE (movablecore=), 0 for none
movable_line=0
nnodes=0
first_dist_line=0
D=() # resolved distance matrix, index a*nnodes+b; filled by resolve

# size_mib SIZE: MiB of 512M / 1G, or fails.
size_mib() {
	[[ $1 =~ ^([1-9][0-9]{0,6})([MG])$ ]] || return 1
	local n=$((10#${BASH_REMATCH[1]}))
	[[ ${BASH_REMATCH[2]} == G ]] && n=$((n * 1024))
	echo "$n"
}

# cpus_of LIST: sorted unique cpu numbers of a Linux list ("0-1,3"); on a
# bad list prints the problem instead and fails.
cpus_of() {
	local list=$1 item a b c
	local -A seen=()
	local -a items=()
	if ! [[ $list =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]]; then
		echo "bad cpu list '$list' (want e.g. 0-1,3)"
		return 1
	fi
	IFS=, read -r -a items <<<"$list"
	for item in "${items[@]}"; do
		a=${item%-*}
		b=${item#*-}
		if ! is_num "$a" || ! is_num "$b" || ((10#$a > 10#$b)); then
			echo "bad cpu range '$item' in '$list'"
			return 1
		fi
		a=$((10#$a))
		b=$((10#$b))
		if ((b > max_cpu)); then
			echo "cpu $b out of range (0-$max_cpu)"
			return 1
		fi
		for ((c = a; c <= b; c++)); do
			if [[ -n ${seen[$c]-} ]]; then
				echo "cpu $c listed twice in '$list'"
				return 1
			fi
			seen[$c]=1
		done
	done
	printf '%s\n' "${!seen[@]}" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# linux_list "0 1 3": Linux list format ("0-1,3"), "" for none.
linux_list() {
	local c start=-1 prev=-1 out=
	for c in $1 sentinel; do
		if [[ $c != sentinel ]] && ((start >= 0 && c == prev + 1)); then
			prev=$c
			continue
		fi
		if ((start >= 0)); then
			out+=${out:+,}$start
			((prev > start)) && out+=-$prev
		fi
		[[ $c == sentinel ]] && break
		start=$c
		prev=$c
	done
	echo "$out"
}

parse_node() { # LINENO WORDS...
	local ln=$1 id=$2 w key val cpus='' mem='' have_cpus='' have_mem=''
	shift 2
	is_num "$id" || die_at "$ln" "bad node id '$id' (ids are 0..N-1)"
	id=$((10#$id))
	[[ -n ${node_line[$id]-} ]] &&
		die_at "$ln" "node $id given twice (first on line ${node_line[$id]})"
	for w in "$@"; do
		key=${w%%=*}
		val=${w#*=}
		[[ $w == *=* ]] || key=$w
		case $key in
		cpus)
			[[ -n $have_cpus ]] && die_at "$ln" "node $id: cpus= given twice"
			have_cpus=1
			cpus=$(cpus_of "$val") || die_at "$ln" "node $id: $cpus"
			;;
		mem)
			[[ -n $have_mem ]] && die_at "$ln" "node $id: mem= given twice"
			have_mem=1
			mem=$(size_mib "$val") ||
				die_at "$ln" "node $id: bad size '$val' (want e.g. 512M or 1G)"
			;;
		*) die_at "$ln" "node $id: unknown option '$w' (want cpus=LIST, mem=SIZE)" ;;
		esac
	done
	[[ -n $have_cpus || -n $have_mem ]] ||
		die_at "$ln" "node $id has neither cpus= nor mem="
	local c
	for c in $cpus; do
		[[ -n ${cpu_owner[$c]-} ]] &&
			die_at "$ln" "cpu $c is already in node ${cpu_owner[$c]}"
		cpu_owner[$c]=$id
	done
	node_line[$id]=$ln
	node_cpus[$id]=$cpus
	node_mem[$id]=${mem:-0}
	nnodes=$((nnodes + 1))
}

parse_distance() { # LINENO FROM TO VALUE
	local ln=$1
	(($# == 4)) || die_at "$ln" "want: distance FROM TO VALUE"
	local a=$2 b=$3 v=$4
	is_num "$a" || die_at "$ln" "bad node id '$a'"
	is_num "$b" || die_at "$ln" "bad node id '$b'"
	a=$((10#$a))
	b=$((10#$b))
	is_num "$v" || die_at "$ln" "bad distance '$v' (want 11..254, or 10 from a node to itself)"
	v=$((10#$v))
	if ((a == b)); then
		((v == 10)) || die_at "$ln" "distance from node $a to itself must be 10, not $v"
	elif ((v < 11 || v > 254)); then
		die_at "$ln" "distance $v out of range (11..254 between different nodes)"
	fi
	[[ -n ${dist["$a $b"]-} ]] &&
		die_at "$ln" "distance $a $b given twice (first on line ${dist_line["$a $b"]})"
	dist["$a $b"]=$v
	dist_line["$a $b"]=$ln
	((first_dist_line)) || first_dist_line=$ln
}

parse_hmat() { # LINENO INITIATOR TARGET OPTIONS...
	local ln=$1
	(($# >= 3)) || die_at "$ln" "want: hmat INITIATOR TARGET [latency=NS] [bandwidth=SIZE]"
	local i=$2 t=$3 w key val lat='' bw='' have_lat='' have_bw=''
	shift 3
	is_num "$i" || die_at "$ln" "bad node id '$i'"
	is_num "$t" || die_at "$ln" "bad node id '$t'"
	i=$((10#$i))
	t=$((10#$t))
	for w in "$@"; do
		key=${w%%=*}
		val=${w#*=}
		[[ $w == *=* ]] || key=$w
		case $key in
		latency)
			[[ -n $have_lat ]] && die_at "$ln" "hmat $i $t: latency= given twice"
			have_lat=1
			[[ $val =~ ^[1-9][0-9]{0,8}$ ]] ||
				die_at "$ln" "hmat $i $t: bad latency '$val' (want nanoseconds, e.g. 120)"
			lat=$val
			;;
		bandwidth)
			[[ -n $have_bw ]] && die_at "$ln" "hmat $i $t: bandwidth= given twice"
			have_bw=1
			[[ $val =~ ^([1-9][0-9]{0,5}[MGT])(/s)?$ ]] ||
				die_at "$ln" "hmat $i $t: bad bandwidth '$val' (want e.g. 800M or 10G, bytes/s)"
			bw=${BASH_REMATCH[1]}
			;;
		*) die_at "$ln" "hmat $i $t: unknown option '$w' (want latency=NS, bandwidth=SIZE)" ;;
		esac
	done
	[[ -n $lat || -n $bw ]] || die_at "$ln" "hmat $i $t: give latency=, bandwidth= or both"
	[[ -n ${hmat_line["$i $t"]-} ]] &&
		die_at "$ln" "hmat $i $t given twice (first on line ${hmat_line["$i $t"]})"
	hmat_lat["$i $t"]=$lat
	hmat_bw["$i $t"]=$bw
	hmat_line["$i $t"]=$ln
}

# The memory block of x86-64 guests of this size (arch/x86/mm/init_64.c
# probe_memory_block_size(): 128 MiB below 64 GiB of RAM): the kernel adds
# hot-plugged memory in whole blocks (mm/memory_hotplug.c
# check_hotplug_memory_range()), so a DIMM is a whole number of them.
dimm_align=128

parse_dimm() { # LINENO OPTIONS...
	local ln=$1 w key val node='' mem=''
	shift
	for w in "$@"; do
		key=${w%%=*}
		val=${w#*=}
		[[ $w == *=* ]] || key=$w
		case $key in
		node)
			[[ -n $node ]] && die_at "$ln" "dimm: node= given twice"
			is_num "$val" || die_at "$ln" "dimm: bad node id '$val'"
			node=$((10#$val))
			;;
		size)
			[[ -n $mem ]] && die_at "$ln" "dimm: size= given twice"
			mem=$(size_mib "$val") ||
				die_at "$ln" "dimm: bad size '$val' (want e.g. 256M or 1G)"
			((mem % dimm_align == 0)) ||
				die_at "$ln" "dimm: size $val is not a whole number of ${dimm_align}M memory blocks"
			;;
		*) die_at "$ln" "dimm: unknown option '$w' (want node=ID, size=SIZE)" ;;
		esac
	done
	[[ -n $node && -n $mem ]] || die_at "$ln" "want: dimm node=ID size=SIZE"
	dimm_node+=("$node")
	dimm_mem+=("$mem")
	dimm_line+=("$ln")
}

parse_movable() { # LINENO OPTIONS...
	local ln=$1 w mem=''
	shift
	((movable_line)) && die_at "$ln" "movable given twice (first on line $movable_line)"
	for w in "$@"; do
		case $w in
		size=*)
			[[ -n $mem ]] && die_at "$ln" "movable: size= given twice"
			mem=$(size_mib "${w#size=}") ||
				die_at "$ln" "movable: bad size '${w#size=}' (want e.g. 512M)"
			;;
		*) die_at "$ln" "movable: unknown option '$w' (want size=SIZE)" ;;
		esac
	done
	[[ -n $mem ]] || die_at "$ln" "want: movable size=SIZE"
	movable_mem=$mem
	movable_line=$ln
}

# load NAME|FILE: parses and checks the topology, or exits 2.
load() {
	local arg=$1 file
	if [[ $arg == */* || $arg == *.topo ]]; then
		file=$arg
		label=$arg
	else
		file=$topodir/$arg.topo
		label=$arg
		if [[ ! -f $file ]]; then
			local p presets=
			for p in "$topodir"/*.topo; do
				[[ -f $p ]] || continue
				p=${p##*/}
				presets+=${presets:+ }${p%.topo}
			done
			echo "pmig vm: no such topology '$arg' (presets: $presets)" >&2
			exit 2
		fi
	fi
	if [[ ! -f $file || ! -r $file ]]; then
		echo "pmig vm: cannot read topology file $arg" >&2
		exit 2
	fi

	local ln=0 line
	local -a w
	while IFS= read -r line || [[ -n $line ]]; do
		ln=$((ln + 1))
		line=${line%%#*}
		line=${line//$'\r'/}
		read -r -a w <<<"$line"
		((${#w[@]})) || continue
		case ${w[0]} in
		node)
			((${#w[@]} >= 2)) || die_at "$ln" "want: node ID [cpus=LIST] [mem=SIZE]"
			parse_node "$ln" "${w[@]:1}"
			;;
		distance) parse_distance "$ln" "${w[@]:1}" ;;
		hmat) parse_hmat "$ln" "${w[@]:1}" ;;
		dimm) parse_dimm "$ln" "${w[@]:1}" ;;
		movable) parse_movable "$ln" "${w[@]:1}" ;;
		*) die_at "$ln" "unknown keyword '${w[0]}' (want node, distance, hmat, dimm or movable)" ;;
		esac
	done <"$file"

	# Whole-file checks, reported at the line that shows the problem.
	((nnodes)) || die_file "no node statements"
	((nnodes <= max_nodes)) || die_file "$nnodes nodes; QEMU takes at most $max_nodes"
	local id key a b c ncpu=0 hasmem='' hascpu='' ent
	# In line order, so that the first bad statement is the one reported.
	for id in $(for ent in "${!node_line[@]}"; do echo "${node_line[$ent]} $ent"; done | sort -n | cut -d' ' -f2); do
		((id < nnodes)) ||
			die_at "${node_line[$id]}" "bad node id $id: with $nnodes nodes the ids are 0..$((nnodes - 1)), each once"
	done
	for id in "${!node_line[@]}"; do
		((node_mem[$id] > 0)) && hasmem=1
		[[ -n ${node_cpus[$id]} ]] && hascpu=1
	done
	[[ -n $hasmem ]] || die_file "no node with memory (give some node mem=SIZE)"
	[[ -n $hascpu ]] || die_file "no node with CPUs (give some node cpus=LIST)"
	ncpu=${#cpu_owner[@]}
	for c in $(printf '%s\n' "${!cpu_owner[@]}" | sort -n); do
		((c < ncpu)) ||
			die_at "${node_line[${cpu_owner[$c]}]}" "cpu $c: the $ncpu CPUs must be numbered 0-$((ncpu - 1))"
	done
	for key in $(for ent in "${!dist_line[@]}"; do echo "${dist_line[$ent]}:${ent/ /:}"; done | sort -n); do
		IFS=: read -r ln a b <<<"$key"
		((a < nnodes)) || die_at "$ln" "distance from unknown node $a"
		((b < nnodes)) || die_at "$ln" "distance to unknown node $b"
	done
	for key in $(for ent in "${!hmat_line[@]}"; do echo "${hmat_line[$ent]}:${ent/ /:}"; done | sort -n); do
		IFS=: read -r ln a b <<<"$key"
		((a < nnodes)) || die_at "$ln" "hmat from unknown node $a"
		[[ -n ${node_cpus[$a]} ]] ||
			die_at "$ln" "hmat initiator $a has no CPUs (an initiator must be a node with cpus=)"
		((b < nnodes)) || die_at "$ln" "hmat to unknown node $b"
	done
	for key in "${!dimm_line[@]}"; do
		((dimm_node[key] < nnodes)) ||
			die_at "${dimm_line[$key]}" "dimm on unknown node ${dimm_node[$key]}"
	done
	hmat_limits
	resolve
}

# bytes SIZE: bytes/s of a bandwidth like 800M, 10G, 1T.
bytes() {
	local n=${1%?}
	case $1 in
	*M) echo $((n << 20)) ;;
	*G) echo $((n << 30)) ;;
	*T) echo $((n << 40)) ;;
	esac
}

# hmat_limits: QEMU stores HMAT figures as 16-bit multiples of one base unit
# per table. This replays parse_numa_hmat_lb() (hw/core/numa.c) over the
# entries in the order emit_qemu gives them, so that a table QEMU would
# refuse is reported here, at the line of the entry it would refuse.
hmat_limits() {
	local key i t v tz e base=0 range=0 bits=0 first last
	for key in $(printf '%s\n' "${!hmat_line[@]}" | sort -n -k1,1 -k2,2 | tr ' ' :); do
		i=${key%:*}
		t=${key#*:}
		v=${hmat_lat["$i $t"]}
		if [[ -n $v ]]; then
			tz=1
			while ((v % (tz * 10) == 0)); do tz=$((tz * 10)); done
			if ((base)); then
				e=$((v / base))
				((range > e)) && e=$range
				((e < 65535)) || die_at "${hmat_line["$i $t"]}" "hmat $i $t: latency $v is too far from the others (QEMU keeps latencies as multiples of ${base}ns up to 65534 times)"
				((tz < base)) && base=$tz
				range=$e
			else
				base=$tz
			fi
		fi
		v=${hmat_bw["$i $t"]}
		if [[ -n $v ]]; then
			v=$(bytes "$v")
			e=$((bits | v))
			first=0
			while (((e >> first & 1) == 0)); do first=$((first + 1)); done
			last=63
			while (((e >> (last - 1) & 1) == 0)); do last=$((last - 1)); done
			if ((last - first > 16 || v >> first >= 65535)); then
				die_at "${hmat_line["$i $t"]}" "hmat $i $t: bandwidth ${hmat_bw["$i $t"]} is too far from the others (QEMU keeps bandwidths as 16-bit multiples of one unit)"
			fi
			bits=$e
		fi
	done
}

# resolve: fills D (all pairs) from the file, or with Linux's 10/20 default
# when the file gives no distance; a partial matrix is an error.
resolve() {
	local a b v
	D=()
	for ((a = 0; a < nnodes; a++)); do
		for ((b = 0; b < nnodes; b++)); do
			if ((a == b)); then
				v=10
			elif ((!first_dist_line)); then
				v=20
			elif [[ -n ${dist["$a $b"]-} ]]; then
				v=${dist["$a $b"]}
			elif [[ -n ${dist["$b $a"]-} ]]; then
				v=${dist["$b $a"]}
			else
				die_at "$first_dist_line" "partial distance matrix: no distance between nodes $a and $b (once one distance is given, every pair needs one)"
			fi
			D[a * nnodes + b]=$v
		done
	done
}

has_hmat() {
	((${#hmat_line[@]} > 0))
}

# initiator_of T: the CPU node nearest to CPU-less node T (lowest id on a tie).
initiator_of() {
	local t=$1 c best=-1 bd=256
	for ((c = 0; c < nnodes; c++)); do
		[[ -n ${node_cpus[$c]} ]] || continue
		if ((D[c * nnodes + t] < bd)); then
			bd=${D[c * nnodes + t]}
			best=$c
		fi
	done
	echo "$best"
}

mem_str() { # MiB -> 512M / 1G
	if (($1 % 1024 == 0)); then echo "$(($1 / 1024))G"; else echo "$1M"; fi
}

# Only q35 gets HMAT: QEMU builds it into ACPI, and virt boots the kernel with a device
# tree here (with UEFI and acpi=force, 6.12 found no NUMA node covering the firmware's
# memory and fell back to one node), pseries has no ACPI at all.
hmat_machine() {
	[[ $1 == q35 ]]
}

# Only q35 gets DIMMs: its ACPI memory devices are what the kernel hot-adds
# them through (drivers/acpi/acpi_memhotplug.c); virt boots with a device tree
# here and pseries hot-adds memory through its own DR connectors.
dimm_machine() {
	[[ $1 == q35 ]]
}

emit_missing() {
	if ((${#dimm_line[@]})) && ! dimm_machine "$1"; then
		echo "dimm: the $1 machine type gets no hot-pluggable DIMM here (the dimm lines of this topology are left out): the guest has no memory in ZONE_MOVABLE"
	fi
	if has_hmat && ! hmat_machine "$1"; then
		echo "hmat: the $1 machine type gives the guest no HMAT (latency and bandwidth lines of this topology are left out): memory tiers and the initiator of a CPU-less node come from distances only"
	fi
}

emit_qemu() {
	local machine=$1 id c a b key ncpu=${#cpu_owner[@]} total=0 opt cpu_key=socket-id hmat=
	local -a args=()
	has_hmat && hmat_machine "$machine" && hmat=1
	case $machine in
	q35) args+=(-machine "q35${hmat:+,hmat=on}") ;;
	# Neoverse N1 (Ampere Altra, Graviton2): a server core with 4K, 16K and 64K
	# granules and no RNDR or pointer authentication, whose random keys made
	# -cpu max's icount figures differ by up to 6% from boot to boot.
	virt) args+=(-machine virt -cpu neoverse-n1) ;;
	# The Spectre-era capabilities TCG cannot emulate, off: else one warning each.
	pseries)
		args+=(-machine pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -cpu power9)
		cpu_key=core-id # a pseries CPU is a core
		;;
	esac
	for ((id = 0; id < nnodes; id++)); do total=$((total + node_mem[$id])); done
	local i dimms=0 maxmem=$total
	if dimm_machine "$machine"; then
		dimms=${#dimm_line[@]}
		for ((i = 0; i < dimms; i++)); do maxmem=$((maxmem + dimm_mem[i])); done
	fi
	# Boot memory is -m; DIMMs go in slots above it, up to maxmem.
	if ((dimms)); then
		args+=(-smp "$ncpu,sockets=$ncpu,cores=1,threads=1" -m "${total}M,slots=$dimms,maxmem=${maxmem}M")
	else
		args+=(-smp "$ncpu,sockets=$ncpu,cores=1,threads=1" -m "${total}M")
	fi
	for ((id = 0; id < nnodes; id++)); do
		((node_mem[$id])) &&
			args+=(-object "memory-backend-ram,id=m$id,size=$(mem_str "${node_mem[$id]}")")
	done
	for ((id = 0; id < nnodes; id++)); do
		opt="node,nodeid=$id"
		((node_mem[$id])) && opt+=",memdev=m$id"
		if [[ -n $hmat && -z ${node_cpus[$id]} ]]; then
			opt+=",initiator=$(initiator_of "$id")"
		fi
		args+=(-numa "$opt")
	done
	for ((c = 0; c < ncpu; c++)); do
		args+=(-numa "cpu,node-id=${cpu_owner[$c]},$cpu_key=$c")
	done
	if ((first_dist_line)); then
		for ((a = 0; a < nnodes; a++)); do
			for ((b = 0; b < nnodes; b++)); do
				((a == b)) && continue
				args+=(-numa "dist,src=$a,dst=$b,val=${D[a * nnodes + b]}")
			done
		done
	fi
	[[ -n $hmat ]] && for key in $(printf '%s\n' "${!hmat_line[@]}" | sort -n -k1,1 -k2,2 | tr ' ' :); do
		a=${key%:*}
		b=${key#*:}
		[[ -n ${hmat_lat["$a $b"]} ]] &&
			args+=(-numa "hmat-lb,initiator=$a,target=$b,hierarchy=memory,data-type=access-latency,latency=${hmat_lat["$a $b"]}")
		[[ -n ${hmat_bw["$a $b"]} ]] &&
			args+=(-numa "hmat-lb,initiator=$a,target=$b,hierarchy=memory,data-type=access-bandwidth,bandwidth=${hmat_bw["$a $b"]}")
	done
	for ((i = 0; i < dimms; i++)); do
		args+=(-object "memory-backend-ram,id=dimm$i,size=$(mem_str "${dimm_mem[i]}")"
			-device "pc-dimm,id=pcdimm$i,memdev=dimm$i,node=${dimm_node[i]}")
	done
	printf '%s\n' "${args[@]}"
}

# The kernel parameters: DIMMs present at boot are hot-added by the kernel
# (ACPI memory devices) and onlined as memhp_default_state says; movable, so
# that every page in them can be migrated away and the block offlined
# (mm/memory_hotplug.c, memhp_default_state=online_movable since 5.10).
# movable_node: a block offlined and then onlined with a plain "online" (what
# the settings journal writes back after a killed run) goes back to
# ZONE_MOVABLE: default_zone_for_pfn() picks the movable zone where neither
# zone spans the block, which after the offline is the case; without it,
# 5.10 to 7.3 put the block in ZONE_NORMAL.
# movable: movablecore=SIZE, boot memory the kernel puts in ZONE_MOVABLE,
# spread over the nodes, at the top of each (mm/mm_init.c
# find_zone_movable_pfns_for_nodes()); memblock's own allocations can lie there.
emit_append() {
	local a=()
	if ((${#dimm_line[@]})) && dimm_machine "$1"; then
		a+=(memhp_default_state=online_movable movable_node)
	fi
	((movable_mem)) && a+=("movablecore=$(mem_str "$movable_mem")")
	echo "${a[*]}"
}

emit_expect() {
	local id a b list
	{
		for ((id = 0; id < nnodes; id++)); do
			list=$(linux_list "${node_cpus[$id]}")
			echo "node $id cpus ${list:-none}"
			if ((node_mem[$id])) || has_dimm "$id"; then echo "node $id memory yes"; else echo "node $id memory no"; fi
		done
		for ((a = 0; a < nnodes; a++)); do
			for ((b = 0; b < nnodes; b++)); do
				((a == b)) || echo "distance $a $b ${D[a * nnodes + b]}"
			done
		done
	} | sort
}

# has_dimm ID: whether node ID has a DIMM.
has_dimm() {
	local n
	for n in "${dimm_node[@]}"; do [[ $n == "$1" ]] && return 0; done
	return 1
}

emit_describe() {
	local id a b list parts='' asym='' i
	for ((id = 0; id < nnodes; id++)); do
		list=$(linux_list "${node_cpus[$id]}")
		if [[ -n $list ]]; then list="cpus $list"; else list=cpu-less; fi
		if ((node_mem[$id])); then
			list+=", $(mem_str "${node_mem[$id]}")"
		else
			list+=", no memory"
		fi
		parts+=${parts:+, }"$id ($list)"
	done
	for ((a = 0; a < nnodes; a++)); do
		for ((b = a + 1; b < nnodes; b++)); do
			((D[a * nnodes + b] != D[b * nnodes + a])) && asym=1
		done
	done
	local s=s
	((nnodes == 1)) && s=
	printf '%s node%s: %s' "$nnodes" "$s" "$parts"
	[[ -n $asym ]] && printf '; asymmetric distances'
	has_hmat && printf '; hmat'
	for i in "${!dimm_line[@]}"; do
		printf '; dimm %s on node %s' "$(mem_str "${dimm_mem[i]}")" "${dimm_node[i]}"
	done
	((movable_mem)) && printf '; %s of boot memory movable' "$(mem_str "$movable_mem")"
	printf '\n'
}

# normalize: `pmig topo` output (harness/topo.h pmig_topo_print) on stdin.
normalize() {
	local ln=0 line state=nodes want=-1 nseen=0 id list mem
	local -a cols=() f
	local out=
	bad() {
		echo "pmig vm: pmig topo output line $ln: $1" >&2
		exit 2
	}
	while IFS= read -r line || [[ -n $line ]]; do
		ln=$((ln + 1))
		line=${line//$'\r'/}
		[[ $line =~ ^[[:space:]]*$ ]] && continue
		# `pmig topo --facts` output is already in this form: check and sort it.
		if [[ $state == nodes && $want -lt 0 && $line =~ ^(node|distance)\ [0-9]+\ ([a-z]+|[0-9]+)\ [^\ ]+$ ]]; then
			state=facts
		fi
		case $state in
		facts)
			if [[ $line =~ ^node\ ([0-9]+)\ cpus\ ([0-9,-]+)$ ]]; then
				id=${BASH_REMATCH[1]}
				list=$(cpus_of "${BASH_REMATCH[2]}") || bad "$list"
				out+="node $id cpus $(linux_list "$list")"$'\n'
			elif [[ $line =~ ^node\ [0-9]+\ (cpus\ none|memory\ (yes|no))$ ||
				$line =~ ^distance\ [0-9]+\ [0-9]+\ [0-9]+$ ]]; then
				out+=$line$'\n'
			else
				bad "unexpected '$line'"
			fi
			;;
		nodes)
			if [[ $line =~ ^nodes:\ ([0-9]+)\ \( ]]; then
				((want < 0)) || bad "second 'nodes:' line"
				want=${BASH_REMATCH[1]}
			elif [[ $line =~ ^node\ ([0-9]+):\ (cpus\ ([0-9,-]+)|cpu-less),\ (memory\ [0-9]+\ MiB|memoryless)$ ]]; then
				((want >= 0)) || bad "node line before the 'nodes:' line"
				id=${BASH_REMATCH[1]}
				list=${BASH_REMATCH[3]}
				mem=${BASH_REMATCH[4]}
				if [[ -n $list ]]; then
					list=$(cpus_of "$list") || bad "$list"
					list=$(linux_list "$list")
				fi
				[[ $mem == memoryless ]] && mem=no || mem=yes
				out+="node $id cpus ${list:-none}"$'\n'"node $id memory $mem"$'\n'
				nseen=$((nseen + 1))
			elif [[ $line == "distances: unknown" ]]; then
				state=end
			elif [[ $line == "distances:" ]]; then
				state=header
			else
				bad "unexpected '$line'"
			fi
			;;
		header)
			read -r -a cols <<<"$line"
			for id in "${cols[@]}"; do
				[[ $id =~ ^[0-9]+$ ]] || bad "bad distance header '$line'"
			done
			state=rows
			;;
		rows)
			read -r -a f <<<"$line"
			[[ ${f[0]-} =~ ^([0-9]+):$ ]] || bad "unexpected '$line'"
			id=${BASH_REMATCH[1]}
			((${#f[@]} == ${#cols[@]} + 1)) || bad "distance row with ${#f[@]} fields: '$line'"
			local j
			for ((j = 0; j < ${#cols[@]}; j++)); do
				[[ ${f[j + 1]} =~ ^([0-9]+|-)$ ]] || bad "bad distance '${f[j + 1]}'"
				[[ $id == "${cols[j]}" ]] || out+="distance $id ${cols[j]} ${f[j + 1]}"$'\n'
			done
			;;
		end) bad "unexpected '$line' after the distances" ;;
		esac
	done
	if [[ $state == facts ]]; then
		printf '%s' "$out" | sort
		return
	fi
	((want >= 0)) || bad "no 'nodes:' line (is this pmig topo output?)"
	((nseen == want)) || bad "'nodes: $want' but $nseen node lines"
	[[ $state == header ]] && bad "'distances:' without a matrix"
	printf '%s' "$out" | sort
}

(($# >= 1)) || usage
case $1 in
--qemu | --missing | --append)
	(($# == 2 || $# == 3)) || usage
	[[ $1 == --missing && $# == 2 ]] && usage
	machine=${3:-q35}
	case $machine in
	q35 | virt | pseries) ;;
	*)
		echo "pmig vm: unknown machine type '$machine' (q35, virt, pseries)" >&2
		exit 2
		;;
	esac
	load "$2"
	case $1 in
	--qemu) emit_qemu "$machine" ;;
	--missing) emit_missing "$machine" ;;
	--append) emit_append "$machine" ;;
	esac
	;;
--expect | --describe)
	(($# == 2)) || usage
	load "$2"
	case $1 in
	--expect) emit_expect ;;
	--describe) emit_describe ;;
	esac
	;;
--normalize)
	(($# == 1)) || usage
	normalize
	;;
*) usage ;;
esac
