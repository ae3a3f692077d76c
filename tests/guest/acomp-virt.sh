# acomp-virt: requests whose sides are given by virtual address (7.3's acomp API) are served
# by the driver itself: iaa_test's virt suite (both sides, one side, for DMA or not, 64 KiB, a
# match 3000 bytes back), every byte checked, and the driver's own counters show each of its
# requests: the algorithm takes them (CRYPTO_ALG_REQ_VIRT) and its software deflate does them,
# so none goes to the crypto core's deflate-generic. On a kernel whose acomp requests carry
# scatterlists only (6.12) the module skips every case and so does this test.
. /tests/lib.sh

ko=$MODDIR/updates/iaa_test.ko
D=/sys/kernel/debug/iaa-crypto
R=/sys/kernel/debug/iaa_test/results
plan 3
dmesg_mark

st() { cat $D/$1; }
c0=$(st total_comp_calls) d0=$(st total_decomp_calls)
sc0=$(st total_sw_comp_calls) sd0=$(st total_sw_decomp_calls)
tmo 600 insmod "$ko" alg=deflate-iaa suite=virt seed=9 tag=avirt
rc=$?
nok=$(grep -c '^ok .* # SKIP' $R 2>/dev/null)
if [ "$nok" -gt 0 ] && ! grep -q '^not ok' $R; then
	why=$(sed -n 's/^ok .* # SKIP //p' $R | head -n 1)
	rmmod iaa_test 2>/dev/null
	skip "virtual-address cases" "$why"
	skip "the driver's counters" "no case ran"
	dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
	finish
fi
nok=$(grep -c '^ok ' $R 2>/dev/null)
nbad=$(grep -c '^not ok ' $R 2>/dev/null)
# one compress and one decompress per data pattern (four) of each case
want=$((nok * 4))
if grep -q '^# done' $R 2>/dev/null && [ "$rc" = 0 ] && [ "$nbad" = 0 ] && [ "$nok" -gt 0 ]; then
	ok "$nok cases, every byte checked"
else
	not_ok "virt cases (insmod $rc, $nok ok, $nbad not ok)"
	grep -E '^not ok|FAIL' $R 2>/dev/null | head -n 8 | sed 's/^/    # /'
fi
rmmod iaa_test 2>/dev/null
dc=$(($(st total_comp_calls) - c0)) dd=$(($(st total_decomp_calls) - d0))
dsc=$(($(st total_sw_comp_calls) - sc0)) dsd=$(($(st total_sw_decomp_calls) - sd0))
[ "$dc" = "$want" ] && [ "$dd" = "$want" ] && [ "$dsc" = "$want" ] && [ "$dsd" = "$want" ] &&
	ok "the driver took all $want compressions and decompressions, in software" ||
	not_ok "the driver: compress calls +$dc (software +$dsc), decompress calls +$dd" \
		"(software +$dsd), want +$want each"
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
