#!/bin/bash
# install.t - what make install adds for CI users: the man page (renders without warnings), bash completion (completes subcommands and options), pmig --version (one line, the same from the tree and installed), the schemas under share/pmig/.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..9"

make -s -C "$top" install DESTDIR="$tmp/d" PREFIX=/usr >"$tmp/install.log" 2>&1
ok $? make_install
s=$tmp/d/usr/share
[ -f "$s/man/man1/pmig.1" ] && [ -f "$s/bash-completion/completions/pmig" ] &&
	cmp -s "$s/pmig/schema/junit.xsd" "$top/results/schema/junit.xsd" &&
	cmp -s "$s/pmig/schema/bench-pmig.schema.json" "$top/results/schema/bench-pmig.schema.json"
ok $? man_completion_schemas_installed

# groff -ww: every warning; -z: no output, only the messages.
warnings=$(groff -ww -man -Tutf8 -z "$s/man/man1/pmig.1" 2>&1)
[ -z "$warnings" ] && man -l "$s/man/man1/pmig.1" 2>/dev/null | grep -q 'pmig - conformance'
ok $? man_page_renders_without_warnings
[ -z "$warnings" ] || echo "$warnings" | head -3 | sed 's/^/# /'

# complete WORDS...: what bash completion offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pmig
		printf "%s\n" "${COMPREPLY[@]}"' _ "$s/bash-completion/completions/pmig" "$@"
}
[ "$(complete_words pmig con)" = conform ] &&
	[ "$(complete_words pmig '' | wc -l)" -ge 10 ]
ok $? completion_completes_subcommands
complete_words pmig conform --kcidb-git- | grep -qx -- --kcidb-git-commit
ok $? completion_completes_options
# Every option pmig conform's help names is offered.
missing=$("$top/build/bin/pmig-conform" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u |
	while read -r o; do complete_words pmig conform -- "$o" | grep -qx -- "$o" || echo "$o"; done)
[ -z "$missing" ]
ok $? completion_knows_every_conform_option
[ -z "$missing" ] || echo "# missing: $missing"

v=$("$top/scripts/pmig" --version)
[ "$(echo "$v" | wc -l)" = 1 ] && [[ $v =~ ^pmig\ [0-9]+\.[0-9]+\.[0-9]+ ]]
ok $? version_is_one_line
[ "$("$tmp/d/usr/bin/pmig" --version)" = "$v" ]
ok $? installed_version_is_the_trees
# VERSION and the commit, never a date or a path: the same in every clone.
[[ $v =~ ^pmig\ $(cat "$top/VERSION")(\+g[0-9a-f]{12})?$ ]] && [ "$("$top/scripts/pmig" version)" = "$v" ]
ok $? version_is_reproducible

exit $tap_failed
