# The kernel's own zswap selftest with zswap on deflate-iaa: test_zswap from
# tools/testing/selftests/cgroup of the matching linux-source (built static by `make progs`,
# tools/build.mk; in the guest's /kselftest with the list of cases its source declares).
#
# First the environment it needs: our driver bound and deflate-iaa registered, cgroup v2 with
# the memory controller enabled for children, swap on a RAM disk (brd: the virtio disk is too
# slow on a loaded host for test_no_invasive_cgroup_shrink's 1 MiB cgroup, whose swap cache
# waiting for writeback got it OOM-killed) with zswap enabled on
# deflate-iaa. Then each case of test_zswap, in its order and under its own name: its result
# as it printed it, a skip with its own SKIP message, its "# " lines as diagnostics; a case it
# never reported (crash, timeout) fails. Then that its exit status agrees with its results,
# that deflate-iaa stayed zswap's compressor, that the driver's debugfs counters (iaa-crypto/)
# show it compressing every page zswap stored and decompressing every page it loaded, the
# devices' wqs doing all but at most 1% of that (the rest the driver redid in software), no
# device errors, and a clean kernel log.
#
# Kernel command line knob: kselftest-zswap.timeout=S (default 480), the bound on test_zswap.
# shellcheck source=tests/guest/lib.sh
. /tests/lib.sh

KSFT=/kselftest/test_zswap
CG=/sys/fs/cgroup
D=/sys/kernel/debug/iaa-crypto
Z=/sys/module/zswap/parameters
tmo_s=$(karg kselftest-zswap timeout)
tmo_s=${tmo_s:-480}

cases=$(cat $KSFT.cases 2>/dev/null)
ncases=$(printf '%s\n' "$cases" | grep -c .)
[ "$ncases" -gt 0 ] || { cases=test_zswap; ncases=1; }
plan $((3 + ncases + 6))

zdbg() { cat "/sys/kernel/debug/zswap/$1" 2>/dev/null || echo '?'; }

dmesg_mark

# --- the environment ---------------------------------------------------------------------------
[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
wqs=$(crypto_wqs | tr '\n' ' ')
if [ -n "$wqs" ] && grep -q '^driver *: deflate-iaa$' /proc/crypto; then
	ok "driver bound (wqs: ${wqs% }), deflate-iaa registered"
else
	not_ok "driver bound (wqs: '${wqs% }'), deflate-iaa registered"
fi

mkdir -p $CG
grep -q "^[^ ]* $CG cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 $CG
if grep -qw memory $CG/cgroup.controllers 2>/dev/null; then
	grep -qw memory $CG/cgroup.subtree_control || echo +memory >$CG/cgroup.subtree_control
fi
if grep -qw memory $CG/cgroup.subtree_control 2>/dev/null; then
	ok "cgroup v2 on $CG, memory controller enabled for children"
else
	not_ok "cgroup v2 on $CG, memory controller enabled for children"
	note "mounts: $(grep cgroup /proc/mounts | tr '\n' ';')"
	note "controllers: '$(cat $CG/cgroup.controllers 2>/dev/null)'"
fi

zswap_off
SWAP=/dev/ram0
swap_on() {
	[ -b $SWAP ] || modprobe brd rd_nr=1 rd_size=262144 || return 1
	grep -q "^$SWAP " /proc/swaps || { mkswap $SWAP >/dev/null && swapon $SWAP; } || return 1
	echo 0 >$Z/enabled
	echo deflate-iaa >$Z/compressor || return 1
	echo zsmalloc >$Z/zpool
	echo 1 >$Z/enabled
	echo 100 >/proc/sys/vm/swappiness
}
if swap_on && [ "$(cat $Z/enabled)" = Y ] && [ "$(cat $Z/compressor)" = deflate-iaa ] &&
	grep -q "^$SWAP " /proc/swaps; then
	ok "swap on $SWAP (256 MiB RAM disk), zswap enabled with compressor deflate-iaa"
else
	not_ok "swap on $SWAP (256 MiB RAM disk), zswap enabled with compressor deflate-iaa"
	note "enabled $(cat $Z/enabled), compressor $(cat $Z/compressor)"
	note "swaps: $(tail -n +2 /proc/swaps | tr '\n' ';')"
fi
# what the kernel's configuration gives the cases that depend on it
note "kernel $KVER; $(grep MemTotal /proc/meminfo | tr -s ' '); swap: $(awk 'NR == 2 { print $1, $3 " KiB" }' /proc/swaps)"
note "zswap: zpool $(cat $Z/zpool), shrinker_enabled $(cat $Z/shrinker_enabled 2>/dev/null || echo absent), max_pool_percent $(cat $Z/max_pool_percent), accept_threshold_percent $(cat $Z/accept_threshold_percent 2>/dev/null || echo absent)"
note "root cgroup: memory.zswap.writeback $(cat $CG/memory.zswap.writeback 2>/dev/null || echo absent); debugfs zswap/stored_pages $([ -r /sys/kernel/debug/zswap/stored_pages ] && echo present || echo absent)"
if mkdir $CG/kselftest-probe 2>/dev/null; then
	files=
	for f in "$CG"/kselftest-probe/memory.zswap.* "$CG"/kselftest-probe/memory.swap.*; do
		[ -e "$f" ] && files="$files ${f##*/}"
	done
	note "a child cgroup has:$files"
	rmdir $CG/kselftest-probe
fi

# --- test_zswap ---------------------------------------------------------------------------------
comp0=$(cat $Z/compressor)
o0=$(vmstat zswpout) i0=$(vmstat zswpin) w0=$(vmstat zswpwb)
c0=$(st total_comp_calls) d0=$(st total_decomp_calls) e0=$(errsum)
sc0=$(st total_sw_comp_calls) sd0=$(st total_sw_decomp_calls)
wc0=$(wqsum comp_calls) wd0=$(wqsum decomp_calls)
out=/tmp/test_zswap.out
times=/tmp/test_zswap.times
: >$times
rc=127 seen=0
: >$out
t0=$(ms_now)
if [ -x $KSFT ]; then
	tmo "$tmo_s" $KSFT >$out 2>&1 &
	pid=$!
	# when each result line appeared (1 s resolution), for the cases' durations
	while kill -0 $pid 2>/dev/null; do
		n=$(grep -c -E '(^|[^a-z])ok [0-9]+ ' $out)
		while [ "$seen" -lt "$n" ]; do seen=$((seen + 1)); echo "$seen $(ms_now)" >>$times; done
		sleep 1
	done
	wait $pid
	rc=$?
else
	echo "# $KSFT is not in the image (make progs)" >$out
fi
t1=$(ms_now)
n=$(grep -c -E '(^|[^a-z])ok [0-9]+ ' $out)
while [ "$seen" -lt "$n" ]; do seen=$((seen + 1)); echo "$seen $t1" >>$times; done
# whatever a timeout left behind in the test's cgroups (a child of cg_run, or paused in one)
for f in "$CG"/*/cgroup.procs "$CG"/*/*/cgroup.procs; do
	[ -r "$f" ] || continue
	while read -r p; do kill -9 "$p" 2>/dev/null; done <"$f"
done
note "test_zswap exited $rc after $(((t1 - t0) / 1000)) s"

# One line per result, the "# " lines before it as they came: a message printed without its
# newline runs into the result line after it, so split that line first.
res=/tmp/test_zswap.res
awk '{
	if ($0 ~ /^# / && match($0, /(not )?ok [0-9]+ /) && RSTART > 1) {
		print substr($0, 1, RSTART - 1); $0 = substr($0, RSTART)
	}
	print
}' $out >$res

