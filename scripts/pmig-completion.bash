# pmig-completion.bash - bash completion for pmig: subcommands, then each one's options (make install puts it in share/bash-completion/completions/pmig).
# Self-contained (no bash-completion helpers needed): source it, or let bash-completion load it.

_pmig() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmds="topo conform bench refmig compare report coverage vm matrix lava-job lava-lab restore run help --version"
	local opts=
	if [ "$COMP_CWORD" = 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
		return
	fi
	case $prev in
	--junit | --kcidb | --out | --input | --record | --add | --modules)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	esac
	case ${COMP_WORDS[1]} in
	topo) opts="--xml --input --facts" ;;
	conform)
		opts="--filter --list --seed --profile --timeout-ms --junit --kcidb
			--random --scenario --no-wait --allow-oops --xpass-ok --repeat --repeat-tap
			--restore --check-spec --spec-markdown
			--model-markdown --help --kcidb-origin --kcidb-checkout-id
			--kcidb-build-id --kcidb-git-url --kcidb-git-commit --kcidb-git-branch"
		;;
	bench) opts="--quick --filter --out --pairs --size --accessors --iterations --tier-limit --goal-miss-ok --perf --preset --no-wait --help" ;;
	refmig) opts="--size --from --to" ;;
	compare) opts="--threshold --alpha --metric --min-samples --lower-is-better --allow-emulated --layout --spread --help" ;;
	report)
		opts="--format --help --kcidb-origin --kcidb-checkout-id --kcidb-build-id
			--kcidb-git-url --kcidb-git-commit --kcidb-git-branch"
		;;
	vm)
		opts="--kernel --modules --topology --clock --cpu --append --wrap --add --coverage
			--timeout --out --help"
		;;
	lava-job) opts="--kernel --topology --timeout --url --out --help" ;;
	lava-lab) opts="start submit jobs status stop --devices --port --kernels --topology --timeout --url --identity --out --help" ;;
	matrix) opts="--kernels --topology --filter --timeout --repeat --coverage --out --record --bench --knobs --bench-args --cpu --boots -j" ;;
	run) opts="--out" ;;
	esac
	if [ "${cur#-}" != "$cur" ] || [ -z "$cur" ]; then
		# shellcheck disable=SC2086 # the words, split
		mapfile -t COMPREPLY < <(compgen -W "$(echo $opts)" -- "$cur")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}
complete -F _pmig pmig
