# wqtable: the driver's per-CPU wq table (debugfs iaa-crypto/wq_table, one line per online CPU:
# "cpu N node M: iaxD/wqD.W ..." or "cpu N node M: none") against the mapping computed here
# from /sys, after load, after unbinding one wq, with no wq bound, after rebinding, with two wqs
# on one device, and with a CPU offline; then requests from every CPU still work.
#
# The mapping (documented at the top of iaa_crypto_wq_table.c):
#  1. a device's home node is its NUMA node if that node has online CPUs, else the nearest
#     node that has (node distance, lowest id on ties); a device without a node (-1) is on the
#     first node with online CPUs; devices without a usable (bound) wq take no part
#  2. a CPU is served by the devices homed on the nearest node (its own first) that has some
#  3. the C CPUs served by one home node, in id order, are spread over its K devices in id
#     order: CPU i gets device i*K/C if C >= K, else devices ceil(i*K/C) .. ceil((i+1)*K/C)-1
#  4. a CPU's wqs are all bound wqs of its devices, by device and wq id
. /tests/lib.sh
plan 10
T=/sys/kernel/debug/iaa-crypto/wq_table
DRV=/sys/bus/dsa/drivers/crypto

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
if [ ! -r $T ]; then
	for c in load unbind-one unbind-all rebind two-wqs cpu-offline cpu-online requests warnings; do
		skip "$c" "no $T (not our driver?)"
	done
	skip "table readable" "no $T"
	finish
fi

# expand "0-2,5" into "0 1 2 5"
expand() {
	echo "$1" | tr ',' '\n' | while IFS=- read -r a b; do
		[ -n "$a" ] && seq "$a" "${b:-$a}"
	done | tr '\n' ' '
}

