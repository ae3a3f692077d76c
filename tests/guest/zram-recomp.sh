# zram recompression (our zram.ko has CONFIG_ZRAM_MULTI_COMP), in each sync_mode. Swap on
# /dev/zram0; `pageout N` holds N pages of mixed compressibility out while its command marks
# every page idle and recompresses the idle ones ("type=idle"); then every byte is read back.
# Two setups:
#   - lz4 primary, deflate-iaa as recomp_algorithm: compr_data_size goes down, the pages
#     recompressed went through the device (total_comp_calls);
#   - deflate-iaa primary, zstd as recomp_algorithm (decompressed by the device first):
#     compr_data_size goes down.
# In both, a zram that batches recompresses in batches: its batch counters move while the
# recompression runs.
#
# Kernel command line knobs: zt.pages=N (default 3000), zt.modes=LIST (default: all).
. /tests/lib.sh
. /tests/zram-lib.sh

D=/sys/kernel/debug/iaa-crypto
plan $((nmodes * 11 + 2))

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
zram_load && ok "zram.ko is ours" || { not_ok "zram.ko is ours"; finish; }

Z=/sys/block/zram0
# the command pageout runs while the pages are out
cat >/tmp/zram-recomp.cmd <<'EOF2'
cat /sys/block/zram0/mm_stat >/tmp/zram.before
echo all >/sys/block/zram0/idle
cd /sys/module/zram/parameters
echo $(cat acomp_batches acomp_batch_pages acomp_batch_fallback) >/tmp/zram.kb
echo type=idle >/sys/block/zram0/recompress
echo $? >/tmp/zram.rc
echo $(cat acomp_batches acomp_batch_pages acomp_batch_fallback) >/tmp/zram.ka
cat /sys/block/zram0/mm_stat >/tmp/zram.after
EOF2

# recomp_batched LABEL MIN: the batch counters moved between /tmp/zram.kb and /tmp/zram.ka, by
# at least MIN pages in batches of more than one page; a skip when this zram does not batch
recomp_batched() {
	if ! zram_batching; then
		skip "$1: batched" "this zram does not batch (no $ZP/acomp_batches)"
		return
	fi
	read -r kb0 kp0 kf0 </tmp/zram.kb
	read -r kb1 kp1 kf1 </tmp/zram.ka
	kb=$((kb1 - kb0)) kp=$((kp1 - kp0)) kf=$((kf1 - kf0))
	[ $kb -gt 0 ] && [ $kp -ge "$2" ] && [ $kp -gt $kb ] &&
		ok "$1: batched (acomp_batches +$kb, acomp_batch_pages +$kp, acomp_batch_fallback +$kf)" ||
		not_ok "$1: batched (acomp_batches +$kb, acomp_batch_pages +$kp, want >= $2 and more than one a batch; acomp_batch_fallback +$kf)"
}

# recomp M PRIMARY SECONDARY STAT: one setup in one mode; STAT (dc or dd) the driver's
# compress or decompress calls that must show the work
recomp() {
	rmode=$1 rp=$2 rs=$3 rstat=$4
	rz0=$(zram_counts)
	if ! zram_setup zram0 "$rp" 64M "$rs" || ! zram_swapon zram0; then
		for c in pageout ran down calls batched; do not_ok "$rmode: $rp + $rs: $c"; done
		return
	fi
	c0=$(st total_comp_calls) d0=$(st total_decomp_calls)
	out=$(tmo 900 pageout -x 11 -c 'sh /tmp/zram-recomp.cmd' "$pages")
	rc=$?
	dc=$(($(st total_comp_calls) - c0)) dd=$(($(st total_decomp_calls) - d0))
	note "$rmode: $rp + $rs: $out"
	note "$rmode: mm_stat before $(cat /tmp/zram.before)"
	note "$rmode: mm_stat after  $(cat /tmp/zram.after)"
	note "$rmode: total_comp_calls +$dc total_decomp_calls +$dd"
	[ $rc -eq 0 ] && ok "$rmode: $rp + $rs: pageout $pages: every byte came back" ||
		not_ok "$rmode: $rp + $rs: pageout $pages: every byte came back (exit $rc)"
	[ "$(cat /tmp/zram.rc)" = 0 ] && ok "$rmode: $rp + $rs: recompress type=idle" ||
		not_ok "$rmode: $rp + $rs: recompress type=idle (status $(cat /tmp/zram.rc))"
	read -r o0 b0 _ </tmp/zram.before
	read -r o1 b1 _ </tmp/zram.after
	[ "$b1" -lt "$b0" ] && [ "$o1" = "$o0" ] &&
		ok "$rmode: $rp + $rs: compr_data_size $b0 -> $b1, orig_data_size $o0 kept" ||
		not_ok "$rmode: $rp + $rs: compr_data_size $b0 -> $b1 (want lower), orig_data_size $o0 -> $o1"
	# the batches while the recompression ran (the pages stay out meanwhile)
	recomp_batched "$rmode: $rp + $rs: recompress" $((pages / 4))
	eval "rn=\$$rstat"
	[ "$rn" -ge $((pages / 2)) ] && ok "$rmode: $rp + $rs: deflate-iaa did the work ($rstat +$rn)" ||
		not_ok "$rmode: $rp + $rs: deflate-iaa did the work ($rstat +$rn, want >= $((pages / 2)))"
	zram_reset zram0
	[ "$(zram_counts)" = "$rz0" ] || note "$rmode: backend errors/sw/abandoned $rz0 -> $(zram_counts)"
}

for m in $modes; do
	echo $m >$DRV/sync_mode
	z0=$(zram_counts)
	recomp $m lz4 deflate-iaa dc
	recomp $m deflate-iaa zstd dd
	q=$(zram_quiet "$z0" $((pages / 50))) && ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)" ||
		not_ok "$m: the backend abandoned nothing, redid at most 1% in software ($q)"
done
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
