# debian-apt.sh - sourced: a private apt setup (own sources list, lists and cache) over the system's Debian mirror, for fetching packages of any suite and architecture without changing the system's apt or dpkg state.
#
# debian_mirror: the mirror URI (PMIG_DEBIAN_MIRROR, else the system's main Debian entry),
# empty when there is none.
# debian_apt_setup DIR SUITE ARCH: writes DIR/etc/sources.list for SUITE and ARCH (a Debian
# architecture: amd64, arm64, ppc64el) and sets the array apt_opts that points apt-get and
# apt-cache at DIR; returns 1 when there is no mirror or keyring (a reason on stdout).

debian_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# system_mirror: the URI of the system's main Debian archive entry.
system_mirror() {
	local codename=
	if [ -r /etc/os-release ]; then
		codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"' | head -n 1)
	fi
	{
		# deb822: stanzas separated by blank lines; prints "RANK URI" per candidate.
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			awk -v cn="$codename" '
				function flush(   n, s, i, r) {
					if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" && uri != "") {
						n = split(suites, s, /[ \t]+/)
						for (i = 1; i <= n; i++) {
							r = rank(s[i], uri)
							if (r >= 0) print r, uri
						}
					}
					types = ""; suites = ""; uri = ""; enabled = ""; key = ""
				}
				function rank(suite, u) {
					if (u ~ /security/ || suite ~ /-/ || suite == "") return -1
					if (cn != "" && suite == cn) return 0
					return 1
				}
				/^[ \t]*#/ { next }
				/^[ \t]*$/ { flush(); next }
				/^[ \t]/ { next }  # continuation lines: not needed for these fields
				{
					key = tolower($0); sub(/:.*/, "", key)
					val = $0; sub(/^[^:]*:[ \t]*/, "", val)
					if (key == "types") types = val
					else if (key == "suites") suites = val
					else if (key == "enabled") enabled = val
					else if (key == "uris") { split(val, u, /[ \t]+/); uri = u[1] }
				}
				END { flush() }
			' "$f"
		done
		# one-line format: deb [options] URI SUITE COMPONENTS...
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -r "$f" ] || continue
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v cn="$codename" '
				$1 == "deb" && NF >= 3 {
					if ($2 ~ /security/ || $3 ~ /-/) next
					print (cn != "" && $3 == cn) ? 0 : 1, $2
				}
			'
		done
	} 2>/dev/null | grep -v -E ' cdrom:' | sort -s -n -k 1,1 | head -n 1 | cut -d ' ' -f 2-
}

debian_mirror() {
	if [ -n "${PMIG_DEBIAN_MIRROR:-}" ]; then
		echo "$PMIG_DEBIAN_MIRROR"
	else
		system_mirror
	fi
}

debian_apt_setup() {
	local dir=$1 suite=$2 arch=$3 mirror
	mirror=$(debian_mirror)
	if [ -z "$mirror" ]; then
		echo "no Debian archive entry in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources (set PMIG_DEBIAN_MIRROR=URI)"
		return 1
	fi
	if [ ! -r "$debian_keyring" ]; then
		echo "$debian_keyring is missing (apt-get install debian-archive-keyring)"
		return 1
	fi
	mkdir -p "$dir/etc/parts" "$dir/lists/partial" "$dir/cache/archives/partial" || {
		echo "cannot populate $dir"
		return 1
	}
	echo "deb [arch=$arch signed-by=$debian_keyring] $mirror $suite main" >"$dir/etc/sources.list"
	# APT::Architectures with "::=" replaces the list: only ARCH's indexes, whatever
	# the system's dpkg knows.
	apt_opts=(
		-q
		-o "Dir::Etc::SourceList=$dir/etc/sources.list"
		-o "Dir::Etc::SourceParts=$dir/etc/parts"
		-o "Dir::Etc::Preferences=$dir/etc/preferences"
		-o "Dir::Etc::PreferencesParts=$dir/etc/parts"
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::State::status=$dir/status"
		-o "Dir::Cache=$dir/cache"
		-o "Dir::Cache::pkgcache=$dir/cache/pkgcache.bin"
		-o "Dir::Cache::srcpkgcache=$dir/cache/srcpkgcache.bin"
		-o APT::Get::List-Cleanup=0
		-o Debug::NoLocking=1
		-o "APT::Architecture=$arch"
		-o "APT::Architectures::=$arch"
		-o APT::Default-Release=
		-o Acquire::Languages=none
		-o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false
		-o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
	)
	: >"$dir/status"
	# apt drops to user _apt for downloads; it cannot enter a private cache under root's home.
	[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)
	return 0
}

# debian_apt_update DIR SUITE ARCH LOG: debian_apt_setup, then apt-get update of that
# private list, apt's output in LOG. On failure returns 1 with the reason in apt_error.
# shellcheck disable=SC2034 # apt_error is the caller's to read
debian_apt_update() {
	local dir=$1 suite=$2 arch=$3 log=$4
	if ! debian_apt_setup "$dir" "$suite" "$arch" >"$log"; then
		apt_error=$(cat "$log")
		return 1
	fi
	if ! apt-get "${apt_opts[@]}" update >>"$log" 2>&1; then
		apt_error="apt-get update of $suite failed: $(grep -m 1 '^E:' "$log")"
		return 1
	fi
}

# debian_apt_download DEST PKG VERSION LOG: apt-get download PKG=VERSION into DEST (after
# debian_apt_update), apt's output added to LOG. On failure returns 1, the reason in apt_error.
# shellcheck disable=SC2034 # apt_error is the caller's to read
debian_apt_download() {
	local dest=$1 pkg=$2 ver=$3 log=$4
	if ! (cd "$dest" && apt-get "${apt_opts[@]}" download "$pkg=$ver") >>"$log" 2>&1; then
		apt_error="apt-get download $pkg=$ver failed: $(grep -m 1 '^E:' "$log")"
		return 1
	fi
}
