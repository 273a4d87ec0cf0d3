package org.osgres.postmaster;

/**
 * The request codes that may stand where a startup packet's protocol version goes
 * (PostgreSQL: libpq/pqcomm.h), and the limits PostgreSQL puts on startup packets.
 */
final class StartupCodes {
    /** Protocol 3.0: major version in the high 16 bits. */
    static final int PROTOCOL_3_0 = 3 << 16;
    static final int PROTOCOL_LATEST_MINOR = 0;
    static final int CANCEL_REQUEST_CODE = (1234 << 16) | 5678;
    static final int SSL_REQUEST_CODE = (1234 << 16) | 5679;
    static final int GSSENC_REQUEST_CODE = (1234 << 16) | 5680;
    /** A startup packet may not be longer than this (PostgreSQL: MAX_STARTUP_PACKET_LENGTH). */
    static final int MAX_STARTUP_PACKET_LENGTH = 10000;
    /** Length word plus the version or request code. */
    static final int MIN_STARTUP_PACKET_LENGTH = 8;
    /** A CancelRequest: length, code, pid, secret. */
    static final int CANCEL_REQUEST_LENGTH = 16;

    private StartupCodes() {
    }

    static int major(int version) {
        return version >>> 16;
    }

    static int minor(int version) {
        return version & 0xffff;
    }
}
