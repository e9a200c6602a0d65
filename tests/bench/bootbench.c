// SPDX-License-Identifier: GPL-2.0-only
/*
 * bootbench: run a VMM, time its guest's console markers from exec, sample the VMM's
 * resident memory without guest RAM, then stop it. Runs inside the POWER lab's L1.
 *
 *   bootbench LABEL RAM_MB MARKER[,MARKER2] TIMEOUT_S -- vmm args...
 *
 * Prints one line: BENCH label=.. first_ms=.. marker_ms=.. marker2_ms=.. rss_kb=.. exit=..
 * first_ms: exec to the first byte on the console; marker_ms: to MARKER (RSS is sampled
 * then). Integer nanoseconds only: no FP state lives across anything here.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sum Rss over the VMM's mappings, leaving out any mapping as big as guest RAM or bigger. */
static long rss_without_guest_kb(pid_t pid, unsigned long ram_bytes)
{
	char path[64], line[512];
	unsigned long lo, hi;
	long total = 0, kb;
	int skip = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			skip = hi - lo >= ram_bytes;
		else if (!skip && sscanf(line, "Rss: %ld kB", &kb) == 1)
			total += kb;
	}
	fclose(f);
	return total;
}

int main(int argc, char **argv)
{
	char buf[4096], window[8192] = "", *m2;
	size_t wlen = 0;
	int p[2], status = -1, dash;
	int64_t t0, first = -1, mark = -1, mark2 = -1, deadline;
	long rss = -1;
	unsigned long ram;
	pid_t pid;

	if (argc < 7 || strcmp(argv[5], "--")) {
		fprintf(stderr, "usage: bootbench LABEL RAM_MB MARKER[,MARKER2] TIMEOUT_S -- vmm args\n");
		return 2;
	}
	dash = 6;
	ram = strtoul(argv[2], NULL, 0) << 20;
	m2 = strchr(argv[3], ',');
	if (m2)
		*m2++ = 0;
	if (pipe(p))
		return 1;
	t0 = now_ns();
	deadline = t0 + (int64_t)atoi(argv[4]) * 1000000000;
	pid = fork();
	if (pid == 0) {
		char errpath[128];
		int null = open("/dev/null", O_RDWR), err;

		/* the VMM's own messages go to /tmp/LABEL.err, for the log on failure */
		snprintf(errpath, sizeof(errpath), "/tmp/%s.err", argv[1]);
		err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(err >= 0 ? err : null, 2);
		close(p[0]);
		execv(argv[dash], argv + dash);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		int64_t left = (deadline - now_ns()) / 1000000;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(p[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		if (first < 0)
			first = now_ns() - t0;
		/* keep a sliding window so markers split across reads are found */
		if (wlen + (size_t)n >= sizeof(window)) {
			size_t keep = sizeof(window) / 2;

			memmove(window, window + wlen - keep, keep);
			wlen = keep;
		}
		memcpy(window + wlen, buf, (size_t)n);
		wlen += (size_t)n;
		window[wlen] = 0;
		for (size_t i = 0; i < wlen; i++)
			if (!window[i])
				window[i] = ' ';
		if (mark < 0 && strstr(window, argv[3])) {
			char *l = strstr(window, argv[3]), *e = strpbrk(l, "\r\n");

			mark = now_ns() - t0;
			rss = rss_without_guest_kb(pid, ram);
			printf("BENCH-LINE %s: %.*s\n", argv[1], e ? (int)(e - l) : 120, l);
			if (!m2)
				break;
		}
		if (m2 && mark2 < 0 && strstr(window, m2)) {
			mark2 = now_ns() - t0;
			break;
		}
	}
	/* let the guest power off by itself for a moment, then make sure the VMM is gone */
	for (int i = 0; i < 50 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(100000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	}
	printf("BENCH label=%s first_ms=%lld marker_ms=%lld marker2_ms=%lld rss_kb=%ld exit=%d\n",
	       argv[1], (long long)(first < 0 ? -1 : first / 1000000),
	       (long long)(mark < 0 ? -1 : mark / 1000000),
	       (long long)(mark2 < 0 ? -1 : mark2 / 1000000), rss,
	       status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return mark < 0;
}
