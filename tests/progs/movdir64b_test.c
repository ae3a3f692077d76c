// SPDX-License-Identifier: GPL-2.0
/*
 * MOVDIR64B from user space: the CPU advertises it, an aligned copy moves exactly 64 bytes
 * from an unaligned source, a misaligned destination raises #GP (SIGSEGV), the register form
 * is undefined (SIGILL), and a source that faults on its second page leaves the destination
 * untouched. Prints KTAP.
 */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int last_sig;
static int n, failed;

static void on_signal(int sig)
{
	last_sig = sig;
	siglongjmp(env, 1);
}

static void report(int pass, const char *name)
{
	n++;
	if (!pass)
		failed++;
	printf("%sok %d %s\n", pass ? "" : "not ", n, name);
}

static void movdir64b(void *dst, const void *src)
{
	/* 66 0F 38 F8 /r with ModRM 0x02: movdir64b rax, [rdx] */
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a"(dst), "d"(src) : "memory");
}

/* Run one MOVDIR64B and return the signal it raised (0 for none). */
static int try_movdir64b(void *dst, const void *src)
{
	last_sig = 0;
	if (!sigsetjmp(env, 1))
		movdir64b(dst, src);
	return last_sig;
}

static int try_register_form(void)
{
	last_sig = 0;
	/* ModRM 0xc2: register operand, must be #UD */
	if (!sigsetjmp(env, 1))
		asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0xc2" : : "a"(0), "d"(0));
	return last_sig;
}

int main(void)
{
	unsigned int a, b, c, d;
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *src, *dst, *two;
	uint8_t expect[192];
	int i;

	printf("KTAP version 1\n1..5\n");
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGILL, on_signal);

	__cpuid_count(7, 0, a, b, c, d);
	report(!!(c & (1u << 28)), "cpuid.7.0:ecx[28] movdir64b");
	if (!(c & (1u << 28))) {
		printf("# no movdir64b: remaining cases cannot run\n");
		for (i = 2; i <= 5; i++)
			report(0, "needs movdir64b");
		return 1;
	}

	src = aligned_alloc(64, 256);
	dst = aligned_alloc(64, 256);
	for (i = 0; i < 256; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0xee, 256);
	memcpy(expect, dst, 192);
	memcpy(expect + 64, src + 5, 64);
	report(try_movdir64b(dst + 64, src + 5) == 0 && !memcmp(dst, expect, 192),
	       "aligned copy from an unaligned source, neighbours untouched");

	report(try_movdir64b(dst + 8, src) == SIGSEGV, "misaligned destination raises #GP");
	report(try_register_form() == SIGILL, "register form is #UD");

	/* Source: last 32 bytes of a readable page followed by an inaccessible page. */
	two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(two, 0x5a, 2 * pg);
	mprotect(two + pg, pg, PROT_NONE);
	memset(dst, 0xee, 256);
	memset(expect, 0xee, 64);
	report(try_movdir64b(dst + 64, two + pg - 32) == SIGSEGV && !memcmp(dst + 64, expect, 64),
	       "source fault on its second page leaves the destination untouched");
	return failed ? 1 : 0;
}
