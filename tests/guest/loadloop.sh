# loadloop: load the driver, bind its wqs, run a short iaa_test, unbind and unload, N times
# (default 20; kernel command line loadloop.n=N): every cycle works, the module's reference
# count is 0 before each rmmod, the kmalloc caches do not grow with the cycles, kmemleak (if
# the kernel has it) finds nothing, and the kernel log stays clean. The driver is left loaded
# and bound as it was found.
. /tests/lib.sh
plan 7
n=$(sed -n 's/.*\<loadloop\.n=\([0-9]*\).*/\1/p' /proc/cmdline)
n=${n:-20}
DRV=/sys/bus/dsa/drivers/crypto
KL=/sys/kernel/debug/kmemleak
ko=$MODDIR/updates/iaa_test.ko

if grep -q '\<iaa\.driver=upstream\>' /proc/cmdline; then
	for i in 1 2 3 4 5 6 7; do skip "cycle our driver" "Debian's upstream driver is loaded"; done
	finish
fi
[ -d $DRV ] || load_driver ours >/dev/null 2>&1
wqs=$(crypto_wqs)
note "$n cycles; wqs: $(echo $wqs)"
[ -n "$wqs" ] || { for i in 1 2 3 4 5 6 7; do not_ok "no wq bound to the crypto driver"; done; finish; }

# kmalloc caches: "name active_objs" after flushing the per-CPU slabs, so that the counts are
# exact (SLUB counts objects in CPU slabs as in use)
slabs() {
	for s in /sys/kernel/slab/kmalloc-*; do
		[ -L "$s" ] || echo 1 >"$s/shrink" 2>/dev/null
	done
	# the plain kmalloc caches: the driver's allocations are neither accounted to a
	# cgroup (kmalloc-cg-*, where the shell's own processes show) nor reclaimable
	awk '$1 ~ /^kmalloc-[0-9]/ { print $1, $2 }' /proc/slabinfo
}

[ -w $KL ] && echo clear >$KL
dmesg_mark
bad_load= bad_test= bad_ref= bad_rm= ok_cycles=0
for i in $(seq 1 "$n"); do
	# bind (the first cycle finds them bound); idxd reset them at the last unbind
	if [ "$i" -gt 1 ]; then
		load_driver ours >/tmp/ll.out 2>&1 || { bad_load="$bad_load $i:insmod"; break; }
		for w in $wqs; do
			wq_config "$w" && echo "$w" >$DRV/bind || bad_load="$bad_load $i:$w"
		done
	fi
	[ "$(echo $(crypto_wqs))" = "$(echo $wqs)" ] || bad_load="$bad_load $i:bound=$(echo $(crypto_wqs))"
	# exercise
	t=ll$$_$i
	tmo 600 insmod $ko alg=deflate-iaa suite=roundtrip,enospc quick=1 seed=$i tag=$t
	res=$(cat /sys/kernel/debug/iaa_test/results)
	rmmod iaa_test 2>/dev/null
	if ! echo "$res" | grep -q '^# done' || echo "$res" | grep -q '^not ok'; then
		bad_test="$bad_test $i"
		[ "$(echo $bad_test | wc -w)" -le 2 ] && echo "$res" | grep -v '^ok' | sed "s/^/    # cycle $i: /"
	fi
	# unload
	ref=$(cat /sys/module/iaa_crypto/refcnt 2>/dev/null)
	[ "$ref" = 0 ] || bad_ref="$bad_ref $i:$ref"
	unload_driver >/tmp/ll.out 2>&1 && [ ! -d /sys/module/iaa_crypto ] ||
		{ bad_rm="$bad_rm $i"; sed "s/^/    # cycle $i: /" /tmp/ll.out; break; }
	case $i in
	5 | 10 | 15 | 20) slabs >/tmp/ll.slab$i ;;
	esac
	ok_cycles=$i
done

# leave the driver as found
if [ ! -d /sys/module/iaa_crypto ]; then
	load_driver ours >/dev/null 2>&1
	for w in $wqs; do wq_config "$w" && echo "$w" >$DRV/bind; done
fi

[ -z "$bad_load" ] && [ "$ok_cycles" = "$n" ] && ok "$n cycles: load and bind" ||
	not_ok "$n cycles: load and bind (done $ok_cycles; failed:$bad_load)"
[ -z "$bad_test" ] && [ "$ok_cycles" = "$n" ] && ok "$n cycles: iaa_test roundtrip,enospc passes" ||
	not_ok "$n cycles: iaa_test roundtrip,enospc passes (failed in cycles$bad_test)"
[ -z "$bad_ref" ] && ok "module refcount 0 before every rmmod" ||
	not_ok "module refcount 0 before every rmmod:$bad_ref"
[ -z "$bad_rm" ] && [ "$ok_cycles" = "$n" ] && ok "unbind and rmmod work every time" ||
	not_ok "unbind and rmmod work every time (failed in cycle$bad_rm)"

# A leak of an object per cycle grows a cache by at least 5 in every 5-cycle interval; the rest
# of the kernel's allocations move caches by bursts (seen: kmalloc-8 +16, +45, +2). Flag a cache
# that grew by at least one object per cycle in each of the three intervals.
if [ -f /tmp/ll.slab5 ] && [ -f /tmp/ll.slab20 ]; then
	grown=$(awk '
		FILENAME ~ /slab5$/ { a[$1] = $2 } FILENAME ~ /slab10$/ { b[$1] = $2 }
		FILENAME ~ /slab15$/ { c[$1] = $2 } FILENAME ~ /slab20$/ { d[$1] = $2 }
		END {
			for (k in d) {
				if (!(k in a)) continue
				g = d[k] - a[k]
				if (g > 0) printf "# %s: %d -> %d -> %d -> %d\n", k, a[k], b[k], c[k], d[k]
				if (b[k] - a[k] >= 5 && c[k] - b[k] >= 5 && d[k] - c[k] >= 5)
					printf "LEAK %s +%d\n", k, g
			}
		}' /tmp/ll.slab5 /tmp/ll.slab10 /tmp/ll.slab15 /tmp/ll.slab20)
	echo "$grown" | grep '^#' | sed 's/^/    /'
	leaks=$(echo "$grown" | grep '^LEAK' | sed 's/^LEAK //' | tr '\n' ' ')
	[ -z "$leaks" ] && ok "kmalloc caches stable over cycles 5..20" ||
		not_ok "kmalloc caches stable over cycles 5..20: $leaks"
else
	skip "kmalloc caches stable over cycles 5..20" "fewer than 20 cycles"
fi

if [ -w $KL ]; then
	echo scan >$KL
	sleep 1
	echo scan >$KL
	leaks=$(grep -c '^unreferenced object' $KL)
	[ "$leaks" = 0 ] && ok "kmemleak: nothing unreferenced" || {
		not_ok "kmemleak: $leaks unreferenced objects"
		head -n 40 $KL | sed 's/^/    # /'
	}
else
	skip "kmemleak" "kernel without CONFIG_DEBUG_KMEMLEAK"
fi
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
