# Benchmarks (make bench): per-operation latency, throughput and zswap page rates of
# deflate-iaa (our driver and Debian's upstream iaa_crypto, every sync_mode, verify_compress
# on and off) and of the software compressors, on the corpus in /data/corpus.bin.
# Figures are KTAP diagnostics "# bench ROUND CONFIG RECORD..." that tools/bench/run parses.
# A case passes when its run completed with no error, mismatch or timeout; performance is
# never a verdict.
#
# Kernel command line (tools/bench/run sets them):
#   bench.rounds=N    every configuration N times
#   bench.passes=N    timed latency passes over the corpus, after an untimed one
#   bench.swpasses=N  the same for the software algorithms (their instruction counts do not
#                     vary from run to run)
#   bench.ops=N       throughput operations per thread and phase; bench.swops=N for software
#   bench.zpages=N    pages of the zswap workload, and of swap on zram
#   bench.upasses=N   passes of the user-space rows over the corpus file
#   bench.qdops=N     requests per queue-depth phase (qd), and per batch phase (batch)
#   bench.batchcases=LIST, bench.batchslow=LIST   the batch item's configurations MODE.vVERIFY
#                     (default BATCH_CASES below), and those run on the slower device
#                     (BATCH_SLOW_CASES; "none": none)
#   bench.batchhint=N the bench module's batch_hint (default 1; its configurations are then
#                     named batch.CASE.hN)
#   bench.batchdevs=LIST  the batch item's cases once per D of LIST, with the crypto wqs of the
#                     first D devices bound (each configured as the others' are), named
#                     batch.CASE[.mSLOW].dD (default: every device's wqs, no .dD)
#   bench.only=LIST   of sw,ours,upstream,zswap,zram,user,dyn,qd,batch,zbatch: a subset
#                     (development; "none": nothing); sw includes the floor, null_acomp.ko's
#                     algorithm that does nothing; dyn is deflate-iaa-dynamic (ours): latency,
#                     zswap, zram, with what its figures are compared to when their own groups
#                     do not run (see dyn_cases), on whichever device the boot has (IAA 1.0 or
#                     2.0: "# bench device iaa0 version="); qd is the queue-depth series of both
#                     drivers, with every engine of the device in the wq's group, and
#                     requests/s at depth 32 by engines; batch is ours compressing in batches
#                     of 1, 4, 16 and 64 pages the way zram batches a bio (iaa_bench batch=),
#                     every engine in the group, in BATCH_CASES (sync with verify_compress 0
#                     and 1, async and async_irq with 1), then sync with verify 1 on the
#                     device BATCH_SLOW times slower; zbatch is zram's batches (its
#                     batch_pages): swap with 64 KiB folios and ext4 on zram, deflate-iaa
#                     batched and one page at a time, lz4, zstd
#
# Each deflate-iaa latency configuration runs twice in the same load: on the corpus pages
# (CONFIG) and on buffers kmalloc'd anew for every pass, what a caller with arbitrary memory
# hands in (CONFIG.fresh: iaa_bench fresh=1, latency only; not in a boot with
# bench.passes=0). Ours in sync mode runs a third time in that load, its requests made the
# way zram's backend makes them (CONFIG.nocb: iaa_bench nocb=1, latency only): no callback, no
# CRYPTO_TFM_REQ_MAY_SLEEP, called with preemption off. The driver then sends the destination
# through its bounce area, so that no drain is ever waited for: beside CONFIG, what the bounce
# costs. With bench.ops=0 (the extra latency boots of tools/bench/run) nothing measures
# throughput.
#
# Each driver configuration is a fresh load: the wqs are kept from binding at load, the
# driver's sync_mode and verify_compress are set, then the wqs are bound (upstream 6.12 cannot
# register its algorithm again after its last wq was unbound, so unbind/set/rebind is not an
# option for it). Ours and upstream alternate configuration by configuration, in an order
# that reverses every round.
. /tests/lib.sh
. /tests/zram-lib.sh

rounds=2 passes=5 swpasses=2 ops=1500 swops=300 zpages=2000 upasses=2 qdops=1000
batch_cases= batch_slow= batch_hint=1 batch_devs=
only=sw,ours,upstream,zswap,zram,user,dyn,qd,batch,zbatch
for arg in $(cat /proc/cmdline); do
	case $arg in
	bench.rounds=*) rounds=${arg#*=} ;;
	bench.passes=*) passes=${arg#*=} ;;
	bench.swpasses=*) swpasses=${arg#*=} ;;
	bench.ops=*) ops=${arg#*=} ;;
	bench.swops=*) swops=${arg#*=} ;;
	bench.zpages=*) zpages=${arg#*=} ;;
	bench.upasses=*) upasses=${arg#*=} ;;
	bench.qdops=*) qdops=${arg#*=} ;;
	bench.only=*) only=${arg#*=} ;;
	bench.batchcases=*) batch_cases=${arg#*=} ;;
	bench.batchslow=*) batch_slow=${arg#*=} ;;
	bench.batchhint=*) batch_hint=${arg#*=} ;;
	bench.batchdevs=*) batch_devs=${arg#*=} ;;
	esac
done
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }
BENCH_KO=$MODDIR/updates/iaa_bench.ko
DRV=/sys/bus/dsa/drivers/crypto
DEVS=/sys/bus/dsa/devices
# SW (the software compressors, NAME:DRIVER) is set once their modules are loaded
MODES="sync async async_irq"
ZSWAP_IAA="sync.v1 async_irq.v1 sync.v0"
# swap on zram: zram's own backends, then deflate-iaa (ours, sync, verify_compress on); the
# whole corpus (zram stores what does not shrink as a huge page)
ZRAM_ALGS="lz4 zstd deflate deflate-iaa"
# user space: the software side (Debian's gzip -1, busybox's gzip -1, zlib level 1 in one
# process), then kcapi-comp on deflate-iaa at each depth, compressing and decompressing
USER_SW="gzip-1 busybox-gzip-1 zlib-1"
# deflate-iaa-dynamic (ours): its latency configurations, with latency_stats on for the time of
# each step (a clock reading at each end of a step)
DYN_CASES="sync.v0 sync.v1 async_irq.v0 async_irq.v1"
USER_DEPTHS="1 4 16"
# the queue-depth series (iaa_bench's qd phases: a sliding window resubmitting from the
# callback, then batches), each driver configuration on a device with every engine in the
# wq's group (idxd 6.12's default groups engine 0 only); upstream's "async" is its sync
QD_DEPTHS=1,2,4,8,16,32
QD_CASES="ours.async.v0 ours.async_irq.v0 upstream.async_irq.v0 upstream.async.v0
ours.async.v1 ours.async_irq.v1 upstream.async_irq.v1"
# requests/s at depth 32 (window) with that many engines in the group (all: every one), with
# the device's latency model as the boot set it, then QD_SLOW times slower: a device slower
# than the CPU's cost per request, where the engines are the limit. QD_SLOW_CASES: the whole
# depth series on that slower device too (an async poller that must wait for the device)
QD_ENG_DEPTH=32
QD_ENG_CASES="ours.async_irq.v0 upstream.async_irq.v0"
QD_ENGINES="1 2 4 all"
QD_SLOW=16
QD_SLOW_CASES="ours.async.v0 ours.async_irq.v0"
# the batch series (iaa_bench batch=N, one load per N): compress in batches of N pages, the
# hint on all but the last request of each; the configurations MODE.vVERIFY of ours, then
# BATCH_SLOW_CASES on the device BATCH_SLOW times slower
BATCH_SIZES="1 4 16 64"
BATCH_CASES="sync.v0 sync.v1 async.v1 async_irq.v1"
BATCH_SLOW=4
BATCH_SLOW_CASES="sync.v1"
[ -n "$batch_cases" ] && BATCH_CASES=$(echo "$batch_cases" | tr , ' ')
[ -n "$batch_slow" ] && BATCH_SLOW_CASES=$(echo "$batch_slow" | tr , ' ' | sed 's/^none$//')
# BATCH_DEVS: the device counts of bench.batchdevs ("all": every device's wqs, no .dD)
BATCH_DEVS=all
[ -n "$batch_devs" ] && BATCH_DEVS=$(echo "$batch_devs" | tr , ' ')
# zram's batches (issue 23), CASE = ALG.bBATCH_PAGES (ALG: lz4, zstd, same: lz4 on pages of
# one repeated non-zero byte, which zram stores as same-filled without compressing or
# allocating, the swap path's and zram's own cost (pages of zeros would not reach zram: 6.12's
# and 7.3's swap keep them in a bitmap); ours.MODE.vVERIFY: deflate-iaa, ours loaded so). Swap
# with 64 KiB folios, then ext4 on zram in 1 MiB writes and reads. CASE.eall: with every
# engine of the device in the wq's group (the other rows: engine 0 alone), where the pages of a
# batch can be on several engines at once
ZB_SWAP="lz4.b16 lz4.b0 zstd.b16 zstd.b0 same.b16 ours.sync.v1.b16 ours.sync.v1.b0
ours.async_irq.v1.b16 ours.sync.v1.b16.eall ours.sync.v1.b0.eall"
ZB_FS="lz4.b16 zstd.b16 ours.sync.v1.b16 ours.sync.v1.b0 ours.async_irq.v1.b16"
# the zswap workload: the corpus without the pages no compressor shrinks (tools/bench/corpus)
ZCORPUS=/data/corpus-zswap.bin
[ -f $ZCORPUS ] || ZCORPUS=/data/corpus.bin

