/* ---- runtime: state ---- */
static int kvm_fd = -1, vm_fd = -1;
static int vcpu_fd[NVCPUS];
static struct kvm_run *vcpu_run[NVCPUS];
static struct kvm_coalesced_mmio_ring *vcpu_ring[NVCPUS];
static pthread_t vcpu_thread[NVCPUS];
static unsigned char *mem;
static int efd[NEVENTFDS + 1];
static volatile int efd_closed[NEVENTFDS + 1];
static int notevent_fd = -1;
static const int badfd = 1 << 20; /* above fs.nr_open: never a valid descriptor */
static uint64_t clock_ns;
static volatile int failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long activity; /* bumped by host threads and blocked steps */
static uint32_t last_exit_exec[NVCPUS][MAX_WRITES + 1];
static uint64_t write_userspace[NVCPUS][MAX_WRITES + 1];
static uint64_t wait_start[NVCPUS];
static uint32_t wait_start_gen[NVCPUS];

struct exit_rec { const char *kind; uint64_t addr; uint32_t len; uint64_t data; uint64_t count; };
static struct exit_rec exits[4096];
static int nexits;
static uint64_t exits_total;

static char completion_text[NSTEPS + 1][96];
static volatile int completion_done[NSTEPS + 1];
static volatile int step_blocked[NSTEPS + 1];

RT void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
RT void fail(const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	printf("error %s\n", buf);
	fflush(stdout);
	failed = 1;
	pthread_mutex_unlock(&lock);
}

RT void die(const char *what)
{
	fail("%s: %s", what, strerror(errno));
	exit(3);
}

static volatile uint32_t *g32(uint64_t gpa) { return (volatile uint32_t *)(mem + (gpa - MEM_BASE)); }

RT uint64_t vbase(int v) { return MEM_BASE + VCPU_AREA + (uint64_t)v * VCPU_AREA_SIZE; }
static volatile uint32_t *vword(int v, uint32_t off) { return g32(vbase(v) + off); }

RT const char *errname(int e)
{
	static char buf[16];
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: snprintf(buf, sizeof buf, "E%d", e); return buf;
	}
}

RT uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

RT void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

/* An eventfd's counter, read without consuming it: "eventfd-count:" of /proc/self/fdinfo/FD (hex). */
RT int fdinfo_count(int fd, uint64_t *out)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	ssize_t n = read(f, buf, sizeof buf - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "eventfd-count:");
	if (!p)
		return -1;
	*out = strtoull(p + strlen("eventfd-count:"), NULL, 16);
	return 0;
}

/* The descriptor a step passes: an eventfd's (even closed), @badfd (-1) or @notevent (-2). */
RT int fd_of(int ref)
{
	if (ref == -1)
		return badfd;
	if (ref == -2)
		return notevent_fd;
	return efd[ref];
}

RT void print_step(int i, const char *action, const char *result)
{
	pthread_mutex_lock(&lock);
	printf("step %d %s %s\n", i, action, result);
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}

RT const char *errno_result(char *buf, size_t n, int e, uint64_t k, uint64_t count)
{
	if (count == 1)
		snprintf(buf, n, "%s", errname(e));
	else
		snprintf(buf, n, "{errno: %s, after: %llu}", errname(e), (unsigned long long)k);
	return buf;
}

/* ---- userspace exits ---- */

RT void record_exit(int v, const char *kind, uint64_t addr, uint32_t len, uint64_t data)
{
	pthread_mutex_lock(&lock);
	exits_total++;
	int i;
	for (i = 0; i < nexits; i++)
		if (exits[i].kind == kind && exits[i].addr == addr && exits[i].len == len && exits[i].data == data)
			break;
	if (i == nexits && nexits < (int)(sizeof exits / sizeof exits[0])) {
		exits[nexits] = (struct exit_rec){ kind, addr, len, data, 0 };
		nexits++;
	}
	if (i < nexits)
		exits[i].count++;
	/* attribute it to the guest write being executed (one per execution, as the model counts) */
	uint32_t act = *vword(v, GS_ACTION);
	if (act < (uint32_t)vcpu_nwrites[v]) {
		uint32_t exec = *vword(v, GS_EXECS + 4 * act) + 1;
		if (last_exit_exec[v][act] != exec) {
			last_exit_exec[v][act] = exec;
			write_userspace[v][act]++;
		}
	}
	pthread_mutex_unlock(&lock);
}

