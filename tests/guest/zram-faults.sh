# Swap on zram (deflate-iaa) while the virtual device fails, in each sync_mode: every byte of
# `pageout N` comes back, the backend redid the failed requests in software (acomp_sw_redone)
# and abandoned none, and the kernel log has no warning, BUG or "scheduling while atomic".
# Three phases per mode (faults injected through the monitor, tools/qemu/README.md):
#   1. recurring faults: compress analytics error 0x05 (every 7th), watchdog (every 13th),
#      decompress page fault (every 11th) and analytics error (every 17th), and a late
#      completion (every 5th);
#   2. a decompress that never completes, while the pages are out: the request ends after the
#      atomic bound and is redone in software (by the driver: total_sw_decomp_calls); the wq is
#      out of service until rebound (the rest in software), then rebound;
#   3. the wq unbound and rebound (3 times) while pageout runs.
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all).
. /tests/lib.sh
. /tests/zram-lib.sh

DEV=/machine/peripheral/iaa0
plan $((nmodes * 7 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }
inject() { hmp "qom-set $DEV inject $1" | grep -v '^$' >&2; }
# only iaa0's wq0.0, where the rules apply
for w in $(crypto_wqs | grep -v '^wq0\.0$'); do echo $w >$DRV/unbind; done
redone() { cat $ZP/acomp_sw_redone; }

for m in $modes; do
	echo $m >$DRV/sync_mode
	if ! zram_setup zram0 deflate-iaa 64M || ! zram_swapon zram0; then
		for c in setup recurring never redone unbind abandoned log; do not_ok "$m: $c"; done
		continue
	fi
	ok "$m: swap on /dev/zram0 (deflate-iaa), only wq0.0 bound"
	inj0=$(qom_get injected) r0=$(redone) a0=$(cat $ZP/acomp_abandoned)
	inject "op=compress,status=analytics,error=0x05,every=7"
	inject "op=compress,status=watchdog,every=13"
	inject "op=decompress,status=page-fault,every=11"
	inject "op=decompress,status=analytics,error=0x05,every=17"
	inject "op=any,late=2ms,every=5"
	out=$(tmo 900 pageout -x 17 "$pages")
	rc=$?
	inject clear
	note "$m: recurring: $out; injected +$(($(qom_get injected) - inj0)), acomp_sw_redone +$(($(redone) - r0))"
	[ $rc -eq 0 ] && [ $(($(redone) - r0)) -gt 0 ] &&
		ok "$m: recurring faults: every byte came back, failed requests redone in software" ||
		not_ok "$m: recurring faults: every byte came back (exit $rc), failed requests redone in software (+$(($(redone) - r0)))"

	r1=$(redone) s1=$(cat /sys/kernel/debug/iaa-crypto/total_sw_decomp_calls 2>/dev/null || echo 0)
	out=$(tmo 900 pageout -x 19 -c "hmp 'qom-set $DEV inject op=decompress,never,count=1' >/dev/null" "$pages")
	rc=$?
	oos=0
	grep -q 'iax0/wq0.0' /sys/kernel/debug/iaa-crypto/wq_table || oos=1
	note "$m: never: $out; wq0.0 out of service: $oos; acomp_sw_redone +$(($(redone) - r1))"
	[ $rc -eq 0 ] && ok "$m: a decompress that never completes: every byte came back" ||
		not_ok "$m: a decompress that never completes: every byte came back (exit $rc)"
	[ $oos = 0 ] || wq_rebind wq0.0
	sw=$(($(cat /sys/kernel/debug/iaa-crypto/total_sw_decomp_calls 2>/dev/null || echo 0) - s1))
	[ $oos = 1 ] && [ $((sw + $(redone) - r1)) -gt 0 ] && [ -e $DRV/wq0.0 ] &&
		ok "$m: wq0.0 out of service, redone in software (driver +$sw, backend +$(($(redone) - r1))), bound again" ||
		not_ok "$m: wq0.0 out of service ($oos), redone in software (driver +$sw, backend +$(($(redone) - r1))), bound again ($(crypto_wqs))"

	pageout -x 23 -r 3 "$pages" >/tmp/zram-faults.out 2>&1 &
	pid=$!
	bad=0
	for i in 1 2 3; do
		sleep 1
		wq_rebind wq0.0 || bad=1
	done
	tmo 900 sh -c "while kill -0 $pid 2>/dev/null; do sleep 1; done"
	wait $pid
	rc=$?
	note "$m: unbind: $(cat /tmp/zram-faults.out)"
	[ $rc -eq 0 ] && [ $bad = 0 ] && ok "$m: wq0.0 unbound and rebound 3 times under traffic: every byte came back" ||
		not_ok "$m: wq0.0 unbound and rebound 3 times under traffic: every byte came back (exit $rc, rebind failed: $bad)"
	[ "$(cat $ZP/acomp_abandoned)" = "$a0" ] && ok "$m: no request abandoned" ||
		not_ok "$m: no request abandoned ($a0 -> $(cat $ZP/acomp_abandoned))"
	dmesg_since | grep -E 'scheduling while atomic|BUG:|sleeping function called' >&2 &&
		not_ok "$m: no BUG, no scheduling while atomic" || ok "$m: no BUG, no scheduling while atomic"
	zram_reset zram0
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
