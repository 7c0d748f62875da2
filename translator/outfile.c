#include "outfile.h"

#include <errno.h>
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
	o->data = data;
	o->len = len;
	if (!strcmp(path, "-"))
		return 0;
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		abort();
	snprintf(tmp, n + 16, "%s.daecXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_report(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	/* Keep the permissions an ordinary create would give (mkstemp uses 0600),
	 * or the target's own when it is replaced in place. */
	struct stat st;
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
		diag_report(d, DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
		free(tmp);
		return -1;
	}
	o->tmp = tmp;
	return 0;
}

int outfile_commit(struct outfile *o, struct diag *d)
{
	if (!strcmp(o->path, "-")) {
		if (fwrite(o->data, 1, o->len, stdout) != o->len || fflush(stdout)) {
			diag_report(d, DIAG_ERROR, "<stdout>", 0, 0, "cannot write: %s",
			            strerror(errno));
			return -1;
		}
		return 0;
	}
	int rc = 0;
	if (rename(o->tmp, o->path)) {
		diag_report(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(errno));
		unlink(o->tmp);
		rc = -1;
	}
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}
