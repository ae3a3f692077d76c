# Sourced by the zram guest tests (tests/guest/zram*.sh) after lib.sh: our zram.ko
# (tools/zram: the acomp backend, recompression, writeback) and its devices.

ZP=/sys/module/zram/parameters
DRV=/sys/bus/dsa/drivers/crypto

# The suite's knobs (kernel command line): zt.pages=N pages per run (default 3000) and
# zt.modes=LIST the sync_modes to run in (default all three); nmodes counts them.
pages=$(karg zt pages)
pages=${pages:-3000}
modes=$(karg zt modes)
modes=${modes:-sync async async_irq}
nmodes=$(echo $modes | wc -w)
# zsize: MiB of a zram disk (or backing device) that holds twice zt.pages, at least 64
zsize=$((pages * 8 / 1024))
[ $zsize -ge 64 ] || zsize=64
# zram_modes PREFIX: PREFIX.modes=LIST on the command line, when given, replaces zt.modes for
# the test that calls it (a suite line that runs one test in fewer modes than the others)
zram_modes() {
	_zm=$(karg "$1" modes)
	[ -z "$_zm" ] || { modes=$_zm; nmodes=$(echo $modes | wc -w); }
}
# zt.alg=NAME: the comp_algorithm of zram.sh's swap runs (default deflate-iaa)
alg=$(karg zt alg)
alg=${alg:-deflate-iaa}

# zram_load: zram.ko loaded, ours (updates/); no device but zram0
zram_load() {
	[ -d /sys/module/zram ] || modprobe zram num_devices=1 || return 1
	[ -r $ZP/acomp_errors ] || { echo "zram: not ours (no $ZP/acomp_errors)" >&2; return 1; }
}

# zram_counts: the backend's counters as "errors sw_redone abandoned"
zram_counts() { echo "$(cat $ZP/acomp_errors) $(cat $ZP/acomp_sw_redone) $(cat $ZP/acomp_abandoned)"; }

# zram_quiet BEFORE LIMIT: since zram_counts printed BEFORE, nothing abandoned and at most LIMIT
# requests redone in software. Without faults a request can still time out: the driver bounds
# a wait that cannot sleep at 100 ms of wall-clock time, which a loaded host running the
# guest under TCG can exceed (the kernel log then says so). Prints the difference.
zram_quiet() {
	_lim=$2
	set -- $1 $(zram_counts)
	echo "errors +$(($4 - $1)) redone +$(($5 - $2)) abandoned +$(($6 - $3))"
	[ $(($6 - $3)) -eq 0 ] && [ $(($5 - $2)) -le $_lim ]
}

# zram_reset DEV: swap off, unmounted, reset (bounded)
zram_reset() {
	grep -q "^/dev/$1 " /proc/swaps && swapoff /dev/$1
	grep -q "^/dev/$1 " /proc/mounts && umount /dev/$1
	tmo 120 sh -c "echo 1 >/sys/block/$1/reset"
}

# zram_setup DEV ALG SIZE [RECOMP...]: a reset device with ALG primary, each RECOMP as
# recomp_algorithm of priority 1, 2, ..., and SIZE (e.g. 64M); ZRAM_BACKING=BDEV: its backing_dev
zram_setup() {
	_d=/sys/block/$1 _a=$2 _s=$3
	shift 3
	zram_reset "${_d##*/}" || return 1
	[ -z "${ZRAM_BACKING:-}" ] || echo "$ZRAM_BACKING" >$_d/backing_dev || return 1
	echo "$_a" >$_d/comp_algorithm || return 1
	_p=0
	for _r in "$@"; do
		_p=$((_p + 1))
		echo "algo=$_r priority=$_p" >$_d/recomp_algorithm || return 1
	done
	echo "$_s" >$_d/disksize
}

# mm_stat DEV FIELD: a field of /sys/block/DEV/mm_stat by name
mm_stat() {
	awk -v f="$2" '{
		split("orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since", n, " ")
		for (i = 1; i <= 9; i++) if (n[i] == f) print $i
	}' /sys/block/$1/mm_stat
}

# zram_swapon DEV: DEV as the only swap, zswap off. zswap's "enabled" is written only when it
# is on: any write to it sets zswap up (zswap_enabled_param_set(), 6.12 and 7.3), which counts
# as zswap once enabled, and from then on a large folio swaps in as single pages
# (alloc_swap_folio(): zswap_never_enabled())
zram_swapon() {
	[ "$(cat /sys/module/zswap/parameters/enabled)" = N ] ||
		echo 0 >/sys/module/zswap/parameters/enabled
	for _s in $(awk 'NR > 1 { print $1 }' /proc/swaps); do swapoff "$_s"; done
	mkswap /dev/$1 >/dev/null && swapon /dev/$1 && echo 100 >/proc/sys/vm/swappiness
}

