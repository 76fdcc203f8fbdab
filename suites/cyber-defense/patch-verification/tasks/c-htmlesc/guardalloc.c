/*
 * guardalloc.c - test-only allocator used by the proof-of-vulnerability build.
 *
 * Linked with  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
 * it replaces the allocator for calls made from the program's own object
 * files (calls made inside libc are untouched).  Every block is placed at the
 * end of its own mapping, directly followed by an inaccessible guard page, and
 * freed blocks are made inaccessible and never reused.  Consequently:
 *   - a read or write running past the end of a block faults (SIGSEGV) at the
 *     offending access (a few bytes of alignment slack are filled with a
 *     pattern that is verified when the block is freed);
 *   - any access to a freed block faults;
 *   - freeing a block twice, or freeing a pointer into the middle of a block,
 *     aborts (SIGABRT).
 * A short diagnostic is written to stderr before the process dies, so the
 * exit status is 128+SIGSEGV or 128+SIGABRT.  It is an electric-fence style
 * substitute for AddressSanitizer, which cannot run under `ulimit -v`.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GA_ALIGN 16
#define GA_MAX_BLOCKS 65536
#define GA_SLACK_BYTE 0xA5

struct ga_block {
    unsigned char *map;   /* start of the mapping */
    size_t map_len;       /* total length, including the guard page */
    unsigned char *user;  /* pointer handed out */
    size_t size;          /* requested size */
    int freed;
};

static struct ga_block ga_blocks[GA_MAX_BLOCKS];
static size_t ga_count;
static size_t ga_page;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void __real_free(void *);

static void ga_write(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static void ga_write_hex(uintptr_t v)
{
    char buf[2 + 2 * sizeof(v) + 1];
    int i;

    buf[0] = '0';
    buf[1] = 'x';
    for (i = 0; i < (int)(2 * sizeof(v)); i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (4 * (2 * sizeof(v) - 1 - i))) & 0xf];
    buf[sizeof(buf) - 1] = '\0';
    ga_write(buf);
}

static void ga_die(const char *what, const void *p)
{
    ga_write("guardalloc: ");
    ga_write(what);
    ga_write(" (pointer ");
    ga_write_hex((uintptr_t)p);
    ga_write(")\n");
    abort();
}

static void ga_segv(int sig, siginfo_t *si, void *ctx)
{
    unsigned char *addr = (unsigned char *)si->si_addr;
    const char *kind = "invalid memory access";
    size_t i;

    (void)ctx;
    for (i = 0; i < ga_count; i++) {
        struct ga_block *b = &ga_blocks[i];
        if (addr >= b->map && addr < b->map + b->map_len) {
            if (b->freed)
                kind = "use of freed memory";
            else if (addr >= b->user + b->size)
                kind = "access past the end of a heap block";
            else
                kind = "access before the start of a heap block";
            break;
        }
    }
    ga_write("guardalloc: ");
    ga_write(kind);
    ga_write(" at ");
    ga_write_hex((uintptr_t)addr);
    ga_write("\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void ga_init(void)
{
    struct sigaction sa;
    static char altstack[65536];
    stack_t ss;

    ga_page = (size_t)sysconf(_SC_PAGESIZE);
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = ga_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

static struct ga_block *ga_find(const void *p)
{
    size_t i;

    for (i = ga_count; i > 0; i--) {
        struct ga_block *b = &ga_blocks[i - 1];
        if ((const unsigned char *)p >= b->map && (const unsigned char *)p < b->map + b->map_len)
            return b;
    }
    return NULL;
}

void *__wrap_malloc(size_t size)
{
    size_t rounded, data_len, map_len;
    unsigned char *map;
    struct ga_block *b;

    if (ga_page == 0)
        ga_init();
    if (size > ((size_t)1 << 40))
        return NULL;
    if (ga_count == GA_MAX_BLOCKS)
        ga_die("too many allocations for the test allocator", NULL);
    rounded = (size + GA_ALIGN - 1) & ~(size_t)(GA_ALIGN - 1);
    data_len = (rounded + ga_page - 1) & ~(ga_page - 1);
    if (data_len == 0)
        data_len = ga_page;
    map_len = data_len + ga_page;
    map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    if (mprotect(map + data_len, ga_page, PROT_NONE) != 0) {
        munmap(map, map_len);
        return NULL;
    }
    b = &ga_blocks[ga_count++];
    b->map = map;
    b->map_len = map_len;
    b->user = map + data_len - rounded;
    b->size = size;
    b->freed = 0;
    memset(b->user + size, GA_SLACK_BYTE, rounded - size);
    return b->user;
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return __wrap_malloc(n * size); /* fresh mappings are zero-filled */
}

void __wrap_free(void *p)
{
    struct ga_block *b;
    size_t i, rounded;

    if (p == NULL)
        return;
    b = ga_find(p);
    if (b == NULL) {
        __real_free(p); /* allocated inside libc (strdup, getline, ...) */
        return;
    }
    if (b->freed)
        ga_die("double free", p);
    if ((unsigned char *)p != b->user)
        ga_die("free of a pointer that is not the start of a block", p);
    rounded = (b->size + GA_ALIGN - 1) & ~(size_t)(GA_ALIGN - 1);
    for (i = b->size; i < rounded; i++)
        if (b->user[i] != GA_SLACK_BYTE)
            ga_die("heap block was written past its end", p);
    b->freed = 1;
    mprotect(b->map, b->map_len, PROT_NONE);
}

void *__wrap_realloc(void *p, size_t size)
{
    struct ga_block *b;
    void *q;

    if (p == NULL)
        return __wrap_malloc(size);
    b = ga_find(p);
    if (b == NULL)
        return __real_realloc(p, size);
    if (b->freed)
        ga_die("realloc of freed memory", p);
    if ((unsigned char *)p != b->user)
        ga_die("realloc of a pointer that is not the start of a block", p);
    if (size == 0) {
        __wrap_free(p);
        return NULL;
    }
    q = __wrap_malloc(size);
    if (q == NULL)
        return NULL;
    memcpy(q, p, b->size < size ? b->size : size);
    __wrap_free(p);
    return q;
}
