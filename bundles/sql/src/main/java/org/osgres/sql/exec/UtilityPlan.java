package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgres.api.config.SettingDefinition;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.TransactionStatus;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * UtilityPlan: SET, RESET, SHOW and the transaction statements (PostgreSQL: tcop/utility.c
 * standard_ProcessUtility for VariableSetStmt, VariableShowStmt and TransactionStmt; guc.c
 * ExecSetVariableStmt, GetPGVariable / ShowAllGUCConfig; xact.c BeginTransactionBlock and
 * friends, which SessionContext implements).
 *
 * Entry points: forSet(), forShow(), forTransaction().
 */
public final class UtilityPlan implements Plan {
    @FunctionalInterface
    interface Body {
        Output run(EvalContext ctx);
    }

    private final List<Column> columns;
    private final Body body;

    private UtilityPlan(List<Column> columns, Body body) {
        this.columns = columns;
        this.body = body;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public Output run(EvalContext ctx) {
        return body.run(ctx);
    }

    private static Output tag(String tag) {
        return new Output(List.of(), tag, false);
    }

    public static UtilityPlan forSet(Ast.SetStmt s) {
        return new UtilityPlan(List.of(), ctx -> {
            SessionContext session = ctx.session();
            switch (s.kind()) {
                case RESET_ALL -> {
                    session.resetAllSettings();
                    return tag("RESET");
                }
                case RESET -> {
                    session.getSetting(s.name().toLowerCase(Locale.ROOT));
                    session.resetSetting(s.name().toLowerCase(Locale.ROOT));
                    return tag("RESET");
                }
                default -> {
                    if (s.local() && session.transactionStatus() == TransactionStatus.IDLE) {
                        session.notice(new PgException(SqlState.NO_ACTIVE_SQL_TRANSACTION,
                                "SET LOCAL can only be used in transaction blocks").withSeverity(Severity.WARNING));
                        session.getSetting(s.name().toLowerCase(Locale.ROOT));
                        return tag("SET");
                    }
                    if (s.kind() == Ast.SetKind.DEFAULT) {
                        session.getSetting(s.name().toLowerCase(Locale.ROOT));
                        session.resetSetting(s.name().toLowerCase(Locale.ROOT));
                    } else {
                        Guc.set(session, s.name(), String.join(", ", s.values()), s.local());
                    }
                    return tag("SET");
                }
            }
        });
    }

    public static UtilityPlan forShow(Ast.ShowStmt s, SessionContext session) {
        if (s.name().equals("all")) {
            return new UtilityPlan(List.of(new Column("name", PgType.TEXT, -1), new Column("setting", PgType.TEXT, -1),
                    new Column("description", PgType.TEXT, -1)), ctx -> {
                        List<Object[]> rows = new ArrayList<>();
                        for (SettingDefinition d : ctx.session().settings().definitions()) {
                            String value;
                            try {
                                value = Guc.show(ctx.session(), d.name());
                            } catch (PgException e) {
                                continue;
                            }
                            rows.add(new Object[] {Guc.canonicalName(ctx.session(), d.name()), value, d.shortDesc()});
                        }
                        rows.sort((a, b) -> ((String) a[0]).compareToIgnoreCase((String) b[0]));
                        return new Output(rows, "SHOW", false);
                    });
        }
        String label = Guc.canonicalName(session, s.name());
        return new UtilityPlan(List.of(new Column(label, PgType.TEXT, -1)),
                ctx -> new Output(List.<Object[]>of(new Object[] {Guc.show(ctx.session(), s.name())}), "SHOW", false));
    }

    /** BEGIN [ISOLATION LEVEL x]: the level is SET LOCAL transaction_isolation of the new block. */
    private static void begin(EvalContext ctx, Ast.TransactionStmt t) {
        boolean wasIdle = ctx.session().transactionStatus() == org.osgres.api.sql.TransactionStatus.IDLE;
        ctx.session().beginBlock();
        if (wasIdle && t.isolation() != null) {
            ctx.session().setSetting("transaction_isolation", t.isolation(), true);
        }
    }

    public static UtilityPlan forTransaction(Ast.TransactionStmt t) {
        return new UtilityPlan(List.of(), ctx -> switch (t.kind()) {
            case BEGIN -> {
                begin(ctx, t);
                yield tag("BEGIN");
            }
            case START -> {
                begin(ctx, t);
                yield tag("START TRANSACTION");
            }
            case COMMIT -> tag(ctx.session().commitBlock());
            case ROLLBACK -> {
                ctx.session().rollbackBlock();
                yield tag("ROLLBACK");
            }
        });
    }
}
