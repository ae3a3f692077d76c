# Harness self-test: one passing case, and the monitor on ttyS1 answers.
. /tests/lib.sh
plan 2
ok "deliberate pass"
out=$(hmp "info version" 2>&1)
case $out in
*7.2*) ok "monitor answers on ttyS1 ($(echo $out | head -c 40))" ;;
*) not_ok "monitor answers on ttyS1: '$out'" ;;
esac
finish
