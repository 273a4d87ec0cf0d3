package org.osgres.api.lifecycle;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The contract between the bundles and the launcher (distribution/, org.osgres.launcher.Main).
 *
 * <p>The launcher passes what the command line said as framework properties. When the server must
 * end (a completed shutdown, or a FATAL error at startup), a bundle calls {@link #exit}: in a
 * standalone server that stops the framework and the launcher exits with the code; embedded (in
 * tests) it only records the code.
 */
public final class ServerProcess {
    /** Framework property: the data directory (-D). */
    public static final String DATA_DIRECTORY = "osgres.data_directory";
    /**
     * Framework property: settings from the command line (-c, -p, -h, -k), one "name=value" per
     * line, applied over postgresql.conf.
     */
    public static final String COMMAND_LINE_SETTINGS = "osgres.command_line_settings";
    /** Framework property: "true" when the launcher owns the framework and exits with it. */
    public static final String STANDALONE = "osgres.standalone";
    /** Framework property: "true" to install the signal handlers (SIGTERM, SIGINT, SIGQUIT, SIGHUP). */
    public static final String HANDLE_SIGNALS = "osgres.handle_signals";
    /** System property where {@link #exit} leaves the exit code for the launcher. */
    public static final String EXIT_CODE_PROPERTY = "osgres.exit_code";

    private ServerProcess() {
    }

    /**
     * Ends the server process with the given code (0 after a clean shutdown, 1 after a FATAL
     * startup error). Stops the framework from another thread, so it can be called from a
     * component's own activate or deactivate.
     */
    public static void exit(BundleContext context, int code) {
        System.setProperty(EXIT_CODE_PROPERTY, Integer.toString(code));
        if (!Boolean.parseBoolean(context.getProperty(STANDALONE))) {
            return;
        }
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                Runtime.getRuntime().halt(code);
            }
        }, "osgres-exit");
        stopper.start();
    }

    /** The exit code recorded by {@link #exit}, or the given default. */
    public static int recordedExitCode(int defaultCode) {
        String v = System.getProperty(EXIT_CODE_PROPERTY);
        return v == null ? defaultCode : Integer.parseInt(v);
    }
}
