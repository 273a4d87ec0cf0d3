package org.osgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.config.Settings;
import org.osgres.api.lifecycle.ServerProcess;
import org.osgres.api.session.BackendService;
import org.osgres.api.sql.SqlEngine;

/**
 * The real osgres bundles booted in Felix (pax-exam, native container): every bundle resolves
 * and starts, every service is registered, the settings come from the data directory's
 * postgresql.conf through Configuration Admin, and the postmaster answers pgjdbc on its port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServerInFrameworkIT {
    /**
     * The server's port. The class is loaded twice, by the test runner and inside the probe
     * bundle, so the port chosen in config() travels through a system property (the native
     * container shares the JVM).
     */
    private static final String PORT_PROPERTY = "osgres.itest.port";

    @Inject
    BundleContext context;

    @Inject
    Settings settings;

    @Inject
    ClientAuthentication authentication;

    @Inject
    SqlEngine engine;

    @Inject
    BackendService backend;

    @Configuration
    public Option[] config() throws IOException {
        int port = OsgresExam.freePort();
        System.setProperty(PORT_PROPERTY, Integer.toString(port));
        Path data = OsgresExam.dataDirectory("osgres-itest-", port, "max_connections = 7");
        List<Option> opts = OsgresExam.frameworkOptions(data);
        opts.add(bundle(new File(System.getProperty("itest.pgjdbc.jar")).toURI().toString()).startLevel(3));
        opts.add(frameworkProperty(ServerProcess.COMMAND_LINE_SETTINGS).value("application_name=itest"));
        return options(opts.toArray(new Option[0]));
    }

    private static int port() {
        return Integer.getInteger(PORT_PROPERTY);
    }

    @Test
    public void everyOsgresBundleIsActive() {
        List<String> expected = List.of("org.osgres.api", "org.osgres.config", "org.osgres.auth.hba",
                "org.osgres.sql", "org.osgres.backend", "org.osgres.postmaster", "org.osgres.logging");
        for (String name : expected) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> name.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError("bundle " + name + " is not installed"));
            assertEquals(name + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void settingsComeFromPostgresqlConfAndCommandLine() {
        assertEquals(Integer.toString(port()), settings.get("port"));
        assertEquals("configuration file", settings.source("port"));
        assertEquals("7", settings.get("max_connections"));
        assertEquals("itest", settings.get("application_name"));
        assertEquals("command line", settings.source("application_name"));
        assertEquals("128MB", settings.display("shared_buffers", settings.get("shared_buffers")));
    }

    @Test
    public void servicesAreRegistered() {
        assertNotNull(authentication);
        assertNotNull(engine);
        assertNotNull(backend);
        assertNotNull("the postmaster component is active",
                context.getServiceReference("org.osgres.postmaster.Postmaster"));
    }

    @Test
    public void postmasterAnswersPgjdbc() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", System.getProperty("user.name")); // the superuser a data directory without a roles file gets
        // the driver bundle registers itself; use it directly to avoid DriverManager's class-loader rules
        java.sql.Driver driver = new org.postgresql.Driver();
        try (Connection c = driver.connect("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", props);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 + 2 AS x, current_setting('application_name')")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getInt("x"));
            assertEquals("PostgreSQL JDBC Driver", rs.getString(2));
        }
    }

    /** A background worker that fails is restarted by the postmaster, which stays up. */
    @Test
    public void aFailingBackgroundWorkerIsRestarted() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch restarted = new java.util.concurrent.CountDownLatch(3);
        org.osgres.api.lifecycle.BackgroundWorker worker = new org.osgres.api.lifecycle.BackgroundWorker() {
            @Override
            public String name() {
                return "itest worker";
            }

            @Override
            public String backendType() {
                return "itest worker";
            }

            @Override
            public int restartDelaySeconds() {
                return 0;
            }

            @Override
            public void run(org.osgres.api.session.BackendStatus status) throws Exception {
                restarted.countDown();
                if (runs.incrementAndGet() < 3) {
                    throw new IllegalStateException("itest worker fails on purpose");
                }
                Thread.sleep(Long.MAX_VALUE);
            }
        };
        org.osgi.framework.ServiceRegistration<?> reg =
                context.registerService(org.osgres.api.lifecycle.BackgroundWorker.class, worker, null);
        try {
            assertTrue("the worker ran three times", restarted.await(20, java.util.concurrent.TimeUnit.SECONDS));
            org.osgres.api.session.BackendRegistry registry = context.getService(
                    context.getServiceReference(org.osgres.api.session.BackendRegistry.class));
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            boolean shown = false;
            while (!shown && System.nanoTime() < end) {
                shown = registry.backends().stream().anyMatch(b -> "itest worker".equals(b.backendType()));
                Thread.sleep(10);
            }
            assertTrue("pg_stat_activity shows the worker", shown);
            postmasterAnswersPgjdbc(); // the postmaster stays up
        } finally {
            reg.unregister();
        }
    }
}
