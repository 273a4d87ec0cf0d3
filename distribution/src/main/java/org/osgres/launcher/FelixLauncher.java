package org.osgres.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgres.api.lifecycle.ServerProcess;

/**
 * Boots Felix with every osgres bundle (the set distribution/osgres.bndrun resolves) and waits
 * for the postmaster to end the process.
 *
 * <p>Start order: SPI Fly at level 1 and the SLF4J provider at level 2, so logging is bound
 * before anything logs; everything else at level 3, where Declarative Services activates the
 * components in dependency order (settings, then authentication and the SQL engine, then the
 * backend, then the postmaster, which needs them all).
 */
final class FelixLauncher {
    /** System property: the directory of the resolved bundles (set by the osgres script). */
    static final String BUNDLES_DIR_PROPERTY = "osgres.bundles";
    /** The SLF4J provider that writes PostgreSQL's log format. */
    private static final String LOGGING_BUNDLE = "org.osgres.logging";
    private static final int LOGGING_BRIDGE_LEVEL = 1;
    /**
     * SPI Fly reports each provider it registers through java.util.logging at INFO, in JUL's
     * own two-line format; only its warnings belong in the server log. Held so JUL keeps the level.
     */
    private static final java.util.logging.Logger SPIFLY_LOG = java.util.logging.Logger.getLogger("org.apache.aries.spifly");
    private static final int LOGGING_PROVIDER_LEVEL = 2;
    private static final int SERVER_LEVEL = 3;

    private FelixLauncher() {
    }

    static int runServer(Path dataDir, List<String> commandLineSettings) {
        SPIFLY_LOG.setLevel(java.util.logging.Level.WARNING);
        Path bundlesDir = bundlesDirectory();
        File[] jars = bundlesDir.toFile().listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            System.err.println("FATAL:  no bundles in \"" + bundlesDir + "\": build osgres first (mvn -DskipTests package)");
            return 1;
        }
        Arrays.sort(jars);
        Path storage;
        try {
            storage = Files.createTempDirectory("osgres-felix-");
        } catch (IOException e) {
            System.err.println("FATAL:  could not create the framework's cache directory: " + e.getMessage());
            return 1;
        }
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc,jdk.net");
        config.put("felix.bootdelegation.implicit", "false");
        config.put(ServerProcess.DATA_DIRECTORY, dataDir.toString());
        config.put(ServerProcess.COMMAND_LINE_SETTINGS, String.join("\n", commandLineSettings));
        config.put(ServerProcess.STANDALONE, "true");
        config.put(ServerProcess.HANDLE_SIGNALS, "true");

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(config);
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (File jar : jars) {
                Bundle b = ctx.installBundle(jar.toURI().toString());
                b.adapt(BundleStartLevel.class).setStartLevel(startLevel(b.getSymbolicName()));
                installed.add(b);
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            framework.start();
            framework.adapt(FrameworkStartLevel.class).setStartLevel(SERVER_LEVEL);
            FrameworkEvent stopped = framework.waitForStop(0);
            if (stopped.getType() == FrameworkEvent.ERROR) {
                System.err.println("FATAL:  the framework stopped with an error: " + stopped.getThrowable());
                return 1;
            }
            return ServerProcess.recordedExitCode(1);
        } catch (BundleException | InterruptedException e) {
            System.err.println("FATAL:  could not start the server: " + e);
            return 1;
        } finally {
            deleteTree(storage);
            removeOwnPidFile(dataDir);
        }
    }

    /**
     * The last guard of PostgreSQL's promise that a postmaster that exits removes its lock file
     * (miscinit.c's UnlinkLockFiles at proc_exit): the postmaster bundle removes postmaster.pid
     * when it stops, but a FATAL at startup can stop the framework while the postmaster is still
     * activating; a file that names this process is removed here. Another server's file is left.
     */
    private static void removeOwnPidFile(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (!lines.isEmpty() && lines.get(0).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException e) {
            // none, or unreadable: nothing of ours to remove
        }
    }

    private static int startLevel(String symbolicName) {
        if (symbolicName == null) {
            return SERVER_LEVEL;
        }
        if (symbolicName.startsWith("org.apache.aries.spifly")) {
            return LOGGING_BRIDGE_LEVEL;
        }
        if (symbolicName.startsWith("slf4j.") || symbolicName.equals(LOGGING_BUNDLE)) {
            return LOGGING_PROVIDER_LEVEL;
        }
        return SERVER_LEVEL;
    }

    private static Path bundlesDirectory() {
        String dir = System.getProperty(BUNDLES_DIR_PROPERTY);
        if (dir != null) {
            return Path.of(dir);
        }
        // default layout: the launcher jar sits in distribution/target beside export/osgres/
        try {
            Path jar = Path.of(FelixLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("export").resolve("osgres");
        } catch (java.net.URISyntaxException e) {
            return Path.of("distribution", "target", "export", "osgres");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover cache in the temp directory is harmless
        }
    }
}
