#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int outfile_stage(struct outfile *o, const char *path, const char *data, size_t len, struct diag *d)
{
	o->path = path;
	o->tmp = NULL;
	o->real = NULL;
	o->direct = 0;
	o->data = data;
	o->len = len;
	struct stat st, lst;
	if (!strcmp(path, "-") || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		o->direct = 1;
		return 0;
	}
	/* Through a symbolic link, the file it names is replaced, not the link. */
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		o->real = realpath(path, NULL);
		if (!o->real) {
			diag_report(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
			return -1;
		}
		path = o->real;
	}
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		abort();
	snprintf(tmp, n + 16, "%s.daecXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_report(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		free(o->real);
		o->real = NULL;
		return -1;
	}
	/* Keep the permissions an ordinary create would give (mkstemp uses 0600),
	 * or the target's own when it is replaced in place. */
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	int err = 0;
	if (fchmod(fd, mode) || write_all(fd, data, len) || fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (err) {
		unlink(tmp);
		diag_report(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(err));
		free(tmp);
		free(o->real);
		o->real = NULL;
		return -1;
	}
	o->tmp = tmp;
	return 0;
}

static int write_direct(struct outfile *o, struct diag *d)
{
	if (!strcmp(o->path, "-")) {
		if (fwrite(o->data, 1, o->len, stdout) != o->len || fflush(stdout)) {
			diag_report(d, DIAG_ERROR, "<stdout>", 0, 0, "cannot write: %s",
			            strerror(errno));
			return -1;
		}
		return 0;
	}
	int fd = open(o->path, O_WRONLY | O_TRUNC);
	int err = fd < 0 || write_all(fd, o->data, o->len) ? errno : 0;
	if (fd >= 0 && close(fd) && !err)
		err = errno;
	if (err) {
		diag_report(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(err));
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o, struct diag *d)
{
	if (o->direct)
		return write_direct(o, d);
	int rc = 0;
	if (rename(o->tmp, o->real ? o->real : o->path)) {
		diag_report(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(errno));
		unlink(o->tmp);
		rc = -1;
	}
	free(o->tmp);
	free(o->real);
	o->tmp = NULL;
	o->real = NULL;
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->real);
	o->real = NULL;
}
