# rel-stall: a submitter stalled between formatting its descriptor and the portal write, for
# longer than timeout_ms, as a preempted or throttled submitter can be. Nobody but the
# submitter may end a request before its portal write has returned, so the stall only delays
# it: no deadline runs meanwhile and no drain goes ahead of its descriptor.
#
# The driver's test build (make module-hooks: iaa_crypto.h, IAA_CRYPTO_TEST_HOOKS) has a
# module parameter, test_stall_submit_ms, that stalls the next submission. It is loaded in
# place of the driver for this test, unless the loaded driver is a test build already (make
# check-broken's publish variant), and the driver is loaded again at the end.
#
# In async and in async_irq mode, with only iax0's wq0.0 bound and timeout_ms 300: request A,
# a compress of 4 KiB, stalls 750 ms before its portal write; meanwhile request B, a
# decompress on the same wq, keeps the poller scanning (async) or arms the watchdog
# (async_irq). A's descriptor completes 200 ms after it reaches the device (a late rule on
# compress descriptors), so that a write after A's end cannot hide behind it. Then: A
# succeeds and its output inflates back to its input, nothing is written past its dlen, and
# its destination stays untouched for 1 s after A ended; B succeeds; the wq stays in service.
# With the stage published before the portal write (the broken variant), A times out while
# stalled, its drain completes at once (nothing is ahead of it in the wq), A ends, and its
# descriptor writes A's destination afterwards.
. /tests/lib.sh

tmo_ms=300
stall_ms=750
late_ms=200
post_ms=1000
modes="async async_irq"
plan $((3 * 2 + 3))

DRV=/sys/bus/dsa/drivers/crypto
PARAM=/sys/module/iaa_crypto/parameters
DEV=/machine/peripheral/iaa0
T=/sys/kernel/debug/iaa-crypto/wq_table
inject() { hmp "qom-set $DEV inject $1" | grep -v '^$' >&2; }

# bind_only_wq00: iax0's wq0.0 bound to the driver just loaded, no other wq
bind_only_wq00() {
	for _w in $(crypto_wqs | grep -v '^wq0\.0$'); do echo $_w >$DRV/unbind; done
	[ -e $DRV/wq0.0 ] || wq_rebind wq0.0
	[ "$(crypto_wqs)" = wq0.0 ]
}

swapped=
why=
if [ ! -e $PARAM/test_stall_submit_ms ]; then
	if [ ! -e $MODDIR/hooks/iaa_crypto.ko ]; then
		for i in $(seq 1 $((3 * 2 + 3))); do skip "stalled submitter" "no test build in the image"; done
		finish
	fi
	[ ! -d /sys/module/iaa_stress ] || rmmod iaa_stress
	if [ -d /sys/module/iaa_crypto ]; then
		unload_driver || why="$why unloading the driver failed;"
	fi
	modprobe idxd
	insmod $MODDIR/hooks/iaa_crypto.ko || why="$why loading the test build failed;"
	swapped=1
fi
dmesg_mark
old_tmo=$(cat $PARAM/timeout_ms)
bind_only_wq00 || why="$why wq0.0 could not be bound alone ($(crypto_wqs));"
echo "$tmo_ms" >$PARAM/timeout_ms
insmod $MODDIR/updates/iaa_stress.ko || why="$why iaa_stress not loaded;"
for m in $modes; do
	echo $m >$DRV/sync_mode && stress tfm $m >/dev/null || why="$why no $m transform;"
done
echo sync >$DRV/sync_mode
[ -e $PARAM/test_stall_submit_ms ] || why="$why not a test build;"
if [ -z "$why" ]; then
	ok "setup: the driver's test build, wq0.0 alone, timeout_ms $tmo_ms"
else
	not_ok "setup:$why"
fi

for m in $modes; do
	name="$m: a submitter stalled ${stall_ms} ms before its portal write"
	inject "op=compress,late=${late_ms}ms,count=1"
	echo $stall_ms >$PARAM/test_stall_submit_ms
	stress start $m comp 4096 41 $post_ms >/dev/null
	sleep 0.1
	rb=$(stress one $m decomp 4096 42)
	ra=$(stress wait)
	inject clear
	why=
	[ "$(kv err "$ra")" = 0 ] || why="$why errno $(kv err "$ra"), want 0;"
	[ "$(kv data "$ra")" = ok ] || why="$why data differs;"
	[ "$(kv guard "$ra")" = ok ] || why="$why wrote past dlen;"
	# mdelay() under TCG is only roughly its length: twice the timeout is what matters
	[ "$(kv us "$ra")" -ge $((2 * tmo_ms * 1000)) ] 2>/dev/null ||
		why="$why took $(kv us "$ra") us: the stall did not outlast the timeout;"
	if [ -z "$why" ]; then
		ok "$name: completed, $(kv us "$ra") us"
	else
		not_ok "$name:$why"
		note "  result: $ra"
	fi
	if [ "$(kv post "$ra")" = ok ]; then
		ok "$name: destination untouched for $post_ms ms after the end"
	else
		not_ok "$name: destination written after the request was over ($(kv post "$ra"))"
	fi
	why=
	[ "$(kv err "$rb")" = 0 ] && [ "$(kv data "$rb")" = ok ] || why="$why request B: $rb;"
	grep -q 'iax0/wq0.0' $T || why="$why wq0.0 out of service;"
	if [ -z "$why" ]; then
		ok "$m: the other request completed, wq0.0 in service"
	else
		not_ok "$m:$why"
		wq_rebind wq0.0 || note "rebind failed"
	fi
	echo 0 >$PARAM/test_stall_submit_ms
done

stress free all >/dev/null
rmmod iaa_stress
echo "$old_tmo" >$PARAM/timeout_ms
[ "$(cat $PARAM/test_stall_submit_ms)" = 0 ] && dmesg_clean &&
	ok "no stall left armed, no warning in the kernel log" ||
	not_ok "no stall left armed ($(cat $PARAM/test_stall_submit_ms)), no warning in the kernel log"
if [ -n "$swapped" ]; then
	why=
	unload_driver || why="$why unloading the test build failed;"
	load_driver ours || why="$why loading the driver again failed;"
	bind_only_wq00 || why="$why wq0.0 not bound again;"
	[ ! -e $PARAM/test_stall_submit_ms ] || why="$why still the test build;"
	[ -z "$why" ] && ok "the driver loaded again in place of the test build" ||
		not_ok "the driver loaded again in place of the test build:$why"
else
	ok "the loaded driver was the test build already: left loaded"
fi
finish
