# pkg-config: iaa-crypto apply on configurations other than the packaged one, each checked in
# sysfs, then the packaged one again:
#   - -n prints the writes and changes nothing;
#   - one device named (the last), 4 wqs of 16 descriptors, the first 2 engines: that device
#     so, the others untouched;
#   - errors in the file (unknown key, shared mode, a bad value): exit 2, every one reported
#     with its line, nothing changed;
#   - more wqs than the device has: exit 1, the device untouched;
#   - zram_compressor (the package's zram.ko loaded) and zswap enabled on another compressor;
#   - the packaged configuration again: exit 0, as pkg-apply checked it.
. /tests/lib.sh
DRV=/sys/bus/dsa/drivers/crypto
DSA=/sys/bus/dsa/devices
plan 6

# snap: every wq's and engine's configuration, and which wqs are bound
snap() {
	for d in $(iaa_devices); do
		for e in $DSA/$d/engine*; do echo "${e##*/} $(cat $e/group_id)"; done
		for w in $DSA/$d/wq*; do
			echo "${w##*/} $(cat $w/group_id) $(cat $w/size) $(cat $w/mode) $(cat $w/state) $([ -e $DRV/${w##*/} ] && echo bound)"
		done
	done
}

before=$(snap)
out=$(iaa-crypto apply -n 2>&1)
r=$?
nw=$(printf '%s\n' "$out" | grep -c '^  echo ')
[ $r = 0 ] && [ "$nw" -gt 10 ] && [ "$(snap)" = "$before" ] && ok "apply -n: $nw writes printed, nothing changed" ||
	{ not_ok "apply -n: exit $r, $nw writes, changed: $(snap | diff - /dev/null | head -3)"; printf '%s\n' "$out" | head -20 | sed 's/^/    # /'; }

last=$(iaa_devices | tail -n 1)
id=${last#iax}
cat >/tmp/one.conf <<CONF
# one device, small wqs, two engines
devices = $last
wqs = 4
wq_size = 16
wq_priority = 5
engines = 2
CONF
others=$(snap | grep -v -E "^(wq|engine)$id\\.")
out=$(tmo 300 iaa-crypto apply -c /tmp/one.conf 2>&1)
r=$?
why=
i=0
for w in $(ls -d $DSA/$last/wq$id.* | sed 's|.*/||' | sort -t . -k 2 -n); do
	got="$(cat $DSA/$w/group_id) $(cat $DSA/$w/size) $(cat $DSA/$w/priority) $([ -e $DRV/$w ] && cat $DSA/$w/crypto_state)"
	if [ $i -lt 4 ]; then want="0 16 5 in_service"; else want="-1 0 $(cat $DSA/$w/priority) "; fi
	[ "$got" = "$want" ] || why="$why $w: $got, want $want;"
	i=$((i + 1))
done
i=0
for e in $(ls -d $DSA/$last/engine$id.* | sed 's|.*/||' | sort -t . -k 2 -n); do
	g=$(cat $DSA/$e/group_id)
	{ [ $i -lt 2 ] && [ "$g" = 0 ]; } || { [ $i -ge 2 ] && [ "$g" = -1 ]; } || why="$why $e in group $g;"
	i=$((i + 1))
done
[ "$(snap | grep -v -E "^(wq|engine)$id\\.")" = "$others" ] || why="$why another device changed;"
[ $r = 0 ] && [ -z "$why" ] && ok "$last: 4 wqs of 16, priority 5, engines 0 and 1; the other devices untouched" ||
	{ not_ok "$last: 4 wqs of 16, priority 5, engines 0 and 1 (exit $r):$why"; printf '%s\n' "$out" | sed 's/^/    # /'; }

cat >/tmp/bad.conf <<'CONF'
devices = all
wqs = 2
colour = blue
wq_mode = shared
sync_mode = fast
CONF
before=$(snap)
out=$(iaa-crypto apply -c /tmp/bad.conf 2>&1)
r=$?
[ $r = 2 ] && printf '%s\n' "$out" | grep -q "bad.conf:3: unknown key 'colour'" &&
	printf '%s\n' "$out" | grep -q 'wq_mode: the crypto driver binds dedicated wqs only' &&
	printf '%s\n' "$out" | grep -q "sync_mode: 'fast'" && [ "$(snap)" = "$before" ] &&
	ok "errors in the file: exit 2, each reported, nothing changed" ||
	{ not_ok "errors in the file: exit $r"; printf '%s\n' "$out" | sed 's/^/    # /'; }

max=$(cat $DSA/$last/max_work_queues)
printf 'devices = %s\nwqs = %s\n' "$last" $((max + 1)) >/tmp/many.conf
before=$(snap)
out=$(iaa-crypto apply -c /tmp/many.conf 2>&1)
r=$?
[ $r = 1 ] && printf '%s\n' "$out" | grep -q "$last: wqs = $((max + 1)), the device has $max" && [ "$(snap)" = "$before" ] &&
	ok "more wqs than $last has ($((max + 1)) > $max): exit 1, the device untouched" ||
	{ not_ok "more wqs than $last has: exit $r"; printf '%s\n' "$out" | sed 's/^/    # /'; }

# the users: zram (the package's zram.ko, loaded by apply) and zswap enabled
cat >/tmp/users.conf <<'CONF'
zswap_compressor = deflate-iaa-dynamic
zswap_enabled = 1
zram_compressor = deflate-iaa
zram_devices = zram0
CONF
out=$(tmo 300 iaa-crypto apply -c /tmp/users.conf 2>&1)
r=$?
why=
[ "$(cat /sys/module/zram/version 2>/dev/null)" = "$(cat /sys/module/iaa_crypto/version)" ] ||
	why="$why zram is not the package's (version '$(cat /sys/module/zram/version 2>/dev/null)');"
grep -q '\[deflate-iaa\]' /sys/block/zram0/comp_algorithm 2>/dev/null ||
	why="$why zram0: $(cat /sys/block/zram0/comp_algorithm 2>&1);"
[ "$(cat /sys/module/zswap/parameters/compressor)" = deflate-iaa-dynamic ] &&
	[ "$(cat /sys/module/zswap/parameters/enabled)" = Y ] ||
	why="$why zswap $(cat /sys/module/zswap/parameters/enabled) $(cat /sys/module/zswap/parameters/compressor);"
[ $r = 0 ] && [ -z "$why" ] && ok "zram0's compressor deflate-iaa (the package's zram.ko), zswap enabled on deflate-iaa-dynamic" ||
	{ not_ok "zram and zswap keys (exit $r):$why"; printf '%s\n' "$out" | sed 's/^/    # /'; }
echo 0 >/sys/module/zswap/parameters/enabled

out=$(tmo 300 iaa-crypto apply 2>&1)
r=$?
n=0
for w in $(crypto_wqs); do [ "$(cat $DSA/$w/crypto_state)" = in_service ] && n=$((n + 1)); done
wqs=$(sed -n 's/^[[:space:]]*wqs[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' /etc/iaa-crypto.conf)
[ $r = 0 ] && [ $n = $(($(iaa_devices | wc -l) * wqs)) ] && ok "the packaged configuration again: $n wqs in service" ||
	{ not_ok "the packaged configuration again: exit $r, $n wqs in service"; printf '%s\n' "$out" | sed 's/^/    # /'; }
finish
