# Swap on zram (deflate-iaa) with large folios, in each sync_mode, while the device fails:
# the swap-out of a large folio is one bio of many pages, which zram may put on the device at
# once (issue 23). 64 KiB and 2 MiB transparent huge pages are enabled for madvised memory
# (every other size off); `pageout -H` fills N pages of mixed compressibility in a mapping
# with MADV_HUGEPAGE that starts 1 MiB past a 2 MiB boundary, so that its first MiB and its
# tail fault in as 64 KiB folios and the 2 MiB ranges between as PMD-sized ones, pushes them
# out and checks every byte back. During the swap-out and the swap-in every device fails
# some of its requests (rel-faults' rules: compress analytics error 0x05 every 7th, watchdog
# every 13th, decompress page fault every 11th and analytics error every 17th, a late
# completion every 5th) and one compress, mid-run, never completes (a timeout): each page of
# a multi-page bio that met a fault is redone in software, so every byte comes back and no
# page is stored wrong; nothing is abandoned; the wq the timeout took out of service is
# bound again while the pages are out.
#
# Cases, each mode: every byte back; the pages were in 64 KiB and 2 MiB folios; 64 KiB and
# 2 MiB folios went out whole (hugepages-*/stats/swpout; thp_swpout); zram received
# multi-page bios (its block stat: write sectors per write I/O); 64 KiB folios came back whole
# (the folios the pages are in after the read back; hugepages-64kB/stats/swpin where the
# kernel has it); faults fired, failed requests were redone in software, one timed out;
# nothing abandoned; and, on a zram that batches (acomp_batches), batches of several pages
# ran. Then one run on lz4 (no faults): every byte back, and no batch.
#
# What the kernel lines do with these folios (measured by this test, 3,000 pages: 27 folios
# of 64 KiB, 5 of 2 MiB, 8 single pages; zram.rst):
#   6.12: 64 KiB and 2 MiB folios swap out whole, one bio each (swpout +27 and +5, no
#     swpout_fallback; zram sees 40 write bios); a 64 KiB folio swaps in whole, one bio
#     (alloc_swap_folio(): swap devices with SWP_SYNCHRONOUS_IO, as zram, orders below the
#     PMD's only); a 2 MiB folio swaps in as 64 KiB folios (2,992 pages back in 64 KiB folios,
#     195 read bios); 6.12 has no swpin counter.
#   7.3: the same (thp_swapin_suitable_orders()): hugepages-64kB/stats/swpin +187, 2048kB's
#     +0; khugepaged may then collapse such a range into a 2 MiB folio again.
# Both lines swap a large folio in as order 0 once zswap has ever been enabled
# (zswap_never_enabled()): this test must run in a VM where no test enabled zswap before it.
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all),
# zt.alg=NAME (default deflate-iaa).
. /tests/lib.sh
. /tests/zram-lib.sh

D=/sys/kernel/debug/iaa-crypto
plan $((nmodes * 10 + 5))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }
line=$(uname -r | cut -d. -f1,2)
ndev=$(ls -d /sys/bus/dsa/devices/iax* 2>/dev/null | wc -l)
if thp_madvise 64kB 2048kB; then
	ok "64 KiB and 2 MiB folios enabled for madvised memory ($ndev devices, $line)"
else
	not_ok "64 KiB and 2 MiB folios enabled for madvised memory"
	finish
fi
[ "$(cat /sys/module/zswap/parameters/enabled)" = N ] ||
	note "zswap is enabled: large folios will swap in as single pages"

# inject_all SPEC: the rule on every device; fails when one refuses it
inject_all() {
	_i=0
	while [ $_i -lt $ndev ]; do
		dev_inject "$1" iaa$_i || return 1
		_i=$((_i + 1))
	done
}
injected() {
	_i=0 _s=0
	while [ $_i -lt $ndev ]; do
		_s=$((_s + $(qom_get injected iaa$_i)))
		_i=$((_i + 1))
	done
	echo $_s
}
cat >/tmp/zram-thp.cmd <<'EOF2'
. /tests/lib.sh
. /tests/zram-lib.sh
zram_rebind_out >/tmp/zram-thp.reb
EOF2