suite_skip=$(sed -n 's/^1\.\.0 # SKIP *//p' $res | head -n 1)
k=0 prev=$t0 failed=0
pending=
for name in $cases; do
	k=$((k + 1))
	line=$(grep -m1 -E "^(not )?ok $k( |\$)" $res)
	# the diagnostics test_zswap printed for this case: the lines since the previous result
	diag=$(awk -v k=$k '
		/^(not )?ok [0-9]+( |$)/ { n++; if (n == k) exit; buf = ""; next }
		n == k - 1 && !/^1\.\.0 # SKIP/ { buf = buf $0 "\n" }
		END { printf "%s", buf }' $res)
	[ -n "$diag" ] && printf '%s\n' "$diag" | sed 's/^# *//; s/^/    # test_zswap: /'
	at=$(awk -v k=$k '$1 == k { print $2 }' $times)
	if [ -n "$at" ]; then
		note "$name: $(((at - prev) / 1000)).$((((at - prev) % 1000) / 100)) s"
		prev=$at
	fi
	case $line in
	"not ok $k "*)
		failed=$((failed + 1))
		got=${line#"not ok $k "}
		if [ "$got" = "$name" ]; then not_ok "$name"; else
			not_ok "$name (test_zswap reported '$got' here)"; fi ;;
	"ok $k # SKIP"*)
		why=${line#"ok $k # SKIP"}
		why=${why# }
		skip "$name" "${why:-(no reason given)}" ;;
	"ok $k "*)
		got=${line#"ok $k "}
		if [ "$got" = "$name" ]; then ok "$name"; else
			not_ok "$name (test_zswap reported '$got' here)"; fi ;;
	*)
		if [ -n "$suite_skip" ]; then
			skip "$name" "$suite_skip"
		else
			failed=$((failed + 1))
			not_ok "$name: no result from test_zswap (exit $rc$([ $rc -eq 143 ] && echo ", killed after ${tmo_s}s"))"
			pending=1
		fi ;;
	esac
done
[ -n "$pending" ] && tail -n 20 $out | sed 's/^/    # test_zswap output: /'

# EXIT_SUCCESS with no case failed, EXIT_FAILURE with one, KSFT_SKIP (4) for a skip of all
want=0
[ $failed -gt 0 ] && want=1
[ -n "$suite_skip" ] && want=4
if [ $rc -eq $want ]; then
	ok "test_zswap exit status $rc agrees with its results"
else
	not_ok "test_zswap exit status $rc agrees with its results (want $want)"
fi

# --- deflate-iaa did the work --------------------------------------------------------------------
comp1=$(cat $Z/compressor)
if [ "$comp0" = deflate-iaa ] && [ "$comp1" = deflate-iaa ] && [ "$(cat $Z/enabled)" = Y ]; then
	ok "zswap's compressor was deflate-iaa before and after test_zswap, zswap still enabled"
else
	not_ok "zswap's compressor was deflate-iaa before and after test_zswap ('$comp0', '$comp1', enabled $(cat $Z/enabled))"
fi
dout=$(($(vmstat zswpout) - o0)) din=$(($(vmstat zswpin) - i0)) dwb=$(($(vmstat zswpwb) - w0))
dc=$(($(st total_comp_calls) - c0)) dd=$(($(st total_decomp_calls) - d0))
dsc=$(($(st total_sw_comp_calls) - sc0)) dsd=$(($(st total_sw_decomp_calls) - sd0))
wc=$(($(wqsum comp_calls) - wc0)) wd=$(($(wqsum decomp_calls) - wd0))
de=$(($(errsum) - e0))
note "vmstat: zswpout +$dout zswpin +$din zswpwb +$dwb"
note "iaa-crypto: total_comp_calls +$dc total_decomp_calls +$dd (software: +$dsc, +$dsd); wq_stats comp_calls +$wc decomp_calls +$wd"
note "iaa-crypto: max_comp_delay_ns $(st max_comp_delay_ns) max_decomp_delay_ns $(st max_decomp_delay_ns)"
note "zswap debugfs: stored_pages $(zdbg stored_pages) written_back_pages $(zdbg written_back_pages) pool_limit_hit $(zdbg pool_limit_hit) reject_compress_fail $(zdbg reject_compress_fail) reject_compress_poor $(zdbg reject_compress_poor) reject_alloc_fail $(zdbg reject_alloc_fail) reject_reclaim_fail $(zdbg reject_reclaim_fail) reject_kmemcache_fail $(zdbg reject_kmemcache_fail)"
if [ ! -r $D/total_comp_calls ]; then
	not_ok "deflate-iaa compressed every page zswap stored, decompressed every one it loaded: no statistics in $D"
	not_ok "the devices did that work, at most 1% redone in software: no statistics in $D"
else
	if [ $dout -gt 0 ] && [ $din -gt 0 ] && [ $dc -ge $dout ] && [ $dd -ge $din ]; then
		ok "deflate-iaa compressed every page zswap stored, decompressed every one it loaded (total_comp_calls +$dc >= zswpout +$dout, total_decomp_calls +$dd >= zswpin +$din)"
	else
		not_ok "deflate-iaa compressed every page zswap stored, decompressed every one it loaded (total_comp_calls +$dc, zswpout +$dout; total_decomp_calls +$dd, zswpin +$din)"
	fi
	# the driver redoes in software what a device could not do (a wq out of service after a
	# timeout, for one); the wqs' own counters say what the devices did
	if [ $((wc * 100)) -ge $((dc * 99)) ] && [ $((wd * 100)) -ge $((dd * 99)) ] && [ $dc -gt 0 ]; then
		ok "the devices did that work, at most 1% redone in software (wq comp_calls +$wc, decomp_calls +$wd; software +$dsc, +$dsd)"
	else
		not_ok "the devices did that work, at most 1% redone in software (wq comp_calls +$wc of +$dc, decomp_calls +$wd of +$dd; software +$dsc, +$dsd)"
		dmesg_since | grep -E 'crypto wq|iaa_crypto|idxd' | tail -n 5 | sed 's/^/    # /'
		# what the virtual devices say they did (a descriptor late, or never completed?)
		i=0
		while [ $i -lt "$(iaa_pci_count)" ]; do
			c=
			for q in descs-submitted descs-completed descs-failed descs-dropped descs-aborted; do
				c="$c $q $(qom_get $q iaa$i)"
			done
			note "iaa$i:$c"
			i=$((i + 1))
		done
	fi
fi
if [ $de -eq 0 ]; then
	ok "no device errors"
else
	not_ok "no device errors ($de)"
	grep -E 'error|fail' $D/wq_stats | sed 's/^/    # /'
fi
zswap_off
swapoff $SWAP 2>/dev/null
if dmesg_clean; then ok "no warnings in the kernel log"; else not_ok "no warnings in the kernel log"; fi
finish
