# acomp-batch: batches of requests with the batch hint (IAA_REQ_MORE), the way zram sends a
# bio's pages, through the iaa_batch module (tests/module/iaa_batch.c): 64 generated pages
# compressed, then decompressed, in batches of 1, 4, 16 and 32, each request with a callback,
# all of a batch but the last with the hint, one wait per batch; every result checked byte for
# byte (a compress inflated by lib/zlib_inflate), every request ending exactly once. Then one
# compress with the hint and no request after it, which must still end.
# In each configuration (sync_mode and verify_compress):
#   - with no fault: every case passes; in sync mode the requests with the hint, and only
#     they, returned -EINPROGRESS and went to the wq's poller (total_batched_requests counts
#     exactly them), in async and async_irq every request did and none was counted;
#   - with faults armed in the device (rel-faults' rules: device errors on compresses,
#     decompresses and verifies, lost interrupts): every result still checks (a compress may
#     fail with -EIO, a decompress never fails), the hint and the mode still decide which
#     requests returned -EINPROGRESS, and the rules fired;
#   - batches of 16 where one compress completes past timeout_ms: it fails with -ETIMEDOUT,
#     every other result checks, the rule fired;
#   - a hinted compress whose descriptor never completes, with no request after it, ends
#     through the poller with -ETIMEDOUT within its timeout (well before the module's bound).
# After each timeout the wq is given back afresh (a timeout takes it out of service). No
# warning in the kernel log. On a VM with more devices than CPUs (acomp-batch-2dev) a CPU sends
# a batch round-robin over several devices' wqs, and the last request of a batch in sync mode
# ends the written stages of all of them while it waits (iaa_req_poll_stage()).
#
# Kernel command line knobs: batch.modes=LIST (default sync.v0 sync.v1 async.v1
# async_irq.v1), batch.pages=N (default 64).
. /tests/lib.sh

ko=$MODDIR/updates/iaa_batch.ko
DRV=/sys/bus/dsa/drivers/crypto
PARAM=/sys/module/iaa_crypto/parameters/timeout_ms
R=/sys/kernel/debug/iaa_batch/result
confs=$(karg batch modes)
confs=${confs:-sync.v0 sync.v1 async.v1 async_irq.v1}
pages=$(karg batch pages)
pages=${pages:-64}
SIZES="1 4 16 32"
TMO=300
# the faults of a fault pass: a compress reporting "output too big", every 7th; a device
# error on every 5th decompress (a verify is one); a page fault on every 11th compress; an
# interrupt lost, every 9th (async_irq: the watchdog ends that stage from its record at the
# deadline)
FAULTS="op=compress,status=analytics,error=0x19,every=7
op=decompress,status=analytics,error=5,every=5
op=compress,status=page-fault,every=11
lost-irq,every=9"
# the timeout run: 32 pages in batches of 16, the 5th compress completing past timeout_ms
LATE="op=compress,late=500ms,every=5,count=1"

# cases of a run: comp and decomp per size, and the tail
per=$(($(echo $SIZES | wc -w) * 2 + 1))
nconf=$(echo $confs | wc -w)
# per configuration: two runs of the sizes and their -EINPROGRESS checks, the batched count,
# the last requests' help, the faults' count, the timeout run (comp, decomp, tail, its
# checks), the never case
plan $((nconf * (2 * per + 3 + 2 + 3 + 2 + 1) + 1))
[ -f "$ko" ] || { not_ok "iaa_batch.ko in the image"; finish; }
echo $TMO >$PARAM
wqs=$(crypto_wqs)
note "wqs $(echo $wqs), timeout_ms $(cat $PARAM), pages $pages, sizes $SIZES"
dmesg_mark

