# verdicts.awk - pmig's output in LAVA's terms, one line per result: "ID RESULT" for a TAP case, "NAME pass NS" for a benchmark; read by lava/pmig-lava.sh on a device and by the pmig guest's /init in LAVA mode.
# A TAP case: ok -> pass, ok # SKIP -> skip, ok # XFAIL -> pass (a known kernel bug; the
# reason stays in the TAP), ok # XPASS and not ok -> fail. A benchmark: Google
# Benchmark's console line (NAME TIME UNIT ...), a pass with its time per iteration in ns.
/^(not )?ok [0-9]+ / {
	id = ($1 == "not") ? $4 : $3
	r = ($1 == "not") ? "fail" : "pass"
	if ($0 ~ /# SKIP/)
		r = "skip"
	else if ($0 ~ /# XPASS/)
		r = "fail"
	print id, r
	next
}
$2 ~ /^[0-9.]+$/ && $3 ~ /^(ns|us|ms|s)$/ {
	v = $2
	if ($3 == "us")
		v *= 1e3
	else if ($3 == "ms")
		v *= 1e6
	else if ($3 == "s")
		v *= 1e9
	name = $1
	sub(/\/manual_time$/, "", name)
	printf "%s pass %.0f\n", name, v
}
