package org.osgres.postmaster.tls;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

/**
 * The pg_stat_ssl view (PostgreSQL 15: system_views.sql over pg_stat_get_activity): one row per
 * backend with its TLS parameters; ssl is false and the rest null for a connection without TLS.
 * client_dn and issuer_dn read as "/CN=alice/O=...", client_serial is the certificate's serial
 * number in decimal.
 */
@Component(service = SystemView.class)
public final class PgStatSsl implements SystemView {
    private static final int BOOL = 16;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int NUMERIC = 1700;
    private static final List<ViewColumn> COLUMNS = List.of(
            new ViewColumn("pid", INT4), new ViewColumn("ssl", BOOL), new ViewColumn("version", TEXT),
            new ViewColumn("cipher", TEXT), new ViewColumn("bits", INT4), new ViewColumn("client_dn", TEXT),
            new ViewColumn("client_serial", NUMERIC), new ViewColumn("issuer_dn", TEXT));

    private final BackendRegistry registry;

    @Activate
    public PgStatSsl(@Reference BackendRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "pg_stat_ssl";
    }

    @Override
    public List<ViewColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        List<Object[]> out = new ArrayList<>();
        for (BackendStatus b : registry.backends()) {
            out.add(row(b));
        }
        return out;
    }

    /** One backend's row. */
    public static Object[] row(BackendStatus b) {
        String version = b.sslVersion();
        if (version == null) {
            return new Object[] {b.pid(), false, null, null, null, null, null, null};
        }
        return new Object[] {b.pid(), true, version, b.sslCipher(), b.sslBits(), b.sslClientDn(),
                b.sslClientSerial() == null ? null : new BigDecimal(b.sslClientSerial()), b.sslIssuerDn()};
    }
}
