package org.osgres.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `osgres ctl`: start, stop, restart, reload and status of a server (PostgreSQL: bin/pg_ctl),
 * with pg_ctl's options, messages and exit codes.
 *
 * <p>start runs `osgres server` detached (its own session, default signal dispositions), with
 * output to -l's file; -w (the default) waits until postmaster.pid says "ready". stop sends
 * SIGTERM, SIGINT or SIGQUIT for -m smart, fast (the default) or immediate and waits until the
 * server is gone. restart reuses postmaster.opts. reload sends SIGHUP.
 */
final class CtlCommand {
    private static final String PROGRAM = "pg_ctl";
    private static final int STATUS_NOT_RUNNING = 3;
    private static final int STATUS_NO_DATA_DIRECTORY = 4;
    private static final long POLL_MILLIS = 100;
    /** postmaster.pid line 8 (1-based), the postmaster's status. */
    private static final int STATUS_LINE = 7;

    private final Path dataDir;
    private final String mode;
    private final boolean wait;
    private final int timeoutSeconds;
    private final String logFile;
    private final String serverOptions;
    private final boolean silent;

    private CtlCommand(Path dataDir, String mode, boolean wait, int timeoutSeconds, String logFile, String serverOptions,
            boolean silent) {
        this.dataDir = dataDir;
        this.mode = mode;
        this.wait = wait;
        this.timeoutSeconds = timeoutSeconds;
        this.logFile = logFile;
        this.serverOptions = serverOptions;
        this.silent = silent;
    }

    static int run(List<String> args) {
        String command = null;
        String data = System.getenv("PGDATA");
        String mode = "fast";
        boolean wait = true;
        int timeout = 60;
        String log = null;
        String opts = null;
        boolean silent = false;
        Options o = new Options(PROGRAM, args);
        while (o.next()) {
            if (o.is("-D", "--pgdata")) {
                data = o.value();
            } else if (o.is("-m", "--mode")) {
                mode = o.value();
            } else if (o.is("-w", "--wait")) {
                wait = true;
            } else if (o.is("-W", "--no-wait")) {
                wait = false;
            } else if (o.is("-t", "--timeout")) {
                timeout = Integer.parseInt(o.value());
            } else if (o.is("-l", "--log")) {
                log = o.value();
            } else if (o.is("-o", "--options")) {
                opts = opts == null ? o.value() : opts + " " + o.value();
            } else if (o.is("-s", "--silent")) {
                silent = true;
            } else if (!o.option().startsWith("-") && command == null) {
                command = o.option();
            } else {
                throw o.invalid();
            }
        }
        mode = switch (mode) {
            case "s", "smart" -> "smart";
            case "f", "fast" -> "fast";
            case "i", "immediate" -> "immediate";
            default -> throw new UsageException(PROGRAM, "unrecognized shutdown mode \"" + mode + "\"");
        };
        if (command == null) {
            throw new UsageException(PROGRAM, "no operation specified");
        }
        if (data == null) {
            System.err.println(PROGRAM + ": no database directory specified and environment variable PGDATA unset");
            System.err.println("Try \"" + PROGRAM + " --help\" for more information.");
            return 1;
        }
        CtlCommand ctl = new CtlCommand(Path.of(data).toAbsolutePath().normalize(), mode, wait, timeout, log, opts, silent);
        return switch (command) {
            case "start" -> ctl.start();
            case "stop" -> ctl.stop(true);
            case "restart" -> ctl.restart();
            case "reload" -> ctl.reload();
            case "status" -> ctl.status();
            default -> throw new UsageException(PROGRAM, "unrecognized operation mode \"" + command + "\"");
        };
    }

    private int start() {
        Optional<Long> running = runningPid();
        if (running.isPresent()) {
            System.err.println(PROGRAM + ": another server might be running; trying to start server anyway");
        }
        List<String> serverArgs = new ArrayList<>(List.of("server", "-D", dataDir.toString()));
        if (serverOptions != null) {
            serverArgs.addAll(Options.splitWords(serverOptions));
        }
        return launch(serverArgs);
    }

