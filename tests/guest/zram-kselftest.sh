# The kernel's own zram selftests (tools/testing/selftests/zram of the matching linux-source,
# taken as they are by tools/zram/build) on our zram.ko with deflate-iaa: zram01 (ext4 on a
# zram device, filled to its memory limit) with its algorithm list set to deflate-iaa instead
# of lzo, and zram02 (swap on zram), which sets no algorithm (so zram's default, lz4), given
# the same list and the library's own zram_compress_alg step before its disk size. A case passes on "[PASS]" with no "FAIL" line (the
# library reports most failures only as such lines), and is skipped only by its own exit
# status 4, with its own reason.
. /tests/lib.sh
. /tests/zram-lib.sh

S=/kselftest-zram
D=/sys/kernel/debug/iaa-crypto
plan 8

[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
modprobe ext4 2>/dev/null
dmesg_mark
if ! zram_load || [ ! -f $S/zram01.sh ]; then
	not_ok "zram.ko is ours, the selftests are in $S"
	finish
fi
ok "zram.ko is ours, the selftests are in $S"
w=/tmp/kselftest-zram
rm -rf $w
cp -r $S $w
sed -i 's/^zram_algs=.*/zram_algs="deflate-iaa"/' $w/zram01.sh
grep -q '^zram_algs="deflate-iaa"$' $w/zram01.sh && ok "zram01 set to deflate-iaa" ||
	not_ok "zram01 set to deflate-iaa (no zram_algs line in zram01.sh)"
sed -i 's/^zram_mem_limits=.*/&\nzram_algs="deflate-iaa"/; s/^zram_set_disksizes$/zram_compress_alg\n&/' $w/zram02.sh
grep -q '^zram_algs="deflate-iaa"$' $w/zram02.sh && grep -q '^zram_compress_alg$' $w/zram02.sh &&
	ok "zram02 set to deflate-iaa" ||
	not_ok "zram02 set to deflate-iaa (no zram_mem_limits or zram_set_disksizes line in zram02.sh)"

# run T: one script of the suite, judged
run() {
	c0=$(st total_comp_calls)
	out=$(cd $w && tmo 600 sh ./$1.sh 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    # /'
	note "$1: exit $rc, total_comp_calls +$(($(st total_comp_calls) - c0))"
	if [ $rc -eq 4 ]; then
		skip "$1" "$(printf '%s\n' "$out" | grep -v '^$' | tail -n 1)"
	elif [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "$1 : \[PASS\]" &&
		! printf '%s\n' "$out" | grep -q 'FAIL'; then
		ok "$1"
	else
		not_ok "$1"
	fi
}
run zram01
printf '%s\n' "$out" | grep -q "comp_algorithm = 'deflate-iaa'" &&
	! printf '%s\n' "$out" | grep -q "can't set 'deflate-iaa'" &&
	ok "zram01 ran on deflate-iaa" || not_ok "zram01 ran on deflate-iaa"
run zram02
printf '%s\n' "$out" | grep -q "comp_algorithm = 'deflate-iaa'" &&
	! printf '%s\n' "$out" | grep -q "can't set 'deflate-iaa'" &&
	ok "zram02 ran on deflate-iaa" || not_ok "zram02 ran on deflate-iaa"
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
