/*
 * capabilities.c: the capabilities model of capabilities.h and its XML,
 * laid out like libvirt's so that tools parsing `virsh capabilities`
 * (virt-install, virt-manager) find what they look for.
 */
#include <config.h>

#include <string.h>

#include "util_uuid.h"
#include "util_xml.h"
#include "capabilities.h"

/* Freeing ---------------------------------------------------------------- */

static void capsHostCPUFree(gpointer data)
{
    capsHostCPU *cpu = data;

    g_free(cpu->siblings);
    g_free(cpu);
}

static void capsHostCellFree(gpointer data)
{
    capsHostCell *cell = data;

    g_ptr_array_unref(cell->cpus);
    g_free(cell);
}

static void capsGuestMachineFree(gpointer data)
{
    capsGuestMachine *m = data;

    g_free(m->name);
    g_free(m->canonical);
    g_free(m);
}

static void capsGuestDomainFree(gpointer data)
{
    capsGuestDomain *d = data;

    g_free(d->type);
    g_free(d->emulator);
    g_ptr_array_unref(d->machines);
    g_free(d);
}

static void capsGuestFeatureFree(gpointer data)
{
    capsGuestFeature *f = data;

    g_free(f->name);
    g_free(f->defaultState);
    g_free(f->toggle);
    g_free(f);
}

static void capsGuestFree(gpointer data)
{
    capsGuest *g = data;

    g_free(g->osType);
    g_free(g->arch);
    g_free(g->emulator);
    g_free(g->loader);
    g_ptr_array_unref(g->machines);
    g_ptr_array_unref(g->domains);
    g_ptr_array_unref(g->features);
    g_free(g);
}

void capsFree(caps *c)
{
    if (!c)
        return;
    g_free(c->host.arch);
    g_free(c->host.cpuModel);
    g_free(c->host.cpuVendor);
    g_free(c->host.secModel);
    g_ptr_array_unref(c->host.migrationTransports);
    g_ptr_array_unref(c->host.cells);
    g_ptr_array_unref(c->guests);
    g_free(c);
}

/* Building --------------------------------------------------------------- */

caps *capsNew(const char *hostArch)
{
    caps *c = g_new0(caps, 1);

    c->host.arch = g_strdup(hostArch);
    c->host.migrationTransports = g_ptr_array_new_with_free_func(g_free);
    c->host.cells = g_ptr_array_new_with_free_func(capsHostCellFree);
    c->guests = g_ptr_array_new_with_free_func(capsGuestFree);
    return c;
}

capsHostCell *capsHostAddCell(caps *c, unsigned int id,
                              unsigned long long memoryKiB)
{
    capsHostCell *cell = g_new0(capsHostCell, 1);

    cell->id = id;
    cell->memory = memoryKiB;
    cell->cpus = g_ptr_array_new_with_free_func(capsHostCPUFree);
    g_ptr_array_add(c->host.cells, cell);
    return cell;
}

void capsHostCellAddCPU(capsHostCell *cell, unsigned int id,
                        unsigned int socketId, unsigned int dieId,
                        unsigned int coreId, const char *siblings)
{
    capsHostCPU *cpu = g_new0(capsHostCPU, 1);

    cpu->id = id;
    cpu->socketId = socketId;
    cpu->dieId = dieId;
    cpu->coreId = coreId;
    cpu->siblings = g_strdup(siblings);
    g_ptr_array_add(cell->cpus, cpu);
}

/* "alias=canonical" or "name" -> a machine. */
static GPtrArray *capsMachinesNew(const char *const *machines)
{
    GPtrArray *arr = g_ptr_array_new_with_free_func(capsGuestMachineFree);

    for (; machines && *machines; machines++) {
        capsGuestMachine *m = g_new0(capsGuestMachine, 1);
        const char *eq = strchr(*machines, '=');

        m->name =
            eq ? g_strndup(*machines, eq - *machines) : g_strdup(*machines);
        m->canonical = eq ? g_strdup(eq + 1) : NULL;
        g_ptr_array_add(arr, m);
    }
    return arr;
}

capsGuest *capsAddGuest(caps *c, const char *osType, const char *arch,
                        unsigned int wordsize, const char *emulator,
                        const char *loader, const char *const *machines)
{
    capsGuest *g = g_new0(capsGuest, 1);

    g->osType = g_strdup(osType);
    g->arch = g_strdup(arch);
    g->wordsize = wordsize;
    g->emulator = g_strdup(emulator);
    g->loader = g_strdup(loader);
    g->machines = capsMachinesNew(machines);
    g->domains = g_ptr_array_new_with_free_func(capsGuestDomainFree);
    g->features = g_ptr_array_new_with_free_func(capsGuestFeatureFree);
    g_ptr_array_add(c->guests, g);
    return g;
}

