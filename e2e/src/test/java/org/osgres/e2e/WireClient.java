package org.osgres.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays the steps of a golden protocol case and renders the server's answers exactly as
 * e2e/tools/record-golden.py does (keep the two in step).
 */
final class WireClient implements AutoCloseable {
    static final long TIMEOUT_MS = 5000;
    static final HexFormat HEX = HexFormat.of();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wire-watchdog");
        t.setDaemon(true);
        return t;
    });

    static final class Timeout extends IOException {}

    private final Socket tcp;
    private final SocketChannel unix;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean timedOut = new AtomicBoolean();

    private WireClient(Socket tcp, SocketChannel unix) throws IOException {
        this.tcp = tcp;
        this.unix = unix;
        if (tcp != null) {
            tcp.setSoTimeout((int) TIMEOUT_MS);
            in = tcp.getInputStream();
            out = tcp.getOutputStream();
        } else {
            in = Channels.newInputStream(unix);
            out = Channels.newOutputStream(unix);
        }
    }

    static WireClient tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new WireClient(s, null);
    }

    static WireClient unix(Path socketDir, int port) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socketDir.resolve(".s.PGSQL." + port)));
        return new WireClient(null, ch);
    }

    /** Runs the steps; returns the rendered transcript. */
    static List<String> run(List<String> steps, int port, Path socketDir, String user) throws IOException {
        List<String> transcript = new ArrayList<>();
        List<String> rest = steps;
        WireClient c;
        if (!steps.isEmpty() && steps.get(0).equals("unix")) {
            rest = steps.subList(1, steps.size());
            c = unix(socketDir, port);
        } else {
            c = tcp(port);
        }
        try (c) {
            for (String step : rest) {
                int sp = step.indexOf(' ');
                String op = sp < 0 ? step : step.substring(0, sp);
                String arg = sp < 0 ? "" : step.substring(sp + 1).replace("{user}", user);
                try {
                    switch (op) {
                        case "startup" -> {
                            String[] parts = arg.split(" ");
                            c.send(startupPacket(parts[0], List.of(parts).subList(1, parts.length)));
                        }
                        case "ssl" -> c.send(ByteBuffer.allocate(8).putInt(8).putInt(80877103).array());
                        case "gss" -> c.send(ByteBuffer.allocate(8).putInt(8).putInt(80877104).array());
                        case "cancel" -> {
                            String[] parts = arg.split(" ");
                            c.send(ByteBuffer.allocate(16).putInt(16).putInt(80877102)
                                    .putInt(Integer.parseInt(parts[0])).putInt(Integer.parseInt(parts[1])).array());
                        }
                        case "query" -> {
                            byte[] q = (arg + "\0").getBytes(StandardCharsets.UTF_8);
                            c.send(ByteBuffer.allocate(5 + q.length).put((byte) 'Q').putInt(4 + q.length).put(q).array());
                        }
                        case "terminate" -> c.send(new byte[] {'X', 0, 0, 0, 4});
                        case "raw" -> c.send(HEX.parseHex(arg.replace(" ", "")));
                        case "shutdown" -> c.shutdownOutput();
                        case "close" -> {
                            return transcript;
                        }
                        case "read-byte" -> {
                            int b = c.readByte();
                            transcript.add(b < 0 ? "closed" : "byte " + HEX.toHexDigits((byte) b));
                        }
                        case "read" -> c.readMessages(transcript);
                        case "read-raw" -> c.readRaw(transcript);
                        default -> throw new IllegalArgumentException("unknown step: " + step);
                    }
                } catch (Timeout e) {
                    transcript.add("timeout");
                    return transcript;
                }
            }
        }
        return transcript;
    }

    static byte[] startupPacket(String version, List<String> params) {
        String[] v = version.split("\\.");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ByteBuffer.allocate(4).putInt((Integer.parseInt(v[0]) << 16) | Integer.parseInt(v[1])).array());
        for (String kv : params) {
            int eq = kv.indexOf('=');
            body.writeBytes((kv.substring(0, eq) + "\0" + kv.substring(eq + 1) + "\0").getBytes(StandardCharsets.UTF_8));
        }
        body.write(0);
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(4 + b.length).putInt(4 + b.length).put(b).array();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        if (tcp != null) tcp.shutdownOutput();
        else unix.shutdownOutput();
    }

    /** Reads n bytes; null at end of stream or reset. Throws Timeout after TIMEOUT_MS. */
    byte[] readExact(int n) throws IOException {
        byte[] buf = new byte[n];
        int off = 0;
        while (off < n) {
            int r = timedRead(buf, off, n - off);
            if (r < 0) return null;
            off += r;
        }
        return buf;
    }

    int readByte() throws IOException {
        byte[] b = readExact(1);
        return b == null ? -1 : b[0] & 0xff;
    }

    private int timedRead(byte[] buf, int off, int len) throws IOException {
        ScheduledFuture<?> dog = unix == null ? null : WATCHDOG.schedule(() -> {
            timedOut.set(true);
            try {
                unix.close();
            } catch (IOException ignored) {
            }
        }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
        try {
            return in.read(buf, off, len);
        } catch (SocketTimeoutException e) {
            throw new Timeout();
        } catch (IOException e) {
            if (timedOut.get()) throw new Timeout();
            return -1; // connection reset: closed
        } finally {
            if (dog != null) dog.cancel(false);
        }
    }

    void readMessages(List<String> transcript) throws IOException {
        while (true) {
            byte[] hdr = readExact(5);
            if (hdr == null) {
                transcript.add("closed");
                return;
            }
            char type = (char) hdr[0];
            int len = ByteBuffer.wrap(hdr, 1, 4).getInt();
            if (len < 4 || len > 1 << 24) throw new EOFException("implausible message length " + len + " for type " + type);
            byte[] payload = readExact(len - 4);
            if (payload == null) {
                transcript.add("closed");
                return;
            }
            transcript.add(render(type, payload));
            if (type == 'Z') return;
        }
    }

    void readRaw(List<String> transcript) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = timedRead(buf, 0, buf.length)) >= 0) all.write(buf, 0, r);
        transcript.add("raw " + HEX.formatHex(all.toByteArray()));
        transcript.add("closed");
    }

    static String render(char type, byte[] payload) {
        switch (type) {
            case 'E', 'N' -> {
                Map<Character, String> fields = new LinkedHashMap<>();
                int i = 0;
                while (i < payload.length && payload[i] != 0) {
                    char code = (char) payload[i];
                    int end = i + 1;
                    while (end < payload.length && payload[end] != 0) end++;
                    fields.put(code, new String(payload, i + 1, end - i - 1, StandardCharsets.UTF_8));
                    i = end + 1;
                }
                List<String> parts = new ArrayList<>();
                for (char code : "SVCMDHP".toCharArray()) {
                    if (fields.containsKey(code)) parts.add(code + "=" + fields.get(code));
                }
                return "msg " + type + " " + String.join("|", parts);
            }
            case 'S' -> {
                int end = 0;
                while (end < payload.length && payload[end] != 0) end++;
                return "msg S " + new String(payload, 0, end, StandardCharsets.UTF_8);
            }
            case 'K' -> {
                return "msg K";
            }
            default -> {
                return payload.length == 0 ? "msg " + type : "msg " + type + " " + HEX.formatHex(payload);
            }
        }
    }

    /** Sorts each run of consecutive ParameterStatus lines: their order is not part of the protocol. */
    static List<String> canonical(List<String> transcript) {
        List<String> out = new ArrayList<>(transcript);
        int i = 0;
        while (i < out.size()) {
            int j = i;
            while (j < out.size() && out.get(j).startsWith("msg S ")) j++;
            if (j > i) {
                out.subList(i, j).sort(String.CASE_INSENSITIVE_ORDER);
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (tcp != null) tcp.close();
        else unix.close();
    }
}
