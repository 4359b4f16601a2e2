/*
 * inflate_ref - the decompression floor for the gzip benchmark.
 *
 * Reads a gzip file (one member or several concatenated, as gzip(1)
 * and logrotate's compressed-then-concatenated files are, RFC 1952
 * section 2.2) and inflates it into a scratch buffer that is thrown
 * away, counting the bytes.  Nothing is parsed, so its wall time is
 * the least any gzip log reader built on the same library can take;
 * bench/run.sh divides zombiescan's gzip wall time by it.
 *
 * Two inflaters: zlib (always) and ISA-L's igzip (when compiled with
 * -DWITH_ISAL and linked with -lisal), chosen with -z or -i.
 *
 *	inflate_ref [-z | -i] FILE	prints "in out members backend"
 *	inflate_ref -L			lists the built-in backends
 *
 * Exit status: 0 ok, 1 read error or corrupt input, 2 usage error or
 * a backend that was not compiled in.
 *
 * Build: cc -O2 -o inflate_ref inflate_ref.c -lz
 *    or: cc -O2 -DWITH_ISAL -o inflate_ref inflate_ref.c -lisal -lz
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#ifdef WITH_ISAL
#include <isa-l/igzip_lib.h>
#endif

/*
 * Buffer sizes: reads larger than 128 KiB do not make inflating any
 * faster; a 256 KiB output window stays in L2 cache, so the floor
 * measures inflating, not memory traffic to a buffer nobody reads.
 */
#define IN_SIZE		(128u * 1024u)
#define OUT_SIZE	(256u * 1024u)

struct result {
	uint64_t	 in;		/* compressed bytes read */
	uint64_t	 out;		/* bytes inflated */
	uint64_t	 members;	/* gzip members ended */
};

static unsigned char inbuf[IN_SIZE];
static unsigned char outbuf[OUT_SIZE];

/* fill - read up to IN_SIZE bytes; -1 on error, 0 at end of file */
static ssize_t
fill(int fd)
{
	ssize_t n;

	do
		n = read(fd, inbuf, IN_SIZE);
	while (n < 0 && errno == EINTR);
	return n;
}

/* run_zlib - inflate every member of fd with zlib; 0 ok, -1 failure */
static int
run_zlib(int fd, const char *name, struct result *r)
{
	z_stream z;
	ssize_t n;
	int rc, in_member = 0;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: gzip wrapper only, with its CRC-32 and length check. */
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		fprintf(stderr, "inflate_ref: zlib: %s\n",
		    z.msg ? z.msg : "init failed");
		return -1;
	}
	for (;;) {
		if (z.avail_in == 0) {
			if ((n = fill(fd)) < 0) {
				fprintf(stderr, "inflate_ref: %s: %s\n", name,
				    strerror(errno));
				goto fail;
			}
			if (n == 0)
				break;
			r->in += (uint64_t)n;
			z.next_in = inbuf;
			z.avail_in = (uInt)n;
		}
		if (!in_member) {
			/*
			 * A further member must start with the gzip magic;
			 * anything else (zero padding some tools leave) is
			 * trailing garbage that gzip(1) also ignores.
			 */
			if (z.next_in[0] != 0x1f)
				break;
			in_member = 1;
		}
		z.next_out = outbuf;
		z.avail_out = OUT_SIZE;
		rc = inflate(&z, Z_NO_FLUSH);
		r->out += OUT_SIZE - z.avail_out;
		if (rc == Z_STREAM_END) {
			r->members++;
			in_member = 0;
			if (inflateReset(&z) != Z_OK)
				goto corrupt;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR)
			goto corrupt;
	}
	if (in_member) {
		fprintf(stderr, "inflate_ref: %s: truncated gzip member\n",
		    name);
		goto fail;
	}
	inflateEnd(&z);
	return 0;
corrupt:
	fprintf(stderr, "inflate_ref: %s: corrupt gzip data (%s)\n", name,
	    z.msg ? z.msg : "zlib error");
fail:
	inflateEnd(&z);
	return -1;
}

#ifdef WITH_ISAL
/* run_isal - inflate every member of fd with ISA-L; 0 ok, -1 failure */
static int
run_isal(int fd, const char *name, struct result *r)
{
	static struct inflate_state st;	/* ~40 KiB of tables: not on the stack */
	ssize_t n;
	uint8_t *next_in;
	uint32_t avail_in;
	int rc, in_member = 0;

	isal_inflate_init(&st);
	/* ISAL_GZIP: parse the header, verify CRC-32 and length. */
	st.crc_flag = ISAL_GZIP;
	for (;;) {
		if (st.avail_in == 0) {
			if ((n = fill(fd)) < 0) {
				fprintf(stderr, "inflate_ref: %s: %s\n", name,
				    strerror(errno));
				return -1;
			}
			if (n == 0)
				break;
			r->in += (uint64_t)n;
			st.next_in = inbuf;
			st.avail_in = (uint32_t)n;
		}
		if (!in_member) {
			if (st.next_in[0] != 0x1f)
				break;
			in_member = 1;
		}
		st.next_out = outbuf;
		st.avail_out = OUT_SIZE;
		rc = isal_inflate(&st);
		r->out += OUT_SIZE - st.avail_out;
		if (rc != ISAL_DECOMP_OK) {
			fprintf(stderr, "inflate_ref: %s: corrupt gzip data "
			    "(isa-l error %d)\n", name, rc);
			return -1;
		}
		if (st.block_state == ISAL_BLOCK_FINISH) {
			/*
			 * The member and its trailer are consumed; what
			 * is left of the input belongs to the next member.
			 * Reset clears the input pointers, so keep them.
			 */
			r->members++;
			in_member = 0;
			next_in = st.next_in;
			avail_in = st.avail_in;
			isal_inflate_reset(&st);
			st.crc_flag = ISAL_GZIP;
			st.next_in = next_in;
			st.avail_in = avail_in;
		}
	}
	if (in_member) {
		fprintf(stderr, "inflate_ref: %s: truncated gzip member\n",
		    name);
		return -1;
	}
	return 0;
}
#endif

/* usage - the synopsis on standard error */
static void
usage(void)
{
	fprintf(stderr, "usage: inflate_ref [-z | -i] FILE\n"
	    "       inflate_ref -L\n");
}

/* main - inflate one file with the chosen backend, print the counts */
int
main(int argc, char *argv[])
{
	struct result r = { 0, 0, 0 };
	const char *backend = "zlib", *name;
	int ch, fd, rc;

	while ((ch = getopt(argc, argv, "ziL")) != -1) {
		switch (ch) {
		case 'z':
			backend = "zlib";
			break;
		case 'i':
			backend = "isal";
			break;
		case 'L':
			printf("zlib %s\n", zlibVersion());
#ifdef WITH_ISAL
			printf("isal\n");
#endif
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind != 1) {
		usage();
		return 2;
	}
	name = argv[optind];
	if (strcmp(name, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(name, O_RDONLY)) < 0) {
		fprintf(stderr, "inflate_ref: %s: %s\n", name,
		    strerror(errno));
		return 1;
	}
	if (strcmp(backend, "zlib") == 0)
		rc = run_zlib(fd, name, &r);
	else {
#ifdef WITH_ISAL
		rc = run_isal(fd, name, &r);
#else
		fprintf(stderr, "inflate_ref: built without ISA-L\n");
		return 2;
#endif
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0)
		return 1;
	printf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n", r.in, r.out,
	    r.members, backend);
	return 0;
}
