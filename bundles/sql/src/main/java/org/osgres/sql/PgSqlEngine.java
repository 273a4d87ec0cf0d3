package org.osgres.sql;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.PasswordEncryption;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.sql.SystemView;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.PreparedStatement;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SqlEngine;
import org.osgres.sql.analyze.Analyzer;
import org.osgres.sql.analyze.DdlAnalyzer;
import org.osgres.sql.analyze.QueryAnalyzer;
import org.osgres.sql.analyze.TableAnalyzer;
import org.osgres.sql.copy.CopyPlan;
import org.osgres.sql.exec.CheckpointCommand;
import org.osgres.sql.exec.EngineServices;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.ParsedStatementImpl;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.exec.PreparedStatementImpl;
import org.osgres.sql.exec.RoleCommands;
import org.osgres.sql.exec.SelectPlan;
import org.osgres.sql.exec.UtilityPlan;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Lexer;
import org.osgres.sql.parser.Parser;
import org.osgres.sql.types.PgType;

/*
 * PgSqlEngine: the SQL engine service (PostgreSQL: tcop/postgres.c pg_parse_query and
 * pg_analyze_and_rewrite / pg_plan_queries, for the statements osgres runs so far).
 *
 * parse() lexes and parses a query string into raw statements (Lexer, Parser); prepare()
 * analyzes one (Analyzer; QueryAnalyzer plans a SELECT into a tree of PlanNodes, SelectPlan
 * runs VALUES, UtilityPlan SET/SHOW/transactions, RoleCommands the role DDL), inferring
 * parameter types; the prepared statement binds parameters into a PortalImpl that runs and
 * encodes rows.
 *
 * The other subsystems' services arrive as dynamic references and are kept in EngineServices:
 * optional ones -- the SystemView services (pg_settings, pg_stat_activity, ...) by name, the
 * RoleCatalog and PasswordEncryption for role DDL, the BackendRegistry for pg_cancel_backend()
 * and pg_terminate_backend(), ClientAuthentication for pg_reload_conf() -- and mandatory ones,
 * the SystemCatalog, HeapAccess and IndexAccess for tables (TableAnalyzer, DdlAnalyzer): the
 * engine is registered only while they are bound, so a backend, which references the engine,
 * and with it the postmaster's readiness, never comes before storage does, at the first start
 * or after a crash restart.
 *
 * Entry points: parse(), prepare().
 * See also: parser.Parser -- grammar; analyze.Analyzer -- types; analyze.QueryAnalyzer --
 * SELECT; exec.PlanNodes -- the executor; exec.PortalImpl -- execution.
 */
@Component(service = SqlEngine.class)
public final class PgSqlEngine implements SqlEngine {
    private final EngineServices services = new EngineServices();

    /** The services this engine reaches; tests fill it directly. */
    public EngineServices services() {
        return services;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSystemView(SystemView view) {
        services.addView(view);
    }

    void removeSystemView(SystemView view) {
        services.removeView(view);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setWalInsert(WalInsert wal) {
        services.setWal(wal);
    }

    void unsetWalInsert(WalInsert wal) {
        services.unsetWal(wal);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCheckpointRequest(CheckpointRequest checkpointer) {
        services.setCheckpointer(checkpointer);
    }

    void unsetCheckpointRequest(CheckpointRequest checkpointer) {
        services.unsetCheckpointer(checkpointer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRoleCatalog(RoleCatalog catalog) {
        services.setRoleCatalog(catalog);
    }

    void unsetRoleCatalog(RoleCatalog catalog) {
        services.unsetRoleCatalog(catalog);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPasswordEncryption(PasswordEncryption encryption) {
        services.setPasswordEncryption(encryption);
    }

    void unsetPasswordEncryption(PasswordEncryption encryption) {
        services.unsetPasswordEncryption(encryption);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBackendRegistry(BackendRegistry registry) {
        services.setBackendRegistry(registry);
    }

    void unsetBackendRegistry(BackendRegistry registry) {
        services.unsetBackendRegistry(registry);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setClientAuthentication(ClientAuthentication authentication) {
        services.setClientAuthentication(authentication);
    }

    void unsetClientAuthentication(ClientAuthentication authentication) {
        services.unsetClientAuthentication(authentication);
    }

    @Reference(cardinality = ReferenceCardinality.MANDATORY, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSystemCatalog(SystemCatalog catalog) {
        services.setCatalog(catalog);
    }

    void unsetSystemCatalog(SystemCatalog catalog) {
        services.unsetCatalog(catalog);
    }

    @Reference(cardinality = ReferenceCardinality.MANDATORY, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHeapAccess(HeapAccess heap) {
        services.setHeap(heap);
    }

    void unsetHeapAccess(HeapAccess heap) {
        services.unsetHeap(heap);
    }

    @Reference(cardinality = ReferenceCardinality.MANDATORY, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIndexAccess(IndexAccess indexes) {
        services.setIndexAccess(indexes);
    }

    void unsetIndexAccess(IndexAccess indexes) {
        services.unsetIndexAccess(indexes);
    }

    @Override
    public List<ParsedStatement> parse(String queryString) {
        List<ParsedStatement> out = new ArrayList<>();
        for (Parser.Parsed p : Parser.parse(queryString)) {
            out.add(new ParsedStatementImpl(p.stmt(), queryString, p.start(), p.end()));
        }
        return out;
    }

    @Override
    public PreparedStatement prepare(ParsedStatement statement, int[] declaredParamTypes, SessionContext session) {
        if (!(statement instanceof ParsedStatementImpl ps)) {
            throw new PgException(SqlState.INTERNAL_ERROR, "statement was not parsed by this engine");
        }
        Analyzer an = new Analyzer(ps.source(), declaredParamTypes);
        an.setServices(services);
        an.setSession(session);
        Plan plan = switch (ps.stmt()) {
            case Ast.SelectStmt s when !s.values().isEmpty() && s.with().isEmpty() -> SelectPlan.analyze(s, an,
                    ps.source());
            case Ast.SelectStmt s -> QueryAnalyzer.plan(s, an);
            case Ast.SetStmt s -> UtilityPlan.forSet(s);
            case Ast.ShowStmt s -> UtilityPlan.forShow(s, session);
            case Ast.TransactionStmt t -> UtilityPlan.forTransaction(t);
            case Ast.RoleStmt r -> RoleCommands.plan(r, services, ps.source());
            case Ast.InsertStmt i -> TableAnalyzer.insert(i, an);
            case Ast.UpdateStmt u -> TableAnalyzer.update(u, an);
            case Ast.DeleteStmt d -> TableAnalyzer.delete(d, an);
            case Ast.TableStmt t -> DdlAnalyzer.plan(t, an);
            case Ast.CopyStmt c -> CopyPlan.analyze(c, an);
            case Ast.UnsupportedStmt u when u.tag().equals("CHECKPOINT") -> CheckpointCommand.plan(u, ps);
            case Ast.UnsupportedStmt u -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    u.tag() + " is not supported by osgres yet").atPosition(Lexer.position(ps.source(), u.location()));
        };
        List<Nodes.ParamSlot> slots = an.params();
        PgType[] types = new PgType[slots.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = slots.get(i).type;
        }
        return new PreparedStatementImpl(statement, plan, types, services, an.tableOids(),
                bindSession -> (PreparedStatementImpl) prepare(statement, declaredParamTypes, bindSession));
    }
}
