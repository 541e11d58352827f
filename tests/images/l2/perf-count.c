// SPDX-License-Identifier: MIT
/*
 * perf-count: a Linux guest measures itself through perf_event_open, which
 * Debian's kernels back with the SBI PMU (drivers/perf/riscv_pmu_sbi.c):
 * under L0, the cycles and instructions counters of L0's core/sbi/pmu.c.
 * Static, no libc: raw RISC-V Linux system calls. One line per run, read
 * by tests/vm/run.sh's pmu case:
 *
 *   perf-count measure LABEL  a loop of LOOP_N turns of two instructions,
 *                             counted by a group of both events:
 *                             L2: pmu LABEL n=N cycles=C instructions=I
 *   perf-count reads          READS reads of the running group in a tight
 *                             loop: L2: pmu reads k=K monotonic=yes|no
 *                             instructions-per-read=I cycles-per-read=C
 *   perf-count spin           L2: pmu neighbour busy, then spins until a
 *                             line comes on standard input, then
 *                             L2: pmu neighbour done
 *
 * On an error: L2: pmu FAIL <what> <-errno>.
 */

#define SYS_IOCTL 29
#define SYS_CLOSE 57
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_PPOLL 73
#define SYS_EXIT 93
#define SYS_PERF_EVENT_OPEN 241

#define POLLIN 1

/* include/uapi/linux/perf_event.h: the values this program uses. */
#define PERF_TYPE_HARDWARE 0
#define PERF_COUNT_HW_CPU_CYCLES 0
#define PERF_COUNT_HW_INSTRUCTIONS 1
#define PERF_ATTR_SIZE_VER0 64
#define PERF_FORMAT_TOTAL_TIME_ENABLED 1UL
#define PERF_FORMAT_TOTAL_TIME_RUNNING 2UL
#define PERF_FORMAT_GROUP 8UL
#define PERF_ATTR_DISABLED 1UL	      /* the first bit of the flags word */
#define PERF_EVENT_IOC_ENABLE 0x2400  /* _IO('$', 0) */
#define PERF_EVENT_IOC_DISABLE 0x2401 /* _IO('$', 1) */
#define PERF_EVENT_IOC_RESET 0x2403   /* _IO('$', 3) */
#define PERF_IOC_FLAG_GROUP 1

#define LOOP_N 10000000UL /* turns of the measured loop */
#define READS 1000
#define SPIN_TURNS 1000000UL /* between two looks at standard input */

/*
 * The first version of struct perf_event_attr (64 bytes), which every
 * kernel takes. No exclude_* flag: without Sscofpmf (L0 offers no overflow
 * interrupt) the driver refuses them, as L0 refuses mode filtering.
 */
struct perf_attr {
	unsigned int type, size;
	unsigned long config, sample_period, sample_type, read_format, flags;
	unsigned int wakeup_events, bp_type;
	unsigned long config1;
};

/* read() of a group with both times: the leader (cycles), then the other. */
struct group_count {
	unsigned long nr, time_enabled, time_running, cycles, instructions;
};

struct timespec {
	long sec, nsec;
};

struct pollfd {
	int fd;
	short events, revents;
};

static long sys(long nr, long a, long b, long c, long d, long e)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7)
			 : "memory");
	return a0;
}

static char line[256];
static unsigned int line_len;

static void put(const char *s)
{
	while (*s && line_len < sizeof(line) - 1)
		line[line_len++] = *s++;
}

static void put_num(long v)
{
	char digits[24];
	unsigned int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	if (v < 0)
		put("-");
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < sizeof(digits));
	while (n && line_len < sizeof(line) - 1)
		line[line_len++] = digits[--n];
}

/* put(name), then the number: " name=N" pieces of one line. */
static void put_field(const char *name, long v)
{
	put(name);
	put_num(v);
}

static void end_line(void)
{
	line[line_len++] = '\n';
	sys(SYS_WRITE, 1, (long)line, line_len, 0, 0);
	line_len = 0;
}

static void __attribute__((noreturn)) fail(const char *what, long err)
{
	put("L2: pmu FAIL ");
	put(what);
	put_field(" ", err);
	end_line();
	sys(SYS_EXIT, 1, 0, 0, 0, 0);
	__builtin_unreachable();
}

