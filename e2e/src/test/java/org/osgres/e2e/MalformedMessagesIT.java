package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * 1,000 randomised malformed protocol messages after startup, each answered as PostgreSQL 15
 * answers it (checked against the reference server with e2e/tools/run-against-postgres.sh and
 * by hand with the same message shapes): a message type the protocol does not have is FATAL
 * 08P01 "invalid frontend message type N" and the connection closes; malformed content of a
 * known type is ERROR 08P01 ("invalid string in message", "invalid message format",
 * "insufficient data left in message", "no data left in message", "invalid DESCRIBE message
 * subtype N", "invalid CLOSE message subtype N") and the session goes on to answer SELECT 1.
 * The server serves a fresh client at the end.
 */
class MalformedMessagesIT extends WithServer {
    static final int MESSAGES = 1000;
    static final Set<Integer> KNOWN = Set.of((int) 'Q', (int) 'P', (int) 'B', (int) 'D', (int) 'E', (int) 'C',
            (int) 'S', (int) 'H', (int) 'F', (int) 'd', (int) 'c', (int) 'f', (int) 'X');

    /** A malformed message, the Sync that ends it if it is an extended-query one, and PostgreSQL's answer. */
    record Case(byte[] bytes, boolean fatal, String message) {
    }

    @Test
    void everyMalformedMessageIsAnsweredAndTheServerKeepsServing() throws Exception {
        long seed = Long.getLong("e2e.seed", System.nanoTime());
        Random r = new Random(seed);
        RawConnection c = null;
        int fatals = 0;
        try {
            for (int i = 0; i < MESSAGES; i++) {
                if (c == null) {
                    c = new RawConnection(server.port());
                    assertEquals('Z', c.login(OsgresServer.superuser()).type());
                }
                Case k = randomCase(r);
                c.send(k.bytes());
                String where = "message " + i + " (seed " + seed + "): " + java.util.HexFormat.of().formatHex(k.bytes());
                if (k.fatal()) {
                    RawConnection.Message m = c.read();
                    assertEquals('E', m.type(), where);
                    assertEquals("FATAL", m.severity(), where);
                    assertEquals("08P01", m.sqlState(), where);
                    assertEquals(k.message(), m.message(), where);
                    assertTrue(c.closedByServer(), where);
                    c.close();
                    c = null;
                    fatals++;
                } else {
                    RawConnection.Message m = c.untilReady();
                    assertNotNull(m, where + ": no error");
                    assertEquals("ERROR", m.severity(), where);
                    assertEquals("08P01", m.sqlState(), where);
                    assertEquals(k.message(), m.message(), where);
                    c.query("SELECT 1");
                    assertNull(c.untilReady(), where + ": the session goes on");
                }
            }
        } finally {
            if (c != null) c.close();
        }
        assertTrue(fatals > 50 && fatals < MESSAGES - 50, "both kinds were sent: " + fatals + " fatal");
        try (RawConnection fresh = new RawConnection(server.port())) {
            assertEquals('Z', fresh.login(OsgresServer.superuser()).type());
            fresh.query("SELECT 1");
            assertNull(fresh.untilReady());
        }
    }

    static byte[] message(char type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(4 + payload.length).put(payload).array();
    }

    static byte[] withSync(byte[] m) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(m);
        b.writeBytes(message('S', new byte[0]));
        return b.toByteArray();
    }

    /** Printable text without NUL bytes. */
    static byte[] text(Random r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (' ' + r.nextInt(95));
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    static final byte[] NUL = {0};

    static Case randomCase(Random r) {
        switch (r.nextInt(11)) {
            case 0 -> { // a type byte the protocol does not have
                int t;
                do {
                    t = r.nextInt(256);
                } while (KNOWN.contains(t));
                return new Case(message((char) t, text(r, 0, 20)), true, "invalid frontend message type " + t);
            }
            case 1 -> { // Query without its terminating NUL
                return new Case(message('Q', text(r, 1, 40)), false, "invalid string in message");
            }
            case 2 -> { // Query with bytes after the string
                return new Case(message('Q', concat("SELECT 1".getBytes(StandardCharsets.US_ASCII), NUL, text(r, 1, 10))),
                        false, "invalid message format");
            }
            case 3 -> { // Parse cut inside the statement name
                return new Case(withSync(message('P', text(r, 1, 20))), false, "invalid string in message");
            }
            case 4 -> { // Parse announcing more parameter types than it carries
                int announced = 1 + r.nextInt(20);
                byte[] types = new byte[4 * r.nextInt(announced)];
                byte[] payload = concat(NUL, "SELECT 1".getBytes(StandardCharsets.US_ASCII), NUL,
                        ByteBuffer.allocate(2).putShort((short) announced).array(), types,
                        r.nextBoolean() ? new byte[] {0, 0} : new byte[0]);
                return new Case(withSync(message('P', payload)), false, "insufficient data left in message");
            }
            case 5 -> { // Describe with a subtype other than S or P
                int sub;
                do {
                    sub = 1 + r.nextInt(255);
                } while (sub == 'S' || sub == 'P');
                return new Case(withSync(message('D', concat(new byte[] {(byte) sub}, NUL))), false,
                        "invalid DESCRIBE message subtype " + sub);
            }
            case 6 -> { // Close with a subtype other than S or P
                int sub;
                do {
                    sub = 1 + r.nextInt(255);
                } while (sub == 'S' || sub == 'P');
                return new Case(withSync(message('C', concat(new byte[] {(byte) sub}, NUL))), false,
                        "invalid CLOSE message subtype " + sub);
            }
            case 7 -> { // Describe with nothing in it
                return new Case(withSync(message('D', new byte[0])), false, "no data left in message");
            }
            case 8 -> { // Execute cut inside the row limit
                return new Case(withSync(message('E', concat(NUL, new byte[r.nextInt(4)]))), false,
                        "insufficient data left in message");
            }
            case 9 -> { // Sync or Flush with content
                boolean sync = r.nextBoolean();
                byte[] m = message(sync ? 'S' : 'H', text(r, 1, 10));
                return new Case(sync ? m : withSync(m), false, "invalid message format");
            }
            default -> { // Execute with bytes after the row limit
                return new Case(withSync(message('E', concat(NUL, new byte[4], text(r, 1, 10)))), false,
                        "invalid message format");
            }
        }
    }
}
