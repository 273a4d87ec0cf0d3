package org.osgres.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline; stdout and stderr go to files, stdin is /dev/null. */
final class Cmd {
    record Result(List<String> argv, int exit, String stdout, String stderr) {
        List<String> stdoutLines() { return stdout.lines().toList(); }
        List<String> stderrLines() { return stderr.lines().toList(); }
        @Override public String toString() {
            return "command " + argv + " exited " + exit + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private Cmd() {}

    static Result run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        return run(argv, timeout, Map.of(), null);
    }

    static Result run(List<String> argv, Duration timeout, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("osgres-e2e-out", ".txt");
        Path err = Files.createTempFile("osgres-e2e-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().putAll(OsgresServer.childEnvironment());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + argv + "\n--- stdout ---\n"
                        + Files.readString(out) + "--- stderr ---\n" + Files.readString(err));
            }
            return new Result(argv, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Sends a signal (INT, TERM, HUP, QUIT...) to a process, with bash's kill builtin (no procps needed). */
    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Result r = run(List.of("bash", "-c", "kill -" + signal + " \"$1\"", "kill", Long.toString(pid)), Duration.ofSeconds(10));
        if (r.exit() != 0) throw new AssertionError("kill failed: " + r);
    }
}
