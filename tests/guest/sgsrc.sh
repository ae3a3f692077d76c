# sgsrc: a compressed page read from two scatterlist entries, as 7.3's zswap reads a zsmalloc
# object that crosses a page boundary (zs_obj_read_sg_begin()), is decompressed by the device
# into one page, in every sync_mode: iaa_test's sg cases "zswap-obj" (four data patterns, two
# object offsets, every byte checked). The module notes each page's compressed size and the
# entries of its decompress source. Every page that compressed to at most a page must be
# decompressed by the device (the software decompress counter), each of them from two entries
# through the slot's bounce area (the bounced requests counter). The random page does not
# compress below a page and is left to software, as zswap would store it uncompressed.
. /tests/lib.sh

ko=$MODDIR/updates/iaa_test.ko
D=/sys/kernel/debug/iaa-crypto
R=/sys/kernel/debug/iaa_test/results
modes="sync async async_irq"
plan $((3 * 3 + 1))
dmesg_mark

st() { cat $D/$1; }

for m in $modes; do
	set_sync_mode "$m" || note "$m: sync_mode not set"
	c0=$(st total_decomp_calls) sd0=$(st total_sw_decomp_calls) b0=$(st total_bounced_requests)
	tmo 600 insmod "$ko" alg=deflate-iaa suite=sg filter=zswap-obj seed=5 "tag=sgs_$m"
	rc=$?
	nok=$(grep -c '^ok ' $R 2>/dev/null)
	nbad=$(grep -c '^not ok ' $R 2>/dev/null)
	if grep -q '^# done' $R 2>/dev/null && [ "$rc" = 0 ] && [ "$nbad" = 0 ] && [ "$nok" = 2 ]; then
		ok "$m: $nok zswap-shaped cases, every byte checked"
	else
		not_ok "$m: zswap-shaped cases (insmod $rc, $nok ok, $nbad not ok)"
		grep -E '^not ok|FAIL' $R 2>/dev/null | head -n 8 | sed 's/^/    # /'
	fi
	# "# PATTERN: 4096 -> CLEN bytes, decompress source entries N": the pages for the
	# device, and those of them read from two entries
	set -- $(awk '/decompress source entries/ { c = $5 + 0; n = $NF + 0
		if (c <= 4096) { dev++; if (n > 1) sc++ } } END { print dev + 0, sc + 0 }' $R 2>/dev/null)
	want=$1 scat=$2
	rmmod iaa_test 2>/dev/null
	dc=$(($(st total_decomp_calls) - c0))
	dsd=$(($(st total_sw_decomp_calls) - sd0))
	db=$(($(st total_bounced_requests) - b0))
	[ "$scat" -gt 0 ] && [ $((dc - dsd)) -ge "$want" ] &&
		ok "$m: the device decompressed $((dc - dsd)) of $dc ($want compressed to a page or less)" ||
		not_ok "$m: $dc decompressions, $dsd in software ($want for the device, $scat scattered)"
	[ "$scat" -gt 0 ] && [ "$db" -ge "$scat" ] &&
		ok "$m: $db requests bounced ($scat sources of two entries for the device)" ||
		not_ok "$m: $db requests bounced, fewer than the $scat sources of two entries"
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
