/*
 * gen-inventory.c: a deterministic synthetic enterprise inventory in
 * highwater's JSON Lines format, for benchmarks.
 *
 *   gen-inventory N [SEED] > inventory.jsonl
 *
 * Layers, top to bottom (shares of N): business services 1%, applications
 * 10%, databases 8%, virtual machines 45%, servers (hypervisor hosts) 6%,
 * storage 2%, network (access, distribution and core switches, firewalls)
 * 5%, endpoints the rest.  Each asset depends on assets of the layers
 * below: about 4.2 dependencies per asset, some carrying only part of
 * C/I/A.  A few deliberate cycles: hosts authenticate against directory
 * applications that run on those hosts' virtual machines, core switches
 * use the monitoring application.  Business services and applications
 * carry levels (a realistic mix, some left uncategorized); the rest
 * inherit.  The same N and SEED always give the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: fast, deterministic, good enough for shapes. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 2685821657736338717ULL) >> 33) % n;
}

struct layer {
	const char *prefix, *type;
	long first, count; /* global numbering: first .. first+count-1 */
};

enum { SVC, APP, DB, VM, HOST, STORE, NET, CORE, ENDPT, NLAYERS };

static struct layer layers[NLAYERS] = {
    [SVC] = {"svc", "business_service", 0, 0},
    [APP] = {"app", "application", 0, 0},
    [DB] = {"db", "database", 0, 0},
    [VM] = {"vm", "virtual_machine", 0, 0},
    [HOST] = {"host", "server", 0, 0},
    [STORE] = {"san", "storage_device", 0, 0},
    [NET] = {"sw", "network_device", 0, 0},
    [CORE] = {"core", "network_device", 0, 0},
    [ENDPT] = {"ep", "endpoint", 0, 0},
};

static long pick(int l)
{
	return rnd((uint32_t)layers[l].count);
}

static void dep(int fl, long f, int tl, long t, const char *type,
		const char *carries)
{
	printf("{\"dependency\":{\"from\":\"%s-%07ld\",\"to\":\"%s-%07ld\","
	       "\"type\":\"%s\",\"carries\":\"%s\"}}\n",
	       layers[fl].prefix, f, layers[tl].prefix, t, type, carries);
}

static const char *level(void)
{
	uint32_t r = rnd(100);

	return r < 20 ? "high" : r < 65 ? "moderate" : "low";
}

static void asset(int l, long i)
{
	printf("{\"asset\":{\"id\":\"%s-%07ld\",\"name\":\"%s %ld\","
	       "\"type\":\"%s\",\"owner\":\"team-%03u@example.org\"",
	       layers[l].prefix, i, layers[l].type, i, layers[l].type,
	       rnd(400));
	if (l == SVC || (l == APP && rnd(100) < 90) ||
	    (l == DB && rnd(100) < 30))
		printf(",\"confidentiality\":\"%s\",\"integrity\":\"%s\","
		       "\"availability\":\"%s\"",
		       level(), level(), level());
	else if (l == APP && rnd(2))
		printf(",\"information_types\":[{\"id\":\"C.3.5.%u\"}]",
		       1 + rnd(8));
	printf(",\"internet_facing\":%s}}\n",
	       (l == APP && rnd(50) == 0) ? "true" : "false");
}

