package org.osgres.api.session;

/**
 * The BackendKeyData of a session: the pid-like number that pg_backend_pid(),
 * pg_stat_activity.pid and pg_cancel_backend() use, and the secret that a CancelRequest must
 * present.
 */
public record BackendKey(int pid, int secret) {
}
