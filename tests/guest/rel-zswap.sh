# rel-zswap: zswap on deflate-iaa under memory pressure while the devices misbehave. `pressure`
# (tests/progs/pressure.c) keeps more anonymous memory than the guest has busy - every page
# written, checked byte for byte and rewritten on every pass - while a controller, in turn:
# arms fault rules in both devices (decompress analytics errors, compress page faults and
# overflows, watchdog timeouts, late completions - also after the driver's timeout, when the
# page went back to the process - descriptors that never complete, lost interrupts), unbinds
# and rebinds wqs, brings back the wqs a timeout took out of service, switches sync_mode
# (zswap picks it up with a new pool: the compressor is switched between "deflate-iaa" and
# "deflate", which is deflate-iaa too), and halts a device and resets it.
# Passes when no page came back corrupted, no job was killed, zswap really stored and loaded
# pages, the faults reached the driver (device errors counted, decompressions retried in
# software) and the kernel log has no BUG or warning.
#
# The VM: --mem 512 with a 1 GiB swap disk (tools/vm/run --swap), two devices, device latency 0
# (each descriptor completes in its portal write; late= rules still delay). Kernel command line
# knobs: rel.mib=N (default 700), rel.passes=N (default 2), rel.seed=S (1), rel.halt=0 (no
# halt).
. /tests/lib.sh

arg() { karg rel "$1"; }
mib=$(arg mib)
mib=${mib:-700}
passes=$(arg passes)
passes=${passes:-2}
seed=$(arg seed)
seed=${seed:-1}
do_halt=$(arg halt)
do_halt=${do_halt:-1}
DRV=/sys/bus/dsa/drivers/crypto
D=/sys/kernel/debug/iaa-crypto
Z=/sys/module/zswap/parameters
plan 7

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
modprobe virtio_blk 2>/dev/null
dmesg_mark
echo 200 >/sys/module/iaa_crypto/parameters/timeout_ms
echo sync >$DRV/sync_mode
wqs=$(echo $(crypto_wqs))
if zswap_on deflate-iaa; then
	ok "zswap on deflate-iaa, swap $(awk 'NR == 2 { print $3 }' /proc/swaps) KiB, memory $(awk '/MemTotal/ { print $2 }' /proc/meminfo) KiB, wqs $wqs"
else
	not_ok "zswap on deflate-iaa"
	finish
fi

inject() { hmp "qom-set /machine/peripheral/$1 inject $2" | grep -v '^$' >&2; }
# every wq of the test that no CPU's list names is unbound or out of service: bind it again. One
# whose device the driver stopped and reset binds again only once the device is reset and
# enabled, as the kernel log says: after a timeout whose drain failed (the watchdog rule, op=any,
# hits drains too)
repair() {
	for _w in $wqs; do
		grep -q "/$_w\\>" $D/wq_table && continue
		wq_rebind $_w 2>/dev/null && continue
		if iaa_reset "iax$(echo $_w | sed 's/^wq\([0-9]*\)\..*/\1/')" >&2; then
			resets=$((resets + 1))
		else
			echo "rebind $_w failed" >&2
		fi
	done
}
mode=sync
next_mode() {
	case $mode in sync) mode=async ;; async) mode=async_irq ;; *) mode=sync ;; esac
	echo $mode >$DRV/sync_mode
	# a new pool: new transforms, which read sync_mode
	case $(cat $Z/compressor) in
	deflate-iaa) echo deflate >$Z/compressor ;;
	*) echo deflate-iaa >$Z/compressor ;;
	esac
}

iaa_snap s0
o0=$(vmstat zswpout) i0=$(vmstat zswpin)
inj0=$(($(qom_get injected iaa0) + $(qom_get injected iaa1)))

