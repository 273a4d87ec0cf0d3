package org.osgres.postmaster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.ClientAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster's listen sockets (PostgreSQL: StreamServerPort in libpq/pqcomm.c): one per
 * address in listen_addresses, and one Unix-domain socket ".s.PGSQL.port" per directory in
 * unix_socket_directories. Each has an accept thread that hands new connections on.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final int BACKLOG = 1024;

    private final List<ServerSocketChannel> sockets = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private volatile boolean closed;

    /** The socket file name for a port (PostgreSQL: UNIXSOCK_PATH). */
    static String socketFileName(int port) {
        return ".s.PGSQL." + port;
    }

    /**
     * Opens every listen socket.
     *
     * @throws PgException FATAL when a list names addresses but none could be opened
     */
    void open(String listenAddresses, String socketDirectories, int port) throws IOException {
        List<String> hosts = splitList(listenAddresses);
        int tcp = 0;
        for (String host : hosts) {
            for (InetAddress address : resolve(host)) {
                try {
                    ServerSocketChannel ch = ServerSocketChannel.open();
                    ch.bind(new InetSocketAddress(address, port), BACKLOG);
                    sockets.add(ch);
                    tcp++;
                    LOG.info("listening on {} address \"{}\", port {}",
                            address instanceof java.net.Inet6Address ? "IPv6" : "IPv4", address.getHostAddress(), port);
                } catch (IOException e) {
                    LOG.warn("could not bind {} address \"{}\": {}", address instanceof java.net.Inet6Address ? "IPv6" : "IPv4",
                            address.getHostAddress(), e.getMessage());
                    LOG.warn("HINT:  Is another postmaster already running on port {}? If not, wait a few seconds and retry.", port);
                }
            }
        }
        if (!hosts.isEmpty() && tcp == 0) {
            throw PgException.fatal(SqlState.CONNECTION_EXCEPTION, "could not create any TCP/IP sockets");
        }
        List<String> dirs = splitList(socketDirectories);
        int unix = 0;
        for (String dir : dirs) {
            Path file = Path.of(dir).resolve(socketFileName(port));
            if (Files.exists(file)) {
                if (isLive(file)) {
                    LOG.warn("could not bind Unix address \"{}\": Address already in use", file);
                    LOG.warn("HINT:  Is another postmaster already running on port {}?", port);
                    continue;
                }
                Files.deleteIfExists(file); // stale, left by a server that did not exit cleanly
            }
            try {
                ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                ch.bind(UnixDomainSocketAddress.of(file), BACKLOG);
                sockets.add(ch);
                socketFiles.add(file);
                unix++;
                LOG.info("listening on Unix socket \"{}\"", file);
            } catch (IOException e) {
                LOG.warn("could not create Unix-domain socket in directory \"{}\": {}", dir, e.getMessage());
            }
        }
        if (!dirs.isEmpty() && unix == 0) {
            throw PgException.fatal(SqlState.CONNECTION_EXCEPTION, "could not create any Unix-domain sockets");
        }
        if (sockets.isEmpty()) {
            throw PgException.fatal(SqlState.CONNECTION_EXCEPTION, "no socket created for listening");
        }
    }

    /** Starts one accept thread per socket; each accepted connection goes to the handler. */
    void startAccepting(BiConsumer<SocketChannel, ClientAddress> handler) throws IOException {
        for (ServerSocketChannel server : sockets) {
            boolean local = server.getLocalAddress() instanceof UnixDomainSocketAddress;
            Thread t = Thread.ofPlatform().daemon().name("postmaster-accept-" + acceptors.size()).start(() -> {
                while (!closed) {
                    try {
                        SocketChannel client = server.accept();
                        ClientAddress origin = local ? ClientAddress.local(peerUser(client))
                                : new ClientAddress((InetSocketAddress) client.getRemoteAddress(), false);
                        if (!local) {
                            client.socket().setTcpNoDelay(true);
                            client.socket().setKeepAlive(true);
                        }
                        handler.accept(client, origin);
                    } catch (IOException e) {
                        if (!closed) {
                            LOG.warn("could not accept new connection: {}", e.getMessage());
                        }
                    }
                }
            });
            acceptors.add(t);
        }
    }

    /**
     * The operating-system user at the other end of a Unix-domain socket (PostgreSQL:
     * getpeereid() for the peer method), or null when the platform does not tell.
     */
    static String peerUser(SocketChannel client) {
        try {
            return client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The first socket directory, for postmaster.pid. */
    String firstSocketDirectory() {
        return socketFiles.isEmpty() ? "" : socketFiles.get(0).getParent().toString();
    }

    void close() {
        closed = true;
        for (ServerSocketChannel s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a listen socket cannot fail in a way that matters here
            }
        }
        for (Path f : socketFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a leftover socket file is removed by the next start
            }
        }
    }

    private static boolean isLive(Path socketFile) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socketFile))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<InetAddress> resolve(String host) throws IOException {
        Set<InetAddress> out = new LinkedHashSet<>();
        if (host.equals("*")) {
            // One dual-stack socket takes IPv4 and IPv6 alike; Java opens IPv6 sockets dual-stack.
            out.add(InetAddress.getByName(java.net.Inet6Address.class.isInstance(InetAddress.getByName("::")) && ipv6Available()
                    ? "::" : "0.0.0.0"));
        } else {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    out.add(a);
                }
            } catch (java.net.UnknownHostException e) {
                LOG.warn("could not translate host name \"{}\", service \"...\" to address: {}", host, e.getMessage());
            }
        }
        return out;
    }

    private static boolean ipv6Available() {
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A comma-separated list as PostgreSQL's SplitIdentifierString reads it: spaces and quotes trimmed. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
