# rel-kmemleak: on a kernel with kmemleak (tools/debug-kernel adds this test after every suite's
# own), scan for leaked objects and fail on any whose allocation trace runs through our driver,
# idxd or the test modules. Other suspects (the boot's, the kernel's own) are only counted.
# Without kmemleak: skipped.
. /tests/lib.sh
K=/sys/kernel/debug/kmemleak
plan 1
if [ ! -e $K ]; then
	skip "no leaked objects of iaa_crypto, idxd or the test modules" "no kmemleak in this kernel"
	finish
fi
# objects younger than a few seconds are never reported: scan, wait, scan again. kmemleak turns
# itself off when it runs out of room for its own records (under heavy memory pressure): then
# it cannot say anything, and says so by refusing the scan.
if ! echo scan 2>/dev/null >$K; then
	skip "no leaked objects of iaa_crypto, idxd or the test modules" \
		"kmemleak is off: $(dmesg | grep -m1 -E 'kmemleak: (Memory pool empty|Kernel memory leak detector disabled)' | sed 's/^\[[^]]*\] //')"
	finish
fi
sleep 6
echo scan >$K
cat $K >/tmp/kmemleak.out
total=$(grep -c '^unreferenced object' /tmp/kmemleak.out)
# one report per object: its lines up to the next "unreferenced object"
ours=$(awk '/^unreferenced object/ { if (o) n++; o = 0 } /iaa_|idxd/ { o = 1 } END { if (o) n++; print n + 0 }' \
	/tmp/kmemleak.out)
note "kmemleak: $total suspected leaks, $ours through iaa_crypto, idxd or the test modules"
if [ "$ours" = 0 ]; then
	ok "no leaked objects of iaa_crypto, idxd or the test modules"
else
	not_ok "no leaked objects of iaa_crypto, idxd or the test modules ($ours)"
	awk '/^unreferenced object/ { if (o) printf "%s", b; b = ""; o = 0 } { b = b $0 "\n" }
	     /iaa_|idxd/ { o = 1 } END { if (o) printf "%s", b }' /tmp/kmemleak.out |
		head -n 40 | sed 's/^/    # /'
fi
finish
