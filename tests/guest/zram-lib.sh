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

# zram_swapon DEV: DEV as the only swap, zswap off
zram_swapon() {
	echo 0 >/sys/module/zswap/parameters/enabled
	for _s in $(awk 'NR > 1 { print $1 }' /proc/swaps); do swapoff "$_s"; done
	mkswap /dev/$1 >/dev/null && swapon /dev/$1 && echo 100 >/proc/sys/vm/swappiness
}
