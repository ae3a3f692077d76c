# rel-hotplug: hot unbind under load. Worker threads on every CPU (iaa_stress "workers": random
# round trips in every sync_mode, with and without verify_compress, checked byte for byte)
# run while a controller takes work queues, whole devices and CPUs away and brings them back,
# one cycle at a time, in turn:
#   wq-sysfs      echo wqD.W > crypto/unbind, configure, echo wqD.W > crypto/bind
#   wq-accel      accel-config disable-wq / configure / accel-config enable-wq
#   dev-sysfs     echo iaxD > idxd/unbind (its wqs go first), configure, bind the device and wqs
#   dev-accel     accel-config disable-device / configure / enable-device / enable-wq
#   cpu           echo 0, then 1, > /sys/devices/system/cpu/cpuN/online
# Then: every request completed correctly (on a device or in software), the workers made
# progress throughout, the driver counted exactly the requests the workers made, nothing
# leaked (iaa_crypto's module refcount back to its base, unreclaimable slab and free memory back
# where they were, no descriptor left in either device), the wq table is the one the documented
# mapping gives, and the kernel log has no warning.
#
# The VM: two devices (iax0 gets two wqs, iax1 one), two CPUs or more (all but cpu0 go offline
# in turn).
# The devices are slow meanwhile (every other descriptor completes rel.late ms late), so that
# every unbind has requests in flight to wait for.
# Kernel command line knobs: rel.cycles=N (default 100), rel.seed=S (default 1), rel.late=MS
# (default 2; 0: no slow device).
. /tests/lib.sh

arg() { karg rel "$1"; }
cycles=$(arg cycles)
cycles=${cycles:-100}
seed=$(arg seed)
seed=${seed:-1}
late=$(arg late)
late=${late:-2}
DRV=/sys/bus/dsa/drivers/crypto
IDXD=/sys/bus/dsa/drivers/idxd
S=/sys/bus/dsa/devices
D=/sys/kernel/debug/iaa-crypto
ALL_WQS="wq0.0 wq0.1 wq1.0"
# the CPUs that can go offline (cpu0 cannot)
hotcpus=$(ls -d /sys/devices/system/cpu/cpu[0-9]*/online 2>/dev/null | sed 's|.*/cpu\([0-9]*\)/online|\1|')
ncpus=$(grep -c ^processor /proc/cpuinfo)
plan 13

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark

