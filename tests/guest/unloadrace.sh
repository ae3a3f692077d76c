# unloadrace: rmmod while wqs are being bound. The first wq stays bound; a background process
# per other wq binds it and unbinds it again as fast as it can (/sys/bus/dsa/drivers/crypto/bind
# and unbind, configuring it before each bind), while the module is removed and loaded again N
# times (default 30; kernel command line unloadrace.n=N). A bind that runs while the module goes
# must not register deflate-iaa again: after every rmmod /proc/crypto has no deflate-iaa
# (reading it would touch the module's freed memory if it had), the module is gone, and loading
# it again binds the wqs and registers the algorithm with its self-test passed. No bind fails:
# on a kernel with crypto self-tests (Debian's) registering an algorithm of a module that is
# going away fails (-ENOENT, the self-test cannot pin the module), so a bind that tries it fails
# with "registering deflate-iaa failed"; without self-tests it would succeed and leave the
# algorithm behind. The kernel log stays clean. The driver is left loaded with the wqs bound.
. /tests/lib.sh
plan 6
n=$(karg unloadrace n)
n=${n:-30}
DRV=/sys/bus/dsa/drivers/crypto
STOP=/tmp/unloadrace.stop

if grep -q '\<iaa\.driver=upstream\>' /proc/cmdline; then
	for i in 1 2 3 4 5 6; do skip "unload race" "Debian's upstream driver is loaded"; done
	finish
fi
[ -d $DRV ] || load_driver ours >/dev/null 2>&1
wqs=$(crypto_wqs)
anchor=$(echo $wqs | cut -d' ' -f1)
flip=$(echo $wqs | cut -d' ' -f2-)
[ "$flip" = "$anchor" ] && flip=
if [ -z "$flip" ]; then
	for i in 1 2 3 4 5 6; do skip "unload race" "needs two wqs bound (found: $wqs)"; done
	finish
fi
note "$n cycles; stays bound: $anchor; bound and unbound meanwhile: $flip"
dmesg_mark

# flip WQ: bind and unbind WQ until told to stop; counts the binds that worked. While a bind
# is under way, /tmp/unloadrace.binding.WQ exists.
flip() {
	_b=0
	while [ ! -e $STOP ]; do
		if [ ! -d $DRV ]; then
			sleep 0.02
			continue
		fi
		if wq_config "$1" 2>/dev/null; then
			: >/tmp/unloadrace.binding.$1
			{ echo "$1" >$DRV/bind && _b=$((_b + 1)); } 2>/dev/null
			rm -f /tmp/unloadrace.binding.$1
		fi
		{ echo "$1" >$DRV/unbind; } 2>/dev/null
	done
	echo $_b >/tmp/unloadrace.binds.$1
}
# binding: whether a bind is under way
binding() { set -- /tmp/unloadrace.binding.*; [ -e "$1" ]; }

rm -f $STOP /tmp/unloadrace.binds.* /tmp/unloadrace.binding.*
pids=
for w in $flip; do
	flip "$w" &
	pids="$pids $!"
done

bad_rm= bad_alg= bad_load= retries=0 done_cycles=0 during=0
for i in $(seq 1 "$n"); do
	# most cycles: rmmod as soon as a bind has started (2 s at most); every fourth: at once
	if [ $((i % 4)) != 0 ]; then
		for t in $(seq 1 2000); do binding && break; done
	fi
	binding && during=$((during + 1))
	gone=0
	for t in $(seq 1 50); do
		if rmmod iaa_crypto 2>/dev/null; then
			gone=1
			break
		fi
		retries=$((retries + 1))
		sleep 0.1
	done
	if [ $gone = 0 ] || [ -d /sys/module/iaa_crypto ]; then
		bad_rm="$bad_rm $i"
		break
	fi
	grep -q 'deflate-iaa' /proc/crypto && bad_alg="$bad_alg $i"
	# idxd reset the unbound wqs: configure them so that loading binds them
	for w in $wqs; do wq_config "$w" 2>/dev/null; done
	if ! load_driver ours >/tmp/unloadrace.out 2>&1; then
		bad_load="$bad_load $i:insmod"
		sed "s/^/    # cycle $i: /" /tmp/unloadrace.out
		break
	fi
	for t in $(seq 1 100); do
		[ -e $DRV/$anchor ] && [ "$(proc_crypto_selftest deflate-iaa)" = passed ] && break
		sleep 0.1
	done
	[ -e $DRV/$anchor ] && [ "$(proc_crypto_selftest deflate-iaa)" = passed ] ||
		bad_load="$bad_load $i:$(echo $(crypto_wqs)):selftest=$(proc_crypto_selftest deflate-iaa)"
	done_cycles=$i
done

touch $STOP
for p in $pids; do wait $p; done
binds=0
for f in /tmp/unloadrace.binds.*; do binds=$((binds + $(cat $f))); done
rm -f $STOP /tmp/unloadrace.binds.*
note "binds by the background processes: $binds; rmmods begun during a bind: $during; rmmod retried $retries times (module busy)"

# leave the driver as found
[ -d /sys/module/iaa_crypto ] || load_driver ours >/dev/null 2>&1
for w in $wqs; do
	[ -e $DRV/$w ] || { wq_config "$w" && echo "$w" >$DRV/bind; }
done

[ -z "$bad_rm" ] && [ "$done_cycles" = "$n" ] && ok "$n cycles: rmmod works while wqs are bound" ||
	not_ok "$n cycles: rmmod works while wqs are bound (done $done_cycles; failed in cycle$bad_rm)"
[ -z "$bad_alg" ] && [ "$done_cycles" = "$n" ] && ok "no deflate-iaa in /proc/crypto after any rmmod" ||
	not_ok "no deflate-iaa in /proc/crypto after any rmmod (left in cycles$bad_alg)"
[ -z "$bad_load" ] && [ "$done_cycles" = "$n" ] &&
	ok "every load binds $anchor and registers deflate-iaa, self-test passed" ||
	not_ok "every load binds $anchor and registers deflate-iaa, self-test passed (failed:$bad_load)"
fails=$(dmesg_since | grep -E 'registering deflate-iaa failed|probe with driver crypto failed')
[ -z "$fails" ] && ok "no bind failed (none tried to register deflate-iaa while the module went)" || {
	not_ok "no bind failed (none tried to register deflate-iaa while the module went): $(echo "$fails" | wc -l) failures"
	echo "$fails" | head -n 4 | sed 's/^/    # /'
}
[ "$(echo $(crypto_wqs))" = "$(echo $wqs)" ] && ok "driver loaded with $(echo $wqs) bound at the end" ||
	not_ok "driver loaded with $(echo $wqs) bound at the end: $(echo $(crypto_wqs))"
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
