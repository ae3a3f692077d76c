# zram-bound: a caller that may not sleep never waits for the device longer than the driver's
# bound, whatever timeout_ms says. 6.12's zram compresses under its per-CPU stream's local lock
# and decompresses under the slot's bit spinlock, with preemption off and without
# CRYPTO_TFM_REQ_MAY_SLEEP, and gives our deflate-iaa no callback (tools/zram). All the waits
# of one such request, summed (a free descriptor, the poll of each stage, any drain), end
# within 100 ms (Documentation/driver-api/crypto/iaa/iaa-crypto.rst, iaa_crypto_timeout.c);
# the driver keeps the longest in debugfs (max_atomic_wait_ns), and that is what is checked,
# against 100 ms plus the last check interval of a poll (1 ms at most).
#
# Swap on zram (deflate-iaa, our zram.ko), only iax0's wq0.0 bound, timeout_ms 60000; in
# sync mode, then async and async_irq (sync_mode does not matter to a caller without a
# callback: always polled). For the pages going out, one compress descriptor completes 1.5 s
# late; for the pages coming in (wq0.0 rebound first, the compress's timeout having taken it
# out of service), one decompress descriptor does. Each such request times out at the bound,
# with no drain to wait for (the destination of a caller like this goes through the
# descriptor's own bounce area): the compress is redone by zram's backend in software, the
# decompress by the driver's software fallback; every byte of the pages comes back. The wq is
# out of service afterwards, and is rebound.
#
# Runs under -icount (tests/suites): guest time follows guest instructions, so a host that
# deschedules the vCPU cannot stretch what the driver measures.
. /tests/lib.sh
. /tests/zram-lib.sh

DEV=/machine/peripheral/iaa0
D=/sys/kernel/debug/iaa-crypto
bound_ns=100000000
slack_ns=1000000
npages=300
plan $((nmodes * 3 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
inject() { hmp "qom-set $DEV inject $1" | grep -v '^$' >&2; }
for w in $(crypto_wqs | grep -v '^wq0\.0$'); do echo $w >$DRV/unbind; done
old_tmo=$(cat /sys/module/iaa_crypto/parameters/timeout_ms)
echo 60000 >/sys/module/iaa_crypto/parameters/timeout_ms
if zram_load && [ "$(crypto_wqs)" = wq0.0 ] && [ -r $D/max_atomic_wait_ns ]; then
	ok "setup: zram.ko ours, wq0.0 alone, timeout_ms 60000, max_atomic_wait_ns in debugfs"
else
	not_ok "setup: zram.ko ours, wq0.0 alone ($(crypto_wqs)), max_atomic_wait_ns in debugfs"
fi

for m in $modes; do
	echo $m >$DRV/sync_mode
	if ! zram_setup zram0 deflate-iaa 64M || ! zram_swapon zram0; then
		for c in setup waits rebind; do not_ok "$m: $c"; done
		continue
	fi
	echo 1 >$D/stats_reset
	t0=$(cat $D/total_completion_timeout_errors)
	r0=$(cat $ZP/acomp_sw_redone)
	# one compress late while the pages go out, one decompress late while they come in
	inject "op=compress,late=1500ms,count=1"
	# the compress timeout took wq0.0 out of service: bound again before the pages come in
	out=$(tmo 600 pageout -x 23 -c ". /tests/lib.sh; wq_rebind wq0.0 >/dev/null && hmp 'qom-set $DEV inject op=decompress,late=1500ms,count=1' >/dev/null" $npages)
	rc=$?
	inject clear
	note "$m: $out"
	[ $rc -eq 0 ] && ok "$m: swap on zram, a compress and a decompress 1.5 s late: every byte came back" ||
		not_ok "$m: swap on zram, a compress and a decompress 1.5 s late: every byte came back (exit $rc)"
	most=$(cat $D/max_atomic_wait_ns)
	tmos=$(($(cat $D/total_completion_timeout_errors) - t0))
	redone=$(($(cat $ZP/acomp_sw_redone) - r0))
	why=
	[ "$tmos" -ge 2 ] || why="$why $tmos timeouts, want a compress's and a decompress's;"
	[ "$most" -ge $((bound_ns - slack_ns)) ] || why="$why longest wait $most ns: the bound was not reached;"
	[ "$most" -le $((bound_ns + slack_ns)) ] || why="$why longest wait $most ns, bound $bound_ns;"
	if [ -z "$why" ]; then
		ok "$m: a caller that cannot sleep waited at most $most ns ($tmos timeouts, redone in software $redone)"
	else
		not_ok "$m: a caller that cannot sleep waited at most the bound:$why"
	fi
	zram_reset zram0
	wq_rebind wq0.0 && grep -q 'iax0/wq0.0' $D/wq_table &&
		ok "$m: wq0.0 rebound, in service" || not_ok "$m: wq0.0 rebound, in service"
done

echo sync >$DRV/sync_mode
echo "$old_tmo" >/sys/module/iaa_crypto/parameters/timeout_ms
dmesg_clean && ok "no warning in the kernel log" || not_ok "no warning in the kernel log"
finish