have_dev=$([ "$(iaa_pci_count)" -gt 0 ] && echo 1)
have_pci=$have_dev
drivers=
want ours && drivers="$drivers ours"
want upstream && drivers="$drivers upstream"
ndrv=$(echo $drivers | wc -w)

n_sw=0 n_z=0 n_zr=0 n_u=0 n_dy=0 n_qd=0 n_b=0 n_zb=0
want sw && n_sw=5
want sw && [ -n "$have_pci" ] && n_sw=6
want zswap && n_z=$((4 + 3 * ndrv))
want zram && n_zr=$(($(echo $ZRAM_ALGS | wc -w) + 1))
want user && n_u=$(($(echo $USER_SW | wc -w) + $(echo $USER_DEPTHS | wc -w) + 1))
if want dyn; then
	n_dy=$(echo $DYN_CASES | wc -w)
	want ours || n_dy=$((n_dy * 2))
	want sw || n_dy=$((n_dy + 1))
	want zswap && n_dy=$((n_dy + 1))
	if [ "$passes" -gt 0 ]; then
		n_dy=$((n_dy + 1))
		want zram || n_dy=$((n_dy + 2))
	fi
fi
want qd && n_qd=$(($(echo $QD_CASES $QD_SLOW_CASES | wc -w) +
	2 * $(echo $QD_ENG_CASES | wc -w) * $(echo $QD_ENGINES | wc -w)))
want batch && n_b=$(($(echo $BATCH_CASES $BATCH_SLOW_CASES | wc -w) * $(echo $BATCH_SIZES | wc -w) *
	$(echo $BATCH_DEVS | wc -w)))
want zbatch && n_zb=$(echo $ZB_SWAP $ZB_FS | wc -w)
# the fresh-buffer twins of the latency configurations, and ours sync's callback-less twins
# (none in a throughput-only boot)
n_f=$((6 * ndrv))
want ours && n_f=$((n_f + 2))
[ "$passes" -gt 0 ] || n_f=0
plan $((rounds * (n_sw + 6 * ndrv + n_f + n_z + n_zr + n_u + n_dy + n_qd + n_b + n_zb) + 1))

dmesg_mark
start_mark=$_dmesg_lines
note "bench setup rounds=$rounds passes=$passes swpasses=$swpasses ops=$ops swops=$swops" \
	"zpages=$zpages zcorpus=$(($(wc -c <$ZCORPUS) / 4096))" \
	"cpus=$(grep -c ^processor /proc/cpuinfo) devices=$(iaa_pci_count)"
note "bench platform kernel=$(uname -r)" \
	"idle=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none)" \
	"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
# the swap disk for zswap_on (nothing loads virtio_blk behind a test's back)
modprobe virtio_blk 2>/dev/null
for i in 1 2 3 4 5; do [ -b /dev/vda ] && break; sleep 1; done
for m in deflate lz4 zstd; do modprobe $m 2>/dev/null; done
# the software compressors by driver name: 6.12's are all scomp ("deflate-scomp"); 7.3's
# deflate and zstd are acomp algorithms ("deflate-generic", "zstd-generic")
SW=
for a in deflate lzo lz4 zstd; do
	d=$a-scomp
	grep -qE "^driver +: $d\$" /proc/crypto || d=$a-generic
	SW="$SW $a:$d"
	note "bench alg $d selftest=$(proc_crypto_selftest $d)"
done

# The device: its latency model (read back from QEMU) and the wqs its default config made
bench_wqs=
bench_model=
if [ -n "$have_dev" ]; then
	i=0
	while [ $i -lt "$(iaa_pci_count)" ]; do
		for p in comp-base-ns comp-ns-per-kib decomp-base-ns decomp-ns-per-kib; do
			v=$(hmp "qom-get /machine/peripheral/iaa$i $p" 2>/dev/null | tr -d '\r' |
				grep -E '^[0-9]+$' | tail -n 1)
			note "bench device iaa$i $p=${v:-unknown}"
			[ -n "$v" ] && bench_model="$bench_model iaa$i:$p=$v"
		done
		# the VERSION register: 256 (0x100) IAA 1.0, 512 (0x200) IAA 2.0
		v=$(hmp "qom-get /machine/peripheral/iaa$i version" 2>/dev/null | tr -d '\r' |
			grep -E '^[0-9]+$' | tail -n 1)
		note "bench device iaa$i version=${v:-unknown}"
		i=$((i + 1))
	done
	modprobe idxd
	for w in "$DEVS"/wq*; do
		[ "$(cat "$w/driver_name" 2>/dev/null)" = crypto ] && bench_wqs="$bench_wqs ${w##*/}"
	done
	wq_prio=10
	for w in $bench_wqs; do
		wq_prio=$(cat $DEVS/$w/priority)
		break
	done
	note "bench wqs$bench_wqs size=$(cat "$DEVS/$(echo $bench_wqs | cut -d ' ' -f 1)/size" \
		2>/dev/null) priority=$wq_prio"
	[ -n "$bench_wqs" ] || have_dev=
