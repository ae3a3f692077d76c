# multiblock: streams of several deflate blocks, as software makes them, are decoded whole by
# the device, in every sync_mode:
# - iaa_test's cross cases: zlib sync, partial and full flushes, memLevel 1, 4 and 6 (level 1,
#   4 KiB window, memLevel 6 are the settings of the driver's own software compress);
# - the driver's own software compress output: iaa_test's sg cases whose source is too
#   scattered for the device (so deflate-iaa compresses it in software), decompressed from a
#   linear buffer into a linear buffer (so the device decodes it).
# Each case checks every byte; the driver's software decompress counter must not move, since a
# decode the device got wrong would have been redone in software.
. /tests/lib.sh

ko=$MODDIR/updates/iaa_test.ko
D=/sys/kernel/debug/iaa-crypto
R=/sys/kernel/debug/iaa_test/results
modes="sync async async_irq"
plan $((3 * 4 + 1))
dmesg_mark

# run MODE SUITE FILTER: one iaa_test run; reports a case, leaves the counters' deltas in
# $d_calls $d_swc $d_swd
run() {
	_c0=$(cat $D/total_decomp_calls)
	_sc0=$(cat $D/total_sw_comp_calls)
	_sd0=$(cat $D/total_sw_decomp_calls)
	tmo 600 insmod "$ko" alg=deflate-iaa "suite=$2" "filter=$3" seed=7 "tag=mb_$1"
	_rc=$?
	_ok=$(grep -c '^ok ' $R 2>/dev/null)
	_bad=$(grep -c '^not ok ' $R 2>/dev/null)
	if grep -q '^# done' $R 2>/dev/null && [ "$_rc" = 0 ] && [ "$_bad" = 0 ] && [ "$_ok" -gt 0 ]; then
		ok "$1: $2 $3: $_ok cases, every byte checked"
	else
		not_ok "$1: $2 $3 (insmod $_rc, $_ok ok, $_bad not ok)"
		grep -E '^not ok|FAIL' $R 2>/dev/null | head -n 8 | sed 's/^/    # /'
	fi
	rmmod iaa_test 2>/dev/null
	d_calls=$(($(cat $D/total_decomp_calls) - _c0))
	d_swc=$(($(cat $D/total_sw_comp_calls) - _sc0))
	d_swd=$(($(cat $D/total_sw_decomp_calls) - _sd0))
}

for m in $modes; do
	set_sync_mode "$m" || note "$m: sync_mode not set"
	run "$m" cross zlib-to-alg.w12
	[ "$d_calls" -gt 1000 ] && [ "$d_swd" = 0 ] &&
		ok "$m: the device decoded all $d_calls zlib streams whole (software decompress +0)" ||
		not_ok "$m: zlib streams: $d_calls decompressions, $d_swd of them in software"
	run "$m" sg dec-linear
	[ "$d_swc" -gt 0 ] && [ "$d_swd" = 0 ] &&
		ok "$m: the device decoded whole the $d_swc streams the driver compressed in software" ||
		not_ok "$m: own software output: $d_swc compressed in software, $d_swd decompressed in software"
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
