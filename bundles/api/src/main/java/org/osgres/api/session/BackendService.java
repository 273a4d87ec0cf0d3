package org.osgres.api.session;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.protocol.ClientChannel;

/**
 * Runs one client session after the postmaster has authenticated it (PostgreSQL: PostgresMain).
 * The postmaster calls {@link #runSession} on the connection's own thread and, once it returns,
 * closes the channel and frees the backend slot.
 */
@ProviderType
public interface BackendService {

    /**
     * Sends the ParameterStatus messages, BackendKeyData and the first ReadyForQuery, then serves
     * the client until it sends Terminate, hangs up, or the session is terminated.
     * AuthenticationOk has already been sent.
     *
     * @param status the session's pg_stat_activity entry, which the backend keeps current
     */
    void runSession(ClientChannel channel, StartupInfo startup, BackendKey key, Interrupts interrupts,
            BackendStatus status);
}