fi
# use_wqs: the wqs drv_up binds, and whose devices engines_set configures (the batch item's
# cases on fewer devices narrow it); every other wq of bench_wqs stays unbound
use_wqs=$bench_wqs

# run_bench ROUND CONFIG ALG PASSES OPS [PARAM...]: one insmod of the bench module (PARAM: more
# of its parameters); its results as diagnostics
run_bench() {
	br_=$1 bc_=$2 ba_=$3 bp_=$4 bo_=$5
	shift 5
	dmesg_mark
	bout_=$(tmo 900 insmod "$BENCH_KO" alg="$ba_" passes="$bp_" tput_ops="$bo_" \
		tag="$bc_" "$@" 2>&1)
	brc_=$?
	if [ -r /sys/kernel/debug/iaa_bench/result ]; then
		sed "s/^/    # bench $br_ $bc_ /" /sys/kernel/debug/iaa_bench/result
	fi
	bend_=$(grep '^end ' /sys/kernel/debug/iaa_bench/result 2>/dev/null)
	rmmod iaa_bench 2>/dev/null
	case $bend_ in
	*"errors=0 mismatches=0 timeouts=0 "*"aborted=0"*)
		[ $brc_ -eq 0 ] && ok "$br_ $bc_: $ba_ ran with no error or mismatch" && return ;;
	esac
	not_ok "$br_ $bc_: $ba_ (insmod rc $brc_: $bout_; ${bend_:-no results})"
	dmesg_since | grep -E 'iaa|idxd' | tail -n 8 | sed 's/^/    # /'
}

# drv_up DRIVER MODE VERIFY: load DRIVER with its wqs unbound, set sync_mode and
# verify_compress, bind the wqs of use_wqs; deflate-iaa must then be registered with its
# selftest passed
drv_up() {
	for w in $bench_wqs; do
		[ "$(cat $DEVS/$w/state)" = disabled ] && echo none >$DEVS/$w/driver_name
	done 2>/dev/null
	load_driver "$1" >/dev/null 2>&1 || { note "bench load_driver $1 failed"; return 1; }
	echo "$2" >$DRV/sync_mode && echo "$3" >$DRV/verify_compress || return 1
	for w in $use_wqs; do
		wq_config "$w" "" "$wq_prio" && echo "$w" >$DRV/bind || return 1
	done
	# Upstream's "async" is its "sync" (set_iaa_sync_mode): the readback says which ran.
	note "bench setting $1 mode=$2 verify=$3 sync_mode=$(cat $DRV/sync_mode)" \
		"verify_compress=$(cat $DRV/verify_compress) wqs=$(crypto_wqs | tr '\n' ' ')" \
		"selftest=$(proc_crypto_selftest deflate-iaa)"
	[ "$(proc_crypto_selftest deflate-iaa)" = passed ]
}

drv_down() {
	zswap_off
	i=0
	while [ $i -lt 10 ]; do
		i=$((i + 1))
		lsmod | grep -q '^iaa_crypto ' || return 0
		unload_driver 2>/dev/null && return 0
		sleep 1
	done
	note "bench warning: iaa_crypto would not unload"
	return 1
}

# zswap_run ROUND CONFIG COMPRESSOR: the pagebench workload with zswap on COMPRESSOR
zswap_run() {
	br_=$1 bc_=$2 bz_=$3
	zswap_off
	if ! zswap_on "$bz_"; then
		not_ok "$br_ zswap.$bc_: zswap on $bz_"
		return
	fi
	bo_=$(vmstat zswpout) bi_=$(vmstat zswpin) bpo_=$(vmstat pswpout) bpi_=$(vmstat pswpin)
	bout_=$(tmo 900 /data/pagebench -f $ZCORPUS "$zpages" 2>&1)
	brc_=$?
	bo_=$(($(vmstat zswpout) - bo_)) bi_=$(($(vmstat zswpin) - bi_))
	bpo_=$(($(vmstat pswpout) - bpo_)) bpi_=$(($(vmstat pswpin) - bpi_))
	printf '%s\n' "$bout_" | grep '^pagebench' |
		sed "s/^/    # bench $br_ zswap.$bc_ zswpout=$bo_ zswpin=$bi_ pswpout=$bpo_ pswpin=$bpi_ /"
	zswap_off
	if [ $brc_ -eq 0 ]; then
		ok "$br_ zswap.$bc_: $zpages pages out and in, every byte checked"
	else
		not_ok "$br_ zswap.$bc_: pagebench rc $brc_"
		printf '%s\n' "$bout_" | tail -n 5 | sed 's/^/    # /'
	fi
}

# zram_run ROUND ALG [RECOMP]: swap on /dev/zram0 with comp_algorithm ALG (and RECOMP as its
# recomp_algorithm), the pagebench workload over the whole corpus; mm_stat read while the pages
# are out. With RECOMP, every page is marked idle and recompressed while out (the write timed
# by ubench, with the CPU every CPU spent meanwhile), mm_stat read before and after.
zram_run() {
	zr_=$1 za_=$2 zn_=zram.$2
	[ "$za_" = deflate-iaa ] && zn_=zram.ours.sync.v1
	[ -n "${3:-}" ] && zn_=zram.$2+$3
	rm -f /tmp/zb.mm /tmp/zb.after /tmp/zb.rt
	if ! zram_load || ! zram_setup zram0 "$za_" 256M ${3:+"$3"} || ! zram_swapon zram0; then
		not_ok "$zr_ $zn_: swap on /dev/zram0 with comp_algorithm $za_${3:+ and recomp_algorithm $3}"
		zram_reset zram0 2>/dev/null
		return
	fi
	if [ -n "${3:-}" ]; then
		cat >/tmp/zb.cmd <<-'EOF2'
		cat /sys/block/zram0/mm_stat >/tmp/zb.mm
		echo all >/sys/block/zram0/idle
		/data/ubench run 1 sh -c 'echo type=idle >/sys/block/zram0/recompress' >/tmp/zb.rt
		cat /sys/block/zram0/mm_stat >/tmp/zb.after
		EOF2
	else
		echo 'cat /sys/block/zram0/mm_stat >/tmp/zb.mm' >/tmp/zb.cmd
	fi
	bout_=$(tmo 900 /data/pagebench -f /data/corpus.bin -c 'sh /tmp/zb.cmd' "$zpages" 2>&1)
	brc_=$?
	read -r zo_ zc_ zu_ _ _ zs_ _ zh_ _ </tmp/zb.mm 2>/dev/null
	za2_=
	if [ -n "${3:-}" ]; then
		read -r _ zc2_ zu2_ _ _ _ _ zh2_ _ </tmp/zb.after 2>/dev/null
		za2_="after_compr=$zc2_ after_used=$zu2_ after_huge=$zh2_ $(sed 's/^ubench run n=/recomp_n=/; s/ ns=/ recomp_ns=/; s/ busy_ns=/ recomp_busy_ns=/' /tmp/zb.rt 2>/dev/null)"
	fi
	printf '%s\n' "$bout_" | grep '^pagebench' | sed "s/^/    # bench $zr_ $zn_ orig=$zo_ compr=$zc_ used=$zu_ same=$zs_ huge=$zh_ $za2_ /"
	zram_reset zram0
	if [ $brc_ -eq 0 ] && [ -n "$zo_" ] && { [ -z "${3:-}" ] || [ -s /tmp/zb.rt ]; }; then
		ok "$zr_ $zn_: $zpages pages out to zram and in, every byte checked"
	else
		not_ok "$zr_ $zn_: pagebench rc $brc_, mm_stat '${zo_:-}'${3:+, recompress '$(cat /tmp/zb.rt 2>/dev/null)'}"
		printf '%s\n' "$bout_" | tail -n 5 | sed 's/^/    # /'
	fi
}

