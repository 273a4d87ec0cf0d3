package org.osgres.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One osgres server as a child process: {@code osgres initdb} into a fresh temporary data
 * directory, then {@code osgres server -D DIR -p PORT -k SOCKDIR [-c NAME=VALUE]...} with its
 * output in a log file, ready when postmaster.pid says "ready" and a TCP connect succeeds.
 */
public final class OsgresServer implements AutoCloseable {
    static final Duration INITDB_DEADLINE = Duration.ofSeconds(300); // the first run may build
    static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    private final Path root;
    private final Path dataDir;
    private final Path sockDir;
    private final Path log;
    private final int port;
    private Process process;
    private boolean failed;

    private OsgresServer(Path root) {
        this.root = root;
        this.dataDir = root.resolve("data");
        this.sockDir = root.resolve("sock");
        this.log = root.resolve("server.log");
        this.port = freePort();
    }

    /** initdb, then start and wait until ready. */
    public static OsgresServer start(String... settings) throws Exception {
        OsgresServer s = initdb();
        try {
            s.startServer(settings);
        } catch (Throwable t) {
            s.failed = true;
            s.close();
            throw t;
        }
        return s;
    }

    /** A fresh, initialised data directory; the server is not started. */
    public static OsgresServer initdb() throws Exception {
        return initdb(new String[0]);
    }

    /** A fresh data directory made by initdb with extra options (--auth=..., --pwfile=...). */
    public static OsgresServer initdb(String... initdbOptions) throws Exception {
        Path root = Files.createTempDirectory("osgres-e2e-");
        OsgresServer s = new OsgresServer(root);
        Files.createDirectories(s.sockDir);
        if (REFERENCE) Cmd.run(List.of("chown", "-R", "pgref", root.toString()), Duration.ofSeconds(10));
        List<String> args = new ArrayList<>(List.of("-D", s.dataDir.toString()));
        args.addAll(List.of(initdbOptions));
        Cmd.Result r = Cmd.run(tool("initdb", args.toArray(new String[0])), INITDB_DEADLINE);
        if (r.exit() != 0) throw new AssertionError("osgres initdb failed: " + r);
        if (!Files.isRegularFile(s.dataDir.resolve("PG_VERSION")))
            throw new AssertionError("osgres initdb made no PG_VERSION: " + r);
        return s;
    }

    public void startServer(String... settings) throws Exception {
        startServer(Map.of(), settings);
    }

    /** Starts the server with extra environment variables (LDAPTLS_CACERT, ...). */
    public void startServer(Map<String, String> env, String... settings) throws Exception {
        launchServer(env, settings);
        awaitReady(process.toHandle(), READY_DEADLINE);
    }