# run NAME [PARAM...]: one load of iaa_batch, its cases as "NAME CASE"; the run's text in
# /tmp/batch.out
run() {
	rn_=$1
	shift
	rm -f /tmp/batch.out
	tmo 300 insmod "$ko" timeout_ms=$TMO "pages=$pages" "n=$(echo $SIZES | tr ' ' ,)" "$@" \
		>/tmp/batch.err 2>&1
	rrc_=$?
	cat $R >/tmp/batch.out 2>/dev/null
	rmmod iaa_batch 2>/dev/null
	seen_=0
	want_=${RUN_CASES:-$per}
	while read -r w_ c_ v_ rest_; do
		[ "$w_" = case ] || continue
		seen_=$((seen_ + 1))
		if [ "$v_" = ok ]; then
			ok "$rn_ $c_: $rest_"
		else
			not_ok "$rn_ $c_: $rest_"
		fi
	done </tmp/batch.out
	grep -q '^done' /tmp/batch.out || note "$rn_: the run did not finish (insmod $rrc_: $(cat /tmp/batch.err))"
	while [ "$seen_" -lt "$want_" ]; do
		seen_=$((seen_ + 1))
		not_ok "$rn_ case $seen_: no result"
	done
}

# help_snap: "WQ=N" for each wq, N its batch_help_ends (wq_stats): its stages that the last
# request of a batch ended, not the poller
help_snap() {
	awk '/^    wq: / { w = $2 } /^    batch_help_ends: / { print w "=" $2 }' \
		/sys/kernel/debug/iaa-crypto/wq_stats
}
# help_grew BEFORE: the wqs whose batch_help_ends grew since help_snap printed BEFORE
help_grew() {
	help_snap | awk -v b="$1" 'BEGIN { n = split(b, a, " "); for (i = 1; i <= n; i++) {
			split(a[i], kv, "="); old[kv[1]] = kv[2] } }
		{ split($0, kv, "="); if (kv[2] > old[kv[1]] + 0) print kv[1] }' | tr '\n' ' '
}

# async_want MODE: how many requests of the run in /tmp/batch.out should have returned
# -EINPROGRESS: in sync mode all but the last of each batch, and the tail; in the other modes
# every one
async_want() {
	awk -v m="$1" '
		$1 == "case" { r = 0; for (i = 4; i <= NF; i++) if ($i ~ /^reqs=/) r = substr($i, 6)
			if ($2 == "tail") { w += r; next }
			n = substr($2, index($2, ".n") + 2)
			w += m == "sync" ? r - int((r + n - 1) / n) : r }
		END { print w + 0 }' /tmp/batch.out
}
async_got() { sed -n 's/^case .* async=\([0-9]*\) .*/\1/p' /tmp/batch.out | awk '{ s += $1 } END { print s + 0 }'; }
# async_check NAME MODE: the -EINPROGRESS returns of the run in /tmp/batch.out as they should be
async_check() {
	ac_w=$(async_want "$2") ac_g=$(async_got)
	if [ "$ac_g" = "$ac_w" ]; then
		ok "$1: $ac_g requests returned -EINPROGRESS, as the hint and the mode say"
	else
		not_ok "$1: $ac_g requests returned -EINPROGRESS, want $ac_w"
	fi
}

