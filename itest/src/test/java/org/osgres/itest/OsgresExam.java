package org.osgres.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.osgres.api.lifecycle.ServerProcess;

/**
 * What every pax-exam test here boots: a fresh data directory, and the bundles the distribution
 * resolved (distribution/target/export/osgres) at the start levels cnf/runtime.bnd gives them.
 */
final class OsgresExam {
    private OsgresExam() {
    }

    /**
     * A data directory with PG_VERSION, a trusting pg_hba.conf and a postgresql.conf that listens
     * on 127.0.0.1 only (no Unix socket), plus the given lines.
     */
    static Path dataDirectory(String prefix, int port, String... confLines) throws IOException {
        Path data = Files.createTempDirectory(prefix);
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        StringBuilder conf = new StringBuilder("port = " + port + "\n"
                + "listen_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = ''\n");
        for (String line : confLines) {
            conf.append(line).append('\n');
        }
        Files.writeString(data.resolve("postgresql.conf"), conf);
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
        return data;
    }

    /** The osgres bundles, JUnit, and the framework settings the launcher also uses. */
    static List<Option> frameworkOptions(Path dataDirectory) {
        File dir = new File(System.getProperty("itest.bundles.dir"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir + " (build distribution first)");
        }
        Arrays.sort(jars);
        List<Option> opts = new ArrayList<>();
        for (File jar : jars) {
            String n = jar.getName();
            // SPI Fly and the SLF4J provider first (cnf/runtime.bnd), so logging binds before SCR activates anything
            int level = n.startsWith("org.apache.aries.spifly") || n.startsWith("slf4j-")
                    || n.startsWith("org.osgres.logging") ? 1 : 3;
            opts.add(bundle(jar.toURI().toString()).startLevel(level));
        }
        opts.add(junitBundles());
        opts.add(frameworkProperty("felix.bootdelegation.implicit").value("false"));
        // appended to pax-exam's own system packages (a frameworkProperty would replace them)
        opts.add(systemPackage("sun.misc"));
        opts.add(systemPackage("jdk.net"));
        opts.add(frameworkProperty(ServerProcess.DATA_DIRECTORY).value(dataDirectory.toString()));
        opts.add(frameworkStartLevel(10));
        return opts;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