/* Exactly 2 * n instructions (n >= 1): a decrement and a branch a turn. */
static void loop(unsigned long n)
{
	__asm__ volatile("1:\n\taddi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
}

/* This task's cycles (the group's leader) and instructions, disabled. */
static long open_group(void)
{
	struct perf_attr a = {
		.type = PERF_TYPE_HARDWARE,
		.size = PERF_ATTR_SIZE_VER0,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.read_format = PERF_FORMAT_GROUP |
			       PERF_FORMAT_TOTAL_TIME_ENABLED |
			       PERF_FORMAT_TOTAL_TIME_RUNNING,
		.flags = PERF_ATTR_DISABLED,
	};
	long leader, other;

	leader = sys(SYS_PERF_EVENT_OPEN, (long)&a, 0, -1, -1, 0);
	if (leader < 0)
		fail("perf_event_open cycles", leader);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.flags = 0; /* counts while its leader does */
	other = sys(SYS_PERF_EVENT_OPEN, (long)&a, 0, -1, leader, 0);
	if (other < 0)
		fail("perf_event_open instructions", other);
	return leader;
}

static void group_ioctl(long fd, long request)
{
	long r = sys(SYS_IOCTL, fd, request, PERF_IOC_FLAG_GROUP, 0, 0);

	if (r < 0)
		fail("ioctl", r);
}

static void read_group(long fd, struct group_count *g)
{
	long r = sys(SYS_READ, fd, (long)g, sizeof(*g), 0, 0);

	if (r != (long)sizeof(*g))
		fail("read", r);
	/* Both events counted all the time they were enabled. */
	if (g->nr != 2 || g->time_running != g->time_enabled)
		fail("group not counting all along", (long)g->time_running);
}

static void measure(const char *label)
{
	long fd = open_group();
	struct group_count g;

	group_ioctl(fd, PERF_EVENT_IOC_RESET);
	group_ioctl(fd, PERF_EVENT_IOC_ENABLE);
	loop(LOOP_N);
	group_ioctl(fd, PERF_EVENT_IOC_DISABLE);
	read_group(fd, &g);
	put("L2: pmu ");
	put(label);
	put_field(" n=", (long)LOOP_N);
	put_field(" cycles=", (long)g.cycles);
	put_field(" instructions=", (long)g.instructions);
	end_line();
	sys(SYS_CLOSE, fd, 0, 0, 0, 0);
}

static void reads(void)
{
	long fd = open_group();
	struct group_count first, prev, g;
	int monotonic = 1;

	group_ioctl(fd, PERF_EVENT_IOC_ENABLE);
	read_group(fd, &first);
	prev = first;
	for (int i = 1; i < READS; i++) {
		read_group(fd, &g);
		if (g.cycles < prev.cycles ||
		    g.instructions < prev.instructions)
			monotonic = 0;
		prev = g;
	}
	group_ioctl(fd, PERF_EVENT_IOC_DISABLE);
	put_field("L2: pmu reads k=", READS);
	put(monotonic ? " monotonic=yes" : " monotonic=no");
	put_field(" instructions-per-read=",
		  (long)(prev.instructions - first.instructions) / (READS - 1));
	put_field(" cycles-per-read=",
		  (long)(prev.cycles - first.cycles) / (READS - 1));
	end_line();
	sys(SYS_CLOSE, fd, 0, 0, 0, 0);
}

static void spin(void)
{
	struct pollfd in = { .fd = 0, .events = POLLIN };
	struct timespec zero = { 0, 0 };
	char buf[64];

	put("L2: pmu neighbour busy");
	end_line();
	do
		loop(SPIN_TURNS);
	while (sys(SYS_PPOLL, (long)&in, 1, (long)&zero, 0, 8) == 0);
	sys(SYS_READ, 0, (long)buf, sizeof(buf), 0, 0);
	put("L2: pmu neighbour done");
	end_line();
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

long start(long argc, char **argv);
long start(long argc, char **argv)
{
	if (argc == 3 && same(argv[1], "measure"))
		measure(argv[2]);
	else if (argc == 2 && same(argv[1], "reads"))
		reads();
	else if (argc == 2 && same(argv[1], "spin"))
		spin();
	else
		fail("usage: perf-count measure LABEL | reads | spin", -22);
	return 0;
}

/* The kernel's initial stack: argc, then argv. */
__asm__(".globl _start\n"
	"_start:\n"
	"\tld a0, 0(sp)\n"
	"\taddi a1, sp, 8\n"
	"\tcall start\n"
	"\tli a7, 93\n"
	"\tecall\n");
