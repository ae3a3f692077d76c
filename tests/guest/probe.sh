# probe: synchronous deflate-iaa latency on buffers of a caller's own (tests/bench/iaa_probe.c,
# kmalloc'd anew every pass), beside iaa_bench's latency pass on its corpus pages, for our
# driver in sync_mode=sync with verify_compress 0 and 1, loaded again and again. With each
# run, the change in QEMU's translation counters (HMP "info jit": TBs invalidated, flushes,
# translated). Figures as
# "# probe LOAD CONFIG RECORD..."; a case passes when its run had no error or mismatch.
#
# Kernel command line: probe.loads=N (loads of each configuration, default 3),
# probe.pages=N (corpus pages per pass, 64), probe.passes=N (2), probe.dsizes=LIST (of
# destination sizes, 4096,8192), probe.bench=0|1 (iaa_bench's pass too, 1), probe.touch=0|1
# (iaa_probe's touch: the CPU writes the buffers first, 0), probe.jit=0|1 (the counters, 1)
. /tests/lib.sh

arg() { karg probe "$1"; }
loads=$(arg loads) pages=$(arg pages) passes=$(arg passes) dsizes=$(arg dsizes)
with_bench=$(arg bench) touch=$(arg touch) jit=$(arg jit)
loads=${loads:-3} pages=${pages:-64} passes=${passes:-2} dsizes=${dsizes:-4096 8192}
with_bench=${with_bench:-1} touch=${touch:-0} jit=${jit:-1}
PROBE_KO=$MODDIR/updates/iaa_probe.ko
BENCH_KO=$MODDIR/updates/iaa_bench.ko
DRV=/sys/bus/dsa/drivers/crypto
DEVS=/sys/bus/dsa/devices

per_cfg=$(($(echo $dsizes | wc -w) + with_bench))
plan $((loads * 2 * (per_cfg + 1) + 1))
dmesg_mark
start_mark=$_dmesg_lines
[ "$(iaa_pci_count)" -gt 0 ] || { note "probe: no IAA device"; }
modprobe idxd
wqs=
for w in "$DEVS"/wq*; do
	[ "$(cat "$w/driver_name" 2>/dev/null)" = crypto ] && wqs="$wqs ${w##*/}"
done
note "probe setup loads=$loads pages=$pages passes=$passes dsizes=$dsizes wqs=$wqs" \
	"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

# counters: "tb_inval=N tb_flush=N tb_count=N" from QEMU's translator
counters() {
	[ "$jit" = 1 ] || return 0
	hmp "info jit" | tr -d '\r' | awk '
		/^TB invalidate count/ { printf "tb_inval=%s ", $4 }
		/^TB flush count/ { printf "tb_flush=%s ", $4 }
		/^TB count/ { printf "tb_count=%s ", $3 }'
	echo
}
# delta BEFORE AFTER: KEY=AFTER-BEFORE for every key of AFTER
delta() {
	for kv_ in $2; do
		k_=${kv_%%=*} b_=$(kv "$k_" "$1")
		printf '%s=%s ' "d_$k_" $((${kv_#*=} - ${b_:-0}))
	done
}

# up VERIFY: ours with its wqs bound after sync_mode=sync and verify_compress=VERIFY
up() {
	for w in $wqs; do
		[ "$(cat $DEVS/$w/state)" = disabled ] && echo none >$DEVS/$w/driver_name
	done 2>/dev/null
	load_driver ours >/dev/null 2>&1 || return 1
	echo sync >$DRV/sync_mode && echo "$1" >$DRV/verify_compress || return 1
	for w in $wqs; do
		wq_config "$w" && echo "$w" >$DRV/bind || return 1
	done
	[ "$(proc_crypto_selftest deflate-iaa)" = passed ]
}

down() {
	for i in 1 2 3 4 5; do
		lsmod | grep -q '^iaa_crypto ' || return 0
		unload_driver 2>/dev/null && return 0
		sleep 1
	done
	return 1
}

# one LOAD CONFIG NAME KO PARAM...: one insmod of KO, its results and the counters' change
one() {
	ol_=$1 oc_=$2 on_=$3 ok_=$4
	shift 4
	c0_=$(counters)
	out_=$(tmo 600 insmod "$ok_" "$@" 2>&1)
	rc_=$?
	c1_=$(counters)
	dir_=/sys/kernel/debug/${ok_##*/}
	dir_=${dir_%.ko}
	sed -n "/^\(run\|pass\|end\|cpu\) /s/^/    # probe $ol_ $oc_ $on_ /p" "$dir_/result" 2>/dev/null
	if [ "$on_" = bench ]; then
		# iaa_bench's per-page lines: the compress and decompress latencies of its pass
		awk '/^page / { for (i = 2; i <= NF; i++) { split($i, a, "=");
			if (a[1] == "cl" && a[2] != "") { n = split(a[2], v, ","); for (j = 1; j <= n; j++) print "c", v[j] }
			if (a[1] == "dl" && a[2] != "") { n = split(a[2], v, ","); for (j = 1; j <= n; j++) print "d", v[j] } } }' \
			"$dir_/result" 2>/dev/null | sort -k1,1 -k2n | awk -v p="    # probe $ol_ $oc_ $on_ " '
			{ x[$1, ++n[$1]] = $2; s[$1] += $2 }
			END { for (o = 0; o < 2; o++) { k = o ? "d" : "c"; m = n[k]; if (!m) continue
				printf "%spass op=%s pass=0 n=%d mean=%d min=%d p10=%d median=%d p90=%d max=%d\n",
					p, o ? "decomp" : "comp", m, s[k] / m, x[k, 1], x[k, int(m / 10) + 1],
					x[k, int(m / 2) + 1], x[k, int(m * 9 / 10) + 1], x[k, m] } }'
	fi
	note "probe $ol_ $oc_ $on_ counters $(delta "$c0_" "$c1_")"
	end_=$(grep '^end ' "$dir_/result" 2>/dev/null)
	rmmod "${ok_##*/}" 2>/dev/null
	case $end_ in
	*"errors=0 mismatches=0 "*)
		[ $rc_ -eq 0 ] && ok "$ol_ $oc_ $on_: no error or mismatch" && return ;;
	esac
	not_ok "$ol_ $oc_ $on_: insmod rc $rc_ ($out_) ${end_:-no results}"
}

l=1
while [ $l -le "$loads" ]; do
	for v in 0 1; do
		c=sync.v$v
		if ! up $v; then
			not_ok "l$l $c: load ours with sync_mode=sync verify_compress=$v"
			for d in $dsizes; do not_ok "l$l $c probe.$d: no driver"; done
			[ "$with_bench" = 1 ] && not_ok "l$l $c bench: no driver"
			down
			continue
		fi
		ok "l$l $c: ours loaded, $(cat $DRV/sync_mode) verify_compress=$(cat $DRV/verify_compress)"
		for d in $dsizes; do
			one "l$l" "$c" "probe.$d" "$PROBE_KO" pages="$pages" passes="$passes" \
				dsize="$d" touch="$touch" tag="$c"
		done
		[ "$with_bench" = 1 ] &&
			one "l$l" "$c" bench "$BENCH_KO" passes=1 warmup=1 tput_ops=0 tag="$c"
		down || note "probe warning: iaa_crypto would not unload"
	done
	l=$((l + 1))
done

_dmesg_lines=$start_mark
dmesg_clean && ok "no warnings" || not_ok "no warnings"
finish
