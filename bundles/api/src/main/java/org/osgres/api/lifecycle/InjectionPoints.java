package org.osgres.api.lifecycle;

import java.util.Set;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * Injection points for tests (PostgreSQL 17: utils/misc/injection_point.c, INJECTION_POINT):
 * named places in the code where a test can make the server fail, here by a PANIC. They are off
 * unless the JVM was started with {@code -Dosgres.injection_points=name:argument,...}; the
 * argument narrows a point (the relation's name for "heap-insert"). Read once, so a disabled
 * point costs one field read.
 */
public final class InjectionPoints {
    /** The system property listing the attached points. */
    public static final String PROPERTY = "osgres.injection_points";
    private static final Set<String> ATTACHED = parse(System.getProperty(PROPERTY, ""));

    private InjectionPoints() {
    }

    private static Set<String> parse(String value) {
        return value.isBlank() ? Set.of() : Set.of(value.trim().split("\\s*,\\s*"));
    }

    /** Whether any point is attached at all. */
    public static boolean any() {
        return !ATTACHED.isEmpty();
    }

    /**
     * PANICs (Panic.raise) when the point is attached for this argument. Call it where shared
     * state is half-changed, to test that crash-restart discards it.
     */
    public static void panicIf(String name, String argument) {
        if (!ATTACHED.isEmpty() && (ATTACHED.contains(name) || ATTACHED.contains(name + ":" + argument))) {
            throw Panic.raise("injection point", new PgException(SqlState.INTERNAL_ERROR,
                    "error triggered for injection point " + name));
        }
    }
}