for c in $confs; do
	m=${c%.v*} v=${c#*.v}
	echo "$m" >$DRV/sync_mode && echo "$v" >$DRV/verify_compress

	# no fault
	b0=$(st total_batched_requests)
	h0=$(help_snap | tr '\n' ' ')
	run "$c" faults=0
	b1=$(st total_batched_requests)
	async_check "$c" "$m"
	# In sync mode the last request of a batch ends the others' stages on every wq of its CPU
	# as their records come. With two devices, one wq each, a batch of an even size starts
	# and ends on the same wqs every time (round-robin), so that the other wq's stages are
	# ended by the last request only through that help.
	grew=$(help_grew "$h0")
	if [ "$m" = sync ]; then
		[ "$(echo $grew)" = "$(echo $wqs)" ] &&
			ok "$c: the last requests of batches ended stages on every wq: $grew" ||
			not_ok "$c: the last requests of batches ended stages on '$grew', want every wq ($(echo $wqs)); $(help_snap | tr '\n' ' ')"
	else
		[ -z "$grew" ] && ok "$c: no stage ended by a batch's last request (only sync mode polls it)" ||
			not_ok "$c: stages ended by a batch's last request on '$grew' in $m mode"
	fi
	bw=0
	[ "$m" = sync ] && bw=$(async_want sync)
	if [ $((b1 - b0)) = "$bw" ]; then
		ok "$c: total_batched_requests +$((b1 - b0)), want +$bw"
	else
		not_ok "$c: total_batched_requests +$((b1 - b0)), want +$bw"
	fi

	# faults during the batches
	i0=$(qom_get injected)
	armed=1
	printf '%s\n' "$FAULTS" | while read -r f; do dev_inject "$f" || exit 1; done || armed=0
	run "$c.faults" faults=1
	dev_inject clear
	i1=$(qom_get injected)
	async_check "$c.faults" "$m"
	if [ $armed = 1 ] && [ $((i1 - i0)) -gt 0 ]; then
		ok "$c.faults: $((i1 - i0)) faults injected during the batches"
	else
		not_ok "$c.faults: rules armed $armed, injected +$((i1 - i0))"
	fi

	# a compress of a batch past its timeout
	i0=$(qom_get injected)
	armed=1
	dev_inject "$LATE" || armed=0
	RUN_CASES=3 run "$c.timeout" faults=1 pages=32 n=16
	dev_inject clear
	i1=$(qom_get injected)
	nt=$(sed -n 's/^case comp.n16 .* failed=\([0-9]*\) .*/\1/p' /tmp/batch.out)
	if [ $armed = 1 ] && [ $((i1 - i0)) = 1 ] && [ "${nt:-0}" -ge 1 ]; then
		ok "$c.timeout: the late compress failed, the batch's other pages checked"
	else
		not_ok "$c.timeout: rule armed $armed, injected +$((i1 - i0)), failed compresses '$nt'"
	fi
	for w in $wqs; do wq_rebind "$w" || note "$c: $w would not bind again"; done
	if [ "$(echo $(crypto_wqs))" = "$(echo $wqs)" ]; then
		ok "$c.timeout: the wqs back in service"
	else
		not_ok "$c.timeout: wqs $(echo $(crypto_wqs)), want $(echo $wqs)"
	fi

	# a hinted compress that never completes, and no request after it: the second compress
	# of a run of one page (the first is comp.n1's). The rule counts iaa0's compresses: only
	# wq0's wqs stay bound, so that both go there (a CPU with several devices takes them in
	# turn)
	for w in $wqs; do
		case $w in wq0.*) ;; *) tmo 60 sh -c "echo $w >$DRV/unbind" ;; esac
	done
	if dev_inject "op=compress,never,every=2,count=1"; then
		tmo 300 insmod "$ko" timeout_ms=$TMO pages=1 n=1 faults=1 >/dev/null 2>&1
		tl=$(grep '^tail ' $R 2>/dev/null)
		rmmod iaa_batch 2>/dev/null
		dev_inject clear
		ms=$(kv ms "$tl") err=$(kv err "$tl") as=$(kv async "$tl")
		if [ "$err" = -110 ] && [ "$as" = 1 ] && [ "${ms:-99999}" -lt $((TMO + 1000)) ]; then
			ok "$c.never: the last request of an unfinished batch ended -ETIMEDOUT through" \
				"its callback after $ms ms (timeout_ms $TMO)"
		else
			not_ok "$c.never: '${tl:-no result}', want err=-110 async=1 within $((TMO + 1000)) ms"
		fi
	else
		not_ok "$c.never: rule armed"
	fi
	for w in $wqs; do wq_rebind "$w" || note "$c: $w would not bind again"; done
done

dmesg_clean && ok "no warnings" || not_ok "no warnings"
finish