# The input of the computation: cpu, dist and dev lines.
facts() {
	for c in $(expand "$(cat /sys/devices/system/cpu/online)"); do
		n=$(ls -d /sys/devices/system/cpu/cpu$c/node* 2>/dev/null | head -n 1)
		n=${n##*node}
		echo "cpu $c ${n:-0}"
	done
	nodes=$(expand "$(cat /sys/devices/system/node/online 2>/dev/null || echo 0)")
	for a in $nodes; do
		set -- $(cat /sys/devices/system/node/node$a/distance 2>/dev/null)
		for b in $nodes; do
			echo "dist $a $b ${1:-10}"
			[ $# -gt 0 ] && shift
		done
	done
	for d in $(iaa_devices); do
		id=${d#iax}
		n=$(cat /sys/bus/dsa/devices/$d/numa_node 2>/dev/null || echo -1)
		echo "dev $id $n $(ls -d $DRV/wq$id.* 2>/dev/null | sed 's|.*/||' | sort -t. -k2 -n | tr '\n' ' ')"
	done
}

expected() {
	facts | awk '
	function nearest(from, set,    n, best, bd) {
		if (from in set)
			return from
		best = -1
		for (n = 0; n <= maxnode; n++) {
			if (!(n in set))
				continue
			if (best < 0 || dist[from, n] < bd) {
				best = n
				bd = dist[from, n]
			}
		}
		return best
	}
	BEGIN { ncpu = 0; ndev = 0; maxnode = 0 }
	$1 == "cpu" { cpus[ncpu++] = $2; cnode[$2] = $3; cpunodes[$3] = 1
		      if ($3 > maxnode) maxnode = $3 }
	$1 == "dist" { dist[$2, $3] = $4; if ($2 > maxnode) maxnode = $2 }
	$1 == "dev" && NF > 3 { did[ndev] = $2; dnode[ndev] = $3
		wqs = ""; for (i = 4; i <= NF; i++) wqs = wqs " iax" $2 "/" $i
		dwqs[ndev++] = wqs }
	END {
		for (c in cpunodes) if (first == "" || c + 0 < first) first = c + 0
		for (i = 0; i < ndev; i++) {
			h = nearest(dnode[i] < 0 ? first : dnode[i], cpunodes)
			home[i] = h
			homes[h] = 1
		}
		# devices by (home, id)
		for (i = 0; i < ndev; i++) ord[i] = i
		for (i = 1; i < ndev; i++)
			for (j = i; j > 0; j--) {
				a = ord[j - 1]; b = ord[j]
				if (home[a] < home[b] || (home[a] == home[b] && did[a] + 0 < did[b] + 0))
					break
				ord[j - 1] = b; ord[j] = a
			}
		for (i = 0; i < ndev; i++) {
			h = home[ord[i]]
			if (!(h in gfirst)) gfirst[h] = i
			gk[h]++
		}
		for (i = 0; i < ncpu; i++) {
			if (ndev) { g[i] = nearest(cnode[cpus[i]], homes); gc[g[i]]++ }
		}
		for (i = 0; i < ncpu; i++) {
			line = "cpu " cpus[i] " node " cnode[cpus[i]] ":"
			if (!ndev) { print line " none"; continue }
			h = g[i]; k = gk[h]; c = gc[h]; idx = gnext[h]++
			if (c >= k) { a0 = int(idx * k / c); a1 = a0 + 1 }
			else { a0 = int((idx * k + c - 1) / c); a1 = int(((idx + 1) * k + c - 1) / c) }
			for (a = a0; a < a1; a++) line = line dwqs[ord[gfirst[h] + a]]
			print line
		}
	}'
}

actual() { sed 's/[[:space:]]*$//' $T; }

# check_table NAME: compare, allowing a second for an asynchronous rebuild
check_table() {
	for _try in 1 2 3; do
		expected >/tmp/wqt.exp
		actual >/tmp/wqt.act
		cmp -s /tmp/wqt.exp /tmp/wqt.act && break
		sleep 1
	done
	if cmp -s /tmp/wqt.exp /tmp/wqt.act; then
		ok "$1"
		sed 's/^/    # /' /tmp/wqt.act
	else
		not_ok "$1"
		note "expected:"
		sed 's/^/    #   /' /tmp/wqt.exp
		note "wq_table:"
		sed 's/^/    #   /' /tmp/wqt.act
		note "from:"
		facts | sed 's/^/    #   /'
	fi
}

dmesg_mark
[ -n "$(cat $T)" ] && ok "table readable" || not_ok "table readable"
check_table "after load"

all=$(crypto_wqs)
one=$(echo "$all" | head -n 1)
note "bound wqs: $(echo $all)"
if [ -n "$one" ] && echo "$one" >$DRV/unbind; then
	check_table "after unbinding $one"
else
	not_ok "after unbinding one wq: could not unbind '$one'"
fi
crypto_unbind_all
check_table "no wq bound"
_unbound="$all"
if crypto_rebind_all; then
	check_table "after rebinding $(echo $all)"
else
	not_ok "after rebinding: could not bind $(echo $all)"
fi

# two wqs on the first device: its wq0 halved, wq1 a quarter of the device's wq space (sizes
# change only with the device disabled)
w0=$(echo "$all" | head -n 1)
id=${w0#wq}
id=${id%%.*}
dev=/sys/bus/dsa/devices/iax$id
total=$(cat $dev/max_work_queues_size 2>/dev/null)
size0=$(cat $dev/$w0/size 2>/dev/null)
# resize SIZE0 [SIZE1]: disabling the device clears its whole configuration (engines too)
resize() {
	echo "$w0" >$DRV/unbind 2>/dev/null
	echo "wq$id.1" >$DRV/unbind 2>/dev/null
	accel-config disable-device "iax$id" >/dev/null 2>&1
	for _e in $dev/engine$id.*; do echo 0 >"$_e/group_id"; done
	wq_config "$w0" "$1" && echo "${2:-0}" >$dev/wq$id.1/size &&
		{ [ -z "$2" ] || wq_config "wq$id.1" "$2"; } &&
		accel-config enable-device "iax$id" >/dev/null 2>&1 &&
		echo "$w0" >$DRV/bind && { [ -z "$2" ] || echo "wq$id.1" >$DRV/bind; }
}
if [ -n "$w0" ] && [ -n "$total" ] && [ "$total" -ge 4 ] &&
	resize $((total / 2)) $((total / 4)); then
	check_table "two wqs on iax$id"
else
	not_ok "two wqs on iax$id: could not configure them (max_work_queues_size '$total')"
fi
resize "$size0" || note "could not restore $w0 (size $size0)"

last=$(expand "$(cat /sys/devices/system/cpu/online)")
last=${last% }
last=${last##* }
if [ "$last" != 0 ] && [ -w /sys/devices/system/cpu/cpu$last/online ] &&
	echo 0 >/sys/devices/system/cpu/cpu$last/online; then
	check_table "cpu $last offline"
	echo 1 >/sys/devices/system/cpu/cpu$last/online
	check_table "cpu $last back online"
else
	skip "cpu offline" "one CPU"
	skip "cpu back online" "one CPU"
fi

# every CPU sends requests through its table entry
if [ -f $MODDIR/updates/iaa_test.ko ]; then
	tmo 600 insmod $MODDIR/updates/iaa_test.ko alg=deflate-iaa suite=concurrent quick=1 tag=wqt$$
	res=$(cat /sys/kernel/debug/iaa_test/results)
	rmmod iaa_test 2>/dev/null
	echo "$res" | grep -q '^# done' && ! echo "$res" | grep -q '^not ok' &&
		ok "requests from every CPU work" || {
		not_ok "requests from every CPU work"
		echo "$res" | grep -v '^ok' | sed 's/^/    # /'
	}
else
	skip "requests from every CPU work" "no iaa_test.ko"
fi
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