pressure -j 2 -p "$passes" -x "$seed" "$mib" >/tmp/pressure.out 2>&1 &
pid=$!
t0=$(ms_now)
n=0 halts=0 rebinds=0 switches=0 resets=0
actions="dec-err comp-fault mode comp-overflow late rebind never repair late-past watchdog mode lost-irq repair halt repair"
while kill -0 $pid 2>/dev/null; do
	n=$((n + 1))
	set -- $actions
	shift $(((n - 1) % $#))
	dev=iaa$((n % 2))
	case $1 in
	dec-err) inject $dev "op=decompress,status=analytics,error=5,every=5,count=20" ;;
	comp-fault) inject $dev "op=compress,status=page-fault,every=4,count=20" ;;
	comp-overflow) inject $dev "op=compress,status=analytics,error=0x19,every=3,count=20" ;;
	watchdog) inject $dev "op=any,status=watchdog,every=6,count=10" ;;
	late) inject $dev "op=any,late=2ms,count=100" ;;
	never) inject $dev "op=decompress,never,count=1" ;;
	# completes after the driver gave up: the page went back to the process meanwhile
	late-past) inject $dev "op=decompress,late=500ms,count=2" ;;
	lost-irq) inject $dev "lost-irq,count=2" ;;
	rebind)
		set -- $wqs
		shift $((n % $#))
		wq_rebind $1 && rebinds=$((rebinds + 1))
		;;
	repair) repair ;;
	mode) next_mode && switches=$((switches + 1)) ;;
	halt)
		if [ "$do_halt" = 1 ] && [ $halts = 0 ]; then
			hmp "qom-set /machine/peripheral/iaa1 halt true" >/dev/null
			sleep 0.5
			iaa_reset iax1 >&2 && halts=1
		fi
		;;
	esac
	sleep 1
done
wait $pid
rc=$?
t1=$(ms_now)
inject iaa0 clear
inject iaa1 clear
repair
iaa_snap s1
dout=$(($(vmstat zswpout) - o0)) din=$(($(vmstat zswpin) - i0))
injected=$(($(qom_get injected iaa0) + $(qom_get injected iaa1) - inj0))
errors=0
for s in einval timeout comp_buf_overflow fault hw; do
	eval "errors=\$((errors + s1_completion_${s}_errors - s0_completion_${s}_errors))"
done
swd=$((s1_sw_decomp_calls - s0_sw_decomp_calls))
note "$(cat /tmp/pressure.out | tr '\n' ' ')"
note "$n controller steps in $(((t1 - t0) / 1000)) s: $rebinds rebinds, $switches sync_mode switches, $halts halts, $resets devices reset to rebind their wq; final sync_mode $mode"
note "zswpout +$dout, zswpin +$din; device: $injected rule firings; driver: $errors device errors, $swd decompressions in software, $((s1_comp_calls - s0_comp_calls)) compress and $((s1_decomp_calls - s0_decomp_calls)) decompress calls"

grep -q ' 0 corrupted' /tmp/pressure.out && [ $rc = 0 ] &&
	ok "every byte of $mib MiB came back through every pass" ||
	not_ok "every byte of $mib MiB came back through every pass (pressure exit $rc)"
[ $dout -ge 10000 ] && [ $din -ge 10000 ] && ok "zswap stored and loaded pages (zswpout +$dout, zswpin +$din)" ||
	not_ok "zswap stored and loaded pages (zswpout +$dout, zswpin +$din, want 10000 each)"
[ $injected -gt 0 ] && [ $errors -gt 0 ] && [ $swd -gt 0 ] &&
	ok "the faults reached the driver ($injected fired, $errors device errors, $swd software decompressions)" ||
	not_ok "the faults reached the driver ($injected fired, $errors device errors, $swd software decompressions)"
[ "$(echo $(crypto_wqs))" = "$wqs" ] && [ "$(grep -c none $D/wq_table)" = 0 ] &&
	ok "every wq bound and in service at the end ($wqs)" ||
	not_ok "every wq bound and in service at the end: $(echo $(crypto_wqs)); $(tr '\n' ' ' <$D/wq_table)"
zswap_off
oom=$(dmesg_since | grep -c -E 'Out of memory|oom-kill')
bugs=$(dmesg_since | grep -c -E 'BUG:|kernel BUG|Oops')
warnings=$(warn_count)
note "zswap under faults: $mib MiB, page checks $(sed -n 's/.* \([0-9]*\) page checks.*/\1/p' /tmp/pressure.out), corrupted pages $(sed -n 's/.* \([0-9]*\) corrupted.*/\1/p' /tmp/pressure.out), faults injected $((injected + halts)), BUGs $bugs, warnings $warnings, OOM kills $oom"
[ "$oom" = 0 ] && ok "no OOM kill" || not_ok "no OOM kill ($oom lines)"
[ "$warnings" = 0 ] && dmesg_clean && ok "no BUG or warning in the kernel log" ||
	not_ok "no BUG or warning in the kernel log ($warnings)"
finish
