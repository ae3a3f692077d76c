#!/usr/bin/env python3
# The driver's guide (iaa-crypto.rst, on stdin) as the series carries it (on stdout): without
# the section on the AF_ALG type "acomp", which belongs to algif_acomp, not in the series. The
# section runs from its title to the next title of the same level, or to the end.
import sys

TITLE = 'User space: the AF_ALG type ``acomp``'
lines = sys.stdin.read().split('\n')


def title(i):
    """line i is a title underlined with '=' (the guide's section level)"""
    return (i + 1 < len(lines) and lines[i] and lines[i + 1] and
            set(lines[i + 1]) == {'='} and len(lines[i + 1]) >= len(lines[i]))


if TITLE not in lines or not title(lines.index(TITLE)):
    sys.exit('guide.py: no section "%s" in the guide' % TITLE)
start = lines.index(TITLE)
end = next((i for i in range(start + 2, len(lines)) if title(i)), len(lines))
out = lines[:start] + lines[end:]
sys.stdout.write('\n'.join(out).rstrip('\n') + '\n')
