// SPDX-License-Identifier: GPL-2.0-only
/* Console: stdio (raw tty when interactive) or an output file. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"

static struct termios saved_tio;
static volatile sig_atomic_t tty_raw; /* saved_tio must come back, whatever ends psvm */

void console_restore_tty(void)
{
	if (tty_raw) /* tcsetattr is async-signal-safe */
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	tty_raw = 0;
}

int console_open(struct console *c, const char *path, char *err, size_t errlen)
{
	c->in_fd = -1;
	c->restore_tty = false;
	c->own_out = false;
	if (path) {
		c->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (c->out_fd < 0) {
			snprintf(err, errlen, "console %s: %s", path, strerror(errno));
			return -1;
		}
		c->own_out = true;
		return 0;
	}
	c->out_fd = STDOUT_FILENO;
	c->in_fd = STDIN_FILENO;
	return 0;
}

/*
 * Raw input from here on, when stdin is a terminal: only once setup is over, so that a
 * stop signal that kills psvm during setup leaves the terminal as it was.
 */
void console_start(struct console *c)
{
	if (c->in_fd == STDIN_FILENO && isatty(STDIN_FILENO) &&
	    !tcgetattr(STDIN_FILENO, &saved_tio)) {
		struct termios t = saved_tio;

		/* Raw input, but keep ISIG: Ctrl-C stops psvm cleanly. */
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_iflag &= ~(ICRNL | IXON);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSANOW, &t)) {
			c->restore_tty = true;
			tty_raw = 1;
		}
	}
}

void console_close(struct console *c)
{
	if (c->restore_tty)
		console_restore_tty();
	if (c->own_out)
		close(c->out_fd);
	c->restore_tty = false;
	c->own_out = false;
}

void console_write(struct console *c, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(c->out_fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* a closed console must not stop the guest */
		p += n;
		len -= (size_t)n;
	}
}

size_t console_read(struct console *c, void *buf, size_t max)
{
	struct pollfd pfd = { .fd = c->in_fd, .events = POLLIN };
	ssize_t n;

	if (c->in_fd < 0 || poll(&pfd, 1, 0) != 1)
		return 0;
	if (!(pfd.revents & POLLIN)) {
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			c->in_fd = -1; /* the writer is gone and nothing is left */
		return 0;
	}
	n = read(c->in_fd, buf, max);
	if (n <= 0) {
		c->in_fd = -1; /* EOF: stop asking */
		return 0;
	}
	return (size_t)n;
}
