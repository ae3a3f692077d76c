// SPDX-License-Identifier: GPL-2.0
/*
 * hmp "COMMAND": run one QEMU monitor command over the guest's /dev/ttyS1 (the harness
 * connects that port to the monitor) and print the monitor's reply.
 * Exit 0 when the monitor answered, 1 on a timeout or I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PROMPT "(qemu) "

/* Read until the buffer ends with the monitor prompt or nothing arrives for tmo_ms. */
static int read_reply(int fd, char *buf, size_t cap, int tmo_ms)
{
	size_t len = 0;

	buf[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r = poll(&p, 1, tmo_ms);

		if (r <= 0)
			return -1;
		n = read(fd, buf + len, cap - 1 - len);
		if (n <= 0)
			return -1;
		len += n;
		buf[len] = '\0';
		if (len >= strlen(PROMPT) && !strcmp(buf + len - strlen(PROMPT), PROMPT))
			return 0;
		if (len == cap - 1) /* keep the tail: the prompt is what matters */
			len = 0;
	}
}

/* Drop terminal escapes and carriage returns, print the lines after the echoed command. */
static void print_reply(const char *buf)
{
	const char *s = strchr(buf, '\n');	/* first line: the echo of our command */
	const char *end = strstr(buf, PROMPT);

	if (!s)
		return;
	for (s++; *s && s != end; s++) {
		if (*s == '\033') {
			while (*s && !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
				s++;
			if (!*s)
				break;
			continue;
		}
		if (*s != '\r')
			putchar(*s);
	}
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct termios t;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: hmp \"COMMAND\"\n");
		return 2;
	}
	fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);
	if (fd < 0 || tcgetattr(fd, &t)) {
		perror("hmp: /dev/ttyS1");
		return 1;
	}
	cfmakeraw(&t);
	tcsetattr(fd, TCSANOW, &t);
	tcflush(fd, TCIOFLUSH);

	/* An empty line first: resynchronise on a fresh prompt whatever came before. */
	if (write(fd, "\r", 1) != 1 || read_reply(fd, buf, sizeof(buf), 10000)) {
		fprintf(stderr, "hmp: the monitor does not answer\n");
		return 1;
	}
	/* Anything still queued after the prompt belongs to the past: drop it. */
	while (!read_reply(fd, buf, sizeof(buf), 200))
		;
	if (dprintf(fd, "%s\r", argv[1]) < 0 || read_reply(fd, buf, sizeof(buf), 30000)) {
		fprintf(stderr, "hmp: no reply to '%s'\n", argv[1]);
		return 1;
	}
	print_reply(buf);
	return 0;
}