capsGuestDomain *capsGuestAddDomain(capsGuest *guest, const char *type,
                                    const char *emulator,
                                    const char *const *machines)
{
    capsGuestDomain *d = g_new0(capsGuestDomain, 1);

    d->type = g_strdup(type);
    d->emulator = g_strdup(emulator);
    d->machines = capsMachinesNew(machines);
    g_ptr_array_add(guest->domains, d);
    return d;
}

void capsGuestAddFeature(capsGuest *guest, const char *name,
                         const char *defaultState, const char *toggle)
{
    capsGuestFeature *f = g_new0(capsGuestFeature, 1);

    f->name = g_strdup(name);
    f->defaultState = g_strdup(defaultState);
    f->toggle = g_strdup(toggle);
    g_ptr_array_add(guest->features, f);
}

void capsGuestSetMaxCpus(capsGuest *guest, unsigned int maxCpus)
{
    size_t i;

    for (i = 0; i < guest->machines->len; i++)
        ((capsGuestMachine *)g_ptr_array_index(guest->machines, i))->maxCpus =
            maxCpus;
}

/* Lookups ---------------------------------------------------------------- */

static const capsGuestDomain *capsGuestFindDomain(const capsGuest *g,
                                                  const char *type)
{
    size_t i;

    for (i = 0; i < g->domains->len; i++) {
        const capsGuestDomain *d = g_ptr_array_index(g->domains, i);

        if (!type || g_str_equal(d->type, type))
            return d;
    }
    return NULL;
}

static const capsGuest *capsFindGuestArch(const caps *c, const char *osType,
                                          const char *arch,
                                          const char *domainType)
{
    size_t i;

    for (i = 0; i < c->guests->len; i++) {
        const capsGuest *g = g_ptr_array_index(c->guests, i);

        if (osType && !g_str_equal(g->osType, osType))
            continue;
        if (arch && g_strcmp0(g->arch, arch) != 0)
            continue;
        if (domainType && !capsGuestFindDomain(g, domainType))
            continue;
        return g;
    }
    return NULL;
}

const capsGuest *capsFindGuest(const caps *c, const char *osType,
                               const char *arch, const char *domainType)
{
    const capsGuest *g;

    if (arch)
        return capsFindGuestArch(c, osType, arch, domainType);
    /* No arch given: prefer the host's, as libvirt does. */
    if ((g = capsFindGuestArch(c, osType, c->host.arch, domainType)))
        return g;
    return capsFindGuestArch(c, osType, NULL, domainType);
}

const char *capsDefaultEmulator(const caps *c, const char *osType,
                                const char *arch, const char *domainType)
{
    const capsGuest *g = capsFindGuest(c, osType, arch, domainType);
    const capsGuestDomain *d;

    if (!g)
        return NULL;
    d = capsGuestFindDomain(g, domainType);
    if (d && d->emulator)
        return d->emulator;
    return g->emulator;
}

const char *capsDefaultMachine(const caps *c, const char *osType,
                               const char *arch, const char *domainType)
{
    const capsGuest *g = capsFindGuest(c, osType, arch, domainType);
    const capsGuestDomain *d;
    const GPtrArray *machines;

    if (!g)
        return NULL;
    d = capsGuestFindDomain(g, domainType);
    machines = d && d->machines->len ? d->machines : g->machines;
    if (machines->len == 0)
        return NULL;
    return ((const capsGuestMachine *)g_ptr_array_index(machines, 0))->name;
}

/* Formatting ------------------------------------------------------------- */

static void capsFormatHostCPU(vxmlBuf *buf, const capsHost *host)
{
    vxmlBufAdd(buf, "<cpu>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<arch>%s</arch>\n", host->arch);
    vxmlBufEscape(buf, "<model>%s</model>\n", host->cpuModel);
    vxmlBufEscape(buf, "<vendor>%s</vendor>\n", host->cpuVendor);
    if (host->sockets && host->cores && host->threads)
        vxmlBufAdd(buf,
                   "<topology sockets='%u' dies='%u' cores='%u' "
                   "threads='%u'/>\n",
                   host->sockets, host->dies ? host->dies : 1, host->cores,
                   host->threads);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpu>\n");
}

