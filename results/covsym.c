/* covsym.c - System.map read into sorted text symbols, named by the function each belongs to. */
#include "covsym.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void pmig_sym_func(const char *name, char *out, size_t len)
{
	static const char *const prefixes[] = { "__pfx_", "__cfi_" };
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(name, prefixes[i], n) && name[n]) {
			name += n;
			break;
		}
	}
	n = strcspn(name, ".");
	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

static int by_addr(const void *a, const void *b)
{
	const struct pmig_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Aliases by name: qsort is not stable, and the answer must not vary. */
	return strcmp(x->name, y->name);
}

static int add(struct pmig_symmap *m, size_t *cap, uint64_t addr,
	       const char *name)
{
	struct pmig_sym *s;
	char func[256];

	if (m->n == *cap) {
		size_t c = *cap ? *cap * 2 : 4096;

		s = realloc(m->syms, c * sizeof(*s));
		if (!s)
			return -ENOMEM;
		m->syms = s;
		*cap = c;
	}
	s = &m->syms[m->n];
	pmig_sym_func(name, func, sizeof(func));
	s->addr = addr;
	s->name = strdup(name);
	s->func = strdup(func);
	s->cold = strstr(name, ".cold") != NULL;
	if (!s->name || !s->func) {
		free(s->name);
		free(s->func);
		return -ENOMEM;
	}
	m->n++;
	return 0;
}

int pmig_symmap_read(FILE *f, struct pmig_symmap *m, size_t *line)
{
	char buf[1024], name[512], type;
	uint64_t addr;
	size_t cap = 0;
	int err;

	memset(m, 0, sizeof(*m));
	*line = 0;
	while (fgets(buf, sizeof(buf), f)) {
		(*line)++;
		if (sscanf(buf, "%" SCNx64 " %c %511s", &addr, &type, name) !=
			    3 ||
		    !isxdigit((unsigned char)buf[0])) {
			pmig_symmap_free(m);
			return -EINVAL;
		}
		if (!strchr("tTwW", type))
			continue;
		err = add(m, &cap, addr, name);
		if (err) {
			pmig_symmap_free(m);
			return err;
		}
	}
	*line = 0;
	if (ferror(f)) {
		pmig_symmap_free(m);
		return -EIO;
	}
	if (!m->n)
		return -ENOENT;
	qsort(m->syms, m->n, sizeof(*m->syms), by_addr);
	return 0;
}

/* The index of the first symbol above @addr. */
static size_t upper(const struct pmig_symmap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct pmig_sym *pmig_symmap_find(const struct pmig_symmap *m,
					uint64_t addr)
{
	size_t i = upper(m, addr);

	if (!i)
		return NULL;
	/* Of aliases at one address, the first. */
	i--;
	while (i && m->syms[i - 1].addr == m->syms[i].addr)
		i--;
	return &m->syms[i];
}

const struct pmig_sym *pmig_symmap_at(const struct pmig_symmap *m,
				      uint64_t addr)
{
	const struct pmig_sym *s = pmig_symmap_find(m, addr);

	return s && s->addr == addr ? s : NULL;
}

void pmig_symmap_free(struct pmig_symmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->syms[i].name);
		free(m->syms[i].func);
	}
	free(m->syms);
	memset(m, 0, sizeof(*m));
}
