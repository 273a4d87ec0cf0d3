package org.osgres.postmaster.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ASN.1 DER reader and writer: enough to unwrap PKCS#1 and SEC1 private keys into
 * PKCS#8, and to read the attributes of an X.509 name. (PostgreSQL leaves all of this to
 * OpenSSL; the JDK reads only PKCS#8 keys.)
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    /** [0] constructed, explicit: SEC1's curve parameters. */
    static final int CONTEXT_0 = 0xa0;

    /** One element: its tag and the bytes of its contents. */
    record Element(int tag, byte[] data, int offset, int length) {
        byte[] contents() {
            byte[] out = new byte[length];
            System.arraycopy(data, offset, out, 0, length);
            return out;
        }

        /** The elements inside a constructed element (SEQUENCE, SET, [n]). */
        List<Element> children() {
            List<Element> out = new ArrayList<>();
            int p = offset;
            int end = offset + length;
            while (p < end) {
                Element e = read(data, p, end);
                out.add(e);
                p = e.offset + e.length;
            }
            return out;
        }

        BigInteger integer() {
            expect(INTEGER);
            return new BigInteger(contents());
        }

        void expect(int wanted) {
            if (tag != wanted) {
                throw new IllegalArgumentException(String.format("ASN.1 tag 0x%02x where 0x%02x was expected", tag, wanted));
            }
        }

        /** The dotted form of an OBJECT IDENTIFIER. */
        String oid() {
            expect(OID);
            StringBuilder sb = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = offset; i < offset + length; i++) {
                value = (value << 7) | (data[i] & 0x7f);
                if ((data[i] & 0x80) == 0) {
                    if (first) {
                        int top = (int) Math.min(2, value / 40);
                        sb.append(top).append('.').append(value - 40L * top);
                        first = false;
                    } else {
                        sb.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return sb.toString();
        }
    }

    private Der() {
    }

    /** The single element that makes up the whole of {@code der}. */
    static Element parse(byte[] der) {
        Element e = read(der, 0, der.length);
        if (e.offset + e.length != der.length) {
            throw new IllegalArgumentException("trailing bytes after ASN.1 element");
        }
        return e;
    }

    static Element read(byte[] data, int pos, int end) {
        if (pos + 2 > end) {
            throw new IllegalArgumentException("truncated ASN.1 element");
        }
        int tag = data[pos++] & 0xff;
        int len = data[pos++] & 0xff;
        if ((len & 0x80) != 0) {
            int n = len & 0x7f;
            if (n == 0 || n > 4 || pos + n > end) {
                throw new IllegalArgumentException("bad ASN.1 length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (data[pos++] & 0xff);
            }
            if (len < 0) {
                throw new IllegalArgumentException("bad ASN.1 length");
            }
        }
        if (pos + len > end) {
            throw new IllegalArgumentException("truncated ASN.1 element");
        }
        return new Element(tag, data, pos, len);
    }

    /** An element with the given tag around the given contents. */
    static byte[] encode(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int len = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER from its dotted form. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, Long.parseLong(arcs[i]));
        }
        return encode(OID, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long v) {
        int groups = 1;
        for (long t = v >>> 7; t != 0; t >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) ((v >>> (7 * g)) & 0x7f);
            out.write(g == 0 ? b : b | 0x80);
        }
    }
}
