# rel-roundtrip: long random round trips. iaa_stress "rt": round trip i (compress into
# 2 * size + 256 bytes, decompress into exactly size bytes, compare, guard bytes after both
# destinations) has its size (60% up to 256 B, 30% up to 2 KiB, 9% up to 4 KiB, the rest up to
# 32 KiB), data (zeros, random, text, small integers, records, mixtures), transform (sync with
# and without verify_compress, async, async_irq), scatterlist layout and CPU drawn from the
# seed and i alone. The seed is printed; a failure names its round trip, and
#   tools/vm/run <same options> --append rel.seed=SEED --append rel.first=I --append rel.rt=1
# replays it.
#
# Kernel command line knobs: rel.rt=N (default 1000000), rel.seed=S (default: random),
# rel.first=I (default 0), rel.mix=WEIGHTS (default s1:9,s0:9,a1:1,i1:1).
. /tests/lib.sh

arg() { karg rel "$1"; }
count=$(arg rt)
count=${count:-1000000}
seed=$(arg seed)
seed=${seed:-$(($(od -An -N4 -tu4 /dev/urandom) + 0))}
first=$(arg first)
first=${first:-0}
mix=$(arg mix)
mix=${mix:-s1:9,s0:9,a1:1,i1:1}
DRV=/sys/bus/dsa/drivers/crypto
plan 4

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
dmesg_mark
if ! insmod $MODDIR/updates/iaa_stress.ko; then
	not_ok "iaa_stress loaded"
	finish
fi
for t in s1:sync:1 a1:async:1 i1:async_irq:1 s0:sync:0; do
	tn=${t%%:*} tv=${t##*:} tm=${t#*:}
	echo ${tm%:*} >$DRV/sync_mode && echo $tv >$DRV/verify_compress && stress tfm $tn >/dev/null
done
echo sync >$DRV/sync_mode
echo 1 >$DRV/verify_compress
note "seed $seed: $count round trips from $first, transforms $mix, $(grep -c ^processor /proc/cpuinfo) CPUs"
iaa_snap a
t0=$(ms_now)
r=$(tmo 3000 sh -c "echo rt $seed $count $mix $first >$STRESS; cat $STRESS")
t1=$(ms_now)
iaa_snap b
stress free all >/dev/null
rmmod iaa_stress
note "$(echo "$r" | head -n 1)"
echo "$r" | grep '^#' | head -n 8 | while IFS= read -r l; do note "  $l"; done
dmesg_since | grep 'iaa_stress: FAIL' | head -n 8 | sed 's/^\[[^]]*\] //' | while IFS= read -r l; do
	note "  $l"
done
n=$(kv roundtrips "$r")
bad=$(($(kv mismatches "$r") + $(kv guard "$r")))
fails=$(($(kv failures "$r") + $(kv lost "$r")))
ms=$((t1 - t0))
note "driver: $((b_comp_calls - a_comp_calls)) compress, $((b_decomp_calls - a_decomp_calls)) decompress calls, $((b_bounced_requests - a_bounced_requests)) bounced, $((b_sw_comp_calls + b_sw_decomp_calls - a_sw_comp_calls - a_sw_decomp_calls)) in software"
note "round trips: $n in $((ms / 1000)) s ($((${n:-0} * 1000 / (ms + 1))) per second), mismatches $bad, failures $fails, seed $seed"
[ "$n" = "$count" ] && ok "$n round trips ran (seed $seed)" || not_ok "$n round trips of $count ran (seed $seed)"
[ "$bad" = 0 ] && ok "zero mismatches" ||
	not_ok "$bad mismatches: replay with --append rel.seed=$seed --append rel.first=I --append rel.rt=1"
[ "$fails" = 0 ] && ok "no request failed" || not_ok "$fails requests failed (seed $seed)"
[ "$(warn_count)" = 0 ] && dmesg_clean && ok "no warnings in the kernel log" ||
	not_ok "no warnings in the kernel log"
finish