# zram_cases ROUND: zram's backends, deflate-iaa, and lz4 recompressed by deflate-iaa
zram_cases() {
	for za in $ZRAM_ALGS; do
		case $za in
		deflate-iaa)
			if [ -z "$have_dev" ] || ! drv_up ours sync 1; then
				not_ok "$1 zram.ours.sync.v1: load ours with sync_mode=sync verify_compress=1"
				drv_down
				continue
			fi
			zram_run "$1" deflate-iaa
			drv_down ;;
		*) zram_run "$1" "$za" ;;
		esac
	done
	if [ -n "$have_dev" ] && drv_up ours sync 1; then
		zram_run "$1" lz4 deflate-iaa
	else
		not_ok "$1 zram.lz4+deflate-iaa: load ours with sync_mode=sync verify_compress=1"
	fi
	drv_down
}

# user_run ROUND NAME IN OUT CMD: CMD (a shell line writing to @OUT@) once untimed with @OUT@
# the file OUT (for its size, and the round trip), then upasses times by ubench with @OUT@
# /dev/null: a program's throughput, not tmpfs's (a write to tmpfs costs about 9 ms of guest
# time per MB here, as much as kcapi-comp's compress itself). The figures as
# "# bench ROUND user.NAME in=BYTES out=BYTES n= ns= busy_ns="
user_run() {
	ur_=$1 un_=$2 ui_=$3 uo_=$4
	rm -f "$uo_"
	sh -c "$(echo "$5" | sed "s|@OUT@|$uo_|g")" || return 1
	uout_=$(tmo 900 /data/ubench run "$upasses" sh -c "$(echo "$5" | sed 's|@OUT@|/dev/null|g')" 2>&1)
	urc_=$?
	note "bench $ur_ user.$un_ in=$(wc -c <"$ui_") out=$(wc -c <"$uo_") ${uout_#ubench run }"
	return $urc_
}

# user_cases ROUND: the software side, kcapi-comp at each depth (ours, async_irq), then single
# 4 KiB requests through libkcapi (ours, sync; beside the in-kernel ours.sync.v1 latency, the
# cost of the system calls and the socket layer)
user_cases() {
	G=/opt/debian/gzip K=/opt/libkcapi/bin/kcapi-comp
	# the corpus 8 times over (about 10 MB), so that a run's fixed cost is amortised: kcapi-comp
	# spends about 22 ms of guest time per run, mostly idle, before and after its blocks
	UF=/tmp/ub.in
	for i in 1 2 3 4 5 6 7 8; do cat /data/corpus.bin; done >$UF
	for us in $USER_SW; do
		case $us in
		gzip-1)
			user_run "$1" gzip-1.comp $UF /tmp/ub.gz "$G -1 -c $UF >@OUT@" &&
				user_run "$1" gzip-1.decomp /tmp/ub.gz /tmp/ub.out "$G -d -c /tmp/ub.gz >@OUT@" &&
				cmp -s $UF /tmp/ub.out ;;
		busybox-gzip-1)
			user_run "$1" busybox-gzip-1.comp $UF /tmp/ub.gz "busybox gzip -1 -c $UF >@OUT@" &&
				user_run "$1" busybox-gzip-1.decomp /tmp/ub.gz /tmp/ub.out "busybox gzip -d -c /tmp/ub.gz >@OUT@" &&
				cmp -s $UF /tmp/ub.out ;;
		zlib-1)
			uz_=$(tmo 900 /data/ubench zlib 1 "$upasses" $UF 2>&1) &&
				note "bench $1 user.zlib-1.comp ${uz_#ubench zlib }" ;;
		esac && ok "$1 user.$us: ran, output identical after decompression" ||
			not_ok "$1 user.$us: failed"
	done
	rm -f /tmp/ub.gz /tmp/ub.out
	for m in af_alg crypto_user; do modprobe $m 2>/dev/null; done
	if [ -z "$have_dev" ] || [ ! -x $K ] || ! drv_up ours async_irq 1; then
		for d in $USER_DEPTHS; do not_ok "$1 user.kcapi-comp.j$d: kcapi-comp and ours in async_irq"; done
	else
		for d in $USER_DEPTHS; do
			user_run "$1" kcapi-comp.j$d.comp $UF /tmp/ub.kc "$K -c deflate-iaa -j $d -i $UF -o @OUT@" &&
				user_run "$1" kcapi-comp.j$d.decomp /tmp/ub.kc /tmp/ub.out "$K -d -c deflate-iaa -j $d -i /tmp/ub.kc -o @OUT@" &&
				cmp -s $UF /tmp/ub.out &&
				ok "$1 user.kcapi-comp.j$d: depth $d, output identical after decompression" ||
				not_ok "$1 user.kcapi-comp.j$d: depth $d failed"
		done
	fi
	drv_down
	rm -f /tmp/ub.kc /tmp/ub.out $UF
	if [ -n "$have_dev" ] && drv_up ours sync 1 &&
		up_=$(tmo 900 /data/ubench page deflate-iaa "$upasses" /data/corpus.bin 2>&1); then
		note "bench $1 user.page.ours.sync.v1 ${up_#ubench page }"
		ok "$1 user.page: single 4 KiB requests through libkcapi, every page checked"
	else
		not_ok "$1 user.page: single 4 KiB requests through libkcapi (${up_:-no driver})"
	fi
	drv_down
}

