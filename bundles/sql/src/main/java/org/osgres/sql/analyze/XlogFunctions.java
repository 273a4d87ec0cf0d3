package org.osgres.sql.analyze;

import java.util.List;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.wal.WalInsert;
import org.osgres.sql.exec.EvalContext;
import org.osgres.sql.types.PgType;

/*
 * XlogFunctions: the WAL functions (PostgreSQL: access/transam/xlogfuncs.c) --
 * pg_current_wal_lsn() (the write position), pg_current_wal_insert_lsn(),
 * pg_current_wal_flush_lsn(), pg_walfile_name(pg_lsn) and pg_switch_wal() (superuser only:
 * PostgreSQL revokes EXECUTE from PUBLIC). Values are pg_lsn.
 *
 * Entry points: register() (from FunctionCatalog).
 */
final class XlogFunctions {
    private XlogFunctions() {
    }

    static void register(Catalog c) {
        c.fn("pg_current_wal_lsn", List.of(), PgType.PG_LSN, (a, x) -> wal(x).writtenUpTo());
        c.fn("pg_current_wal_insert_lsn", List.of(), PgType.PG_LSN, (a, x) -> wal(x).insertLsn());
        c.fn("pg_current_wal_flush_lsn", List.of(), PgType.PG_LSN, (a, x) -> wal(x).flushedUpTo());
        c.fn("pg_walfile_name", List.of(PgType.PG_LSN), PgType.TEXT, (a, x) -> wal(x).walFileName((Long) a[0]));
        c.fn("pg_switch_wal", List.of(), PgType.PG_LSN, (a, x) -> {
            requireSuperuser(x, "pg_switch_wal");
            return wal(x).switchSegment();
        });
    }

    private static WalInsert wal(EvalContext x) {
        WalInsert w = x.services().walOrNull();
        if (w == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no WAL service is installed");
        }
        return w;
    }

    /** EXECUTE revoked from PUBLIC: only superusers pass the ACL check. */
    private static void requireSuperuser(EvalContext x, String function) {
        RoleCatalog roles = x.services().rolesOrNull();
        if (roles != null && !roles.find(x.session().user()).map(Role::superuser).orElse(false)) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for function " + function);
        }
    }
}
