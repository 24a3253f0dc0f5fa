/*
 * drvtest_job_test.c: the public job API (vmmDomainGetJobInfo,
 * vmmDomainGetJobStats, vmmDomainAbortJob) and vmmDomainSaveImageGetXMLDesc
 * on test:///default, whose guests never have a job: the answers and
 * errors a program sees there, and the argument checks of the API layer.
 * Jobs that really run are tested on QEMU guests by
 * tests/kvmjob_daemon_test.py.
 */
#include <config.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <vmm/vmm.h>

typedef struct {
    vmmConnectPtr conn;
    vmmDomainPtr dom; /* "test", running */
} jobFixture;

static void jobSetUp(jobFixture *f, gconstpointer data)
{
    f->conn = vmmConnectOpen("test:///default");
    g_assert_nonnull(f->conn);
    f->dom = vmmDomainLookupByName(f->conn, "test");
    g_assert_nonnull(f->dom);
}

static void jobTearDown(jobFixture *f, gconstpointer data)
{
    vmmDomainFree(f->dom);
    vmmConnectClose(f->conn);
}

static void assertError(int code, const char *part)
{
    g_assert_cmpint(vmmGetLastErrorCode(), ==, code);
    if (part)
        g_assert_nonnull(strstr(vmmGetLastErrorMessage(), part));
}

static void testJobInfoNone(jobFixture *f, gconstpointer data)
{
    vmmDomainJobInfo info;

    memset(&info, 0xff, sizeof(info));
    g_assert_cmpint(vmmDomainGetJobInfo(f->dom, &info), ==, 0);
    g_assert_cmpint(info.type, ==, VMM_DOMAIN_JOB_NONE);
    g_assert_cmpuint(info.timeElapsed, ==, 0);
    g_assert_cmpuint(info.dataProcessed, ==, 0);
    g_assert_cmpuint(info.fileRemaining, ==, 0);
    g_assert_cmpint(vmmDomainGetJobInfo(f->dom, NULL), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
}

static void testJobStats(jobFixture *f, gconstpointer data)
{
    vmmTypedParameterPtr params = NULL;
    int type = -1, nparams = -1;

    /* No job, no fields. */
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, &params, &nparams, 0),
                    ==, 0);
    g_assert_cmpint(type, ==, VMM_DOMAIN_JOB_NONE);
    g_assert_cmpint(nparams, ==, 0);
    vmmTypedParamsFree(params, nparams);
    /* Nor a finished one: saves end within their call, unrecorded. */
    type = -1;
    nparams = -1;
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, &params, &nparams,
                                         VMM_DOMAIN_JOB_STATS_COMPLETED),
                    ==, 0);
    g_assert_cmpint(type, ==, VMM_DOMAIN_JOB_NONE);
    g_assert_cmpint(nparams, ==, 0);
    g_assert_null(params);
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, &params, &nparams,
                                         VMM_DOMAIN_JOB_STATS_COMPLETED |
                                             VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED),
                    ==, 0);
    g_assert_cmpint(type, ==, VMM_DOMAIN_JOB_NONE);
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, &params, &nparams,
                                         VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED),
                    ==, -1);
    assertError(VMM_ERR_INVALID_ARG, "keep completed");
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, &params, &nparams, 4),
                    ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainGetJobStats(f->dom, &type, NULL, &nparams, 0), ==,
                    -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
}

static void testAbortNoJob(jobFixture *f, gconstpointer data)
{
    vmmConnectPtr ro = vmmConnectOpenReadOnly("test:///default");
    vmmDomainPtr dom;

    g_assert_cmpint(vmmDomainAbortJob(f->dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, "no job is active on the domain");
    g_assert_cmpint(vmmDomainAbortJob(NULL), ==, -1);
    /* Aborting changes things: not on a read-only connection. */
    g_assert_nonnull(ro);
    dom = vmmDomainLookupByName(ro, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainAbortJob(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_DENIED, NULL);
    vmmDomainFree(dom);
    vmmConnectClose(ro);
}

static void testSaveImageXML(jobFixture *f, gconstpointer data)
{
    g_autofree char *dir = g_dir_make_tmp("vmm-job-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "test.save", NULL);
    g_autofree char *missing = g_build_filename(dir, "none.save", NULL);
    g_autofree char *xml = NULL;

    g_assert_nonnull(dir);
    g_assert_cmpint(vmmDomainSave(f->dom, path), ==, 0);
    xml = vmmDomainSaveImageGetXMLDesc(f->conn, path, 0);
    g_assert_nonnull(xml);
    g_assert_nonnull(strstr(xml, "<name>test</name>"));
    g_assert_null(vmmDomainSaveImageGetXMLDesc(f->conn, missing, 0));
    g_assert_cmpint(vmmGetLastErrorCode(), !=, VMM_ERR_OK);
    g_assert_null(vmmDomainSaveImageGetXMLDesc(f->conn, path, 1u << 5));
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_null(vmmDomainSaveImageGetXMLDesc(f->conn, NULL, 0));
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainRestore(f->conn, path), ==, 0);
    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/job/info-none", jobFixture, NULL, jobSetUp, testJobInfoNone,
               jobTearDown);
    g_test_add("/job/stats", jobFixture, NULL, jobSetUp, testJobStats,
               jobTearDown);
    g_test_add("/job/abort-no-job", jobFixture, NULL, jobSetUp, testAbortNoJob,
               jobTearDown);
    g_test_add("/job/save-image-xml", jobFixture, NULL, jobSetUp,
               testSaveImageXML, jobTearDown);
    return g_test_run();
}
