# Debian's upstream iaa_crypto on the virtual devices: zswap on deflate-iaa swaps pages out
# and back with every byte checked, in sync and async_irq mode with verify_compress on, and
# /proc/vmstat shows the pages went through zswap.
. /tests/lib.sh
pages=${PAGES:-1200}
plan 4
dmesg_mark
load_driver upstream || { not_ok "upstream iaa_crypto loads"; finish; }
[ "$(proc_crypto_selftest deflate-iaa)" = passed ] && ok "deflate-iaa registered, selftest passed" ||
	not_ok "deflate-iaa registered, selftest '$(proc_crypto_selftest deflate-iaa)'"
echo 1 >/sys/bus/dsa/drivers/crypto/verify_compress
for mode in sync async_irq; do
	zswap_off
	set_sync_mode $mode || { not_ok "$mode: set sync_mode"; continue; }
	zswap_on deflate-iaa || { not_ok "$mode: zswap on deflate-iaa"; continue; }
	o0=$(vmstat zswpout) i0=$(vmstat zswpin)
	out=$(tmo 600 pageout "$pages")
	rc=$?
	do=$(($(vmstat zswpout) - o0)) di=$(($(vmstat zswpin) - i0))
	note "$mode: $out; zswpout +$do zswpin +$di"
	[ $rc -eq 0 ] && [ $do -ge $((pages * 3 / 4)) ] && [ $di -ge $((pages * 3 / 4)) ] &&
		ok "$mode: $pages pages out and in through zswap, every byte checked" ||
		not_ok "$mode: $pages pages out and in through zswap (rc $rc, zswpout +$do, zswpin +$di)"
done
zswap_off
dmesg_clean && ok "no warnings" || not_ok "no warnings"
finish
