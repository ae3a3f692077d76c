# zram writeback on deflate-iaa, in each sync_mode: /dev/vda as backing_dev of /dev/zram0,
# swap on zram0; `pageout N` holds N pages of mixed compressibility out while its command marks
# every page idle and writes the idle ones back ("idle"), first under a writeback_limit of
# 100 pages, which stops it there with EIO (on a zram that batches 16 pages, amid a batch: the
# slots of the batch count against the limit), then the rest; bd_stat shows them on the
# backing device and mm_stat that zram let them go (compr_data_size, mem_used_total); then
# every byte is read back (from the backing device, raw, for those written back).
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all).
. /tests/lib.sh
. /tests/zram-lib.sh

plan $((nmodes * 5 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
modprobe virtio_blk 2>/dev/null
for i in 1 2 3 4 5; do [ -b /dev/vda ] && break; sleep 1; done
dmesg_mark
zram_load && [ -b /dev/vda ] && ok "zram.ko is ours, /dev/vda for backing" ||
	{ not_ok "zram.ko is ours, /dev/vda for backing"; finish; }

cat >/tmp/zram-wb.cmd <<'EOF2'
cat /sys/block/zram0/mm_stat >/tmp/zram.before
echo all >/sys/block/zram0/idle
echo 1 >/sys/block/zram0/writeback_limit_enable
echo 100 >/sys/block/zram0/writeback_limit
echo idle >/sys/block/zram0/writeback
echo $? >/tmp/zram.lrc
echo "$(cat /sys/block/zram0/bd_stat) $(cat /sys/block/zram0/writeback_limit)" >/tmp/zram.lbd
echo 0 >/sys/block/zram0/writeback_limit_enable
echo idle >/sys/block/zram0/writeback
echo $? >/tmp/zram.rc
cat /sys/block/zram0/mm_stat >/tmp/zram.after
cat /sys/block/zram0/bd_stat >/tmp/zram.bd
EOF2

for m in $modes; do
	echo $m >$DRV/sync_mode
	z0=$(zram_counts)
	if ! ZRAM_BACKING=/dev/vda zram_setup zram0 deflate-iaa 64M || ! zram_swapon zram0; then
		for c in pageout limit writeback stats backend; do not_ok "$m: $c"; done
		continue
	fi
	out=$(tmo 900 pageout -x 13 -c 'sh /tmp/zram-wb.cmd' "$pages")
	rc=$?
	note "$m: $out"
	note "$m: mm_stat before $(cat /tmp/zram.before)"
	note "$m: mm_stat after  $(cat /tmp/zram.after)"
	note "$m: bd_stat $(cat /tmp/zram.bd)"
	[ $rc -eq 0 ] && ok "$m: pageout $pages: every byte came back" ||
		not_ok "$m: pageout $pages: every byte came back (exit $rc)"
	# 100 pages of 4 KiB: writeback_limit's unit
	read -r lbd _ _ lleft </tmp/zram.lbd
	[ "$(cat /tmp/zram.lrc)" != 0 ] && [ "$lbd" = 100 ] && [ "$lleft" = 0 ] &&
		ok "$m: writeback idle under writeback_limit 100: failed there, 100 pages written back, limit 0" ||
		not_ok "$m: writeback idle under writeback_limit 100: status $(cat /tmp/zram.lrc) (want an error), $lbd pages written back (want 100), limit $lleft (want 0)"
	[ "$(cat /tmp/zram.rc)" = 0 ] && ok "$m: writeback idle" ||
		not_ok "$m: writeback idle (status $(cat /tmp/zram.rc))"
	read -r _ c0 u0 _ </tmp/zram.before
	read -r _ c1 u1 _ </tmp/zram.after
	read -r bd _ </tmp/zram.bd
	[ "$bd" -ge $((pages * 9 / 10)) ] && [ "$c1" -lt $((c0 / 10)) ] && [ "$u1" -lt $((u0 / 10)) ] &&
		ok "$m: $bd pages on the backing device; compr_data_size $c0 -> $c1, mem_used_total $u0 -> $u1" ||
		not_ok "$m: $bd pages on the backing device (want >= $((pages * 9 / 10))); compr_data_size $c0 -> $c1, mem_used_total $u0 -> $u1 (want < 10%)"
	q=$(zram_quiet "$z0" $((pages / 100))) && ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)"
	zram_reset zram0
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
