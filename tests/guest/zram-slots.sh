# Recompression and writeback over many slots, in each sync_mode: swap on /dev/zram0 with lz4
# primary, deflate-iaa as recomp_algorithm and a loop device (a file in the guest's tmpfs) as
# backing_dev; `pageout -H` holds N pages of mixed compressibility, in 64 KiB and 2 MiB
# folios, out while its command marks every slot idle and recompresses the idle ones
# ("type=idle": deflate-iaa compresses each), then marks them idle again and writes them back
# ("idle"); then every byte is read back, from the backing device for the slots written back.
#
# The writeback mode each kernel line tests here:
#   6.12: zram's only one: a slot is decompressed (deflate-iaa, for the recompressed ones) and
#     written back as a whole page; its read back needs no decompress. zram decompresses in
#     batches: deflate-iaa's objects as one batch, the slots among them that lz4 compressed or
#     that are stored uncompressed read on the way.
#   7.3: compressed_writeback=1: the compressed object is written back as it is, and its read
#     back decompresses it (deflate-iaa); nothing to decompress, so no batch. 7.3's plain
#     writeback is zram-wb's.
# Cases: every byte back; recompress and writeback succeed; compr_data_size goes down with
# the recompression, and the writeback frees zram's memory with the pages on the backing
# device (bd_stat); deflate-iaa did the recompression (compress calls) and the decompresses
# the line's writeback mode puts where it does (at the writeback on 6.12, at the read back
# with compressed_writeback); on 6.12 the writeback ran in batches (acomp_batches moved, and
# acomp_batch_pages by at least half the pages written back; a skip with
# compressed_writeback or a zram that does not batch); nothing abandoned. The batching
# counters of each step are printed (zram-recomp asserts the recompression's).
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all),
# zslots.modes=LIST (this test's own, default zt.modes).
. /tests/lib.sh
. /tests/zram-lib.sh
zram_modes zslots

plan $((nmodes * 7 + 3))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
modprobe loop 2>/dev/null
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }
Z=/sys/block/zram0
cwb=0
[ -e $Z/compressed_writeback ] && cwb=1
dd if=/dev/zero of=/tmp/zram-bd.img bs=1M count=$zsize 2>/dev/null
lo=$(losetup -f) && losetup "$lo" /tmp/zram-bd.img && [ -b "$lo" ] &&
	ok "backing device $lo ($zsize MiB in tmpfs); compressed_writeback: $([ $cwb = 1 ] && echo yes || echo "not on $(uname -r | cut -d. -f1,2)")" ||
	{ not_ok "backing device (loop)"; finish; }
thp_madvise 64kB 2048kB || note "64 KiB and 2 MiB folios not enabled"

# the command pageout runs while the pages are out; the driver's and zram's counters at each
# step go to /tmp/zram-slots.N
cat >/tmp/zram-slots.cmd <<'EOF2'
. /tests/lib.sh
. /tests/zram-lib.sh
snap() { echo "$(cat /sys/block/zram0/mm_stat | awk '{ print $1, $2, $3 }') $(st total_comp_calls) $(st total_decomp_calls) $(zram_batch_counts)" >/tmp/zram-slots.$1; }
snap 0
echo all >/sys/block/zram0/idle
echo type=idle >/sys/block/zram0/recompress
echo $? >/tmp/zram-slots.rrc
snap 1
echo all >/sys/block/zram0/idle
echo idle >/sys/block/zram0/writeback
echo $? >/tmp/zram-slots.wrc
snap 2
cat /sys/block/zram0/bd_stat >/tmp/zram-slots.bd
EOF2