RT uint64_t data_of(const unsigned char *p, uint32_t len)
{
	uint64_t d = 0;
	for (uint32_t i = 0; i < len && i < 8; i++)
		d |= (uint64_t)p[i] << (8 * i);
	return d;
}

/* Userspace exits matching a check (kind NULL: mmio and io). */
RT uint64_t count_exits(const char *kind, int has_addr, uint64_t addr, int has_len, uint64_t len, int has_data, uint64_t data)
{
	uint64_t n = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nexits; i++) {
		const struct exit_rec *e = &exits[i];
		if (kind ? strcmp(e->kind, kind) != 0 : strcmp(e->kind, "ioapic_eoi") == 0)
			continue;
		if ((has_addr && e->addr != addr) || (has_len && e->len != len) || (has_data && e->data != data))
			continue;
		n += e->count;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

/* ---- vCPUs ---- */

RT void on_kick(int sig) { (void)sig; }

/* Wakes a vCPU thread out of KVM_RUN (immediate_exit covers a thread about to enter it). */
RT void kick(int v)
{
	vcpu_run[v]->immediate_exit = 1;
	__sync_synchronize();
	pthread_kill(vcpu_thread[v], SIGUSR1);
}

RT void *vcpu_main(void *arg)
{
	int v = (int)(intptr_t)arg;
	struct kvm_run *run = vcpu_run[v];
	for (;;) {
		int r = ioctl(vcpu_fd[v], KVM_RUN, 0);
		if (r < 0 && errno == EINTR) {
			/* kicked: leave the halt so the guest re-reads the clock and its wait's timeout */
			run->immediate_exit = 0;
			struct kvm_mp_state mp = { KVM_MP_STATE_RUNNABLE };
			ioctl(vcpu_fd[v], KVM_SET_MP_STATE, &mp);
			continue;
		}
		if (r < 0) {
			fail("vcpu %d: KVM_RUN: %s", v, strerror(errno));
			return NULL;
		}
		if (vcpu_ring[v]) /* drain the coalesced MMIO ring on every exit, as a VMM does */
			vcpu_ring[v]->first = vcpu_ring[v]->last;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction == KVM_EXIT_IO_OUT) {
				for (uint32_t i = 0; i < run->io.count; i++)
					record_exit(v, "io", run->io.port, run->io.size,
						    data_of((unsigned char *)run + run->io.data_offset + i * run->io.size, run->io.size));
			} else {
				memset((unsigned char *)run + run->io.data_offset, 0xff, (size_t)run->io.size * run->io.count);
			}
			break;
		case KVM_EXIT_MMIO:
			if (run->mmio.is_write)
				record_exit(v, "mmio", run->mmio.phys_addr, run->mmio.len, data_of(run->mmio.data, run->mmio.len));
			else
				memset(run->mmio.data, 0, sizeof run->mmio.data);
			break;
		case KVM_EXIT_IOAPIC_EOI:
			record_exit(v, "ioapic_eoi", 0, 0, run->eoi.vector);
			break;
		case KVM_EXIT_HLT: /* no in-kernel LAPIC: halt in userspace until kicked */
			while (!run->immediate_exit)
				sleep_us(200);
			run->immediate_exit = 0;
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			fail("vcpu %d: KVM_EXIT_INTERNAL_ERROR suberror %u", v, run->internal.suberror);
			return NULL;
		case KVM_EXIT_SHUTDOWN:
			fail("vcpu %d: KVM_EXIT_SHUTDOWN (triple fault)", v);
			return NULL;
		default:
			fail("vcpu %d: unexpected exit reason %u", v, run->exit_reason);
			return NULL;
		}
	}
}

RT void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int code_or_data)
{
	memset(s, 0, sizeof *s);
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->s = (uint8_t)code_or_data;
	s->db = 1;
	s->g = 1;
}

