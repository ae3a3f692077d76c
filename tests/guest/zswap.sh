# zswap on deflate-iaa (or zswap.alg) in each sync_mode: `pageout N` pushes N pages of mixed compressibility
# out through zswap and reads every byte back; /proc/vmstat shows they went through zswap and
# the driver's debugfs statistics (iaa-crypto/) agree with the work done: at least one
# compress per zswap store and one decompress per zswap load, done by the devices' wqs, and no
# device errors.
#
# pageout makes every fifth page random: compression fails with -ENOSPC. 6.12's zswap rejects
# those and writes them to the swap device, so only the other pages count as zswap traffic;
# 7.3's keeps them as they are (debugfs zswap/stored_incompressible_pages) and loads them back
# by a copy, so they count in zswpout and zswpin but are never decompressed.
#
# Kernel command line knobs: zswap.pages=N (default 1200), zswap.modes=LIST (default: all),
# zswap.alg=NAME the compressor (default deflate-iaa). With deflate-iaa-dynamic, each mode
# also checks that dynamic blocks were made (total_dynamic_blocks, plus
# total_dynamic_one_pass_blocks), and that the one-pass blocks came from each IAA 2.0 device
# that compressed and from no IAA 1.0 device (one_pass_check); a last case, that over all the
# modes an IAA 2.0 device, if there is one, wrote them. A request goes to a wq of its CPU's
# (the wq table), so pageout runs on the CPUs in turn, one per mode: with devices of both
# kinds, each is given work.
. /tests/lib.sh

arg() { karg zswap "$1"; }
pages=$(arg pages)
pages=${pages:-1200}
modes=$(arg modes)
modes=${modes:-sync async async_irq}
alg=$(arg alg)
alg=${alg:-deflate-iaa}
dyn=0
[ "$alg" = deflate-iaa-dynamic ] && dyn=1
D=/sys/kernel/debug/iaa-crypto

nmodes=0
for m in $modes; do nmodes=$((nmodes + 1)); done

# the pages zswap must take: all but pageout's random ones (index % 5 == 3)
random=$(((pages + 1) / 5))
comp=$((pages - random))
# MADV_PAGEOUT may leave a few pages it could not isolate in memory: 2% slack
want=$((comp * 98 / 100))

