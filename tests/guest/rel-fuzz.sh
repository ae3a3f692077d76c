# rel-fuzz: malformed input. The corpus of tests/module/iaa_fuzz.h - random bytes, bit flips,
# truncations and overwrites of valid streams, oversized lengths (stored blocks longer than
# the input, LEN != ~NLEN, too many codes), streams that expand beyond dlen, distances before
# the start of the output or undefined, and valid streams with distances beyond the device's
# 4 KiB window - decompressed through crypto_alloc_acomp("deflate-iaa") by iaa_stress, each
# into its dlen with guard bytes after it, and judged against lib/zlib_inflate: zlib's data
# when zlib accepts it within dlen, -ENOSPC when the data exceeds dlen, -EBADMSG otherwise;
# never a byte past dlen, never an oops. The corpus digest must be the one the host's run of
# the same streams through the device's engine checks (tools/engine/test_fuzz.c).
#
# Kernel command line knobs: rel.streams=N (default 100000), rel.irq=N (streams also run in
# async_irq mode, default 10000).
. /tests/lib.sh

arg() { karg rel "$1"; }
streams=$(arg streams)
streams=${streams:-100000}
irq=$(arg irq)
irq=${irq:-10000}
DRV=/sys/bus/dsa/drivers/crypto
plan 6

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
if ! insmod $MODDIR/updates/iaa_stress.ko; then
	not_ok "iaa_stress loaded"
	finish
fi
echo sync >$DRV/sync_mode && stress tfm sync >/dev/null &&
	echo async_irq >$DRV/sync_mode && stress tfm irq >/dev/null
echo sync >$DRV/sync_mode
iaa_snap a

t0=$(ms_now)
r1=$(tmo 1200 sh -c "echo fuzz 1 $streams sync >$STRESS; cat $STRESS")
t1=$(ms_now)
note "sync: $(echo "$r1" | head -n 1) ($(((t1 - t0) / 1000)) s)"
echo "$r1" | grep '^#' | head -n 8 | while IFS= read -r l; do note "  $l"; done
r2=
if [ "$irq" -gt 0 ]; then
	r2=$(tmo 1200 sh -c "echo fuzz 1 $irq irq >$STRESS; cat $STRESS")
	note "async_irq: $(echo "$r2" | head -n 1)"
	echo "$r2" | grep '^#' | head -n 8 | while IFS= read -r l; do note "  $l"; done
fi
iaa_snap b
stress free all >/dev/null
rmmod iaa_stress

tried=$(($(kv streams "$r1") + ${r2:+$(kv streams "$r2")}+0))
mism=$(($(kv mismatches "$r1") + ${r2:+$(kv mismatches "$r2")}+0))
guard=$(($(kv guard "$r1") + ${r2:+$(kv guard "$r2")}+0))
lost=$(($(kv lost "$r1") + ${r2:+$(kv lost "$r2")}+0))
oops=$(dmesg_since | grep -c -E 'Oops|BUG:|general protection')
warnings=$(warn_count)
note "driver: $((b_decomp_calls - a_decomp_calls)) decompress calls, $((b_sw_decomp_calls - a_sw_decomp_calls)) finished in software, device errors: einval +$((b_completion_einval_errors - a_completion_einval_errors)), overflow +$((b_completion_comp_buf_overflow_errors - a_completion_comp_buf_overflow_errors))"
note "malformed input: streams tried $tried, oopses $oops, wrong results $mism, writes past dlen $guard, lost requests $lost, warnings $warnings"

[ "$(kv digest_ok "$r1")" = yes ] || [ "$streams" != 100000 ] &&
	ok "the corpus is the host's: digest $(kv digest "$r1")" ||
	not_ok "the corpus is the host's: digest $(kv digest "$r1") ($(kv digest_ok "$r1"))"
[ "$(kv streams "$r1")" = "$streams" ] && [ "$tried" -ge $((streams + irq)) ] &&
	ok "$tried streams tried" || not_ok "$tried streams tried (want $streams + $irq)"
[ "$mism" = 0 ] && [ "$lost" = 0 ] && ok "a clean result every time: zlib's data, ENOSPC or EBADMSG" ||
	not_ok "a clean result every time: $mism wrong, $lost lost"
[ "$guard" = 0 ] && ok "nothing written past dlen" || not_ok "nothing written past dlen ($guard)"
[ "$oops" = 0 ] && ok "no oops" || not_ok "no oops ($oops)"
[ "$warnings" = 0 ] && dmesg_clean && ok "no warnings in the kernel log" ||
	not_ok "no warnings in the kernel log ($warnings)"
finish
