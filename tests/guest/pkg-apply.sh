# pkg-apply: the image made from the installed Debian packages (tools/vm/run --from-packages,
# --driver packages): the init ran "iaa-crypto apply" with the packaged /etc/iaa-crypto.conf,
# as iaa-crypto.service does at boot. Checks that what the configuration says is what sysfs
# shows:
#   - apply exited 0; the loaded iaa_crypto is the packaged one (updates/dkms, version set by
#     the package), and nothing of the build tree's is in the image;
#   - every device: enabled, every engine in group 0, wqs 0 .. wqs-1 bound to the crypto
#     driver as dedicated kernel wqs of the configured size and priority in group 0, in
#     service, the other wqs in no group;
#   - the driver's sync_mode and verify_compress, zswap's compressor; deflate-iaa registered
#     with its self-test passed;
#   - apply run again (by hand, with zswap in use) changes nothing and succeeds;
#   - iaa-crypto status exits 0 and shows every wq bound and in service.
. /tests/lib.sh
CONF=/etc/iaa-crypto.conf
DRV=/sys/bus/dsa/drivers/crypto
DSA=/sys/bus/dsa/devices
plan 12

# the configuration's value of KEY (the packaged file), or DEFAULT
conf() {
	_v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\([^#]*\\).*/\\1/p" $CONF | tail -n 1 |
		sed 's/[[:space:]]*$//')
	echo "${_v:-$2}"
}

rc=$(cat /run/iaa-crypto-apply.rc 2>/dev/null)
[ "$rc" = 0 ] && ok "iaa-crypto apply at boot exited 0" ||
	not_ok "iaa-crypto apply at boot exited 0 (${rc:-did not run})"
sed 's/^/    # apply: /' /run/iaa-crypto-apply.log 2>/dev/null

# the driver that runs is the package's: DKMS's module with its version, none of build/'s
why=
[ -f /usr/sbin/iaa-crypto ] && [ -f $CONF ] && [ -f /etc/modprobe.d/iaa-crypto.conf ] ||
	why="$why the packaged files are missing;"
ls $MODDIR/updates/dkms/iaa_crypto.ko >/dev/null 2>&1 || why="$why no updates/dkms/iaa_crypto.ko;"
for m in iaa_crypto zram algif_acomp; do
	[ -e $MODDIR/updates/$m.ko ] && why="$why build/'s $m.ko in the image;"
done
grep -q '^updates/dkms/iaa_crypto\.ko:' $MODDIR/modules.dep || why="$why modules.dep: $(grep '/iaa_crypto\.ko' $MODDIR/modules.dep);"
ver=$(cat /sys/module/iaa_crypto/version 2>/dev/null)
[ -n "$ver" ] || why="$why the loaded iaa_crypto has no version (not the package's);"
case $(cat /sys/module/iaa_crypto/taint 2>/dev/null) in *O*) ;; *) why="$why the loaded iaa_crypto is not out of tree;" ;; esac
[ -z "$why" ] && ok "the loaded iaa_crypto is iaa-crypto-dkms's (version $ver, updates/dkms)" ||
	not_ok "the loaded iaa_crypto is iaa-crypto-dkms's:$why"

wqs=$(conf wqs 1) size=$(conf wq_size auto) prio=$(conf wq_priority 10) engines=$(conf engines all)
note "configuration: wqs $wqs, wq_size $size, wq_priority $prio, engines $engines," \
	"sync_mode $(conf sync_mode -), verify_compress $(conf verify_compress -)," \
	"zswap_compressor $(conf zswap_compressor -)"
[ "$wqs" -ge 2 ] && [ "$engines" = all ] && ok "the packaged configuration: $wqs wqs per device, every engine" ||
	not_ok "the packaged configuration: 2 or more wqs per device, every engine (wqs $wqs, engines $engines)"

