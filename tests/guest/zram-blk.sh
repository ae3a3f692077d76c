# zram as a block device on deflate-iaa, in each sync_mode: an ext2 file system (busybox
# mke2fs with 4 KiB blocks, zram's logical block size; mounted by ext4) on /dev/zram0, files written (kernel modules, busybox and generated
# pages of mixed compressibility), the file system unmounted and the page cache dropped, then
# mounted again and every file read back identical (sha256); mm_stat shows the data stored
# compressed.
#
# Kernel command line knobs: zt.modes=LIST (default: all).
. /tests/lib.sh
. /tests/zram-lib.sh

plan $((nmodes * 4 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
modprobe ext4 || note "modprobe ext4 failed"
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }

# the files: what the image has, and pages pageout's way (a text, tables, sparse, random mix)
src=/tmp/zram-src
mkdir -p $src
find /lib/modules -name '*.ko' | head -n 40 | while read -r f; do cp "$f" $src/; done
cp /bin/busybox $src/
i=0
while [ $i -lt 8 ]; do
	awk -v s=$i 'BEGIN { srand(s); for (n = 0; n < 20000; n++)
		printf "%s %d queue page %x\n", (n % 7 ? "device" : "kernel"), int(rand() * 1000), n }' >$src/text$i
	dd if=/dev/urandom of=$src/random$i bs=4096 count=16 2>/dev/null
	i=$((i + 1))
done
(cd $src && sha256sum * >/tmp/zram-src.sha)
note "files: $(ls $src | wc -l), $(du -sk $src | cut -f1) KiB"

for m in $modes; do
	echo $m >$DRV/sync_mode
	z0=$(zram_counts)
	if ! zram_setup zram0 deflate-iaa 128M || ! mke2fs -q -b 4096 /dev/zram0 >/dev/null 2>&1 ||
		! mount -t ext2 /dev/zram0 /mnt; then
		for c in mkfs write read backend; do not_ok "$m: $c"; done
		continue
	fi
	ok "$m: ext2 on /dev/zram0 (deflate-iaa), mounted"
	cp $src/* /mnt/ && sync
	umount /mnt
	echo 3 >/proc/sys/vm/drop_caches
	set -- $(cat /sys/block/zram0/mm_stat)
	orig=$1 compr=$2
	note "$m: mm_stat: $(cat /sys/block/zram0/mm_stat)"
	[ "$compr" -lt $((orig * 7 / 10)) ] && ok "$m: stored compressed ($compr of $orig bytes)" ||
		not_ok "$m: stored compressed ($compr of $orig bytes, want < 70%)"
	if mount -t ext2 /dev/zram0 /mnt && (cd /mnt && sha256sum -c /tmp/zram-src.sha >/tmp/zram-sum.out 2>&1); then
		ok "$m: every file read back identical after the caches were dropped"
	else
		not_ok "$m: every file read back identical after the caches were dropped"
		grep -v ': OK$' /tmp/zram-sum.out | head -n 5 | sed 's/^/    # /'
	fi
	umount /mnt 2>/dev/null
	q=$(zram_quiet "$z0" 50) && ok "$m: the backend abandoned nothing, redid at most 50 in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 50 in software ($q)"
	zram_reset zram0
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