static void capsFormatMigration(vxmlBuf *buf, const capsHost *host)
{
    size_t i;

    if (!host->liveMigration)
        return;
    vxmlBufAdd(buf, "<migration_features>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<live/>\n");
    if (host->migrationTransports->len > 0) {
        vxmlBufAdd(buf, "<uri_transports>\n");
        vxmlBufIndent(buf, 2);
        for (i = 0; i < host->migrationTransports->len; i++)
            vxmlBufEscape(buf, "<uri_transport>%s</uri_transport>\n",
                          g_ptr_array_index(host->migrationTransports, i));
        vxmlBufIndent(buf, -2);
        vxmlBufAdd(buf, "</uri_transports>\n");
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</migration_features>\n");
}

static void capsFormatCell(vxmlBuf *buf, const capsHostCell *cell)
{
    size_t i;

    vxmlBufAdd(buf, "<cell id='%u'>\n", cell->id);
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<memory unit='KiB'>%llu</memory>\n", cell->memory);
    vxmlBufAdd(buf, "<cpus num='%u'>\n", cell->cpus->len);
    vxmlBufIndent(buf, 2);
    for (i = 0; i < cell->cpus->len; i++) {
        const capsHostCPU *cpu = g_ptr_array_index(cell->cpus, i);

        vxmlBufAdd(buf,
                   "<cpu id='%u' socket_id='%u' die_id='%u' "
                   "core_id='%u'",
                   cpu->id, cpu->socketId, cpu->dieId, cpu->coreId);
        vxmlBufEscape(buf, " siblings='%s'", cpu->siblings);
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpus>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cell>\n");
}

static void capsFormatTopology(vxmlBuf *buf, const capsHost *host)
{
    size_t i;

    if (host->cells->len == 0)
        return;
    vxmlBufAdd(buf, "<topology>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<cells num='%u'>\n", host->cells->len);
    vxmlBufIndent(buf, 2);
    for (i = 0; i < host->cells->len; i++)
        capsFormatCell(buf, g_ptr_array_index(host->cells, i));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cells>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</topology>\n");
}

static void capsFormatHost(vxmlBuf *buf, const capsHost *host)
{
    char uuid[VMM_UUID_STRING_BUFLEN];

    vxmlBufAdd(buf, "<host>\n");
    vxmlBufIndent(buf, 2);
    if (host->hasUUID) {
        uuidFormat(host->uuid, uuid);
        vxmlBufAdd(buf, "<uuid>%s</uuid>\n", uuid);
    }
    capsFormatHostCPU(buf, host);
    capsFormatMigration(buf, host);
    capsFormatTopology(buf, host);
    vxmlBufAdd(buf, "<secmodel>\n");
    vxmlBufEscape(buf, "  <model>%s</model>\n",
                  host->secModel ? host->secModel : "none");
    vxmlBufAdd(buf, "  <doi>0</doi>\n");
    vxmlBufAdd(buf, "</secmodel>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</host>\n");
}

static void capsFormatMachines(vxmlBuf *buf, const GPtrArray *machines)
{
    size_t i;

    for (i = 0; i < machines->len; i++) {
        const capsGuestMachine *m = g_ptr_array_index(machines, i);

        vxmlBufAdd(buf, "<machine");
        vxmlBufEscape(buf, " canonical='%s'", m->canonical);
        if (m->maxCpus)
            vxmlBufAdd(buf, " maxCpus='%u'", m->maxCpus);
        vxmlBufEscape(buf, ">%s</machine>\n", m->name);
    }
}

static void capsFormatDomain(vxmlBuf *buf, const capsGuestDomain *d)
{
    vxmlBufEscape(buf, "<domain type='%s'", d->type);
    if (!d->emulator && d->machines->len == 0) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<emulator>%s</emulator>\n", d->emulator);
    capsFormatMachines(buf, d->machines);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</domain>\n");
}

static void capsFormatFeatures(vxmlBuf *buf, const capsGuest *g)
{
    size_t i;

    if (g->features->len == 0)
        return;
    vxmlBufAdd(buf, "<features>\n");
    vxmlBufIndent(buf, 2);
    for (i = 0; i < g->features->len; i++) {
        const capsGuestFeature *f = g_ptr_array_index(g->features, i);

        vxmlBufEscape(buf, "<%s", f->name);
        vxmlBufEscape(buf, " default='%s'", f->defaultState);
        vxmlBufEscape(buf, " toggle='%s'", f->toggle);
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</features>\n");
}

static void capsFormatGuest(vxmlBuf *buf, const capsGuest *g)
{
    size_t i;

    vxmlBufAdd(buf, "<guest>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<os_type>%s</os_type>\n", g->osType);
    vxmlBufEscape(buf, "<arch name='%s'>\n", g->arch);
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<wordsize>%u</wordsize>\n", g->wordsize);
    vxmlBufEscape(buf, "<emulator>%s</emulator>\n", g->emulator);
    vxmlBufEscape(buf, "<loader>%s</loader>\n", g->loader);
    capsFormatMachines(buf, g->machines);
    for (i = 0; i < g->domains->len; i++)
        capsFormatDomain(buf, g_ptr_array_index(g->domains, i));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</arch>\n");
    capsFormatFeatures(buf, g);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</guest>\n");
}

char *capsFormat(const caps *c)
{
    g_auto(vxmlBuf) buf = {0};
    size_t i;

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<capabilities>\n\n");
    vxmlBufIndent(&buf, 2);
    capsFormatHost(&buf, &c->host);
    for (i = 0; i < c->guests->len; i++) {
        vxmlBufAdd(&buf, "\n");
        capsFormatGuest(&buf, g_ptr_array_index(c->guests, i));
    }
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "\n</capabilities>\n");
    return vxmlBufFinish(&buf);
}
