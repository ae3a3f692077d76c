# kcapi-comp: libkcapi's compression tool (tools/libkcapi) on deflate-iaa. Files of 0 B to 16 MiB
# (kernel modules and guest files as real data, text, random, zeros) go through kcapi-comp and
# back through busybox's gunzip and Debian's gzip -d, and through busybox's and Debian's gzip
# -1/-6/-9 and back through kcapi-comp -d, byte-identical every way; --raw round trips (one
# request, and several joined into one stream); depths
# 1, 4 and 16 give the same output; errors exit non-zero with a message.
. /tests/lib.sh

K=/opt/libkcapi/bin
G=/opt/debian/gzip
plan 10

[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
for m in af_alg crypto_user; do modprobe $m 2>/dev/null; done
dmesg_mark
if [ ! -x $K/kcapi-comp ]; then
	not_ok "kcapi-comp in the image (tools/libkcapi/build)"
	finish
fi

# the files
D=/tmp/kc
mkdir -p $D
: >$D/empty
printf x >$D/one
cat /tests/*.sh >$D/text1
for i in 1 2 3 4 5 6 7 8; do cat $D/text1; done >$D/text
head -c 65536 $D/text >$D/text-64k
head -c 65537 $D/text >$D/text-64k1
dd if=/dev/urandom of=$D/random-1m bs=1024 count=1024 2>/dev/null
head -c 65535 $D/random-1m >$D/random-64k
dd if=/dev/zero of=$D/zero-16m bs=1M count=16 2>/dev/null
find /lib/modules -name '*.ko' | head -n 40 | xargs cat >$D/modules
cat $D/modules $D/text $D/random-1m $D/modules $D/text >$D/mixed
while [ $(wc -c <$D/mixed) -lt 16777216 ]; do cat $D/mixed $D/mixed >$D/m2 && mv $D/m2 $D/mixed; done
head -c 16777216 $D/mixed >$D/mixed-16m
rm -f $D/mixed $D/text1
files=$(ls $D)
note "files: $(for f in $files; do printf '%s=%s ' $f $(wc -c <$D/$f); done)"

# each_file DESC CMD: CMD with $f set for every file; fails on the first that fails
each_file() {
	_d=$1
	shift
	_bad=
	for f in $files; do
		eval "$*" 2>/tmp/kc.err || { _bad="$_bad $f"; }
	done
	if [ -z "$_bad" ]; then ok "$_d"; else not_ok "$_d:$_bad"; head -n 5 /tmp/kc.err | sed 's/^/    # /'; fi
}

t0=$(ms_now)
each_file "kcapi-comp, then busybox gunzip: byte-identical" \
	'$K/kcapi-comp -i $D/$f -o /tmp/o.gz && gunzip -c /tmp/o.gz | cmp - $D/$f'
note "$(($(ms_now) - t0)) ms"
if [ -x $G ]; then
	each_file "kcapi-comp, then Debian's gzip -d: byte-identical" \
		'$K/kcapi-comp -i $D/$f -o /tmp/o.gz && $G -dc /tmp/o.gz | cmp - $D/$f'
else
	skip "kcapi-comp, then Debian's gzip -d" "no Debian gzip in the image"
fi
t0=$(ms_now)
each_file "kcapi-comp, then kcapi-comp -d: byte-identical" \
	'$K/kcapi-comp -i $D/$f -o /tmp/o.gz && $K/kcapi-comp -d -i /tmp/o.gz | cmp - $D/$f'
note "$(($(ms_now) - t0)) ms"
t0=$(ms_now)
each_file "busybox gzip -1/-6/-9, then kcapi-comp -d: byte-identical" \
	'for l in 1 6 9; do gzip -$l -c $D/$f >/tmp/o.gz && $K/kcapi-comp -d -i /tmp/o.gz | cmp - $D/$f || exit 1; done'
note "$(($(ms_now) - t0)) ms"
if [ -x $G ]; then
	each_file "Debian's gzip -1/-6/-9, then kcapi-comp -d: byte-identical" \
		'for l in 1 6 9; do $G -$l -c $D/$f >/tmp/o.gz && $K/kcapi-comp -d -i /tmp/o.gz | cmp - $D/$f || exit 1; done'
else
	skip "Debian's gzip -1/-6/-9, then kcapi-comp -d" "no Debian gzip in the image"
fi

# --raw: one raw deflate stream, whatever the input's size. Over one request, kcapi-comp joins
# the requests' streams (each but the last made to continue); -d decodes the whole in one
# request, or, beyond one, with zlib: either reads to the stream's one final block, so a
# join that left a final block early gives short output.
bad=
for f in empty one text-64k random-64k text-64k1 text random-1m mixed-16m; do
	$K/kcapi-comp --raw -i $D/$f -o /tmp/o.raw &&
		$K/kcapi-comp -d --raw -i /tmp/o.raw | cmp - $D/$f || bad="$bad $f"
done
[ -z "$bad" ] && ok "--raw round trips, one request or several joined" || not_ok "--raw round trips:$bad"

# the depth changes nothing in the output
bad=
for j in 1 4 16; do
	$K/kcapi-comp -j $j -i $D/text -o /tmp/o.$j || bad="$bad -j$j"
done
cmp /tmp/o.1 /tmp/o.4 && cmp /tmp/o.1 /tmp/o.16 || bad="$bad differ"
[ -z "$bad" ] && ok "-j 1, 4, 16: the same output" || not_ok "-j 1, 4, 16: the same output:$bad"

# standard input is read from where it stands, not mapped from offset 0 (a regular file named
# by -i is mapped): the shell reads 100 bytes of the file first
tail -c +101 $D/text >/tmp/o.tail
{ head -c 100 >/dev/null; $K/kcapi-comp -o /tmp/o.in; } <$D/text &&
	$K/kcapi-comp -d -i /tmp/o.in | cmp - /tmp/o.tail &&
	ok "standard input at an offset: the rest of the file" ||
	not_ok "standard input at an offset: the rest of the file"

# errors: non-zero, with a message
bad=
errcase() {
	_want=$1
	shift
	if "$@" >/dev/null 2>/tmp/kc.err; then bad="$bad [$*: exit 0]"; return; fi
	grep -q "$_want" /tmp/kc.err || bad="$bad [$*: '$(head -n 1 /tmp/kc.err)']"
}
head -c 1000 $D/random-1m >/tmp/garbage
$K/kcapi-comp -i $D/text -o /tmp/o.gz
head -c 3000 /tmp/o.gz >/tmp/trunc.gz
cp /tmp/o.gz /tmp/flip.gz && printf '\377\377\377\377' | dd of=/tmp/flip.gz bs=1 seek=100 conv=notrunc 2>/dev/null
errcase "No such file" $K/kcapi-comp -c no-such-alg -i $D/one
errcase "not in gzip format" $K/kcapi-comp -d -i /tmp/garbage
errcase "corrupt input" $K/kcapi-comp -d -i /tmp/trunc.gz
errcase "corrupt input" $K/kcapi-comp -d -i /tmp/flip.gz
errcase "No such file" $K/kcapi-comp -i /nonexistent
errcase "depth" $K/kcapi-comp -j 0 -i $D/one
errcase "Operation not permitted" afalg_acomp runas 65534 65534 $K/kcapi-comp -i $D/one
[ -z "$bad" ] && ok "errors exit non-zero with a message" || not_ok "errors exit non-zero with a message:$bad"
rm -rf $D
dmesg_clean && ok "kernel log clean" || not_ok "kernel log clean"
finish
