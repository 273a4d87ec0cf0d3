package org.osgres.postmaster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

/**
 * The pg_stat_activity view with PostgreSQL 15's 22 columns (PostgreSQL: pg_stat_get_activity
 * in utils/adt/pgstatfuncs.c, the view in catalog/system_views.sql): one row per session and per
 * background worker. backend_xid, backend_xmin, leader_pid and query_id are NULL (no
 * transaction ids, no parallel query yet); client_hostname is NULL (log_hostname is not
 * implemented). Like PostgreSQL, a role that is neither a superuser, a member of
 * pg_read_all_stats nor a member of the session's role sees only pid, database, user,
 * application_name and backend_type, and "&lt;insufficient privilege&gt;" as the query.
 *
 * See also: BackendSlots -- the entries; PgStatDatabase -- the per-database counters.
 */
@Component(service = SystemView.class)
public final class PgStatActivity implements SystemView {
    static final String INSUFFICIENT_PRIVILEGE = "<insufficient privilege>";
    private static final List<ViewColumn> COLUMNS = List.of(
            new ViewColumn("datid", Oids.OID), new ViewColumn("datname", Oids.NAME),
            new ViewColumn("pid", Oids.INT4), new ViewColumn("leader_pid", Oids.INT4),
            new ViewColumn("usesysid", Oids.OID), new ViewColumn("usename", Oids.NAME),
            new ViewColumn("application_name", Oids.TEXT), new ViewColumn("client_addr", Oids.INET),
            new ViewColumn("client_hostname", Oids.TEXT), new ViewColumn("client_port", Oids.INT4),
            new ViewColumn("backend_start", Oids.TIMESTAMPTZ), new ViewColumn("xact_start", Oids.TIMESTAMPTZ),
            new ViewColumn("query_start", Oids.TIMESTAMPTZ), new ViewColumn("state_change", Oids.TIMESTAMPTZ),
            new ViewColumn("wait_event_type", Oids.TEXT), new ViewColumn("wait_event", Oids.TEXT),
            new ViewColumn("state", Oids.TEXT), new ViewColumn("backend_xid", Oids.XID),
            new ViewColumn("backend_xmin", Oids.XID), new ViewColumn("query_id", Oids.INT8),
            new ViewColumn("query", Oids.TEXT), new ViewColumn("backend_type", Oids.TEXT));

    private final BackendRegistry registry;
    private final RoleCatalog roles;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SystemCatalog catalog;

    @Activate
    public PgStatActivity(@Reference BackendRegistry registry, @Reference RoleCatalog roles) {
        this.registry = registry;
        this.roles = roles;
    }

    @Override
    public String name() {
        return "pg_stat_activity";
    }

    @Override
    public List<ViewColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        String viewer = session.user();
        boolean allStats = roles.find(viewer).map(Role::superuser).orElse(false)
                || roles.isMemberOf(viewer, "pg_read_all_stats");
        List<Object[]> out = new ArrayList<>();
        for (BackendStatus b : registry.backends()) {
            out.add(row(b, allStats || (b.user() != null && roles.isMemberOf(viewer, b.user()))));
        }
        return out;
    }

    Object[] row(BackendStatus b, boolean visible) {
        Object[] r = new Object[COLUMNS.size()];
        String user = b.user();
        Integer datid = Databases.oid(catalog, b.database());
        r[0] = datid;
        r[1] = b.database();
        r[2] = b.pid();
        r[4] = user == null ? null : roles.find(user).map(Role::oid).orElse(null);
        r[5] = user;
        boolean client = BackendSlots.CLIENT_BACKEND.equals(b.backendType());
        r[6] = client ? b.applicationName() : null;
        r[21] = b.backendType();
        if (!visible) {
            r[20] = INSUFFICIENT_PRIVILEGE;
            return r;
        }
        ClientAddress c = b.client();
        if (c != null) {
            InetSocketAddress remote = c.remote();
            r[7] = remote == null ? null : remote.getAddress().getHostAddress();
            r[9] = remote == null ? -1 : remote.getPort();
        }
        r[10] = b.backendStart();
        r[11] = b.xactStart();
        r[12] = b.queryStart();
        r[13] = b.stateChange();
        r[14] = b.waitEventType();
        r[15] = b.waitEvent();
        r[16] = b.state();
        r[20] = client ? b.query() : null;
        return r;
    }
}
