package org.osgres.api.session;

import java.net.InetSocketAddress;

/**
 * Where a connection comes from (PostgreSQL: Port.raddr and Port.laddr).
 *
 * @param remote the client's address, or null for a Unix-domain socket connection
 * @param ssl    true when the connection is encrypted with TLS
 */
public record ClientAddress(InetSocketAddress remote, boolean ssl) {

    /** A connection over the Unix-domain socket. */
    public static ClientAddress local() {
        return new ClientAddress(null, false);
    }

    public boolean isLocal() {
        return remote == null;
    }

    /** The host as PostgreSQL's log lines and error messages print it: "[local]" or the address. */
    public String hostForMessages() {
        return remote == null ? "[local]" : remote.getAddress().getHostAddress();
    }
}
