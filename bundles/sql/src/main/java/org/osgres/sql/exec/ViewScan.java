package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SystemView;
import org.osgres.sql.types.PgType;

/*
 * ViewScan: a system view as a row source (PostgreSQL: the set-returning functions behind
 * pg_settings, pg_stat_activity ... read by a FunctionScan). The view's rows arrive as Java
 * objects by SystemView's convention and are turned into the executor's internal values: oid
 * and xid become Long, smaller integers widen where the column type is wider.
 *
 * Entry points: types(), source().
 */
public final class ViewScan {
    private ViewScan() {
    }

    /** The column types of a view; 0A000 for a type osgres cannot carry. */
    public static List<PgType> types(SystemView view) {
        List<PgType> out = new ArrayList<>();
        for (SystemView.ViewColumn c : view.columns()) {
            PgType t = PgType.byOid(c.typeOid());
            if (t == null) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "column \"" + c.name() + "\" of relation \""
                        + view.name() + "\" has type OID " + c.typeOid() + ", which osgres does not support yet");
            }
            out.add(t);
        }
        return out;
    }

    public static PlanNodes.RowSource source(SystemView view, List<PgType> types) {
        return ctx -> {
            List<Object[]> rows = view.rows(ctx.session());
            List<Object[]> out = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                Object[] t = new Object[types.size()];
                for (int i = 0; i < t.length && i < r.length; i++) {
                    t[i] = internal(types.get(i), r[i]);
                }
                out.add(t);
            }
            return out;
        };
    }

    static Object internal(PgType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case OID, XID, INT8 -> ((Number) v).longValue();
            case INT4 -> ((Number) v).intValue();
            case INT2 -> ((Number) v).shortValue();
            case FLOAT8 -> ((Number) v).doubleValue();
            case TEXT, NAME, VARCHAR, INET -> v.toString();
            default -> v;
        };
    }
}
