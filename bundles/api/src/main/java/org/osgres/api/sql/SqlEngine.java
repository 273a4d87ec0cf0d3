package org.osgres.api.sql;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The SQL engine (PostgreSQL: parser/, optimizer/, executor/ behind tcop/postgres.c). The
 * backend hands it query strings and wire-format parameters; it returns statements that describe
 * their parameters and results, and portals that stream rows already encoded for the wire.
 *
 * <p>Flow for the simple protocol: {@link #parse} the string, then for each statement
 * {@link #prepare}, {@link PreparedStatement#bind}, {@link Portal#execute}. The extended protocol
 * runs the same steps, one message each.
 */
@ProviderType
public interface SqlEngine {

    /**
     * Splits and parses a query string into its statements (PostgreSQL: pg_parse_query). An
     * empty string, or one of only semicolons and comments, gives an empty list.
     *
     * @throws org.osgres.api.error.PgException 42601 with the 1-based character position
     */
    List<ParsedStatement> parse(String queryString);

    /**
     * Analyzes a parsed statement (PostgreSQL: parse analysis and planning).
     *
     * @param declaredParamTypes type OIDs the client declared for $1, $2, ...; 0 or a missing entry
     *                           means "infer it"
     * @throws org.osgres.api.error.PgException 42P01 for unknown relations, 42883 for unknown
     *         functions, 0A000 for what is not supported yet, ...
     */
    PreparedStatement prepare(ParsedStatement statement, int[] declaredParamTypes, SessionContext session);
}
