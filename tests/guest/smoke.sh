# Platform smoke test: the CPU, idxd, our driver and Debian's upstream driver.
. /tests/lib.sh
plan 9

grep -qw movdir64b /proc/cpuinfo && ok "guest cpu has movdir64b" || not_ok "guest cpu has movdir64b"

# The user-space MOVDIR64B cases, each reported here.
out=$(movdir64b_test 2>&1)
for c in 2 3 4 5; do
	line=$(echo "$out" | grep -E "^(not )?ok $c ")
	case $line in
	"ok $c "*) ok "movdir64b: ${line#ok $c }" ;;
	*) not_ok "movdir64b: case $c: ${line:-missing}" ;;
	esac
done

dmesg_mark
check "idxd loads" modprobe idxd

# steps NAME CMD...: each CMD a shell snippet; reports NAME, and on failure the step and output
steps() {
	_name=$1
	shift
	for _s in "$@"; do
		if ! _o=$(eval "$_s" 2>&1); then
			not_ok "$_name"
			note "step failed: $_s"
			[ -n "$_o" ] && printf '%s\n' "$_o" | tail -n 10 | sed 's/^/    # /'
			return
		fi
	done
	ok "$_name"
}

steps "our iaa_crypto loads, registers as dsa driver 'crypto', unloads cleanly" \
	'[ -f $MODDIR/updates/iaa_crypto.ko ]' 'insmod $MODDIR/updates/iaa_crypto.ko' \
	'[ -d /sys/bus/dsa/drivers/crypto ]' 'rmmod iaa_crypto' '[ ! -d /sys/bus/dsa/drivers/crypto ]' \
	'dmesg_clean'

# the crypto manager tests the algorithms in a thread that holds a module reference: module
# init waits for it, so rmmod right after insmod works (it failed 8 times in 15 before)
steps "our iaa_crypto can be removed as soon as it is loaded, 10 times in a row" \
	'for _i in 1 2 3 4 5 6 7 8 9 10; do insmod $MODDIR/updates/iaa_crypto.ko && rmmod iaa_crypto || exit 1; done' \
	'dmesg_clean'

dmesg_mark
steps "Debian's upstream iaa_crypto loads and unloads" 'load_driver upstream' \
	'[ -d /sys/bus/dsa/drivers/crypto ]' 'unload_driver' '[ ! -d /sys/bus/dsa/drivers/crypto ]' \
	'dmesg_clean'
finish
