// SPDX-License-Identifier: GPL-2.0-only
/*
 * A psvm that crashes says where (addresses for addr2line on the unstripped binary) and
 * gives the terminal back before it dies: a raw tty must not outlive it.
 */
#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "crash.h"

static void crash(int sig)
{
	static const char head[] = "psvm: crashed, fatal signal ";
	void *frames[32];
	char num[4] = { (char)('0' + sig / 10 % 10), (char)('0' + sig % 10), '\n', 0 };
	int n;

	console_restore_tty();
	if (write(STDERR_FILENO, head, sizeof(head) - 1) < 0 || write(STDERR_FILENO, num, 3) < 0)
		_exit(128 + sig);
	n = backtrace(frames, 32);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	raise(sig); /* SA_RESETHAND restored the default: the status names the signal */
}

void crash_handlers_install(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash;
	sa.sa_flags = SA_RESETHAND;
	for (unsigned int i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}
