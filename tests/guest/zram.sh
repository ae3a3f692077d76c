# Swap on zram with comp_algorithm deflate-iaa, in each sync_mode: our zram.ko is the one
# loaded, comp_algorithm lists deflate-iaa while it is registered (not after our driver is
# gone, and again once it is back); `pageout N` pushes N pages of mixed compressibility
# (tests/progs/pageout.c: text, tables, sparse, random, records) out to /dev/zram0 and reads
# every byte back; while they are out, mm_stat shows them stored compressed (compr_data_size
# well below orig_data_size, only the random fifth stored as huge pages); the driver's
# statistics show a compress per page stored and a decompress per page read; the driver saw
# the caller contract of the kernel line's zram (zram.rst): 6.12's cannot sleep and sends no
# callback, so the driver bounces the destination of its requests, all but those of batches
# (acomp_batch_pages: a large folio swapped out or in whole is one multi-page bio, whose
# batches may sleep); 7.3's may sleep (CRYPTO_TFM_REQ_MAY_SLEEP), so none is bounced; the
# backend abandoned nothing and redid at most 1% in software (zram_quiet in zram-lib.sh).
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all),
# zt.alg=NAME the comp_algorithm of the swap runs (default deflate-iaa).
. /tests/lib.sh
. /tests/zram-lib.sh

D=/sys/kernel/debug/iaa-crypto
plan $((nmodes * 6 + 5))


[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
if zram_load; then
	ok "zram.ko is ours (updates/, acomp backend)"
else
	not_ok "zram.ko is ours (updates/, acomp backend)"
	finish
fi
algs=$(cat /sys/block/zram0/comp_algorithm)
note "comp_algorithm: $algs"
echo " $algs " | grep -q ' deflate-iaa ' && echo " $algs " | grep -q " $alg " &&
	echo " $algs " | grep -q ' lz4 \| \[lz4\] ' &&
	ok "comp_algorithm lists deflate-iaa and $alg beside the built-in backends" ||
	not_ok "comp_algorithm lists deflate-iaa and $alg beside the built-in backends"

# the pages zram must hold: pageout's random ones (index % 5 == 3) are stored as huge pages
random=$(((pages + 1) / 5))
want=$((pages * 98 / 100))
# 6.12's zram calls the backend where it cannot sleep; a later line's where it may
line=$(uname -r | cut -d. -f1,2)
may_sleep=1
[ "$line" = 6.12 ] && may_sleep=0
for m in $modes; do
	echo $m >$DRV/sync_mode
	if ! zram_setup zram0 $alg 64M || ! zram_swapon zram0; then
		for c in setup pageout mm_stat calls contract backend; do not_ok "$m: $c"; done
		continue
	fi
	ok "$m: swap on /dev/zram0, comp_algorithm $(sed 's/.*\[\(.*\)\].*/\1/' /sys/block/zram0/comp_algorithm)"
	c0=$(st total_comp_calls) d0=$(st total_decomp_calls) z0=$(zram_counts)
	b0=$(st total_bounced_requests)
	p0=$(cat $ZP/acomp_batch_pages 2>/dev/null || echo 0)
	out=$(tmo 900 pageout -x 7 -c 'cat /sys/block/zram0/mm_stat >/tmp/zram.mm' "$pages")
	rc=$?
	dc=$(($(st total_comp_calls) - c0)) dd=$(($(st total_decomp_calls) - d0))
	note "$m: $out"
	note "$m: mm_stat while out: $(cat /tmp/zram.mm)"
	note "$m: total_comp_calls +$dc total_decomp_calls +$dd; backend errors/sw/abandoned $z0 -> $(zram_counts)"
	[ $rc -eq 0 ] && ok "$m: pageout $pages: every byte came back" ||
		not_ok "$m: pageout $pages: every byte came back (exit $rc)"
	read -r orig compr _ _ _ same _ huge _ </tmp/zram.mm
	stored=$(((orig / 4096) + same))
	[ $stored -ge $want ] && [ $compr -lt $((orig * 6 / 10)) ] && [ $huge -le $((random + 10)) ] &&
		ok "$m: $stored pages held, compr_data_size $compr of orig_data_size $orig, $huge huge" ||
		not_ok "$m: $stored pages held (want >= $want), compr_data_size $compr of orig_data_size $orig (want < 60%), $huge huge (want <= $((random + 10)))"
	[ $dc -ge $((want - random)) ] && [ $dd -ge $((want - random)) ] &&
		ok "$m: the driver compressed and decompressed them (+$dc, +$dd)" ||
		not_ok "$m: the driver compressed and decompressed them (+$dc, +$dd; want >= $((want - random)) each)"
	db=$(($(st total_bounced_requests) - b0))
	bp=$(($(cat $ZP/acomp_batch_pages 2>/dev/null || echo 0) - p0))
	if [ ! -r $D/total_bounced_requests ]; then
		not_ok "$m: zram's caller contract on $line (no $D/total_bounced_requests)"
	elif [ $may_sleep = 1 ]; then
		[ $db -eq 0 ] && ok "$m: zram on $line may sleep: no request bounced" ||
			not_ok "$m: zram on $line may sleep: no request bounced (+$db)"
	else
		[ $((db + bp)) -ge $((want - random)) ] &&
			ok "$m: zram on $line cannot sleep: its requests bounced (+$db; +$bp pages in batches)" ||
			not_ok "$m: zram on $line cannot sleep: its requests bounced (+$db; +$bp pages in batches; want >= $((want - random)) together)"
	fi
	q=$(zram_quiet "$z0" $((pages / 100))) && ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)"
	zram_reset zram0
done
zram_reset zram0

# Without our driver, deflate-iaa is gone from the list (and cannot be chosen); back with it
wqs=$(crypto_wqs)
unload_driver >/dev/null 2>&1
algs=$(cat /sys/block/zram0/comp_algorithm)
if echo " $algs " | grep -q ' deflate-iaa ' || echo deflate-iaa >/sys/block/zram0/comp_algorithm 2>/dev/null; then
	not_ok "deflate-iaa neither listed nor accepted once the driver is gone ($algs)"
else
	ok "deflate-iaa neither listed nor accepted once the driver is gone"
fi
load_driver ours >/dev/null 2>&1
for w in $wqs; do wq_config $w && echo $w >$DRV/bind; done
echo " $(cat /sys/block/zram0/comp_algorithm) " | grep -q ' deflate-iaa ' &&
	ok "listed again with the driver back ($wqs bound)" ||
	not_ok "listed again with the driver back ($wqs bound: $(crypto_wqs))"
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
