#!/usr/bin/env python3
# A source tarball (on stdin, uncompressed) as a git fast-import stream (on stdout): one
# commit on refs/heads/base holding every regular file and symlink, the tarball's top
# directory stripped. Usage: import.py MESSAGE "NAME <EMAIL>"
import sys
import tarfile

message, ident = sys.argv[1], sys.argv[2]
out = sys.stdout.buffer
files = {}              # path -> (mode, mark)
mark = 0


def blob(data):
    global mark
    mark += 1
    out.write(b'blob\nmark :%d\ndata %d\n' % (mark, len(data)))
    out.write(data)
    out.write(b'\n')
    return mark


def strip(name):
    parts = name.split('/', 1)
    return parts[1] if len(parts) == 2 else ''


with tarfile.open(fileobj=sys.stdin.buffer, mode='r|') as tar:
    for m in tar:
        path = strip(m.name)
        if not path:
            continue
        if m.isreg():
            mode = b'100755' if m.mode & 0o111 else b'100644'
            files[path] = (mode, blob(tar.extractfile(m).read()))
        elif m.issym():
            files[path] = (b'120000', blob(m.linkname.encode()))
        elif m.islnk():
            files[path] = files[strip(m.linkname)]

msg = message.encode() + b'\n'
# a fixed date: the same tarball gives the same commit
when = b'1767225600 +0000'
out.write(b'commit refs/heads/base\n')
out.write(b'author %s %s\ncommitter %s %s\n' % (ident.encode(), when, ident.encode(), when))
out.write(b'data %d\n%s' % (len(msg), msg))
for path in sorted(files):
    mode, m = files[path]
    out.write(b'M %s :%d %s\n' % (mode, m, path.encode()))
out.write(b'\n')
