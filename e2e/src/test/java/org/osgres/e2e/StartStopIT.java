package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Starting and stopping, after PostgreSQL's src/test/postmaster/t/003_start_stop.pl and the
 * shutdown modes of pg_ctl: smart lets sessions go on and refuses new ones with FATAL 57P03 until
 * the last session ends; fast (the default of ctl stop) ends sessions with FATAL 57P01; clients
 * that connected and said nothing, or stalled mid-handshake, neither stop a shutdown nor keep
 * real clients out, and authentication_timeout drops them. (Immediate shutdown: SignalsIT.)
 */
class StartStopIT {

    private static List<String> ctl(OsgresServer s, String... args) {
        List<String> a = new ArrayList<>(List.of("-D", s.dataDir().toString()));
        a.addAll(List.of(args));
        return OsgresServer.tool("ctl", concat("stop", a));
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(new String[0]);
    }

    private static RawConnection session(OsgresServer s) throws IOException {
        RawConnection c = new RawConnection(s.port(), 30_000);
        RawConnection.Message m = c.login(OsgresServer.superuser());
        assertEquals('Z', m.type(), m.toString());
        return c;
    }

    private static RawConnection.Message select1(RawConnection c) throws IOException {
        c.query("SELECT 1");
        return c.untilReady();
    }

    @Test
    void smartShutdownWaitsForTheLastSession() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            RawConnection a = session(s);
            RawConnection b = session(s);
            CompletableFuture<Cmd.Result> stop = CompletableFuture.supplyAsync(() -> {
                try {
                    return Cmd.run(ctl(s, "-m", "smart", "-t", "60"), Duration.ofSeconds(90));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(Wait.until(Duration.ofSeconds(20), () -> s.logTextQuiet().contains("received smart shutdown request")),
                    s.logText());
            // sessions go on
            assertNull(select1(a));
            assertNull(select1(b));
            // new connections are refused
            try (RawConnection c = new RawConnection(s.port())) {
                assertEquals('N', c.sslRequest());
                RawConnection.Message m = c.login(OsgresServer.superuser());
                assertEquals('E', m.type());
                assertEquals("FATAL", m.severity());
                assertEquals("57P03", m.sqlState());
                assertEquals("the database system is shutting down", m.message());
                assertTrue(c.closedByServer());
            }
            a.close();
            assertNull(select1(b));
            assertTrue(s.process().isAlive(), "one session left: still running\n" + s.logText());
            b.close();
            assertEquals(0, s.awaitExit(), s.logText());
            Cmd.Result r = stop.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.toString());
            assertFalse(Files.exists(s.pidFile()));
            String log = s.logText();
            assertTrue(log.contains("LOG:  database system is shut down"), log);
        }
    }

    @Test
    void fastShutdownTerminatesSessionsWith57P01() throws Exception {
        try (OsgresServer s = OsgresServer.start()) {
            RawConnection a = session(s);
            Cmd.Result r = Cmd.run(ctl(s, "-m", "fast"), Duration.ofSeconds(90));
            assertEquals(0, r.exit(), r.toString());
            RawConnection.Message m = a.read();
            assertEquals('E', m.type(), m.toString());
            assertEquals("FATAL", m.severity());
            assertEquals("57P01", m.sqlState());
            assertEquals("terminating connection due to administrator command", m.message());
            assertTrue(a.closedByServer());
            a.close();
            assertEquals(0, s.awaitExit());
            assertFalse(Files.exists(s.pidFile()));
        }
    }

    @Test
    void silentAndStalledClientsNeitherBlockShutdownNorLockOutOthers() throws Exception {
        try (OsgresServer s = OsgresServer.start("max_connections=10")) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket k = new Socket();
                    k.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
                    if (i % 2 == 1) {
                        k.getOutputStream().write(new byte[] {0, 0, 0, 40, 0, 3}); // half a startup packet
                        k.getOutputStream().flush();
                    }
                    silent.add(k);
                }
                // fifty clients in the handshake, ten slots: a real client still gets in
                for (int i = 0; i < 3; i++) {
                    try (RawConnection c = session(s)) {
                        assertNull(select1(c));
                    }
                }
                s.stop(); // fast shutdown with handshakes open: exit code 0, postmaster.pid removed
            } finally {
                for (Socket k : silent) k.close();
            }
        }
    }

    @Test
    void authenticationTimeoutDropsSilentAndStalledClients() throws Exception {
        try (OsgresServer s = OsgresServer.start("authentication_timeout=1s")) {
            try (Socket silent = new Socket(); Socket stalled = new Socket()) {
                silent.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
                stalled.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
                stalled.getOutputStream().write(new byte[] {0, 0, 0, 40, 0, 3});
                stalled.getOutputStream().flush();
                long start = System.nanoTime();
                silent.setSoTimeout(20_000);
                stalled.setSoTimeout(20_000);
                assertEquals(-1, readOrReset(silent.getInputStream()), "the silent client is dropped");
                assertEquals(-1, readOrReset(stalled.getInputStream()), "the stalled client is dropped");
                long waited = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waited >= 900 && waited < 15_000, "dropped after " + waited + " ms");
            }
            try (RawConnection c = session(s)) {
                assertNull(select1(c), "the server keeps serving");
            }
        }
    }

    /** End of stream, as PostgreSQL gives a client that timed out (no reply is sent). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1; // a reset is also a drop
        }
    }
}
