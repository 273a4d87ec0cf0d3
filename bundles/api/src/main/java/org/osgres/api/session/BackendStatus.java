package org.osgres.api.session;

import java.math.BigInteger;
import java.time.OffsetDateTime;

/**
 * What one backend or background worker is doing, as pg_stat_activity shows it (PostgreSQL:
 * PgBackendStatus in utils/activity/backend_status.c). The process writes its own entry; others
 * only read it, so every field is volatile and each is read on its own.
 */
public final class BackendStatus {
    /** pg_stat_activity.state values. */
    public static final String STATE_IDLE = "idle";
    public static final String STATE_ACTIVE = "active";
    public static final String STATE_IDLE_IN_TRANSACTION = "idle in transaction";
    public static final String STATE_IDLE_IN_TRANSACTION_ABORTED = "idle in transaction (aborted)";

    private final int pid;
    private final String backendType;
    private final OffsetDateTime backendStart;
    private volatile String user;
    private volatile String database;
    private volatile String applicationName = "";
    private volatile ClientAddress client;
    private volatile String state;
    private volatile String query = "";
    private volatile OffsetDateTime queryStart;
    private volatile OffsetDateTime xactStart;
    private volatile OffsetDateTime stateChange;
    private volatile String waitEventType;
    private volatile String waitEvent;
    private volatile String sslVersion;
    private volatile String sslCipher;
    private volatile int sslBits;
    private volatile String sslClientDn;
    private volatile BigInteger sslClientSerial;
    private volatile String sslIssuerDn;

    /**
     * @param backendType pg_stat_activity.backend_type: "client backend", "checkpointer", ...
     */
    public BackendStatus(int pid, String backendType, OffsetDateTime backendStart) {
        this.pid = pid;
        this.backendType = backendType;
        this.backendStart = backendStart;
    }

    public int pid() {
        return pid;
    }

    public String backendType() {
        return backendType;
    }

    public OffsetDateTime backendStart() {
        return backendStart;
    }

    public String user() {
        return user;
    }

    public String database() {
        return database;
    }

    public String applicationName() {
        return applicationName;
    }

    public ClientAddress client() {
        return client;
    }

    public String state() {
        return state;
    }

    public String query() {
        return query;
    }

    public OffsetDateTime queryStart() {
        return queryStart;
    }

    public OffsetDateTime xactStart() {
        return xactStart;
    }

    public OffsetDateTime stateChange() {
        return stateChange;
    }

    public String waitEventType() {
        return waitEventType;
    }

    public String waitEvent() {
        return waitEvent;
    }

    public String sslVersion() {
        return sslVersion;
    }

    public String sslCipher() {
        return sslCipher;
    }

    public int sslBits() {
        return sslBits;
    }

    /** pg_stat_ssl.client_dn: the client certificate's subject ("/CN=alice/O=..."), or null. */
    public String sslClientDn() {
        return sslClientDn;
    }

    /** pg_stat_ssl.client_serial: the client certificate's serial number, or null. */
    public BigInteger sslClientSerial() {
        return sslClientSerial;
    }

    /** pg_stat_ssl.issuer_dn: the client certificate's issuer, or null. */
    public String sslIssuerDn() {
        return sslIssuerDn;
    }

    /** The session's identity, once authenticated. */
    public void setIdentity(String user, String database, ClientAddress client) {
        this.user = user;
        this.database = database;
        this.client = client;
    }

    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName == null ? "" : applicationName;
    }

    /** The TLS parameters of the connection (pg_stat_ssl), or null version when not encrypted. */
    public void setSsl(String version, String cipher, int bits) {
        this.sslVersion = version;
        this.sslCipher = cipher;
        this.sslBits = bits;
    }

    /** The client certificate of the connection (pg_stat_ssl's client_dn, client_serial, issuer_dn). */
    public void setSslClient(String clientDn, BigInteger clientSerial, String issuerDn) {
        this.sslClientDn = clientDn;
        this.sslClientSerial = clientSerial;
        this.sslIssuerDn = issuerDn;
    }

    /** A statement starts (state active, query and query_start set). */
    public void startQuery(String queryText, OffsetDateTime now) {
        this.query = queryText;
        this.queryStart = now;
        setState(STATE_ACTIVE, now);
    }

    /** The transaction start, or null when none is open. */
    public void setXactStart(OffsetDateTime xactStart) {
        this.xactStart = xactStart;
    }

    /** A new state (see the STATE_ constants); state_change is set when it differs. */
    public void setState(String newState, OffsetDateTime now) {
        if (!newState.equals(state)) {
            state = newState;
            stateChange = now;
        }
    }

    /** What the process waits for (pg_stat_activity.wait_event_type and wait_event); nulls when running. */
    public void setWait(String type, String event) {
        this.waitEventType = type;
        this.waitEvent = event;
    }
}