RT void setup_vcpu(int v, struct kvm_cpuid2 *cpuid, int mmap_size)
{
	vcpu_fd[v] = ioctl(vm_fd, KVM_CREATE_VCPU, v);
	if (vcpu_fd[v] < 0)
		die("KVM_CREATE_VCPU");
	vcpu_run[v] = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd[v], 0);
	if (vcpu_run[v] == MAP_FAILED)
		die("mmap kvm_run");
	int ring = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);
	if (ring > 0 && (long)ring * sysconf(_SC_PAGESIZE) < mmap_size)
		vcpu_ring[v] = (struct kvm_coalesced_mmio_ring *)((char *)vcpu_run[v] + (long)ring * sysconf(_SC_PAGESIZE));
	if (ioctl(vcpu_fd[v], KVM_SET_CPUID2, cpuid) < 0)
		die("KVM_SET_CPUID2");
	struct kvm_sregs sr;
	if (ioctl(vcpu_fd[v], KVM_GET_SREGS, &sr) < 0)
		die("KVM_GET_SREGS");
	set_seg(&sr.cs, 0x08, 0xb, 1);
	set_seg(&sr.ds, 0x10, 0x3, 1);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	memset(&sr.tr, 0, sizeof sr.tr);
	sr.tr.base = MEM_BASE + TSS_OFF;
	sr.tr.limit = 0x67;
	sr.tr.selector = 0x18;
	sr.tr.type = 11; /* busy 32-bit TSS */
	sr.tr.present = 1;
	memset(&sr.ldt, 0, sizeof sr.ldt);
	sr.ldt.type = 2;
	sr.ldt.unusable = 1;
	sr.gdt.base = MEM_BASE + GDT_OFF;
	sr.gdt.limit = 0x1f;
	sr.idt.base = vbase(v) + V_IDT;
	sr.idt.limit = 0x7ff;
	sr.cr0 = 0x11; /* PE | ET; EM and TS clear (the 8-byte store uses movq mm0) */
	sr.cr4 = 0;
	sr.efer = 0;
	if (ioctl(vcpu_fd[v], KVM_SET_SREGS, &sr) < 0)
		die("KVM_SET_SREGS");
	struct kvm_regs regs;
	memset(&regs, 0, sizeof regs);
	regs.rip = vcpu_entry[v];
	regs.rsp = vbase(v) + V_STACK_TOP;
	regs.rflags = 0x2;
	if (ioctl(vcpu_fd[v], KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS");
	/* application processors start in INIT-wait with an in-kernel LAPIC: start them all */
	struct kvm_mp_state mp = { KVM_MP_STATE_RUNNABLE };
	if (ioctl(vcpu_fd[v], KVM_SET_MP_STATE, &mp) < 0)
		die("KVM_SET_MP_STATE");
}

RT void setup_vm(void)
{
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		die("open /dev/kvm");
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		die("KVM_CREATE_VM");
	if (IRQCHIP_MODE == IRQCHIP_KERNEL) {
		if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
			die("KVM_CREATE_IRQCHIP");
	} else if (IRQCHIP_MODE == IRQCHIP_SPLIT) {
		struct kvm_enable_cap cap;
		memset(&cap, 0, sizeof cap);
		cap.cap = KVM_CAP_SPLIT_IRQCHIP;
		cap.args[0] = 24;
		if (ioctl(vm_fd, KVM_ENABLE_CAP, &cap) < 0)
			die("KVM_ENABLE_CAP KVM_CAP_SPLIT_IRQCHIP");
	}
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
		memcpy(mem + chunks[i].off, chunks[i].bytes, chunks[i].len);
	struct kvm_userspace_memory_region region = { 0, 0, MEM_BASE, MEM_SIZE, (uint64_t)(uintptr_t)mem };
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	int nent = 128;
	struct kvm_cpuid2 *cpuid;
	for (;;) {
		cpuid = calloc(1, sizeof *cpuid + (size_t)nent * sizeof(struct kvm_cpuid_entry2));
		if (!cpuid)
			die("calloc");
		cpuid->nent = (uint32_t)nent;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
			break;
		if (errno != E2BIG)
			die("KVM_GET_SUPPORTED_CPUID");
		free(cpuid);
		nent *= 2;
	}
	int mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	for (int v = 0; v < NVCPUS; v++)
		setup_vcpu(v, cpuid, mmap_size);
	free(cpuid);
}

/* ---- host threads (vhost workers and iothreads: poll, read, signal) ---- */

RT void *host_thread_main(void *arg)
{
	const struct thread_spec *t = arg;
	for (;;) {
		struct pollfd p = { efd[t->wait], POLLIN, 0 };
		if (poll(&p, 1, -1) < 0)
			continue;
		uint64_t val;
		if (read(efd[t->wait], &val, 8) != 8)
			continue;
		if (t->signal >= 0) {
			uint64_t one = 1;
			if (write(efd[t->signal], &one, 8) != 8)
				fail("thread %s: write: %s", t->name, strerror(errno));
		}
		__sync_fetch_and_add(&activity, 1);
	}
	return NULL;
}

/* ---- steps that block: finished by a thread, whose end is the step's completion ---- */

struct blocked { int step; int fd; int write; uint64_t value; volatile pid_t tid; };

RT void *blocked_main(void *arg)
{
	struct blocked *b = arg;
	b->tid = (pid_t)syscall(SYS_gettid);
	uint64_t v = b->value;
	ssize_t r = b->write ? write(b->fd, &v, 8) : read(b->fd, &v, 8);
	if (r < 0)
		snprintf(completion_text[b->step], sizeof completion_text[0], "%s", errname(errno));
	else if (b->write)
		snprintf(completion_text[b->step], sizeof completion_text[0], "ok");
	else
		snprintf(completion_text[b->step], sizeof completion_text[0], "{value: %llu}", (unsigned long long)v);
	__sync_synchronize();
	completion_done[b->step] = 1;
	__sync_fetch_and_add(&activity, 1);
	return NULL;
}

/* True once thread tid sleeps (state S in /proc/self/task/TID/stat): it is on the eventfd's wait queue. */
RT int task_sleeping(pid_t tid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return 0;
	ssize_t n = read(f, buf, sizeof buf - 1);
	close(f);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/* A read or write of a blocking eventfd that would block: prints "blocked", finishes in a thread. */
RT void start_blocked(int step, const char *action, int fd, int is_write, uint64_t value)
{
	struct blocked *b = calloc(1, sizeof *b);
	if (!b)
		die("calloc");
	*b = (struct blocked){ step, fd, is_write, value, 0 };
	pthread_t t;
	if (pthread_create(&t, NULL, blocked_main, b) != 0)
		die("pthread_create");
	pthread_detach(t);
	step_blocked[step] = 1;
	print_step(step, action, "blocked");
	for (int i = 0; i < 5000 && !completion_done[step]; i++) {
		if (b->tid && task_sleeping(b->tid))
			return;
		sleep_us(200);
	}
}

RT int is_blocking_eventfd(int ref)
{
	if (ref < 0 || efd_closed[ref])
		return 0;
	int fl = fcntl(efd[ref], F_GETFL);
	return fl >= 0 && !(fl & O_NONBLOCK);
}

RT void step_eventfd_write(int i, int ref, uint64_t value)
{
	int fd = fd_of(ref);
	uint64_t count;
	/* fs/eventfd.c eventfd_write: blocks while ULLONG_MAX - count <= value (value ULLONG_MAX is EINVAL) */
	if (value != UINT64_MAX && is_blocking_eventfd(ref) && fdinfo_count(fd, &count) == 0 && UINT64_MAX - count <= value) {
		start_blocked(i, "eventfd_write", fd, 1, value);
		return;
	}
	ssize_t r = write(fd, &value, 8);
	print_step(i, "eventfd_write", r < 0 ? errname(errno) : "ok");
}

RT void step_eventfd_read(int i, int ref)
{
	int fd = fd_of(ref);
	uint64_t count;
	if (is_blocking_eventfd(ref) && fdinfo_count(fd, &count) == 0 && count == 0) {
		start_blocked(i, "eventfd_read", fd, 0, 0);
		return;
	}
	uint64_t v = 0;
	ssize_t r = read(fd, &v, 8);
	char buf[64];
	if (r < 0)
		snprintf(buf, sizeof buf, "%s", errname(errno));
	else
		snprintf(buf, sizeof buf, "{value: %llu}", (unsigned long long)v);
	print_step(i, "eventfd_read", buf);
}

RT void step_close(int i, int ref)
{
	int r = close(fd_of(ref));
	if (r == 0 && ref >= 0)
		efd_closed[ref] = 1;
	print_step(i, "close", r < 0 ? errname(errno) : "ok");
}

RT void step_ioeventfd(int i, int ref, uint64_t addr, uint32_t len, uint64_t datamatch, uint32_t flags, uint64_t count, uint64_t stride)
{
	char buf[96];
	for (uint64_t k = 0; k < count; k++) {
		struct kvm_ioeventfd io;
		memset(&io, 0, sizeof io);
		io.datamatch = datamatch;
		io.addr = addr + k * stride;
		io.len = len;
		io.fd = fd_of(ref);
		io.flags = flags;
		if (ioctl(vm_fd, KVM_IOEVENTFD, &io) < 0) {
			print_step(i, "ioeventfd", errno_result(buf, sizeof buf, errno, k, count));
			return;
		}
	}
	print_step(i, "ioeventfd", "ok");
}

RT void step_coalesced(int i, uint64_t addr, uint32_t size, int pio, uint64_t count, uint64_t stride)
{
	char buf[96];
	for (uint64_t k = 0; k < count; k++) {
		struct kvm_coalesced_mmio_zone z;
		memset(&z, 0, sizeof z);
		z.addr = addr + k * stride;
		z.size = size;
		z.pio = (uint32_t)pio;
		if (ioctl(vm_fd, KVM_REGISTER_COALESCED_MMIO, &z) < 0) {
			print_step(i, "coalesced_mmio", errno_result(buf, sizeof buf, errno, k, count));
			return;
		}
	}
	print_step(i, "coalesced_mmio", "ok");
}

RT void step_irqfd(int i, int ref, uint32_t gsi, int resample_ref, uint32_t flags)
{
	struct kvm_irqfd f;
	memset(&f, 0, sizeof f);
	f.fd = (uint32_t)fd_of(ref);
	f.gsi = gsi;
	f.flags = flags;
	if (resample_ref != -3)
		f.resamplefd = (uint32_t)fd_of(resample_ref);
	int r = ioctl(vm_fd, KVM_IRQFD, &f);
	print_step(i, "irqfd", r < 0 ? errname(errno) : "ok");
}

RT struct kvm_irq_routing *routing_alloc(uint32_t n)
{
	struct kvm_irq_routing *r = calloc(1, sizeof *r + (size_t)n * sizeof(struct kvm_irq_routing_entry));
	if (!r)
		die("calloc");
	return r;
}

RT void routing_msi(struct kvm_irq_routing *r, uint32_t gsi, uint32_t lo, uint32_t hi, uint32_t data, uint32_t flags)
{
	struct kvm_irq_routing_entry *e = &r->entries[r->nr++];
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->flags = flags;
	e->u.msi.address_lo = lo;
	e->u.msi.address_hi = hi;
	e->u.msi.data = data;
}

RT void routing_irqchip(struct kvm_irq_routing *r, uint32_t gsi, uint32_t chip, uint32_t pin, uint32_t flags)
{
	struct kvm_irq_routing_entry *e = &r->entries[r->nr++];
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->flags = flags;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

RT void step_routing(int i, struct kvm_irq_routing *r)
{
	int rc = ioctl(vm_fd, KVM_SET_GSI_ROUTING, r);
	print_step(i, "gsi_routing", rc < 0 ? errname(errno) : "ok");
	free(r);
}

RT void step_irq_line(int i, uint32_t irq, uint32_t level)
{
	struct kvm_irq_level l;
	memset(&l, 0, sizeof l);
	l.irq = irq;
	l.level = level;
	char buf[64];
	if (ioctl(vm_fd, KVM_IRQ_LINE_STATUS, &l) < 0)
		snprintf(buf, sizeof buf, "%s", errname(errno));
	else
		snprintf(buf, sizeof buf, "{value: %d}", l.status);
	print_step(i, "irq_line", buf);
}

RT void step_signal_msi(int i, uint32_t lo, uint32_t hi, uint32_t data, uint32_t flags)
{
	struct kvm_msi m;
	memset(&m, 0, sizeof m);
	m.address_lo = lo;
	m.address_hi = hi;
	m.data = data;
	m.flags = flags;
	char buf[64];
	int r = ioctl(vm_fd, KVM_SIGNAL_MSI, &m);
	if (r < 0)
		snprintf(buf, sizeof buf, "%s", errname(errno));
	else
		snprintf(buf, sizeof buf, "{value: %d}", r);
	print_step(i, "signal_msi", buf);
}

/* ---- check steps: values read at the step's time ---- */

RT void check_eventfd(int i, int ref, const char *name)
{
	uint64_t c;
	pthread_mutex_lock(&lock);
	if (efd_closed[ref] || fdinfo_count(efd[ref], &c) < 0)
		printf("check %d eventfd %s counter = closed\n", i, name);
	else
		printf("check %d eventfd %s counter = %llu\n", i, name, (unsigned long long)c);
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}

RT void check_vcpu(int i, int v, int vector, const char *what)
{
	uint32_t n = vector < 0 ? *vword(v, GS_TOTAL_TAKEN) : *vword(v, V_TAKEN + 4 * (uint32_t)vector);
	pthread_mutex_lock(&lock);
	printf("check %d %s = %u\n", i, what, n);
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}

RT void check_exits(int i, const char *what, const char *kind, int has_addr, uint64_t addr, int has_len, uint64_t len, int has_data, uint64_t data)
{
	uint64_t n = count_exits(kind, has_addr, addr, has_len, len, has_data, data);
	pthread_mutex_lock(&lock);
	printf("check %d %s = %llu\n", i, what, (unsigned long long)n);
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}

/* ---- the clock: steps and guest waits in time order, the guest run to quiescence in between ---- */

RT int settle_ms(void)
{
	const char *s = getenv("KVMSIM_SETTLE_MS");
	int v = s ? atoi(s) : 0;
	return v > 0 ? v : 20;
}

/* A vCPU whose wait has been released but that has not left it yet. */
RT int released(int v)
{
	uint32_t st = *vword(v, GS_STATE);
	uint32_t w = *vword(v, GS_WAIT_ID);
	if (st == ST_WAIT_UNTIL)
		return w < vcpu_nwaits[v] && vcpu_waits[v][w].arg <= clock_ns;
	if (st == ST_WAIT_IRQ)
		return *vword(v, GS_TIMEOUT_GEN) == *vword(v, GS_WAIT_GEN);
	return st == ST_READY && *g32(MEM_BASE + G_STARTED) != 0;
}

struct snapshot { uint32_t seq[NVCPUS], state[NVCPUS], taken[NVCPUS]; uint64_t counts[NEVENTFDS + 1]; uint64_t exits; unsigned long activity; };

RT void take_snapshot(struct snapshot *s)
{
	memset(s, 0, sizeof *s);
	for (int v = 0; v < NVCPUS; v++) {
		s->seq[v] = *vword(v, GS_SEQ);
		s->state[v] = *vword(v, GS_STATE);
		s->taken[v] = *vword(v, GS_TOTAL_TAKEN);
	}
	for (int e = 0; e < NEVENTFDS; e++)
		if (!efd_closed[e])
			fdinfo_count(efd[e], &s->counts[e]);
	pthread_mutex_lock(&lock);
	s->exits = exits_total;
	pthread_mutex_unlock(&lock);
	s->activity = activity;
}

/* Waits until nothing changes for settle_ms: every vCPU waits (or idles) and no eventfd, exit or thread moves. */
RT void settle(void)
{
	struct snapshot a, b;
	int quiet = 0, need = settle_ms();
	take_snapshot(&a);
	for (long t = 0; !failed; t++) {
		sleep_us(1000);
		take_snapshot(&b);
		int busy = 0;
		for (int v = 0; v < NVCPUS; v++) {
			if (b.state[v] == ST_RUNNING || b.state[v] == ST_INIT || released(v)) {
				busy = 1;
				if (released(v) && t % 5 == 4)
					kick(v); /* a wake-up that raced with the vCPU's entry */
			}
		}
		quiet = (!busy && memcmp(&a, &b, sizeof a) == 0) ? quiet + 1 : 0;
		a = b;
		if (quiet >= need)
			return;
		if (t > 30000) {
			fail("no quiescence after 30 s (a vCPU still running or a wait never released)");
			return;
		}
	}
}

/* The next time anything is due after clock_ns: a step, a wait_until, a wait_irq timeout. */
RT uint64_t next_time(int next_step)
{
	uint64_t t = UINT64_MAX;
	if (next_step < NSTEPS)
		t = step_at[next_step];
	for (int v = 0; v < NVCPUS; v++) {
		uint32_t st = *vword(v, GS_STATE), w = *vword(v, GS_WAIT_ID);
		if (w >= vcpu_nwaits[v])
			continue;
		if (st == ST_WAIT_UNTIL && vcpu_waits[v][w].arg < t)
			t = vcpu_waits[v][w].arg;
		if (st == ST_WAIT_IRQ && vcpu_waits[v][w].arg != UINT64_MAX) {
			uint32_t gen = *vword(v, GS_WAIT_GEN);
			if (wait_start_gen[v] != gen) {
				wait_start_gen[v] = gen;
				wait_start[v] = clock_ns;
			}
			uint64_t deadline = wait_start[v] + vcpu_waits[v][w].arg;
			if (deadline < t)
				t = deadline;
		}
	}
	return t;
}

/* Advances the guest clock to t: releases the waits due, fires the timeouts due. */
RT void advance(uint64_t t)
{
	clock_ns = t;
	*g32(MEM_BASE + G_CLOCK) = (uint32_t)(t > 0xffffffffull ? 0xffffffffull : t);
	__sync_synchronize();
	for (int v = 0; v < NVCPUS; v++) {
		uint32_t st = *vword(v, GS_STATE), w = *vword(v, GS_WAIT_ID);
		if (st == ST_WAIT_IRQ && w < vcpu_nwaits[v] && vcpu_waits[v][w].arg != UINT64_MAX
		    && wait_start_gen[v] == *vword(v, GS_WAIT_GEN) && wait_start[v] + vcpu_waits[v][w].arg <= t)
			*vword(v, GS_TIMEOUT_GEN) = *vword(v, GS_WAIT_GEN);
		kick(v);
	}
}

RT void start_guests(void)
{
	for (int v = 0; v < NVCPUS; v++) {
		if (pthread_create(&vcpu_thread[v], NULL, vcpu_main, (void *)(intptr_t)v) != 0)
			die("pthread_create");
	}
	/* every vCPU runs its set-up (LAPIC enable, PIC masks) and waits, halted, for the start */
	for (int i = 0; i < 10000; i++) {
		int ready = 0;
		for (int v = 0; v < NVCPUS; v++)
			ready += *vword(v, GS_STATE) == ST_READY;
		if (ready == NVCPUS || failed)
			return;
		sleep_us(1000);
	}
	fail("the vCPUs did not reach their start within 10 s");
}

/* ---- the end of the run ---- */

RT void final_report(void)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < NSTEPS; i++)
		if (step_blocked[i])
			printf("completion %d %s\n", i, completion_done[i] ? completion_text[i] : "still-blocked");
	for (int v = 0; v < NVCPUS; v++)
		for (int w = 0; w < vcpu_nwrites[v]; w++) {
			uint64_t execs = *vword(v, GS_EXECS + 4 * (uint32_t)w);
			uint64_t us = write_userspace[v][w];
			printf("write %d %d kernel %llu userspace %llu\n", v, w, (unsigned long long)(execs - us), (unsigned long long)us);
		}
	for (int e = 0; e < NEVENTFDS; e++) {
		uint64_t c;
		if (efd_closed[e] || fdinfo_count(efd[e], &c) < 0)
			printf("eventfd %s closed\n", efd_names[e]);
		else
			printf("eventfd %s counter %llu\n", efd_names[e], (unsigned long long)c);
	}
	for (int v = 0; v < NVCPUS; v++)
		for (int vec = 0; vec < 256; vec++) {
			uint32_t n = *vword(v, V_TAKEN + 4 * (uint32_t)vec);
			if (n)
				printf("vcpu %d vector 0x%02x delivered %u\n", v, vec, n);
		}
	for (int i = 0; i < nexits; i++)
		printf("userspace_exit %s 0x%llx %u 0x%llx count %llu\n", exits[i].kind, (unsigned long long)exits[i].addr, exits[i].len,
		       (unsigned long long)exits[i].data, (unsigned long long)exits[i].count);
	printf("end\n");
	fflush(stdout);
	pthread_mutex_unlock(&lock);
}
