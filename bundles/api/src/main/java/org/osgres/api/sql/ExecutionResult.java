package org.osgres.api.sql;

/**
 * How one Execute ended.
 *
 * @param commandTag the CommandComplete tag ("SELECT 3", "SET", "INSERT 0 1"); null when suspended
 * @param suspended  true when the row limit was reached and the portal can continue
 *                   (PortalSuspended)
 */
public record ExecutionResult(String commandTag, boolean suspended) {

    public static ExecutionResult completed(String commandTag) {
        return new ExecutionResult(commandTag, false);
    }

    public static ExecutionResult suspension() {
        return new ExecutionResult(null, true);
    }
}