[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
# the swap disk (zswap_on uses /dev/vda); nothing loads virtio_blk behind a test's back
modprobe virtio_blk 2>/dev/null
for i in 1 2 3 4 5; do [ -b /dev/vda ] && break; sleep 1; done
stats=1
[ -r $D/total_comp_calls ] || stats=0
[ $stats = 1 ] || note "no statistics in $D (driver without CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS?)"
# ours: the latency maxima, kept while latency_stats is 1 (0 by default)
lat=0
[ -w $D/latency_stats ] && lat=1
plan $((nmodes * (5 + 2 * dyn) + dyn + 1 + lat))
ncpus=$(grep -c '^processor' /proc/cpuinfo)
if [ $lat = 1 ]; then
	lat0=$(cat $D/latency_stats)
	echo 1 >$D/stats_reset
	echo 1 >$D/latency_stats
fi


# set_mode MODE: ours takes it at any time (zswap's transforms read it when its pool is made);
# Debian's only with no wq bound and not again after its last wq went away: reload it.
DRV=/sys/bus/dsa/drivers/crypto
wqs=$(crypto_wqs)
set_mode() {
	if grep -q '\<iaa\.driver=upstream\>' /proc/cmdline; then
		unload_driver && load_driver upstream && echo "$1" >$DRV/sync_mode || return 1
		for _w in $wqs; do wq_config "$_w" && echo "$_w" >$DRV/bind || return 1; done
	else
		echo "$1" >$DRV/sync_mode && [ "$(cat $DRV/sync_mode)" = "$1" ]
	fi
}

dmesg_mark
[ $dyn = 1 ] && P0=$(one_pass_snap)
seed=0
for m in $modes; do
	seed=$((seed + 1))
	zswap_off
	if ! set_mode "$m" || ! zswap_on $alg; then
		for c in pageout vmstat calls device errors; do not_ok "$m: $c: zswap on $alg"; done
		[ $dyn = 1 ] && not_ok "$m: dynamic blocks: zswap on $alg" &&
			not_ok "$m: one-pass blocks: zswap on $alg"
		continue
	fi
	# the zswap loads that are copies, not decompressions (7.3: the random pages); zswap makes
	# its debugfs directory when first enabled
	raw=0
	[ -e /sys/kernel/debug/zswap/stored_incompressible_pages ] && raw=$random
	o0=$(vmstat zswpout) i0=$(vmstat zswpin)
	c0=$(st total_comp_calls) d0=$(st total_decomp_calls) e0=$(errsum)
	[ $dyn = 1 ] && y0=$(($(st total_dynamic_blocks) + $(st total_dynamic_one_pass_blocks))) &&
		p0=$(one_pass_snap)
	[ $stats = 1 ] && wc0=$(wqsum comp_calls) wd0=$(wqsum decomp_calls)
	out=$(tmo 900 taskset -c $((seed % ncpus)) pageout -x $seed "$pages")
	rc=$?
	dout=$(($(vmstat zswpout) - o0)) din=$(($(vmstat zswpin) - i0))
	dc=$(($(st total_comp_calls) - c0)) dd=$(($(st total_decomp_calls) - d0))
	de=$(($(errsum) - e0))
	note "$m: $out"
	note "$m: zswpout +$dout zswpin +$din; total_comp_calls +$dc total_decomp_calls +$dd"
	[ $rc -eq 0 ] && ok "$m: pageout $pages: every byte came back" ||
		not_ok "$m: pageout $pages: every byte came back (exit $rc)"
	[ $dout -ge $want ] && [ $din -ge $want ] &&
		ok "$m: zswpout +$dout, zswpin +$din (>= $want compressible pages)" ||
		not_ok "$m: zswpout +$dout, zswpin +$din (want >= $want compressible pages)"
	if [ $stats = 0 ]; then
		skip "$m: compress/decompress calls >= zswpout/zswpin" "no statistics"
		skip "$m: the devices' wqs did the work" "no statistics"
		skip "$m: no device errors" "no statistics"
		[ $dyn = 1 ] && skip "$m: dynamic blocks" "no statistics" &&
			skip "$m: one-pass blocks" "no statistics"
		continue
	fi
	[ $dc -ge $dout ] && [ $dd -ge $((din - raw)) ] && [ $dout -gt 0 ] &&
		ok "$m: total_comp_calls +$dc >= zswpout +$dout, total_decomp_calls +$dd >= zswpin +$din - $raw copied" ||
		not_ok "$m: total_comp_calls +$dc >= zswpout +$dout, total_decomp_calls +$dd >= zswpin +$din - $raw copied"
	wc=$(($(wqsum comp_calls) - wc0)) wd=$(($(wqsum decomp_calls) - wd0))
	note "$m: wq_stats: comp_calls +$wc decomp_calls +$wd"
	[ $wc -ge $dout ] && [ $wd -ge $((din - raw)) ] && [ $dout -gt 0 ] &&
		ok "$m: the devices' wqs did the work (comp_calls +$wc, decomp_calls +$wd)" ||
		not_ok "$m: the devices' wqs did the work (comp_calls +$wc, decomp_calls +$wd)"
	[ $de -eq 0 ] && ok "$m: no device errors" || {
		not_ok "$m: no device errors ($de)"
		grep -E 'error|fail' $D/wq_stats | sed 's/^/    # /'
	}
	if [ $dyn = 1 ]; then
		dy=$(($(st total_dynamic_blocks) + $(st total_dynamic_one_pass_blocks) - y0))
		# at least half of the pages zswap stored compressed earn a dynamic header: zswpout
		# less the random pages 7.3 keeps as they are, which no compressor shrinks
		[ $dy -ge $(((dout - raw) / 2)) ] &&
			ok "$m: dynamic blocks +$dy (>= half of zswpout +$dout - $raw kept as they are)" ||
			not_ok "$m: dynamic blocks +$dy (want >= half of zswpout +$dout - $raw kept as they are)"
		msg=$(one_pass_check "$p0" "$(one_pass_snap)" some) &&
			ok "$m: one-pass blocks on IAA 2.0 only: $msg" ||
			not_ok "$m: one-pass blocks on IAA 2.0 only: $msg"
	fi
done
if [ $dyn = 1 ]; then
	msg=$(one_pass_check "$P0" "$(one_pass_snap)") &&
		ok "one-pass blocks over every mode, on IAA 2.0 only: $msg" ||
		not_ok "one-pass blocks over every mode, on IAA 2.0 only: $msg"
fi
zswap_off
if [ $lat = 1 ]; then
	mc=$(st max_comp_delay_ns) md=$(st max_decomp_delay_ns)
	echo 2 >$D/latency_stats 2>/dev/null && bad=accepted || bad=
	echo 0 >$D/latency_stats
	[ "$lat0" = 0 ] && [ "$mc" -gt 0 ] && [ "$md" -gt 0 ] && [ -z "$bad" ] &&
		[ "$(cat $D/latency_stats)" = 0 ] &&
		ok "latency_stats: off by default; on, max_comp_delay_ns $mc, max_decomp_delay_ns $md; 2 refused" ||
		not_ok "latency_stats: default $lat0 (want 0), max_comp_delay_ns $mc, max_decomp_delay_ns $md (want > 0), 2 ${bad:-refused}"
fi
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