# blk_stat DEV N: field N of /sys/block/DEV/stat (1 read I/Os, 3 read sectors, 5 write I/Os,
# 7 write sectors). zram accounts one I/O per bio (bio_start_io_acct() in zram_bio_read() and
# zram_bio_write()), so sectors / 8 / I/Os is the pages per bio.
blk_stat() { awk -v n="$2" '{ print $n }' /sys/block/$1/stat; }

# --- large folios ------------------------------------------------------------------------------
THP=/sys/kernel/mm/transparent_hugepage
# thp_madvise SIZE...: the hugepages-SIZE (64kB, 2048kB, ...) given enabled for memory with
# MADV_HUGEPAGE, every other size never (sizes for files only, as 8kB, have no "enabled")
thp_madvise() {
	for _h in $THP/hugepages-*kB; do
		[ -e $_h/enabled ] || continue
		_w=never
		for _s in "$@"; do [ "${_h##*/}" = "hugepages-$_s" ] && _w=madvise; done
		echo $_w >$_h/enabled || return 1
	done
}
# thp_stat SIZE NAME: a counter of hugepages-SIZE/stats; "-" when the kernel has none
thp_stat() { cat $THP/hugepages-$1/stats/$2 2>/dev/null || echo -; }
# vmstat NAME: a counter of /proc/vmstat; 0 when absent
vmstat() { awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' /proc/vmstat; }
# folio_pages LINE ORDER: from pageout -f's "folios WHEN: o0=N o4=N ..." line, the pages in
# folios of ORDER (0 when none)
folio_pages() { echo "$1" | tr ' ' '\n' | sed -n "s/^o$2=//p" | awk '{ s += $1 } END { print s + 0 }'; }

# --- batching (issue 23: a multi-page bio on the device at once) -------------------------------
# zram_batching: this zram.ko batches (its read-only counters acomp_batches, acomp_batch_pages,
# acomp_batch_fallback exist)
zram_batching() { [ -r $ZP/acomp_batches ]; }
# zram_batch_counts: "batches pages fallback" ("0 0 0" on a zram that does not batch)
zram_batch_counts() {
	if zram_batching; then
		echo "$(cat $ZP/acomp_batches) $(cat $ZP/acomp_batch_pages) $(cat $ZP/acomp_batch_fallback)"
	else
		echo "0 0 0"
	fi
}
# zram_batch_case LABEL BEFORE MIN: one case on the batching counters since zram_batch_counts
# printed BEFORE. MIN > 0 (a backend that batches): batches ran, holding at least MIN pages and
# more pages than batches. MIN 0 (lz4, zstd: their one-page path): no batch at all. A skip when
# this zram does not batch.
zram_batch_case() {
	_bl=$1 _bm=$3
	if ! zram_batching; then
		skip "$_bl: batched" "this zram does not batch (no $ZP/acomp_batches)"
		return 0
	fi
	set -- $2 $(zram_batch_counts)
	_bb=$(($4 - $1)) _bp=$(($5 - $2)) _bf=$(($6 - $3))
	if [ "$_bm" = 0 ]; then
		[ $_bb -eq 0 ] && [ $_bp -eq 0 ] &&
			ok "$_bl: not batched (acomp_batches +0, acomp_batch_pages +0)" ||
			not_ok "$_bl: not batched (acomp_batches +$_bb, acomp_batch_pages +$_bp)"
	else
		[ $_bb -gt 0 ] && [ $_bp -ge "$_bm" ] && [ $_bp -gt $_bb ] &&
			ok "$_bl: batched (acomp_batches +$_bb, acomp_batch_pages +$_bp, acomp_batch_fallback +$_bf)" ||
			not_ok "$_bl: batched (acomp_batches +$_bb, acomp_batch_pages +$_bp, want >= $_bm and more than one a batch; acomp_batch_fallback +$_bf)"
	fi
}

# zram_rebind_out: bind again every crypto wq a timeout took out of service (absent from the
# driver's wq table); prints them ("none" when there was none)
zram_rebind_out() {
	_r=
	for _w in $(crypto_wqs); do
		_dv=iax${_w#wq}
		grep -q "${_dv%%.*}/$_w" /sys/kernel/debug/iaa-crypto/wq_table ||
			{ wq_rebind $_w || return 1; _r="$_r $_w"; }
	done
	echo "${_r:- none}"
}