for m in $modes; do
	echo $m >$DRV/sync_mode
	if ! zram_setup zram0 $alg ${zsize}M || ! zram_swapon zram0; then
		for c in pageout filled out64 out2m bios in64 faults timeout abandoned batched; do
			not_ok "$m: $c"
		done
		continue
	fi
	s64=$(thp_stat 64kB swpout) f64=$(thp_stat 64kB swpout_fallback) i64=$(thp_stat 64kB swpin)
	s2m=$(thp_stat 2048kB swpout) f2m=$(thp_stat 2048kB swpout_fallback) i2m=$(thp_stat 2048kB swpin)
	t0=$(vmstat thp_swpout) tf0=$(vmstat thp_swpout_fallback)
	wi0=$(blk_stat zram0 5) ws0=$(blk_stat zram0 7) ri0=$(blk_stat zram0 1) rs0=$(blk_stat zram0 3)
	z0=$(zram_counts) k0=$(zram_batch_counts) inj0=$(injected)
	r0=$(cat $ZP/acomp_sw_redone) sd0=$(st total_sw_decomp_calls)
	to0=$(st total_completion_timeout_errors)
	rm -f /tmp/zram-thp.reb
	armed=1
	for r in "op=compress,status=analytics,error=0x05,every=7" \
		"op=compress,status=watchdog,every=13" \
		"op=decompress,status=page-fault,every=11" \
		"op=decompress,status=analytics,error=0x05,every=17" \
		"op=any,late=2ms,every=5" "op=compress,every=211,count=1,never"; do
		inject_all "$r" || armed=0
	done
	# while the pages are out, the wq the timeout took out of service is bound again, so that
	# the swap-in meets the device and its faults too
	out=$(tmo 900 pageout -H -f -x 29 -c 'sh /tmp/zram-thp.cmd' "$pages")
	rc=$?
	inject_all clear
	reb="$(cat /tmp/zram-thp.reb 2>/dev/null)$(zram_rebind_out)"
	echo "$out" | sed 's/^/    # '"$m"': /'
	fill=$(echo "$out" | sed -n 's/^folios fill://p')
	back=$(echo "$out" | sed -n 's/^folios back://p')
	d64=$(($(thp_stat 64kB swpout) - s64)) d2m=$(($(thp_stat 2048kB swpout) - s2m))
	note "$m: 64kB swpout +$d64 swpout_fallback +$(($(thp_stat 64kB swpout_fallback) - f64)) swpin $i64 -> $(thp_stat 64kB swpin); 2048kB swpout +$d2m swpout_fallback +$(($(thp_stat 2048kB swpout_fallback) - f2m)) swpin $i2m -> $(thp_stat 2048kB swpin); thp_swpout +$(($(vmstat thp_swpout) - t0)) thp_swpout_fallback +$(($(vmstat thp_swpout_fallback) - tf0))"
	wi=$(($(blk_stat zram0 5) - wi0)) ws=$(($(blk_stat zram0 7) - ws0))
	ri=$(($(blk_stat zram0 1) - ri0)) rs=$(($(blk_stat zram0 3) - rs0))
	note "$m: zram0 bios: $wi writes of $((ws / 8)) pages, $ri reads of $((rs / 8)) pages"
	[ $rc -eq 0 ] && ok "$m: pageout -H $pages: every byte came back" ||
		not_ok "$m: pageout -H $pages: every byte came back (exit $rc)"
	p4=$(folio_pages "$fill" 4) p9=$(folio_pages "$fill" 9)
	[ $p4 -ge 64 ] && [ $p9 -ge 512 ] &&
		ok "$m: filled in large folios (64 KiB: $p4 pages, 2 MiB: $p9 pages)" ||
		not_ok "$m: filled in large folios (64 KiB: $p4 pages, want >= 64; 2 MiB: $p9 pages, want >= 512)"
	[ $d64 -ge 4 ] && ok "$m: 64 KiB folios swapped out whole (swpout +$d64)" ||
		not_ok "$m: 64 KiB folios swapped out whole (swpout +$d64, want >= 4)"
	[ $d2m -ge 1 ] && ok "$m: 2 MiB folios swapped out whole (swpout +$d2m)" ||
		not_ok "$m: 2 MiB folios swapped out whole (swpout +$d2m, want >= 1)"
	[ $wi -gt 0 ] && [ $((ws / 8)) -ge $((wi * 4)) ] &&
		ok "$m: zram received multi-page bios ($((ws / 8)) pages in $wi writes)" ||
		not_ok "$m: zram received multi-page bios ($((ws / 8)) pages in $wi writes, want >= 4 a write)"
	# swapped in whole: hugepages-64kB/stats/swpin where the line counts it (7.3), else the
	# pages found in 64 KiB folios after the read back (6.12)
	b4=$(folio_pages "$back" 4)
	if [ "$i64" = - ]; then
		[ $b4 -ge 64 ] && ok "$m: 64 KiB folios swapped in whole ($b4 pages back in them; $ri reads of $((rs / 8)) pages)" ||
			not_ok "$m: 64 KiB folios swapped in whole ($b4 pages back in them, want >= 64; $ri reads of $((rs / 8)) pages)"
	else
		di64=$(($(thp_stat 64kB swpin) - i64))
		[ $di64 -ge 4 ] && ok "$m: 64 KiB folios swapped in whole (swpin +$di64; $b4 pages back in them; $ri reads of $((rs / 8)) pages)" ||
			not_ok "$m: 64 KiB folios swapped in whole (swpin +$di64, want >= 4; $b4 pages back in them; $ri reads of $((rs / 8)) pages)"
	fi
	# a compress the device failed is redone by the backend, a decompress by the driver
	dinj=$(($(injected) - inj0)) dr=$(($(cat $ZP/acomp_sw_redone) - r0))
	dsd=$(($(st total_sw_decomp_calls) - sd0))
	[ $armed = 1 ] && [ $dinj -gt 0 ] && [ $dr -gt 0 ] && [ $dsd -gt 0 ] &&
		ok "$m: faults injected (+$dinj), failed compresses redone in software by the backend (+$dr), decompresses by the driver (+$dsd)" ||
		not_ok "$m: faults injected (armed $armed, +$dinj), failed compresses redone in software by the backend (+$dr), decompresses by the driver (+$dsd)"
	dto=$(($(st total_completion_timeout_errors) - to0))
	[ $dto -ge 1 ] && ok "$m: the compress that never completed timed out (+$dto), rebound:$reb" ||
		not_ok "$m: the compress that never completed timed out (+$dto), rebound:$reb"
	q=$(zram_quiet "$z0" "$pages") && ok "$m: the backend abandoned nothing ($q)" ||
		not_ok "$m: the backend abandoned nothing ($q)"
	zram_batch_case "$m: $alg" "$k0" $((pages / 2))
	zram_reset zram0
done

# lz4: zram's own one-page path, never batched
if zram_setup zram0 lz4 ${zsize}M && zram_swapon zram0; then
	k0=$(zram_batch_counts)
	out=$(tmo 900 pageout -H -x 31 "$pages")
	rc=$?
	note "lz4: $out"
	[ $rc -eq 0 ] && ok "lz4: pageout -H $pages: every byte came back" ||
		not_ok "lz4: pageout -H $pages: every byte came back (exit $rc)"
	zram_batch_case lz4 "$k0" 0
else
	not_ok "lz4: pageout -H $pages: every byte came back (setup)"
	not_ok "lz4: not batched (setup)"
fi
zram_reset zram0
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
