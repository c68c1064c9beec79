# verdicts.awk - pmig's output in LAVA's terms, one line per result: "ID RESULT" for a TAP case, "NAME pass NS" for a benchmark; read by lava/pmig-lava.sh on a device and by the pmig guest's /init in LAVA mode.
# A TAP case by its directive (what follows the first " # "; pmig escapes a '#' in a
# reason, and puts "FAIL" before a failure's reason that reads like a directive):
# SKIP -> skip; TODO -> pass on "not ok" (XFAIL, a known kernel bug: "# TODO known:
# ...") and fail on "ok" (XPASS: pmig conform exits 1); before the TODO form, "ok ...
# # XFAIL" -> pass and "ok ... # XPASS" -> fail; else ok -> pass, not ok (FAIL, ERROR)
# -> fail. As pmig matrix's table in LAVA's terms (make check-lava compares the two).
# A benchmark: Google Benchmark's console line (NAME TIME UNIT ...), a pass with its
# time per iteration in ns.
/^(not )?ok [0-9]+ / {
	failed = ($1 == "not")
	id = failed ? $4 : $3
	d = index($0, " # ") ? toupper(substr($0, index($0, " # ") + 3)) : ""
	if (d ~ /^SKIP/)
		r = "skip"
	else if (d ~ /^TODO/)
		r = failed ? "pass" : "fail"
	else if (!failed && d ~ /^XFAIL/)
		r = "pass"
	else
		r = (failed || d ~ /^XPASS/) ? "fail" : "pass"
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