for m in $modes; do
	echo $m >$DRV/sync_mode
	z0=$(zram_counts)
	rm -f /tmp/zram-slots.*[0-9] /tmp/zram-slots.?rc /tmp/zram-slots.bd
	zram_reset zram0
	# set while the device has no disksize; a reset keeps it
	[ $cwb = 0 ] || echo 1 >$Z/compressed_writeback
	if ! ZRAM_BACKING=$lo zram_setup zram0 lz4 ${zsize}M deflate-iaa || ! zram_swapon zram0; then
		for c in pageout steps recomp wb work batched backend; do not_ok "$m: $c"; done
		continue
	fi
	out=$(tmo 900 pageout -H -x 37 -c 'sh /tmp/zram-slots.cmd' "$pages")
	rc=$?
	d3=$(st total_decomp_calls)
	note "$m: $out"
	for s in 0 1 2; do note "$m: step $s: orig compr used comp_calls decomp_calls batches batch_pages fallback: $(cat /tmp/zram-slots.$s 2>/dev/null)"; done
	note "$m: bd_stat $(cat /tmp/zram-slots.bd 2>/dev/null)"
	read -r o0 b0 u0 c0 d0 k0 p0 _ </tmp/zram-slots.0
	read -r o1 b1 u1 c1 d1 k1 p1 _ </tmp/zram-slots.1
	read -r o2 b2 u2 c2 d2 k2 p2 _ </tmp/zram-slots.2
	read -r bd _ </tmp/zram-slots.bd
	note "$m: batches: recompress +$((k1 - k0)) (+$((p1 - p0)) pages), writeback +$((k2 - k1)) (+$((p2 - p1)) pages)"
	[ $rc -eq 0 ] && ok "$m: pageout -H $pages: every byte came back" ||
		not_ok "$m: pageout -H $pages: every byte came back (exit $rc)"
	[ "$(cat /tmp/zram-slots.rrc)" = 0 ] && [ "$(cat /tmp/zram-slots.wrc)" = 0 ] &&
		ok "$m: recompress type=idle, then writeback idle" ||
		not_ok "$m: recompress type=idle (status $(cat /tmp/zram-slots.rrc)), then writeback idle (status $(cat /tmp/zram-slots.wrc))"
	[ "$b1" -lt "$b0" ] && [ "$o1" = "$o0" ] &&
		ok "$m: recompressed: compr_data_size $b0 -> $b1, orig_data_size $o0 kept" ||
		not_ok "$m: recompressed: compr_data_size $b0 -> $b1 (want lower), orig_data_size $o0 -> $o1"
	[ "$bd" -ge $((pages * 9 / 10)) ] && [ "$b2" -lt $((b1 / 10)) ] && [ "$u2" -lt $((u1 / 10)) ] &&
		ok "$m: written back: $bd pages on $lo; compr_data_size $b1 -> $b2, mem_used_total $u1 -> $u2" ||
		not_ok "$m: written back: $bd pages on $lo (want >= $((pages * 9 / 10))); compr_data_size $b1 -> $b2, mem_used_total $u1 -> $u2 (want < 10%)"
	# deflate-iaa compressed the recompressed slots, and decompressed them where the line's
	# writeback mode does: at the writeback (whole pages) or at the read back (compressed)
	rc_c=$((c1 - c0)) wb_d=$((d2 - d1)) rd_d=$((d3 - d2)) half=$((pages / 2))
	if [ $cwb = 1 ]; then
		[ $rc_c -ge $half ] && [ $rd_d -ge $half ] && [ $wb_d -lt $half ] &&
			ok "$m: deflate-iaa recompressed ($rc_c), compressed writeback: decompressed at the read back ($rd_d), not at the writeback ($wb_d)" ||
			not_ok "$m: deflate-iaa recompressed ($rc_c, want >= $half), compressed writeback: decompressed at the read back ($rd_d, want >= $half), not at the writeback ($wb_d)"
	else
		[ $rc_c -ge $half ] && [ $wb_d -ge $half ] && [ $rd_d -lt $half ] &&
			ok "$m: deflate-iaa recompressed ($rc_c), writeback of whole pages: decompressed at the writeback ($wb_d), not at the read back ($rd_d)" ||
			not_ok "$m: deflate-iaa recompressed ($rc_c, want >= $half), writeback of whole pages: decompressed at the writeback ($wb_d, want >= $half), not at the read back ($rd_d)"
	fi
	# 6.12's writeback decompresses in batches; compressed_writeback has nothing to decompress
	kb=$((k2 - k1)) kp=$((p2 - p1))
	if [ $cwb = 1 ]; then
		skip "$m: writeback in batches" "compressed_writeback decompresses nothing"
	elif ! zram_batching; then
		skip "$m: writeback in batches" "this zram does not batch (no $ZP/acomp_batches)"
	else
		[ $kb -gt 0 ] && [ $kp -ge $((bd / 2)) ] &&
			ok "$m: writeback in batches: acomp_batches +$kb, acomp_batch_pages +$kp of $bd pages written back" ||
			not_ok "$m: writeback in batches: acomp_batches +$kb (want > 0), acomp_batch_pages +$kp (want >= $((bd / 2)), half of $bd pages written back)"
	fi
	q=$(zram_quiet "$z0" $((pages / 100))) && ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)"
	zram_reset zram0
done
losetup -d "$lo"
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
