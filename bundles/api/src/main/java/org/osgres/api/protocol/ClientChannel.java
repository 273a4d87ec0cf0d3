package org.osgres.api.protocol;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection to one client after the startup packet (PostgreSQL: pqcomm.c). The postmaster
 * owns the socket and implements this; the backend reads messages and writes bytes through it.
 * Writes are buffered until {@link #flush()}.
 */
@ProviderType
public interface ClientChannel {

    /**
     * Reads one typed message (type byte, length, payload).
     *
     * @return the message, or null when the client closed the connection cleanly between messages
     * @throws org.osgres.api.error.PgException 08P01 when the length is invalid or the client
     *         hung up in the middle of a message
     */
    FrontendMessage readMessage() throws IOException;

    /** Queues the messages in the builder for sending, and resets it. */
    void write(MessageBuilder messages) throws IOException;

    /** Sends everything queued. */
    void flush() throws IOException;

    /** Closes the connection; further reads return null. */
    void close();
}
