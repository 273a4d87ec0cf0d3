package org.osgres.postmaster;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * The postmaster's signal handlers (PostgreSQL: pmdie and SIGHUP_handler in postmaster.c):
 * SIGTERM smart shutdown, SIGINT fast shutdown, SIGHUP reload, SIGQUIT immediate shutdown.
 *
 * <p>The JVM keeps SIGQUIT for its thread dumps and will not pass it to Java code, and with -Xrs
 * no signal reaches Java at all. So SIGQUIT's handler is set natively to libc's _exit: the
 * process ends at once without a checkpoint or cleanup, which is what an immediate shutdown is;
 * the next start finds the stale postmaster.pid and replaces it. The foreign function API is
 * final from Java 22 but a preview in 21, which the bundles are compiled for, so it is reached
 * through reflection here; on a runtime without it SIGQUIT keeps the JVM's meaning.
 */
final class PostmasterSignals {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterSignals.class);
    private static final int SIGQUIT = 3;

    private PostmasterSignals() {
    }

    static void install(Postmaster postmaster) {
        handle("TERM", () -> postmaster.requestShutdown(ShutdownMode.SMART));
        handle("INT", () -> postmaster.requestShutdown(ShutdownMode.FAST));
        handle("HUP", postmaster::reloadConfiguration);
        installImmediateShutdown();
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), sig -> action.run());
        } catch (IllegalArgumentException e) {
            LOG.warn("could not install a handler for SIG{}: {}", name, e.getMessage());
        }
    }

    private static void installImmediateShutdown() {
        try {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayouts = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");

            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object libc = linkerClass.getMethod("defaultLookup").invoke(linker);
            Optional<?> exit = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(libc, "_exit");
            Optional<?> signal = (Optional<?>) lookupClass.getMethod("find", String.class).invoke(libc, "signal");
            if (exit.isEmpty() || signal.isEmpty()) {
                LOG.warn("SIGQUIT (immediate shutdown) is not available: libc has no signal() or _exit()");
                return;
            }
            Object address = valueLayouts.getField("ADDRESS").get(null);
            Object javaInt = valueLayouts.getField("JAVA_INT").get(null);
            Object args = Array.newInstance(layoutClass, 2);
            Array.set(args, 0, javaInt);
            Array.set(args, 1, address);
            // sighandler_t signal(int signum, sighandler_t handler)
            Object descriptor = descriptorClass.getMethod("of", layoutClass, args.getClass()).invoke(null, address, args);
            MethodHandle setHandler = (MethodHandle) linkerClass
                    .getMethod("downcallHandle", segmentClass, descriptorClass, Array.newInstance(optionClass, 0).getClass())
                    .invoke(linker, signal.get(), descriptor, Array.newInstance(optionClass, 0));
            // The handler gets the signal number as its argument, so the process exits with status 3.
            setHandler.invokeWithArguments(SIGQUIT, exit.get());
        } catch (Throwable t) {
            LOG.warn("SIGQUIT (immediate shutdown) is not available: {}", t.toString());
        }
    }
}
