package org.osgres.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.protocol.MessageBuilder;

/*
 * CopyProtocol: the client side of COPY (PostgreSQL: commands/copyfromparse.c ReceiveCopyBegin
 * and CopyGetData, commands/copyto.c SendCopyBegin/SendCopyEnd): the sub-protocol of CopyData,
 * CopyDone and CopyFail messages the SQL engine reads and writes through plain streams.
 *
 * copyIn() sends CopyInResponse and returns a stream over the CopyData the client sends; Flush
 * and Sync are ignored in between, as PostgreSQL does for clients that send them without noticing
 * the command was COPY. copyOut() sends CopyOutResponse and returns a stream that sends each write
 * as one CopyData and CopyDone on close.
 *
 * Entry points: copyIn(), copyOut().
 * See also: QueryProtocol -- ignores CopyData/CopyDone/CopyFail left over after a failed COPY.
 */
final class CopyProtocol {
    static final char COPY_IN_RESPONSE = 'G';
    static final char COPY_OUT_RESPONSE = 'H';
    static final char COPY_DATA = 'd';
    static final char COPY_DONE = 'c';
    static final char COPY_FAIL = 'f';
    private static final int TEXT_FORMAT = 0;

    private final ClientChannel channel;
    /** The backend's pending output, sent before the copy response so that messages stay in order. */
    private final MessageBuilder pending;

    CopyProtocol(ClientChannel channel, MessageBuilder pending) {
        this.channel = channel;
        this.pending = pending;
    }

    InputStream copyIn(int columns) throws IOException {
        begin(COPY_IN_RESPONSE, columns);
        return new CopyInStream();
    }

    OutputStream copyOut(int columns) throws IOException {
        begin(COPY_OUT_RESPONSE, columns);
        return new CopyOutStream();
    }

    private void begin(char type, int columns) throws IOException {
        pending.begin(type).putByte(TEXT_FORMAT).putInt16(columns);
        for (int i = 0; i < columns; i++) {
            pending.putInt16(TEXT_FORMAT);
        }
        pending.end();
        channel.write(pending);
        channel.flush();
    }

    /** CopyGetData over the messages of the copy-in sub-protocol. */
    private final class CopyInStream extends InputStream {
        private byte[] data = new byte[0];
        private int pos;
        private boolean done;

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return data[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Makes data available; false at CopyDone. */
        private boolean fill() throws IOException {
            while (pos >= data.length) {
                if (done) {
                    return false;
                }
                FrontendMessage m = channel.readMessage();
                if (m == null) {
                    throw PgException.fatal(SqlState.CONNECTION_FAILURE,
                            "unexpected EOF on client connection with an open transaction");
                }
                switch (m.type()) {
                    case COPY_DATA -> {
                        data = m.getBytes(m.remaining());
                        pos = 0;
                    }
                    case COPY_DONE -> done = true;
                    case COPY_FAIL -> throw new PgException(SqlState.QUERY_CANCELED,
                            "COPY from stdin failed: " + m.getCString());
                    case 'H', 'S' -> { } // Flush and Sync: ignored during COPY FROM STDIN
                    default -> throw new PgException(SqlState.PROTOCOL_VIOLATION, String.format(Locale.ROOT,
                            "unexpected message type 0x%02X during COPY from stdin", (int) m.type()));
                }
            }
            return true;
        }
    }

    /** CopySendEndOfRow: each write is one CopyData message. */
    private final class CopyOutStream extends OutputStream {
        private static final int SEND_THRESHOLD = 64 * 1024;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pending.begin(COPY_DATA).putBytes(b, off, len).end();
            if (pending.size() >= SEND_THRESHOLD) {
                channel.write(pending);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                pending.begin(COPY_DONE).end();
            }
        }
    }
}
