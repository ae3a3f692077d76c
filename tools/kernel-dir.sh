# shellcheck shell=bash
# A kernel other than the one tools/setup chose, for the VM suites: a directory DIR with
# DIR/vmlinuz, DIR/modules (its lib/modules/KVER), DIR/kver, and DIR/B - a build directory like
# $B for that kernel (kernel.env with its KVER, our modules built against it, and the same
# QEMU and test programs as $B). tools/debug-kernel and tools/kline make such directories;
# tools/vm/run --kernel DIR boots one. Sourced by them, with top and B set.
: "${top:?}" "${B:?}"

# kdir_link_shared OUTB NAME...: OUTB/NAME -> $B/NAME for each that $B has (what does not
# depend on the kernel: QEMU, the static test programs, ...); a real directory OUTB/NAME stays
kdir_link_shared() {
	local outb=$1 l
	shift
	for l in "$@"; do
		[ -e "$B/$l" ] || continue
		[ -d "$outb/$l" ] && [ ! -L "$outb/$l" ] && continue
		ln -sfn "$B/$l" "$outb/$l"
	done
}

# kdir_check STAGE DIR SLOWDOWN EXTRA_TEST [SUITE...]: the VM suites of tests/suites (or of the
# file $kdir_suites when set; or the named ones) on the kernel of DIR, each with tools/vm/run --kernel DIR and B=DIR/B, its
# timeout times SLOWDOWN, and the guest test EXTRA_TEST (if not empty) after its own. Prints a
# line per suite, "STAGE-NAME ... passed ... failed ... skipped", the failing cases under it,
# and leaves the sums in kdir_passed, kdir_failed, kdir_skipped; the KTAP of each suite in
# DIR/B/check/NAME.ktap.
kdir_check() {
	local stage=$1 dir=$2 slow=$3 extra=$4 k name opts t p f s
	shift 4
	local only=("$@")
	k=$dir/B/check
	rm -rf "$k"
	mkdir -p "$k"
	kdir_passed=0 kdir_failed=0 kdir_skipped=0
	while read -r name opts; do
		case $name in '' | '#'*) continue ;; esac
		[ ${#only[@]} -eq 0 ] || printf '%s\n' "${only[@]}" | grep -qx "$name" || continue
		# shellcheck disable=SC2086
		set -- $opts
		local args=() tmo=300
		while [ $# -gt 0 ]; do
			case $1 in
			--timeout) tmo=$2; shift ;;
			--tests) args+=(--tests "$2${extra:+,$extra}"); shift ;;
			*) args+=("$1") ;;
			esac
			shift
		done
		t=$SECONDS
		B=$dir/B "$top/tests/vm-suite" "$stage-$name" "${args[@]}" --kernel "$dir" \
			--timeout $((tmo * slow)) </dev/null >"$k/$name.ktap" 2>&1 || true
		read -r p f s < <("$top/tools/ktap-count" "$k/$name.ktap")
		printf '%-34s %4d passed %3d failed %3d skipped  (%ds)\n' "$stage-$name" "$p" "$f" "$s" \
			$((SECONDS - t))
		[ "$f" -eq 0 ] || grep -E '^ *not ok' "$k/$name.ktap" | head -n 10 | sed 's/^/    /'
		kdir_passed=$((kdir_passed + p)) kdir_failed=$((kdir_failed + f))
		kdir_skipped=$((kdir_skipped + s))
	done <"${kdir_suites:-$top/tests/suites}"
}