    /** Starts the server process and returns at once, without waiting for it to be ready. */
    public void launchServer(Map<String, String> env, String... settings) throws Exception {
        List<String> argv = new ArrayList<>(serverCommand());
        for (String setting : settings) {
            argv.add("-c");
            argv.add(setting);
        }
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(childEnvironment());
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Waits until the launched server is ready (postmaster.pid and a TCP connect). */
    public void awaitReady() throws Exception {
        awaitReady(process.toHandle(), READY_DEADLINE);
    }

    /** The server command line without -c settings. */
    public List<String> serverCommand() {
        return tool("server", "-D", dataDir.toString(), "-p", Integer.toString(port), "-k", sockDir.toString());
    }

    /**
     * With -De2e.reference=true the same tests run against PostgreSQL 15 itself (as user pgref):
     * the check that the tests are right. Otherwise the osgres script.
     */
    static final boolean REFERENCE = Boolean.getBoolean("e2e.reference");
    static final String PGBIN = "/usr/lib/postgresql/15/bin/";

    /** The command for {@code osgres initdb|server|ctl ARGS}. */
    public static List<String> tool(String command, String... args) {
        List<String> argv = new ArrayList<>();
        if (REFERENCE) {
            argv.addAll(List.of("setpriv", "--reuid=pgref", "--regid=pgref", "--init-groups"));
            switch (command) {
                case "initdb" -> argv.addAll(List.of(PGBIN + "initdb", "-U", superuser(), "--auth=trust"));
                case "server" -> argv.add(PGBIN + "postgres");
                case "ctl" -> argv.add(PGBIN + "pg_ctl");
                default -> throw new IllegalArgumentException(command);
            }
        } else {
            argv.add(osgres().toString());
            argv.add(command);
        }
        argv.addAll(List.of(args));
        return argv;
    }

    /** Ready: postmaster.pid line 8 is "ready" and a TCP connect to the port succeeds. */
    void awaitReady(ProcessHandle proc, Duration deadline) throws Exception {
        boolean ok = Wait.until(deadline, () -> {
            if (!proc.isAlive()) return true; // reported below
            List<String> pid = pidFileLines();
            return pid.size() >= 8 && pid.get(7).trim().equals("ready") && canConnect();
        });
        if (!proc.isAlive()) {
            failed = true;
            throw new AssertionError("osgres server exited before it was ready"
                    + (process != null ? " with code " + process.exitValue() : "") + "\n" + logText());
        }
        if (!ok) {
            failed = true;
            throw new AssertionError("osgres server not ready after " + deadline + "; postmaster.pid: "
                    + pidFileLines() + "\n" + logText());
        }
    }

    boolean canConnect() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGINT (fast shutdown), then: exit code 0 and postmaster.pid removed. */
    public void stop() throws Exception {
        if (process == null || !process.isAlive()) {
            throw new AssertionError("server is not running" + (process != null ? ", exit code " + process.exitValue() : "")
                    + "\n" + logText());
        }
        Cmd.kill("INT", process.pid());
        int code = awaitExit();
        if (code != 0) {
            failed = true;
            throw new AssertionError("osgres server exited with " + code + " after SIGINT\n" + logText());
        }
        if (Files.exists(pidFile())) {
            failed = true;
            throw new AssertionError("postmaster.pid still exists after a fast shutdown\n" + logText());
        }
    }

    /** Waits (deadline) for the server process to end; returns its exit code. */
    public int awaitExit() throws Exception {
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            failed = true;
            throw new AssertionError("osgres server still running " + STOP_DEADLINE + " after the signal\n" + logText());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        try {
            if (process != null && process.isAlive()) {
                try {
                    stop();
                } finally {
                    if (process.isAlive()) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            if (failed) {
                System.err.println("osgres e2e: kept " + root + " for inspection");
            } else {
                deleteTree(root);
            }
        }
    }

    /** The whole server log, without marking the run as failed (for tests that wait for a line). */
    public String logTextQuiet() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Marks the run as failed (keeps the directory) and returns the server log. */
    public String logText() {
        failed = true;
        try {
            if (!Files.exists(log)) return "--- no server log at " + log + " ---";
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int from = Math.max(0, lines.size() - 200);
            return "--- server log " + log + (from > 0 ? " (last 200 of " + lines.size() + " lines)" : "") + " ---\n"
                    + String.join("\n", lines.subList(from, lines.size())) + "\n--- end of server log ---";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    // ----------------------------------------------------------------- accessors
    public long pid() { return process.pid(); }
    public Process process() { return process; }
    public int port() { return port; }
    public Path dataDir() { return dataDir; }
    public Path socketDir() { return sockDir; }
    public Path root() { return root; }
    public Path log() { return log; }
    public Path pidFile() { return dataDir.resolve("postmaster.pid"); }
    public String user() { return superuser(); }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return connect(new Properties());
    }

    public Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", superuser());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.putAll(extra);
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    public List<String> pidFileLines() {
        try {
            return Files.exists(pidFile()) ? Files.readAllLines(pidFile()) : List.of();
        } catch (IOException e) {
            return List.of(); // being written or removed
        }
    }

    // ----------------------------------------------------------------- environment
    /** The repository root, where the osgres script is. */
    public static Path home() {
        String h = System.getProperty("osgres.home");
        if (h == null) h = System.getenv().getOrDefault("OSGRES_HOME", "..");
        return Paths.get(h).toAbsolutePath().normalize();
    }

    public static Path osgres() {
        return home().resolve("osgres");
    }

    public static String superuser() {
        return System.getProperty("user.name");
    }

    /** JAVA_HOME for child processes: the JDK that runs the tests (>= 21). */
    static Map<String, String> childEnvironment() {
        Map<String, String> env = new HashMap<>();
        String jh = System.getProperty("java.home.for.server", System.getProperty("java.home"));
        env.put("JAVA_HOME", jh);
        env.put("LC_ALL", "C.UTF-8");
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("osgres e2e: cannot delete " + p + ": " + e);
        }
    }
}