# dyn_cases ROUND: deflate-iaa-dynamic (ours) in DYN_CASES, its steps from debugfs as
# "# bench ROUND steps.dyn.CASE blocks=... one_pass_blocks=... calls=...", then zswap on
# it (sync, verify_compress=1) and, in a boot that measures latency (bench.passes > 0), swap
# on zram on it. Beside them, what the dynamic mode's figures are compared to, each when the
# group that has it does not run in this boot (make bench's boot with an IAA 2.0 device runs
# bench.only=dyn): deflate-iaa (ours, fixed mode) in each configuration of DYN_CASES, just
# before the dynamic mode in it (the row ours.CASE, without its fresh-buffer and callback-less
# twins: group ours), lz4 (sw.lz4: group sw), and zram on lz4 and on deflate (group zram)
dyn_cases() {
	DD=/sys/kernel/debug/iaa-crypto
	if ! want sw; then
		for s in $SW; do
			case $s in lz4:*) run_bench "$1" sw.lz4 "${s#*:}" "$swpasses" "$swops" ;; esac
		done
	fi
	for c in $DYN_CASES; do
		want ours || iaa_case "$1" ours ${c%.v*} ${c#*.v} plain
		if [ -z "$have_dev" ] || ! drv_up ours ${c%.v*} ${c#*.v}; then
			not_ok "$1 dyn.$c: load ours with sync_mode=${c%.v*} verify_compress=${c#*.v}"
			drv_down
			continue
		fi
		echo 1 >$DD/stats_reset
		echo 1 >$DD/latency_stats
		run_bench "$1" dyn.$c deflate-iaa-dynamic "$passes" "$ops"
		echo 0 >$DD/latency_stats
		dk_=
		for k in blocks fixed_blocks stored_blocks small_inputs incompressible stats_ns \
			build_ns compress_ns one_pass_blocks one_pass_ns; do
			dk_="$dk_ $k=$(cat $DD/total_dynamic_$k)"
		done
		dk_="$dk_ calls=$(cat $DD/total_comp_calls)"
		echo "    # bench $1 steps.dyn.$c$dk_"
		drv_down
	done
	zr_=
	[ "$passes" -gt 0 ] && zr_=1
	if [ -n "$zr_" ] && ! want zram; then
		zram_run "$1" lz4
		zram_run "$1" deflate
	fi
	if [ -n "$have_dev" ] && drv_up ours sync 1; then
		want zswap && zswap_run "$1" dyn.sync.v1 deflate-iaa-dynamic
		[ -n "$zr_" ] && zram_run "$1" deflate-iaa-dynamic
	else
		want zswap && not_ok "$1 zswap.dyn.sync.v1: load ours with sync_mode=sync verify_compress=1"
		[ -n "$zr_" ] && not_ok "$1 zram.deflate-iaa-dynamic: load ours with sync_mode=sync verify_compress=1"
	fi
	drv_down
}

# --- zram's batches (zbatch) -------------------------------------------------------------------
# zb_idle: the idle and iowait time of every CPU so far, ns (/proc/timer_list, as pagebench);
# nothing when that file gives none (7.3 no longer shows it)
zb_idle() {
	awk '/^ *\.(idle|iowait)_sleeptime *:/ { s += $(NF - 1); n++ }
		END { if (n) printf "%.0f\n", s }' /proc/timer_list 2>/dev/null
}
# zb_busy NS IDLE0 IDLE1: NS less the idle time between the two zb_idle readings; -1 unknown
zb_busy() {
	if [ -n "$2" ] && [ -n "$3" ]; then echo $(($1 - ($3 - $2))); else echo -1; fi
}

# zb_up CASE: for CASE (ALG.bN[.eall]) zram's comp_algorithm in zb_alg_, its batch_pages set
# to N in zb_bp_, ours loaded as CASE says when ALG is ours.MODE.vV (with .eall, every engine
# in the wq's group); fails when one of them could not be
zb_up() {
	zb_alg_=${1%.b*} zb_bp_=${1##*.b}
	zb_bp_=${zb_bp_%.eall}
	case $zb_alg_ in
	ours.*)
		[ -n "$have_dev" ] || return 1
		zb_m_=${zb_alg_#ours.}
		case $1 in *.eall) engines_set all || return 1 ;; esac
		drv_up ours "${zb_m_%.v*}" "${zb_m_#*.v}" || return 1
		note "bench setting zram.zb.$1 engines=$(engines_in_group)"
		zb_alg_=deflate-iaa ;;
	same) zb_alg_=lz4 ;;
	esac
	zram_load && zram_batching && echo "$zb_bp_" >$ZP/batch_pages
}

# zb_down: batch_pages back to its default, the driver unloaded. Not drv_down: its zswap_off
# writes zswap's parameters, which creates a zswap pool, and from then on (zswap_ever_enabled,
# 6.12 and 7.3) every large folio swaps in as single pages
zb_down() {
	zram_reset zram0 2>/dev/null
	[ -w $ZP/batch_pages ] && echo 16 >$ZP/batch_pages
	zd_=0
	while lsmod | grep -q '^iaa_crypto '; do
		unload_driver 2>/dev/null && break
		zd_=$((zd_ + 1))
		[ $zd_ -lt 10 ] || { note "bench warning: iaa_crypto would not unload"; return 1; }
		sleep 1
	done
	# engine 0 alone again, for the other rows
	[ -z "$have_dev" ] || engines_set 1
}

# zb_expect CASE BEFORE: the batch counters since zram_batch_counts printed BEFORE as
# "batches= bpages= bfallback=", and whether they are those of CASE: batches when CASE is
# deflate-iaa with batch_pages above 1, none otherwise (lz4, zstd: their one-page path)
zb_expect() {
	# shellcheck disable=SC2046
	set -- "$1" $2 $(zram_batch_counts)
	zb_b_=$(($5 - $2)) zb_p_=$(($6 - $3)) zb_f_=$(($7 - $4))
	echo "batches=$zb_b_ bpages=$zb_p_ bfallback=$zb_f_"
	case $1 in
	ours.*.b0 | ours.*.b0.* | ours.*.b1 | ours.*.b1.* | lz4.* | zstd.* | same.*)
		[ $zb_b_ -eq 0 ] ;;
	ours.*) [ $zb_b_ -gt 0 ] && [ $zb_p_ -gt $zb_b_ ] ;;
	esac
}

# zb_phases BEFORE MID: the batches and their pages of each phase, from zram_batch_counts
# printed BEFORE the write phase and MID between it and the read phase, and now:
# "wbatches= wbpages= rbatches= rbpages="
zb_phases() {
	# shellcheck disable=SC2046
	set -- $1 $2 $(zram_batch_counts)
	echo "wbatches=$(($4 - $1)) wbpages=$(($5 - $2)) rbatches=$(($7 - $4)) rbpages=$(($8 - $5))"
}

