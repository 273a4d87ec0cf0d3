/*
 * HbaFileRulesView: pg_hba_file_rules (PostgreSQL: fill_hba_view() in utils/adt/hbafuncs.c).
 *
 * Reads pg_hba.conf as it is on disk now, not the rules in force, one row per non-empty line:
 * the parsed fields, or only line_number and error for a line with an error. hostssl lines while
 * ssl is off carry PostgreSQL's warning in error. Superusers only ("permission denied for view
 * pg_hba_file_rules").
 *
 * Entry points: rows().
 */
package org.osgres.auth.hba.views;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;
import org.osgres.auth.hba.HbaAuthentication;
import org.osgres.auth.hba.HbaLine;
import org.osgres.auth.hba.HbaOptions;
import org.osgres.auth.hba.HbaParser;
import org.osgres.auth.hba.HbaToken;

@Component(service = SystemView.class)
public final class HbaFileRulesView implements SystemView {
    private final HbaAuthentication hba;
    private final RoleCatalog roles;
    private final Settings settings;

    @Activate
    public HbaFileRulesView(@Reference ClientAuthentication hba, @Reference RoleCatalog roles,
            @Reference Settings settings) {
        this.hba = (HbaAuthentication) hba;
        this.roles = roles;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "pg_hba_file_rules";
    }

    @Override
    public List<ViewColumn> columns() {
        return RoleViews.cols("line_number", RoleViews.INT4, "type", RoleViews.TEXT, "database",
                RoleViews.TEXT_ARRAY, "user_name", RoleViews.TEXT_ARRAY, "address", RoleViews.TEXT, "netmask",
                RoleViews.TEXT, "auth_method", RoleViews.TEXT, "options", RoleViews.TEXT_ARRAY, "error",
                RoleViews.TEXT);
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        RoleViews.requireSuperuser(roles, session, "view", name());
        HbaParser.Result r;
        try {
            r = hba.parseFileNow();
        } catch (IOException e) {
            throw new PgException(SqlState.CONFIG_FILE_ERROR, "could not open configuration file: " + e.getMessage());
        }
        return rows(r, "on".equals(settings.get("ssl")));
    }

    /** The rows of a parse (for tests without a session). */
    public static List<Object[]> rows(HbaParser.Result r, boolean sslOn) {
        List<Object[]> rows = new ArrayList<>();
        for (HbaParser.Entry e : r.entries()) {
            if (e.line() == null) {
                // PostgreSQL 15 does not put "invalid value for clientcert" into the error column:
                // such a line shows the hostssl warning that came before it, or nothing
                String error = e.error().message();
                if (error.startsWith("invalid value for clientcert")) {
                    error = "hostssl".equals(e.connType()) && !sslOn
                            ? "hostssl record cannot match because SSL is disabled" : null;
                }
                rows.add(new Object[] {e.lineNumber(), null, null, null, null, null, null, null, error});
                continue;
            }
            HbaLine l = e.line();
            String address = null;
            String netmask = null;
            if (l.ipCmp() != null) {
                switch (l.ipCmp()) {
                    case ALL -> address = "all";
                    case SAMEHOST -> address = "samehost";
                    case SAMENET -> address = "samenet";
                    case ADDRESS -> {
                        if (l.hostname() != null) {
                            address = l.hostname();
                        } else {
                            address = format(l.address());
                            netmask = format(l.mask());
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            List<String> options = new ArrayList<>();
            for (Map.Entry<String, String> o : l.options().entrySet()) {
                if (HbaOptions.displayed(o.getKey())) {
                    options.add(o.getKey() + "=" + o.getValue());
                }
            }
            String error = l.connType() == HbaLine.ConnType.HOSTSSL && !sslOn
                    ? "hostssl record cannot match because SSL is disabled" : null;
            rows.add(new Object[] {e.lineNumber(), l.connType().keyword(), tokens(l.databases()), tokens(l.roles()),
                address, netmask, l.method(), options.isEmpty() ? null : options.toArray(String[]::new), error});
        }
        return rows;
    }

    private static String[] tokens(List<HbaToken> tokens) {
        return tokens.stream().map(HbaToken::string).toArray(String[]::new);
    }

    /** An address as getnameinfo(NI_NUMERICHOST) prints it: IPv6 with the longest zero run as "::". */
    static String format(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