    private int launch(List<String> serverArgs) {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // its own session: a terminal's Ctrl-C does not reach it
        }
        cmd.addAll(List.of("env", "--default-signal=INT,QUIT,HUP,TERM"));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(serverArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (logFile != null) {
            File f = new File(logFile);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(f)).redirectErrorStream(true);
        } else {
            pb.inheritIO().redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            System.err.println(PROGRAM + ": could not start server: " + e.getMessage());
            return 1;
        }
        if (!wait) {
            say("server starting");
            return 0;
        }
        say("waiting for server to start....", false);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                say(" stopped waiting");
                System.err.println(PROGRAM + ": could not start server");
                System.err.println("Examine the log output.");
                return 1;
            }
            if (statusLine().map(s -> s.trim().equals("ready")).orElse(false)) {
                say(" done");
                say("server started");
                return 0;
            }
            sleep();
        }
        say(" stopped waiting");
        System.err.println(PROGRAM + ": server did not start in time");
        return 1;
    }

    private int stop(boolean reportMissing) {
        Optional<Long> pid = pidFromFile();
        if (pid.isEmpty()) {
            if (reportMissing) {
                System.err.println(PROGRAM + ": PID file \"" + dataDir.resolve("postmaster.pid") + "\" does not exist");
                System.err.println("Is server running?");
            }
            return 1;
        }
        if (!isAlive(pid.get())) {
            System.err.println(PROGRAM + ": could not send stop signal (PID: " + pid.get() + "): No such process");
            return 1;
        }
        String signal = switch (mode) {
            case "smart" -> "TERM";
            case "immediate" -> "QUIT";
            default -> "INT";
        };
        if (!kill(signal, pid.get())) {
            System.err.println(PROGRAM + ": could not send stop signal (PID: " + pid.get() + ")");
            return 1;
        }
        if (!wait) {
            say("server shutting down");
            return 0;
        }
        say("waiting for server to shut down....", false);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!isAlive(pid.get())) {
                say(" done");
                say("server stopped");
                return 0;
            }
            sleep();
        }
        say(" failed");
        System.err.println(PROGRAM + ": server does not shut down");
        return 1;
    }

    private int restart() {
        List<String> serverArgs = new ArrayList<>(List.of("server", "-D", dataDir.toString()));
        if (serverOptions != null) {
            serverArgs.addAll(Options.splitWords(serverOptions));
        } else {
            serverArgs = previousServerArgs().orElse(serverArgs);
        }
        if (runningPid().isPresent()) {
            boolean savedWait = wait;
            int rc = new CtlCommand(dataDir, mode, true, timeoutSeconds, logFile, serverOptions, silent).stop(true);
            if (rc != 0) {
                return rc;
            }
            if (!savedWait) {
                say("server stopped");
            }
        } else {
            System.err.println(PROGRAM + ": PID file \"" + dataDir.resolve("postmaster.pid") + "\" does not exist");
            System.err.println("Is server running?");
            System.err.println("trying to start server anyway");
        }
        return launch(serverArgs);
    }

    private int reload() {
        Optional<Long> pid = runningPid();
        if (pid.isEmpty()) {
            System.err.println(PROGRAM + ": PID file \"" + dataDir.resolve("postmaster.pid") + "\" does not exist");
            System.err.println("Is server running?");
            return 1;
        }
        if (!kill("HUP", pid.get())) {
            System.err.println(PROGRAM + ": could not send reload signal (PID: " + pid.get() + ")");
            return 1;
        }
        say("server signaled");
        return 0;
    }

    private int status() {
        if (!Files.isDirectory(dataDir)) {
            System.err.println(PROGRAM + ": directory \"" + dataDir + "\" does not exist");
            return STATUS_NO_DATA_DIRECTORY;
        }
        Optional<Long> pid = runningPid();
        if (pid.isEmpty()) {
            System.out.println(PROGRAM + ": no server running");
            return STATUS_NOT_RUNNING;
        }
        System.out.println(PROGRAM + ": server is running (PID: " + pid.get() + ")");
        try {
            System.out.print(Files.readString(dataDir.resolve("postmaster.opts"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // postmaster.opts is informative only
        }
        return 0;
    }

    /** The previous server's arguments from postmaster.opts (after the program name). */
    private Optional<List<String>> previousServerArgs() {
        try {
            List<String> words = Options.splitWords(Files.readString(dataDir.resolve("postmaster.opts"), StandardCharsets.UTF_8));
            return words.size() > 1 ? Optional.of(new ArrayList<>(words.subList(1, words.size()))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Long> runningPid() {
        return pidFromFile().filter(CtlCommand::isAlive);
    }

    private Optional<Long> pidFromFile() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<String> statusLine() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() > STATUS_LINE ? Optional.of(lines.get(STATUS_LINE)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean kill(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void say(String s) {
        say(s, true);
    }

    private void say(String s, boolean newline) {
        if (silent) {
            return;
        }
        if (newline) {
            System.out.println(s);
        } else {
            System.out.print(s);
            System.out.flush();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
