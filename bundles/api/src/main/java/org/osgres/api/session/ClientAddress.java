package org.osgres.api.session;

import java.net.InetSocketAddress;

/**
 * Where a connection comes from (PostgreSQL: Port.raddr, Port.ssl, Port.peer).
 *
 * @param remote   the client's address, or null for a Unix-domain socket connection
 * @param tls      the TLS parameters, or null when the connection is not encrypted
 * @param peerUser the operating-system user at the other end of a Unix-domain socket
 *                 (SO_PEERCRED), or null when unknown or not a local connection
 */
public record ClientAddress(InetSocketAddress remote, TlsInfo tls, String peerUser) {

    /** A TCP connection without TLS, or with TLS whose details do not matter to the caller. */
    public ClientAddress(InetSocketAddress remote, boolean ssl) {
        this(remote, ssl ? new TlsInfo("", "", 0, java.util.List.of(), null) : null, null);
    }

    /** A connection over the Unix-domain socket whose peer is unknown. */
    public static ClientAddress local() {
        return new ClientAddress(null, null, null);
    }

    /** A connection over the Unix-domain socket from the given operating-system user. */
    public static ClientAddress local(String peerUser) {
        return new ClientAddress(null, null, peerUser);
    }

    public boolean isLocal() {
        return remote == null;
    }

    /** True when the connection is encrypted with TLS. */
    public boolean ssl() {
        return tls != null;
    }

    /** The same connection after a TLS handshake. */
    public ClientAddress withTls(TlsInfo info) {
        return new ClientAddress(remote, info, peerUser);
    }

    /** The host as PostgreSQL's log lines and error messages print it: "[local]" or the address. */
    public String hostForMessages() {
        return remote == null ? "[local]" : remote.getAddress().getHostAddress();
    }
}
