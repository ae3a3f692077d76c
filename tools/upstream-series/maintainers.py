#!/usr/bin/env python3
# The MAINTAINERS entry of the driver at each step of the upstream series: reads MAINTAINERS
# on stdin, writes it on stdout with the entry "INTEL IAA CRYPTO DRIVER" changed.
#   maintainers.py driver "NAME <EMAIL>"   adds NAME as a maintainer, the directory as F:
#   maintainers.py documentation           the documentation directory as F:
#   maintainers.py abi                     the ABI files as F:
import sys

ENTRY = 'INTEL IAA CRYPTO DRIVER'
step = sys.argv[1]
lines = sys.stdin.read().split('\n')
start = lines.index(ENTRY) + 1
end = lines.index('', start)
entry = lines[start:end]


def files(add, drop_prefix):
    kept = [x for x in entry if not (x.startswith('F:\t') and x[3:].startswith(drop_prefix))]
    heads = [x for x in kept if not x.startswith('F:\t')]
    fs = [x for x in kept if x.startswith('F:\t')] + ['F:\t' + a for a in add]
    return heads + sorted(set(fs))


if step == 'driver':
    m = [x for x in entry if x.startswith('M:\t')] + ['M:\t' + sys.argv[2]]
    rest = [x for x in entry if not x.startswith('M:\t')]
    entry = m + rest
    entry = files(['drivers/crypto/intel/iaa/'], 'drivers/crypto/intel/iaa/')
elif step == 'documentation':
    entry = files(['Documentation/driver-api/crypto/iaa/'],
                  'Documentation/driver-api/crypto/iaa/')
elif step == 'abi':
    entry = files(['Documentation/ABI/testing/debugfs-driver-iaa-crypto',
                   'Documentation/ABI/testing/sysfs-driver-iaa-crypto'], '\0')
else:
    sys.exit('maintainers.py: no step ' + step)
lines[start:end] = entry
sys.stdout.write('\n'.join(lines))
