# A file system on zram (deflate-iaa) written and read in large I/O, in each sync_mode: ext4
# (e2fsprogs' mkfs.ext4, in the image beside the kernel's zram selftests; busybox's mke2fs and
# ext2 when it is absent) on /dev/zram0; files of mixed content (kernel modules, text, random
# data, busybox) written in 1 MiB writes, through the page cache (then fsync) and with
# O_DIRECT (each write one bio of 256 pages); unmounted, the page cache dropped, mounted
# again and every file read back identical (sha256), through the page cache (readahead) and
# with 1 MiB O_DIRECT reads. zram's block stat shows the multi-page bios (pages per I/O, both
# ways); mm_stat the data stored compressed; the backend abandoned nothing; on a zram that
# batches (acomp_batches), batches of several pages ran.
#
# Kernel command line knobs: zt.modes=LIST (default: all), zfs.modes=LIST (this test's own,
# default zt.modes).
. /tests/lib.sh
. /tests/zram-lib.sh
zram_modes zfs

plan $((nmodes * 7 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
modprobe ext4 || note "modprobe ext4 failed"
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }

if command -v mkfs.ext4 >/dev/null; then
	fs=ext4 mkfs="mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0"
else
	fs=ext2 mkfs="mke2fs -q -b 4096"
fi
# the files: 4 MiB of the image's modules, 4 MiB of text, 2 MiB of random data, busybox
src=/tmp/zram-fs-src
mkdir -p $src
find /lib/modules -name '*.ko' | head -n 200 | xargs cat | dd of=$src/modules bs=1M count=4 iflag=fullblock 2>/dev/null
awk 'BEGIN { srand(7); while (n < 4194304) { l = sprintf("%s %d queue page %x\n", (n % 7 ? "device" : "kernel"), int(rand() * 1000), n); printf "%s", l; n += length(l) } }' |
	dd of=$src/text bs=1M count=4 iflag=fullblock 2>/dev/null
dd if=/dev/urandom of=$src/random bs=1M count=2 2>/dev/null
cp /bin/busybox $src/busybox
(cd $src && sha256sum * >/tmp/zram-fs.sha)
note "$fs; files: $(ls $src | tr '\n' ' ')($(du -sk $src | cut -f1) KiB)"

for m in $modes; do
	echo $m >$DRV/sync_mode
	z0=$(zram_counts)
	if ! zram_setup zram0 deflate-iaa 128M || ! $mkfs /dev/zram0 >/dev/null 2>&1 ||
		! mount -t $fs /dev/zram0 /mnt; then
		for c in write compressed read wbios rbios backend batched; do not_ok "$m: $c"; done
		continue
	fi
	k0=$(zram_batch_counts)
	wi0=$(blk_stat zram0 5) ws0=$(blk_stat zram0 7)
	# modules and text through the page cache, random and busybox with O_DIRECT
	wrc=0
	for f in modules text; do dd if=$src/$f of=/mnt/$f bs=1M conv=fsync 2>/dev/null || wrc=1; done
	for f in random busybox; do
		dd if=$src/$f of=/mnt/$f bs=1M conv=fsync oflag=direct 2>/dev/null || wrc=1
	done
	sync
	wi=$(($(blk_stat zram0 5) - wi0)) ws=$(($(blk_stat zram0 7) - ws0))
	umount /mnt
	echo 3 >/proc/sys/vm/drop_caches
	[ $wrc = 0 ] && ok "$m: $fs on /dev/zram0 (deflate-iaa), files written in 1 MiB writes" ||
		not_ok "$m: $fs on /dev/zram0 (deflate-iaa), files written in 1 MiB writes"
	set -- $(cat /sys/block/zram0/mm_stat)
	orig=$1 compr=$2
	note "$m: mm_stat: $(cat /sys/block/zram0/mm_stat)"
	[ "$compr" -lt $((orig * 8 / 10)) ] && ok "$m: stored compressed ($compr of $orig bytes)" ||
		not_ok "$m: stored compressed ($compr of $orig bytes, want < 80%)"
	ri0=$(blk_stat zram0 1) rs0=$(blk_stat zram0 3)
	rrc=1
	if mount -t $fs /dev/zram0 /mnt; then
		rrc=0
		(cd /mnt && sha256sum -c /tmp/zram-fs.sha >/tmp/zram-fs.out 2>&1) || rrc=1
		echo 3 >/proc/sys/vm/drop_caches
		for f in modules random; do
			[ "$(dd if=/mnt/$f bs=1M iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)" = \
				"$(sed -n "s/  $f\$//p" /tmp/zram-fs.sha)" ] || { rrc=1; echo "$f: direct read FAILED" >>/tmp/zram-fs.out; }
		done
	fi
	ri=$(($(blk_stat zram0 1) - ri0)) rs=$(($(blk_stat zram0 3) - rs0))
	if [ $rrc = 0 ]; then
		ok "$m: every file read back identical after the caches were dropped (page cache and O_DIRECT)"
	else
		not_ok "$m: every file read back identical after the caches were dropped (page cache and O_DIRECT)"
		grep -v ': OK$' /tmp/zram-fs.out | head -n 5 | sed 's/^/    # /'
	fi
	umount /mnt 2>/dev/null
	[ $wi -gt 0 ] && [ $((ws / 8)) -ge $((wi * 8)) ] &&
		ok "$m: zram received multi-page write bios ($((ws / 8)) pages in $wi writes)" ||
		not_ok "$m: zram received multi-page write bios ($((ws / 8)) pages in $wi writes, want >= 8 a write)"
	[ $ri -gt 0 ] && [ $((rs / 8)) -ge $((ri * 4)) ] &&
		ok "$m: zram received multi-page read bios ($((rs / 8)) pages in $ri reads)" ||
		not_ok "$m: zram received multi-page read bios ($((rs / 8)) pages in $ri reads, want >= 4 a read)"
	q=$(zram_quiet "$z0" 50) && ok "$m: the backend abandoned nothing, redid at most 50 in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 50 in software ($q)"
	zram_batch_case "$m: deflate-iaa" "$k0" 1024
	zram_reset zram0
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