# zb_swap_run ROUND CASE: swap on /dev/zram0 with 64 KiB folios (the only size enabled, for
# madvised memory; pagebench -H), zpages pages of the corpus (same: same-filled pages) out and
# in; the record adds the 64 KiB folios swapped out whole and split (swpout, swpout_fallback),
# zram's bios (I/Os and pages, both ways), its batches and mm_stat while the pages were out.
# Memory is compacted first, so that every run finds free 64 KiB blocks for the swap-in (a
# 64 KiB folio swaps in whole only when one can be allocated at once)
zb_swap_run() {
	zr_=$1 zn_=zram.zb.swap.$2
	zf_=/data/corpus.bin
	if [ "${2%%.*}" = same ]; then
		zf_=/tmp/zb.same
		dd if=/dev/zero bs=4096 count=$(($(wc -c </data/corpus.bin) / 4096)) 2>/dev/null |
			tr '\000' '\132' >$zf_
	fi
	rm -f /tmp/zb.mm
	echo 3 >/proc/sys/vm/drop_caches
	echo 1 >/proc/sys/vm/compact_memory
	if ! zb_up "$2" || ! zram_setup zram0 "$zb_alg_" 256M || ! zram_swapon zram0; then
		not_ok "$zr_ $zn_: swap on /dev/zram0 with comp_algorithm ${zb_alg_:-?}, batch_pages ${zb_bp_:-?}"
		zb_down
		return
	fi
	zs0_=$(thp_stat 64kB swpout) zsf0_=$(thp_stat 64kB swpout_fallback)
	zw0_=$(blk_stat zram0 5) zws0_=$(blk_stat zram0 7)
	zri0_=$(blk_stat zram0 1) zrs0_=$(blk_stat zram0 3)
	zk0_=$(zram_batch_counts)
	rm -f /tmp/zb.k
	bout_=$(tmo 900 /data/pagebench -H -f $zf_ \
		-c "cat /sys/block/zram0/mm_stat >/tmp/zb.mm; cd $ZP &&
			cat acomp_batches acomp_batch_pages acomp_batch_fallback | tr '\\n' ' ' >/tmp/zb.k" \
		"$zpages" 2>&1)
	brc_=$?
	zph_=$(zb_phases "$zk0_" "$(cat /tmp/zb.k 2>/dev/null)")
	zo64_=$(($(thp_stat 64kB swpout) - zs0_)) zof_=$(($(thp_stat 64kB swpout_fallback) - zsf0_))
	zio_="wios=$(($(blk_stat zram0 5) - zw0_)) wpages=$((($(blk_stat zram0 7) - zws0_) / 8))"
	zio_="$zio_ rios=$(($(blk_stat zram0 1) - zri0_)) rpages=$((($(blk_stat zram0 3) - zrs0_) / 8))"
	zbk_=$(zb_expect "$2" "$zk0_")
	zbrc_=$?
	read -r zo_ zc_ zu_ _ _ zs_ _ zh_ _ </tmp/zb.mm 2>/dev/null
	zrec_="batch_pages=$zb_bp_ swpout64=$zo64_ swpout64_fallback=$zof_ $zio_ $zbk_ $zph_"
	zrec_="$zrec_ orig=$zo_ compr=$zc_ used=$zu_ same=$zs_ huge=$zh_"
	printf '%s\n' "$bout_" | grep '^pagebench' | sed "s/^/    # bench $zr_ $zn_ $zrec_ /"
	zb_down
	# the pages were in 64 KiB folios: at least half of them went out as such
	if [ $brc_ -eq 0 ] && [ -n "$zo_" ] && [ $((zo64_ * 16 * 2)) -ge "$zpages" ] &&
		[ $zbrc_ -eq 0 ]; then
		ok "$zr_ $zn_: $zpages pages out in 64 KiB folios and in, every byte checked ($zbk_)"
	else
		not_ok "$zr_ $zn_: pagebench rc $brc_, mm_stat '${zo_:-}'," \
			"64 KiB folios out whole $zo64_ (split $zof_), $zbk_"
		printf '%s\n' "$bout_" | tail -n 5 | sed 's/^/    # /'
	fi
}

# zb_fs_run ROUND CASE: ext4 on /dev/zram0 (as zram-fs.sh makes it), /tmp/zb.src (the corpus 8
# times over) written to a file in 1 MiB writes and fsync'd, unmounted, the caches dropped,
# mounted again and read in 1 MiB reads, each timed by ubench (guest time; CPU time as guest
# time less the idle time of /proc/timer_list), then compared to the source. The record:
# bytes= w_ns= w_busy_ns= r_ns= r_busy_ns=, zram's bios of each phase, its batches, mm_stat
zb_fs_run() {
	zr_=$1 zn_=zram.zb.fs.$2
	if ! command -v mkfs.ext4 >/dev/null; then
		not_ok "$zr_ $zn_: no mkfs.ext4 in the image"
		return
	fi
	if ! zb_up "$2" || ! zram_setup zram0 "$zb_alg_" 128M ||
		! mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 /dev/zram0 \
			>/dev/null 2>&1 || ! mount -t ext4 /dev/zram0 /mnt; then
		not_ok "$zr_ $zn_: ext4 on /dev/zram0 with comp_algorithm ${zb_alg_:-?}, batch_pages ${zb_bp_:-?}"
		zb_down
		return
	fi
	zk0_=$(zram_batch_counts)
	sync
	echo 3 >/proc/sys/vm/drop_caches
	zw0_=$(blk_stat zram0 5) zws0_=$(blk_stat zram0 7)
	zi0_=$(zb_idle)
	zwt_=$(tmo 900 /data/ubench run 1 sh -c 'dd if=/tmp/zb.src of=/mnt/f bs=1M conv=fsync 2>/dev/null')
	zwrc_=$?
	zi1_=$(zb_idle)
	zio_="wios=$(($(blk_stat zram0 5) - zw0_)) wpages=$((($(blk_stat zram0 7) - zws0_) / 8))"
	zk1_=$(zram_batch_counts)
	umount /mnt
	echo 3 >/proc/sys/vm/drop_caches
	zrt_="" zrrc_=1 zi2_="" zi3_=""
	if mount -t ext4 /dev/zram0 /mnt; then
		echo 3 >/proc/sys/vm/drop_caches
		zri0_=$(blk_stat zram0 1) zrs0_=$(blk_stat zram0 3)
		zi2_=$(zb_idle)
		zrt_=$(tmo 900 /data/ubench run 1 sh -c 'dd if=/mnt/f of=/dev/null bs=1M 2>/dev/null')
		zrrc_=$?
		zi3_=$(zb_idle)
		zio_="$zio_ rios=$(($(blk_stat zram0 1) - zri0_)) rpages=$((($(blk_stat zram0 3) - zrs0_) / 8))"
		cmp -s /mnt/f /tmp/zb.src || zrrc_=2
	fi
	zbk_=$(zb_expect "$2" "$zk0_")
	zbrc_=$?
	zph_=$(zb_phases "$zk0_" "$zk1_")
	read -r zo_ zc_ zu_ _ </sys/block/zram0/mm_stat
	zwn_=$(echo "$zwt_" | sed -n 's/.* ns=\([0-9]*\).*/\1/p')
	zrn_=$(echo "$zrt_" | sed -n 's/.* ns=\([0-9]*\).*/\1/p')
	zrec_="batch_pages=$zb_bp_ bytes=$(wc -c </tmp/zb.src)"
	zrec_="$zrec_ w_ns=$zwn_ w_busy_ns=$(zb_busy "${zwn_:-0}" "$zi0_" "$zi1_")"
	zrec_="$zrec_ r_ns=$zrn_ r_busy_ns=$(zb_busy "${zrn_:-0}" "${zi2_:-}" "${zi3_:-}")"
	echo "    # bench $zr_ $zn_ $zrec_ $zio_ $zbk_ $zph_ orig=$zo_ compr=$zc_ used=$zu_"
	umount /mnt 2>/dev/null
	zb_down
	if [ $zwrc_ -eq 0 ] && [ $zrrc_ -eq 0 ] && [ -n "$zwn_" ] && [ -n "$zrn_" ] &&
		[ $zbrc_ -eq 0 ]; then
		ok "$zr_ $zn_: written in 1 MiB writes, read back identical after the caches were dropped ($zbk_)"
	else
		not_ok "$zr_ $zn_: write rc $zwrc_ ($zwt_), read rc $zrrc_ ($zrt_; 2: differs), $zbk_"
	fi
}

# zbatch_cases ROUND: zram's batches, swap with 64 KiB folios then ext4; the transparent huge
# page sizes enabled before are restored afterwards
zbatch_cases() {
	zt_=
	for h in $THP/hugepages-*kB; do
		[ -e $h/enabled ] && zt_="$zt_ ${h##*-}:$(sed 's/.*\[\(.*\)\].*/\1/' $h/enabled)"
	done
	thp_madvise 64kB || note "bench warning: 64 KiB folios could not be enabled"
	# the idle time the CPU figures subtract is accounted: a sleep shows as idle
	zi0_=$(zb_idle)
	sleep 0.2
	zi1_=$(zb_idle)
	if [ -n "$zi0_" ]; then
		note "bench zbatch idle accounting: sleep 0.2 s, idle +$((zi1_ - zi0_)) ns"
	else
		note "bench zbatch idle accounting: none in /proc/timer_list, no CPU figures"
	fi
	for c in $ZB_SWAP; do zb_swap_run "$1" "$c"; done
	for i in 1 2 3 4 5 6 7 8; do cat /data/corpus.bin; done >/tmp/zb.src
	modprobe ext4 2>/dev/null
	for c in $ZB_FS; do zb_fs_run "$1" "$c"; done
	rm -f /tmp/zb.src /tmp/zb.same /tmp/zb.mm /tmp/zb.k
	for t in $zt_; do echo "${t#*:}" >$THP/hugepages-${t%%:*}/enabled; done
}

# iaa_case ROUND DRIVER MODE VERIFY WHAT: WHAT is "bench", "zswap" or "plain" (the latency and
# throughput configuration alone, without its twins)
iaa_case() {
	dmesg_mark
	name_=$2.$3.v$4
	[ "$5" = zswap ] && name_=zswap.$name_
	# a latency configuration is two cases: the corpus pages, then fresh buffers; ours in
	# sync mode a third, without a callback
	fresh_= nocb_=
	[ "$5" != bench ] || [ "$passes" -eq 0 ] || fresh_=$name_.fresh
	[ -n "$fresh_" ] && [ "$2.$3" = ours.sync ] && nocb_=$name_.nocb
	if [ -z "$have_dev" ]; then
		skip "$1 $name_" "no IAA device"
		for t_ in $fresh_ $nocb_; do skip "$1 $t_" "no IAA device"; done
		return
	fi
	if [ "$2" = ours ] && [ ! -f "$MODDIR/updates/iaa_crypto.ko" ]; then
		skip "$1 $name_" "no iaa_crypto.ko of ours"
		for t_ in $fresh_ $nocb_; do skip "$1 $t_" "no iaa_crypto.ko of ours"; done
		return
	fi
	if ! drv_up "$2" "$3" "$4"; then
		not_ok "$1 $name_: load $2 with sync_mode=$3 verify_compress=$4"
		for t_ in $fresh_ $nocb_; do not_ok "$1 $t_: no driver"; done
		dmesg_since | grep -E 'iaa|idxd' | tail -n 5 | sed 's/^/    # /'
		drv_down
		return
	fi
	if [ "$5" = zswap ]; then
		zswap_run "$1" "$2.$3.v$4" deflate-iaa
	else
		run_bench "$1" "$2.$3.v$4" deflate-iaa "$passes" "$ops"
		[ -z "$fresh_" ] || run_bench "$1" "$fresh_" deflate-iaa "$passes" 0 fresh=1
		[ -z "$nocb_" ] || run_bench "$1" "$nocb_" deflate-iaa "$passes" 0 nocb=1
	fi
	drv_down
}

# engines_set N: engines 0 .. N-1 of each device of use_wqs in group 0 (all: every engine), the
# others in none; idxd writes the groups to the device at the next wq bind
engines_set() {
	for es_d in $(echo $use_wqs | tr ' ' '\n' | sed 's/^wq\([0-9]*\)\..*/iax\1/' | sort -u); do
		es_n=$1
		[ "$es_n" = all ] && es_n=$(cat $DEVS/$es_d/max_engines)
		es_i=0
		for es_e in $(ls -d $DEVS/$es_d/engine${es_d#iax}.* | sort -t . -k 2 -n); do
			if [ $es_i -lt "$es_n" ]; then
				echo 0 >$es_e/group_id
			else
				echo -1 >$es_e/group_id
			fi || return 1
			es_i=$((es_i + 1))
		done
	done
}

# engines_in_group: "iaxD:N/M ..." for the devices of use_wqs
engines_in_group() {
	for eg_d in $(echo $use_wqs | tr ' ' '\n' | sed 's/^wq\([0-9]*\)\..*/iax\1/' | sort -u); do
		eg_n=0 eg_m=0
		for eg_e in $DEVS/$eg_d/engine${eg_d#iax}.*; do
			eg_m=$((eg_m + 1))
			[ "$(cat $eg_e/group_id)" = 0 ] && eg_n=$((eg_n + 1))
		done
		printf '%s:%s/%s\n' $eg_d $eg_n $eg_m
	done | tr '\n' , | sed 's/,$//'
}

# model_scale F: the latency model of every device F times what the boot set (1: as it was)
model_scale() {
	for ms_e in $bench_model; do
		ms_p=${ms_e#*:}
		hmp "qom-set /machine/peripheral/${ms_e%%:*} ${ms_p%%=*} $((${ms_p#*=} * $1))" >/dev/null ||
			return 1
		[ "$(hmp "qom-get /machine/peripheral/${ms_e%%:*} ${ms_p%%=*}" | tr -d '\r' |
			grep -E '^[0-9]+$' | tail -n 1)" = $((${ms_p#*=} * $1)) ] || return 1
	done
}

# qd_case ROUND CASE ENGINES SLOW DEPTHS [PARAM...]: CASE (DRIVER.MODE.vVERIFY) loaded with
# ENGINES in the wq's group and the latency model SLOW times slower, the bench module's
# queue-depth phases at DEPTHS (PARAM: more of its parameters); the configuration
# "qd.CASE[.eENGINES][.mSLOW]" (ENGINES all and SLOW 1 left out). idxd's default groups
# (engine 0 only) and the model are restored afterwards, for the other rows
qd_case() {
	qr_=$1 qc_=$2 qe_=$3 qs_=$4 qd_=$5
	shift 5
	qn_=qd.$qc_
	[ "$qe_" = all ] || qn_=$qn_.e$qe_
	[ "$qs_" = 1 ] || qn_=$qn_.m$qs_
	qdrv_=${qc_%%.*} qm_=${qc_#*.}
	qm_=${qm_%.v*}
	if [ -z "$have_dev" ]; then
		skip "$qr_ $qn_" "no IAA device"
		return
	fi
	if [ "$qdrv_" = ours ] && [ ! -f "$MODDIR/updates/iaa_crypto.ko" ]; then
		skip "$qr_ $qn_" "no iaa_crypto.ko of ours"
		return
	fi
	if ! engines_set "$qe_" || ! model_scale "$qs_"; then
		not_ok "$qr_ $qn_: $qe_ engines in the wq's group, the device $qs_ times slower"
		engines_set 1
		model_scale 1
		return
	fi
	if ! drv_up "$qdrv_" "$qm_" "${qc_##*.v}"; then
		not_ok "$qr_ $qn_: load $qdrv_ with sync_mode=$qm_ verify_compress=${qc_##*.v}"
		dmesg_since | grep -E 'iaa|idxd' | tail -n 5 | sed 's/^/    # /'
		drv_down
		engines_set 1
		model_scale 1
		return
	fi
	note "bench setting $qn_ engines=$(engines_in_group) model_factor=$qs_"
	run_bench "$qr_" "$qn_" deflate-iaa 0 0 qd="$qd_" qd_ops="$qdops" "$@"
	drv_down
	engines_set 1
	model_scale 1
}

# batch_stats: the driver's counters of batches and of its pollers, and the descriptors each
# device received (the device's own count), as "KEY=VALUE ..."
batch_stats() {
	printf 'batched=%s handed_over=%s poller_runs=%s poller_scans=%s poller_ends=%s' \
		"$(st total_batched_requests)" "$(st total_handed_over_requests)" \
		"$(st total_poller_runs)" "$(st total_poller_scans)" "$(st total_poller_ends)"
	bs_i=0
	while [ $bs_i -lt "$(iaa_pci_count)" ]; do
		printf ' descs_iaa%s=%s' $bs_i "$(hmp "qom-get /machine/peripheral/iaa$bs_i descs-submitted" |
			tr -d '\r' | grep -E '^[0-9]+$' | tail -n 1)"
		bs_i=$((bs_i + 1))
	done
}

# batch_wqs D: the wqs of bench_wqs on devices 0 .. D-1 (all: every one); fails when fewer
# than D devices have one
batch_wqs() {
	[ "$1" = all ] && { echo $bench_wqs; return 0; }
	bw_=
	for w in $bench_wqs; do
		bw_d=${w#wq}
		[ "${bw_d%%.*}" -lt "$1" ] && bw_="$bw_ $w"
	done
	[ "$(echo $bw_ | tr ' ' '\n' | sed 's/^wq\([0-9]*\)\..*/\1/' | sort -u | wc -l)" = "$1" ] &&
		echo $bw_
}

# batch_case ROUND CASE SLOW [DEVS]: ours in CASE (MODE.vVERIFY), every engine in the wq's group,
# the device SLOW times slower, the wqs of the first DEVS devices bound (all, the default: every
# device's; a number names the configuration .dDEVS); per size of BATCH_SIZES one load of the
# bench module (batch=N), its results as "# bench ROUND batch.CASE[.mSLOW][.dDEVS].nN ...", then
# the counters' differences over it as "# bench ROUND batch.CASE[.mSLOW][.dDEVS].nN batchstat
# ..."
batch_case() {
	bn_=batch.$2 bdev_=${4:-all}
	[ "$3" = 1 ] || bn_=$bn_.m$3
	[ "$batch_hint" = 1 ] || bn_=$bn_.h$batch_hint
	[ "$bdev_" = all ] || bn_=$bn_.d$bdev_
	if [ -z "$have_dev" ] || [ ! -f "$MODDIR/updates/iaa_crypto.ko" ]; then
		for n in $BATCH_SIZES; do skip "$1 $bn_.n$n" "no IAA device or no driver of ours"; done
		return
	fi
	if ! use_wqs=$(batch_wqs "$bdev_"); then
		for n in $BATCH_SIZES; do
			not_ok "$1 $bn_.n$n: no wq on each of $bdev_ devices (wqs:$bench_wqs)"
		done
		use_wqs=$bench_wqs
		return
	fi
	if ! engines_set all || ! model_scale "$3" || ! drv_up ours "${2%.v*}" "${2#*.v}"; then
		for n in $BATCH_SIZES; do
			not_ok "$1 $bn_.n$n: ours with sync_mode=${2%.v*} verify_compress=${2#*.v}," \
				"every engine, the device $3 times slower, wqs $use_wqs"
		done
		drv_down
		engines_set 1
		model_scale 1
		use_wqs=$bench_wqs
		return
	fi
	note "bench setting $bn_ engines=$(engines_in_group) model_factor=$3"
	for n in $BATCH_SIZES; do
		b0_=$(batch_stats)
		run_bench "$1" "$bn_.n$n" deflate-iaa 0 0 batch="$n" qd_ops="$qdops" \
			batch_hint="$batch_hint"
		b1_=$(batch_stats)
		bd_=
		for kv_ in $b1_; do
			k_=${kv_%%=*}
			bd_="$bd_ $k_=$((${kv_#*=} - $(kv "$k_" "$b0_")))"
		done
		echo "    # bench $1 $bn_.n$n batchstat$bd_"
	done
	drv_down
	engines_set 1
	model_scale 1
	use_wqs=$bench_wqs
}

# Every row but the queue-depth series runs with engine 0 alone in the wq's group: idxd 6.12's
# default, which 7.3's idxd (every engine in group 0) would not give, so both lines measure the
# same device configuration
if [ -n "$have_dev" ]; then
	engines_set 1 || note "bench warning: engine 0 alone in the wq's group could not be set"
	note "bench engines $(engines_in_group)"
fi

# zram's batches, every round, before anything writes zswap's parameters (zb_down): 64 KiB
# folios then swap in whole
if want zbatch; then
	r=1
	while [ $r -le "$rounds" ]; do
		zbatch_cases "r$r"
		r=$((r + 1))
	done
fi

r=1
while [ $r -le "$rounds" ]; do
	# the drivers one after the other, in an order that reverses every round
	order=$drivers
	[ $((r % 2)) -eq 0 ] &&
		order=$(echo $drivers | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
	if want sw; then
		for s in $SW; do run_bench "r$r" "sw.${s%%:*}" "${s#*:}" "$swpasses" "$swops"; done
		# the floor: an algorithm that does nothing (tests/bench/null_acomp.c)
		if [ -d /sys/module/null_acomp ] || insmod $MODDIR/updates/null_acomp.ko; then
			run_bench "r$r" sw.null bench-null "$swpasses" "$swops" check=0
		else
			not_ok "r$r sw.null: null_acomp.ko"
		fi
		# what the request path's kernel primitives cost (tests/bench/iaa_cost.c)
		if [ -n "$have_pci" ]; then
			if insmod $MODDIR/updates/iaa_cost.ko &&
				[ -r /sys/kernel/debug/iaa_cost/result ]; then
				sed 's/^/    # bench /' /sys/kernel/debug/iaa_cost/result
				ok "r$r sw.cost: the primitives of a request, timed"
			else
				not_ok "r$r sw.cost: iaa_cost.ko"
			fi
			rmmod iaa_cost 2>/dev/null
		fi
	fi
	for m in $MODES; do
		for v in 0 1; do
			for d in $order; do iaa_case "r$r" $d $m $v bench; done
		done
	done
	if want zswap; then
		for s in $SW; do zswap_run "r$r" "sw.${s%%:*}" "${s#*:}"; done
		for z in $ZSWAP_IAA; do
			for d in $order; do iaa_case "r$r" $d ${z%.v*} ${z#*.v} zswap; done
		done
	fi
	want zram && zram_cases "r$r"
	want user && user_cases "r$r"
	want dyn && dyn_cases "r$r"
	if want qd; then
		for c in $QD_CASES; do qd_case "r$r" $c all 1 $QD_DEPTHS; done
		for c in $QD_SLOW_CASES; do qd_case "r$r" $c all $QD_SLOW $QD_DEPTHS; done
		for f in 1 $QD_SLOW; do
			for c in $QD_ENG_CASES; do
				for e in $QD_ENGINES; do
					# named by the count: qd.CASE alone is the depth series
					[ "$e" = all ] && e=$(cat $DEVS/iax0/max_engines 2>/dev/null)
					qd_case "r$r" $c "${e:-8}" $f $QD_ENG_DEPTH qd_batch=0
				done
			done
		done
	fi
	if want batch; then
		for d in $BATCH_DEVS; do
			for c in $BATCH_CASES; do batch_case "r$r" $c 1 $d; done
			for c in $BATCH_SLOW_CASES; do batch_case "r$r" $c $BATCH_SLOW $d; done
		done
	fi
	r=$((r + 1))
done

_dmesg_lines=$start_mark
dmesg_clean && ok "no warnings" || not_ok "no warnings"
finish
