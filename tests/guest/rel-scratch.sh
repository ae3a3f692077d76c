# scratch exploration (to be removed)
. /tests/lib.sh
plan 1
D=/sys/kernel/debug/iaa_stress/ctl
ms() { read _u _x </proc/uptime; echo $((${_u%.*}${_u#*.}0)); }
insmod $MODDIR/updates/iaa_stress.ko || { not_ok insmod; finish; }
c() { t0=$(ms); echo "$*" >$D; r=$?; echo ">>> $* (rc $r, $(( $(ms) - t0 )) ms)"; cat $D; }
h() { t0=$(ms); hmp "$1"; echo ">>> hmp $1: rc $? $(( $(ms) - t0 )) ms"; }
for i in 1 2 3 4 5; do h "qom-get /machine/peripheral/iaa0 injected"; done
c tfm s1
echo async >/sys/bus/dsa/drivers/crypto/sync_mode
c tfm a1
echo async_irq >/sys/bus/dsa/drivers/crypto/sync_mode
c tfm i1
echo sync >/sys/bus/dsa/drivers/crypto/sync_mode
c rt 1 20000 s1,a1,i1
c fuzz 1 20000 s1
c fuzz 1 20000 i1
c free all
rmmod iaa_stress
ok done
finish