devs=$(iaa_devices)
ndev=0
why_dev= why_eng= why_wq= why_other=
for d in $devs; do
	ndev=$((ndev + 1))
	id=${d#iax}
	[ "$(cat $DSA/$d/state)" = enabled ] || why_dev="$why_dev $d $(cat $DSA/$d/state);"
	for e in $DSA/$d/engine$id.*; do
		[ "$(cat $e/group_id)" = 0 ] || why_eng="$why_eng ${e##*/} in group $(cat $e/group_id);"
	done
	want=$size
	[ "$want" = auto ] && want=$(($(cat $DSA/$d/max_work_queues_size) / wqs))
	i=0
	for w in $(ls -d $DSA/$d/wq$id.* | sed 's|.*/||' | sort -t . -k 2 -n); do
		q=$DSA/$w
		if [ $i -lt $wqs ]; then
			got="$(cat $q/mode) $(cat $q/type) $(cat $q/size) $(cat $q/priority) $(cat $q/group_id) $(cat $q/crypto_state 2>/dev/null)"
			[ -e $DRV/$w ] || why_wq="$why_wq $w not bound;"
			[ "$got" = "dedicated kernel $want $prio 0 in_service" ] ||
				why_wq="$why_wq $w: $got, want dedicated kernel $want $prio 0 in_service;"
		else
			[ "$(cat $q/group_id)" = -1 ] && [ ! -e $DRV/$w ] ||
				why_other="$why_other $w in group $(cat $q/group_id)$([ -e $DRV/$w ] && echo ", bound");"
		fi
		i=$((i + 1))
	done
done
[ $ndev -ge 1 ] && [ -z "$why_dev" ] && ok "$ndev device(s) enabled" || not_ok "devices enabled:${why_dev:- none}"
[ -z "$why_eng" ] && ok "every engine of every device in group 0" || not_ok "every engine in group 0:$why_eng"
[ -z "$why_wq" ] && ok "$wqs wqs per device bound, dedicated, size and priority as configured, in service" ||
	not_ok "$wqs wqs per device as configured:$why_wq"
[ -z "$why_other" ] && ok "the other wqs in no group" || not_ok "the other wqs in no group:$why_other"

why=
sm=$(conf sync_mode) vc=$(conf verify_compress) zc=$(conf zswap_compressor)
[ -z "$sm" ] || [ "$(cat $DRV/sync_mode)" = "$sm" ] || why="$why sync_mode $(cat $DRV/sync_mode);"
[ -z "$vc" ] || [ "$(cat $DRV/verify_compress)" = "$vc" ] || why="$why verify_compress $(cat $DRV/verify_compress);"
[ -z "$zc" ] || [ "$(cat /sys/module/zswap/parameters/compressor)" = "$zc" ] ||
	why="$why zswap compressor $(cat /sys/module/zswap/parameters/compressor);"
[ -z "$why" ] && ok "sync_mode ${sm:-as it was}, verify_compress ${vc:-as it was}, zswap compressor ${zc:-as it was}" ||
	not_ok "driver and zswap settings:$why"
[ "$(proc_crypto_selftest deflate-iaa)" = passed ] && ok "deflate-iaa registered, self-test passed" ||
	not_ok "deflate-iaa registered, self-test passed ($(proc_crypto_selftest deflate-iaa))"

# again, by hand, with zswap on it: the same configuration, every wq back in service
dmesg_mark
zswap_on "${zc:-deflate-iaa}" >/dev/null 2>&1
out=$(tmo 300 iaa-crypto apply 2>&1)
r=$?
zswap_off
n=0
for w in $(crypto_wqs); do
	[ "$(cat $DSA/$w/crypto_state)" = in_service ] && n=$((n + 1))
done
if [ $r = 0 ] && [ $n = $((ndev * wqs)) ]; then
	ok "iaa-crypto apply again, zswap enabled: exit 0, $n wqs in service"
else
	not_ok "iaa-crypto apply again, zswap enabled: exit $r, $n wqs in service, want $((ndev * wqs))"
	printf '%s\n' "$out" | sed 's/^/    # /'
fi
check "no warning in the kernel log" dmesg_clean

out=$(iaa-crypto status 2>&1)
r=$?
printf '%s\n' "$out" | sed 's/^/    # status: /'
nb=$(printf '%s\n' "$out" | grep -c '^  wq[0-9]*\.[0-9]*: bound, in service;')
first=$(printf '%s\n' "$out" | head -n 1)
[ $r = 0 ] && [ "$nb" = $((ndev * wqs)) ] && [ "${first#iaa_crypto: loaded, iaa-crypto-dkms $ver, }" != "$first" ] &&
	ok "iaa-crypto status: iaa-crypto-dkms $ver, exit 0, $nb wqs bound and in service" ||
	not_ok "iaa-crypto status: exit $r, $nb wqs bound and in service, want $((ndev * wqs)); $first"
finish