# dev_setup iaxD: the device (disabled) gets engine 0 in group 0 and its wqs configured:
# iax0 two wqs of 64, iax1 one of 128
dev_setup() {
	echo 0 >$S/$1/engine${1#iax}.0/group_id || return 1
	if [ $1 = iax0 ]; then
		wq_config wq0.0 64 && wq_config wq0.1 64
	else
		wq_config wq1.0 128
	fi
}
dev_wqs() { [ $1 = iax0 ] && echo "wq0.0 wq0.1" || echo wq1.0; }
bind() { tmo 60 sh -c "echo $1 >$2/bind"; }
unbind() { tmo 60 sh -c "echo $1 >$2/unbind"; }
bound_ok() { [ "$(echo $(crypto_wqs))" = "$ALL_WQS" ]; }

# the starting layout
setup() {
	for w in $(crypto_wqs); do unbind $w $DRV || return 1; done
	for d in iax0 iax1; do
		[ -e $S/$d/driver ] && { unbind $d $IDXD || return 1; }
		dev_setup $d && bind $d $IDXD || return 1
		for w in $(dev_wqs $d); do bind $w $DRV || return 1; done
	done
	bound_ok
}

# cycle KIND N: one out-and-back of KIND; N (its count so far) picks the wq, device or CPU.
# (wq_config uses _d: the names here are others.)
cycle() {
	case $1 in
	wq-sysfs)
		wq_rebind $(echo $ALL_WQS | cut -d' ' -f$(($2 % 3 + 1)))
		;;
	wq-accel)
		cw=$(echo $ALL_WQS | cut -d' ' -f$(($2 % 3 + 1)))
		cd=iax${cw#wq}
		cd=${cd%.*}
		accel-config disable-wq $cd/$cw >/dev/null && wq_config $cw &&
			accel-config enable-wq $cd/$cw >/dev/null
		;;
	dev-sysfs)
		cd=iax$(($2 % 2))
		unbind $cd $IDXD && dev_setup $cd && bind $cd $IDXD || return 1
		for cw in $(dev_wqs $cd); do bind $cw $DRV || return 1; done
		;;
	dev-accel)
		cd=iax$(($2 % 2))
		accel-config disable-device $cd >/dev/null && dev_setup $cd &&
			accel-config enable-device $cd >/dev/null || return 1
		for cw in $(dev_wqs $cd); do
			accel-config enable-wq $cd/$cw >/dev/null || return 1
		done
		;;
	cpu)
		cn=$2
		set -- $hotcpus
		[ $# -gt 0 ] || return 0
		shift $((cn % $#))
		cc=$1
		echo 0 >/sys/devices/system/cpu/cpu$cc/online || return 1
		# let the workers run a little while it is gone
		sleep 0.1
		echo 1 >/sys/devices/system/cpu/cpu$cc/online
		;;
	esac
}
kinds="wq-sysfs cpu dev-sysfs wq-accel cpu dev-accel"

# the memory each slab cache holds in slabs, in KiB: "name KiB" lines
slabs() { awk 'NR > 2 { print $1, $15 * $6 * 4 }' /proc/slabinfo 2>/dev/null | sort; }

if setup; then
	ok "setup: iax0 with wq0.0 wq0.1, iax1 with wq1.0, all bound ($(echo $(crypto_wqs)))"
else
	not_ok "setup: iax0 with wq0.0 wq0.1, iax1 with wq1.0, all bound ($(echo $(crypto_wqs)))"
fi

# load: the test module, its transforms (s1 sync, a1 async, i1 async_irq, with verify_compress;
# s0 sync without) and a worker on every CPU; unload: all of it gone again
load() {
	insmod $MODDIR/updates/iaa_stress.ko || return 1
	for t in s1:sync:1 a1:async:1 i1:async_irq:1 s0:sync:0; do
		tn=${t%%:*} tv=${t##*:} tm=${t#*:}
		echo ${tm%:*} >$DRV/sync_mode && echo $tv >$DRV/verify_compress &&
			stress tfm $tn >/dev/null || return 1
	done
	echo sync >$DRV/sync_mode
	echo 1 >$DRV/verify_compress
	stress workers $seed s1:3,a1:1,i1:1,s0:2
}
unload() {
	stress stop
	stress free all >/dev/null && rmmod iaa_stress
}

# one round of every kind under load first: caches, sysfs nodes and the driver's own state
# reach their steady state before the figures are taken
ref0=$(cat /sys/module/iaa_crypto/refcnt)
load >/dev/null && for k in wq-sysfs wq-accel dev-sysfs dev-accel cpu; do
	cycle $k 0 >/dev/null 2>&1
done
setup >/dev/null 2>&1
unload >/dev/null
set -- $(memsnap)
slab0=$1 free0=$2
slabs >/tmp/slabs0
iaa_snap c0

out=$(load) || { not_ok "iaa_stress loaded, with its transforms and workers"; finish; }
note "$cycles cycles of: $kinds; $out"
[ "$(kv workers "$out")" = "$ncpus" ] &&
	ok "a worker on every CPU ($(kv workers "$out"))" || not_ok "a worker on every CPU: $out"

# a slow device: every other descriptor completes $late ms late, so that every unbind finds
# requests in flight on the wq it takes away
for dev in iaa0 iaa1; do
	[ "$late" = 0 ] || hmp "qom-set /machine/peripheral/$dev inject late=${late}ms,every=2" >/dev/null
done

# the controller
t0=$(ms_now)
i=0 bad=0 stalls=0 last=0
set -- $kinds
nk=$#
while [ $i -lt $cycles ]; do
	i=$((i + 1))
	k=$(echo $kinds | cut -d' ' -f$(((i - 1) % nk + 1)))
	kc=cnt_$(echo $k | tr - _)
	eval "$kc=\$((\${$kc:-0} + 1)); kn=\$$kc"
	if ! cycle $k $kn >/tmp/cycle.out 2>&1 || { [ $k != cpu ] && ! bound_ok; }; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && note "cycle $i ($k) failed: $(tr '\n' ' ' </tmp/cycle.out) bound: $(echo $(crypto_wqs))"
		setup >/dev/null 2>&1
	fi
	if [ $((i % 12)) = 0 ]; then
		p=$(stress peek)
		r=$(kv roundtrips "$p")
		[ "$r" -gt "$last" ] || stalls=$((stalls + 1))
		last=$r
	fi
done
t1=$(ms_now)
for c in $hotcpus; do echo 1 >/sys/devices/system/cpu/cpu$c/online 2>/dev/null; done
for dev in iaa0 iaa1; do hmp "qom-set /machine/peripheral/$dev inject clear" >/dev/null; done
sleep 1
res=$(stress stop)
note "workers: $(echo "$res" | head -n 1)"
echo "$res" | grep '^#' | head -n 10 | while IFS= read -r l; do note "  $l"; done
rt=$(kv roundtrips "$res") reqs=$(kv requests "$res")
fails=$(($(kv failures "$res") + $(kv lost "$res")))
mism=$(($(kv mismatches "$res") + $(kv guard "$res")))
[ $bad = 0 ] && ok "$cycles cycles in $(((t1 - t0) / 1000)) s, every one brought the wqs back" ||
	not_ok "$cycles cycles in $(((t1 - t0) / 1000)) s: $bad did not bring the wqs back"
[ $stalls = 0 ] && [ "${rt:-0}" -gt 0 ] && ok "the workers progressed through every stretch of 12 cycles" ||
	not_ok "the workers progressed through every stretch of 12 cycles ($stalls stalls)"
[ "$fails" = 0 ] && [ "$mism" = 0 ] && [ "${reqs:-0}" -gt 0 ] &&
	ok "$reqs requests, every one completed correctly" ||
	not_ok "$reqs requests: $fails failed, $mism with wrong data or written past dlen"

iaa_snap c1
calls=$((c1_comp_calls + c1_decomp_calls - c0_comp_calls - c0_decomp_calls))

# A CPU keeps the slot its last request freed, for its next one (iaa_crypto_slot.c); a CPU that
# goes down gives it back. The workers stopped, every CPU but cpu0 offline: each wq has at most
# cpu0's slot in use (debugfs wq_stats' slots_in_use).
for c in $hotcpus; do echo 0 >/sys/devices/system/cpu/cpu$c/online 2>/dev/null; done
inuse=$(awk '/^    wq: / { w = $2 } /^    slots_in_use: / { print w "=" $2 }' $D/wq_stats | tr '\n' ' ')
for c in $hotcpus; do echo 1 >/sys/devices/system/cpu/cpu$c/online 2>/dev/null; done
most=$(echo "$inuse" | tr ' ' '\n' | sed -n 's/.*=//p' | sort -n | tail -n 1)
if [ -n "$inuse" ] && [ "${most:-9}" -le 1 ]; then
	ok "CPUs gone offline kept no slot: in use with cpu0 alone online: $inuse"
else
	not_ok "CPUs gone offline kept no slot: in use with cpu0 alone online: $inuse"
fi

# Deterministically: an unbind waits for the request in flight on its wq. Only wq1.0 bound, a
# decompress whose descriptor the device swallows: the unbind may only return once the request
# gave up on it (timeout_ms), and the request still ends with the right data.
old_tmo=$(cat /sys/module/iaa_crypto/parameters/timeout_ms)
echo 3000 >/sys/module/iaa_crypto/parameters/timeout_ms
unbind wq0.0 $DRV && unbind wq0.1 $DRV
hmp "qom-set /machine/peripheral/iaa1 inject op=decompress,never,count=1" >/dev/null
stress start s1 decomp 4096 5 >/dev/null
sleep 0.3
tu=$(ms_now)
unbind wq1.0 $DRV
tu=$(($(ms_now) - tu))
rw=$(stress wait)
echo "$old_tmo" >/sys/module/iaa_crypto/parameters/timeout_ms
setup >/dev/null 2>&1
if [ $tu -ge 1500 ] && [ "$(kv err "$rw")" = 0 ] && [ "$(kv data "$rw")" = ok ]; then
	ok "an unbind waited $tu ms for the request in flight on its wq, which ended right"
else
	not_ok "an unbind waits for the request in flight on its wq: it took $tu ms (want >= 1500 of the 3000 ms timeout); the request: $rw"
fi
sw=$((c1_sw_comp_calls + c1_sw_decomp_calls - c0_sw_comp_calls - c0_sw_decomp_calls))
note "driver: $calls requests, $sw in software, $((c1_rerouted_requests - c0_rerouted_requests)) rerouted"
[ "$calls" = "$reqs" ] && ok "the driver counted exactly the workers' $reqs requests" ||
	not_ok "the driver counted $calls requests, the workers made $reqs"

stress free all >/dev/null
rmmod iaa_stress
ref1=$(cat /sys/module/iaa_crypto/refcnt)
[ "$ref1" = "$ref0" ] && ok "iaa_crypto refcount back to $ref0" ||
	not_ok "iaa_crypto refcount $ref1, was $ref0"

set -- $(memsnap)
slab1=$1 free1=$2
slabs >/tmp/slabs1
dslab=$((slab1 - slab0)) dfree=$((free0 - free1))
note "unreclaimable slab $slab0 -> $slab1 KiB ($dslab), free memory $free0 -> $free1 KiB (used $dfree)"
awk 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d >= 32) print d, $1 }' \
	/tmp/slabs0 /tmp/slabs1 | sort -rn | head -n 8 | while read -r d c; do note "  slab grew: $c +$d KiB"; done
# a leaked wq costs ~1 MiB of bounce buffers, a leaked request its buffers: allow 1 MiB of noise
if grep -q ' __asan_load8$' /proc/kallsyms; then
	# freed objects wait in KASAN's quarantine: the totals say nothing; kmemleak (rel-kmemleak,
	# run after this test on such a kernel) looks for leaks instead
	skip "no leak: slab +$dslab KiB, memory used +$dfree KiB" \
		"KASAN's quarantine holds freed objects; rel-kmemleak checks for leaks on this kernel"
else
	[ $dslab -lt 1024 ] && [ $dfree -lt 4096 ] && ok "no leak: slab +$dslab KiB, memory used +$dfree KiB" ||
		not_ok "no leak: slab +$dslab KiB, memory used +$dfree KiB"
fi

inflight=0
for dev in iaa0 iaa1; do
	s=$(qom_get descs-submitted $dev) c=$(qom_get descs-completed $dev) a=$(qom_get descs-aborted $dev)
	nv=$(qom_get injected-never $dev)
	inflight=$((inflight + s - c - a - nv))
	note "$dev: descriptors submitted $s, completed $c, aborted $a, swallowed by a 'never' rule $nv"
done
[ $inflight = 0 ] && ok "no descriptor left in the devices" || not_ok "$inflight descriptors left in the devices"

# The documented mapping on one node: C online CPUs over K devices with a bound wq, in id
# order: CPU i gets device i*K/C (C >= K), and every bound wq of its device.
want=$(for c in $(seq 0 $((ncpus - 1))); do
	d=$((c * 2 / ncpus))
	echo "cpu $c node 0: $(for w in $(crypto_wqs | grep "^wq$d\."); do printf ' iax%s/%s' $d $w; done)"
done | sed 's/:  /: /')
got=$(cat $D/wq_table)
if [ "$got" = "$want" ] && bound_ok; then
	ok "wq table as documented: $(echo "$got" | tr '\n' ';')"
else
	not_ok "wq table as documented"
	echo "$got" | while read -r l; do note "  got:  $l"; done
	echo "$want" | while read -r l; do note "  want: $l"; done
fi

warnings=$(warn_count)
note "hot unbind: cycles $cycles, requests $reqs, failures $fails, mismatches $mism, leaks: refcount $((ref1 - ref0)), slab +$dslab KiB, descriptors $inflight; warnings $warnings"
[ "$warnings" = 0 ] && dmesg_clean && ok "no warnings in the kernel log" ||
	not_ok "no warnings in the kernel log ($warnings)"
finish