int main(int argc, char **argv)
{
	static const double share[NLAYERS] = {0.01, 0.10, 0.08, 0.45, 0.06,
					      0.02, 0.05, 0.0,  0.0};
	long n, i, k, used = 0;
	int l;

	if (argc < 2 || (n = atol(argv[1])) < 10000) {
		fprintf(stderr, "usage: gen-inventory N [SEED] (N >= 10000)\n");
		return 2;
	}
	state = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(argc > 2 ? atol(argv[2]) : 1);
	for (l = 0; l < NLAYERS; l++) {
		layers[l].first = used;
		layers[l].count = (long)(share[l] * (double)n);
		if (l == CORE)
			layers[l].count = 8;
		if (l == ENDPT)
			layers[l].count = n - used;
		used += layers[l].count;
	}
	printf("{\"format\":\"highwater-inventory\",\"version\":1}\n");
	for (l = 0; l < NLAYERS; l++)
		for (i = 0; i < layers[l].count; i++)
			asset(l, i);
	/* Business services use applications. */
	for (i = 0; i < layers[SVC].count; i++)
		for (k = 0; k < 4; k++)
			dep(SVC, i, APP, (i * 7 + k * 13 + rnd(5)) %
					     layers[APP].count,
			    "uses", "cia");
	/* Applications: VMs, databases, a directory, sometimes another
	 * application.  The first 16 applications are directories. */
	for (i = 0; i < layers[APP].count; i++) {
		long vm = pick(VM);

		dep(APP, i, VM, vm, "runs_on", "cia");
		dep(APP, i, VM, (vm + 1 + rnd(50)) % layers[VM].count,
		    "runs_on", "ia");
		dep(APP, i, DB, pick(DB), "stores_data_in", "cia");
		if (i >= 16)
			dep(APP, i, APP, rnd(16), "authenticates_via", "ci");
		if (rnd(3) == 0 && i >= 17)
			dep(APP, i, APP, 16 + rnd((uint32_t)(i - 16)), "uses",
			    "ia");
	}
	/* Databases run on VMs and back up to storage. */
	for (i = 0; i < layers[DB].count; i++) {
		dep(DB, i, VM, pick(VM), "runs_on", "cia");
		dep(DB, i, STORE, pick(STORE), "backs_up_to", "ci");
	}
	/* VMs run on hosts and store their disks on storage. */
	for (i = 0; i < layers[VM].count; i++) {
		dep(VM, i, HOST, pick(HOST), "runs_on", "cia");
		dep(VM, i, STORE, pick(STORE), "stores_data_in", "cia");
		dep(VM, i, NET, pick(NET), "connects_to", "a");
		dep(VM, i, APP, rnd(16), "authenticates_via", "ci");
	}
	/* Hosts: two access switches, a directory (a cycle: directories
	 * run on VMs on these hosts), storage. */
	for (i = 0; i < layers[HOST].count; i++) {
		long sw = pick(NET);

		dep(HOST, i, NET, sw, "connects_to", "cia");
		dep(HOST, i, NET, (sw + 1) % layers[NET].count, "connects_to",
		    "a");
		dep(HOST, i, APP, rnd(16), "authenticates_via", "ci");
		dep(HOST, i, STORE, pick(STORE), "connects_to", "cia");
	}
	/* Storage hangs off the network. */
	for (i = 0; i < layers[STORE].count; i++)
		dep(STORE, i, NET, pick(NET), "connects_to", "cia");
	/* Access switches uplink to two of the core devices. */
	for (i = 0; i < layers[NET].count; i++) {
		long c = rnd(8);

		dep(NET, i, CORE, c, "connects_to", "cia");
		dep(NET, i, CORE, (c + 1) % 8, "connects_to", "a");
	}
	/* Core devices: a ring, and management through monitoring (app
	 * 17), which runs on VMs behind them: cycles. */
	for (i = 0; i < 8; i++) {
		dep(CORE, i, CORE, (i + 1) % 8, "connects_to", "a");
		dep(CORE, i, APP, 17, "uses", "ci");
	}
	/* Endpoints use applications and sit on access switches. */
	for (i = 0; i < layers[ENDPT].count; i++) {
		long a = 16 + rnd((uint32_t)layers[APP].count - 16);
		long sw = pick(NET), k2;

		dep(ENDPT, i, APP, a, "uses", "cia");
		dep(ENDPT, i, NET, sw, "connects_to", "a");
		dep(ENDPT, i, APP, rnd(16), "authenticates_via", "ci");
		/* Two more applications, distinct from a and each other. */
		for (k2 = 0; k2 < 2; k2++) {
			long span = layers[APP].count - 16;
			long off = k2 * (span / 3) + 1 + rnd((uint32_t)(span / 3));

			dep(ENDPT, i, APP, 16 + (a - 16 + off) % span, "uses",
			    "ia");
		}
		dep(ENDPT, i, NET, (sw + 1 + rnd(100)) % layers[NET].count,
		    "connects_to", "a");
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
