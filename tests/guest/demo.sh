# The demo: our driver on two virtual IAA devices, zswap on deflate-iaa, a few thousand pages
# out and back with every byte checked, and the figures a user wants to see.
. /tests/lib.sh
plan 5
pages=${DEMO_PAGES:-3000}
dbg=/sys/kernel/debug/iaa-crypto

note "IAA devices: $(iaa_devices | tr '\n' ' ')"
for d in $(iaa_devices); do
	note "  $d: numa_node $(cat /sys/bus/dsa/devices/$d/numa_node 2>/dev/null)," \
		"state $(cat /sys/bus/dsa/devices/$d/state)"
done
bound=$(ls -d /sys/bus/dsa/drivers/crypto/wq* 2>/dev/null | sed 's|.*/||' | tr '\n' ' ')
note "work queues bound to the crypto driver: ${bound:-none}"
[ -n "$bound" ] && ok "idxd default configuration bound the wqs to our driver" ||
	not_ok "idxd default configuration bound the wqs to our driver"

st=$(awk '/^driver/ { d = $3 } /^selftest/ && d == "deflate-iaa" { print $3; exit }' /proc/crypto)
note "deflate-iaa self-test: ${st:-not registered}"
[ "$st" = passed ] && ok "deflate-iaa self-test passed" || not_ok "deflate-iaa self-test passed"

zswap_on deflate-iaa && ok "zswap compressor is deflate-iaa" || not_ok "zswap compressor is deflate-iaa"
echo 0 >/sys/module/zswap/parameters/same_filled_pages_enabled 2>/dev/null
out0=$(vmstat zswpout) in0=$(vmstat zswpin)
zs=/sys/kernel/debug/zswap
if pageout -c "cat $zs/stored_pages $zs/pool_total_size >/tmp/zswap.out" "$pages" >/tmp/pageout.out; then
	ok "$pages pages out and back in, every byte checked"
else
	not_ok "$pages pages out and back in, every byte checked"
fi
note "$(cat /tmp/pageout.out)"
set -- $(cat /tmp/zswap.out 2>/dev/null)
stored=${1:-0} pool=${2:-0}
note "zswap: pages stored while out: $stored, pool size: $pool bytes"
[ "$pool" -gt 0 ] && note "zswap: compression ratio $(echo "scale=2; $stored * 4096 / $pool" | bc 2>/dev/null || echo "$((stored * 4096 / pool))")"
dout=$(($(vmstat zswpout) - out0)) din=$(($(vmstat zswpin) - in0))
note "zswap: zswpout +$dout, zswpin +$din"
[ "$dout" -ge $((pages / 2)) ] && [ "$din" -ge $((pages / 2)) ] &&
	ok "pages went through zswap (zswpout +$dout, zswpin +$din)" ||
	not_ok "pages went through zswap (zswpout +$dout, zswpin +$din)"
zswap_off

if [ -r $dbg/wq_stats ]; then
	note "driver statistics ($dbg/wq_stats):"
	sed 's/^/      /' $dbg/wq_stats | while IFS= read -r l; do note "$l"; done
fi
finish
