package org.osgres.sql.parser;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The SELECT clauses and role statements RoleParser and Parser build. */
class SelectAndRoleParserTest {

    private static Ast.Stmt one(String sql) {
        List<Parser.Parsed> p = Parser.parse(sql);
        assertEquals(1, p.size());
        return p.get(0).stmt();
    }

    @Test
    void selectClausesAndJoins() {
        String sql = "SELECT DISTINCT a.x, count(*), count(DISTINCT b.y) FROM v a "
                + "JOIN w AS b ON a.x = b.x LEFT JOIN u ON true, t WHERE a.x > 1 GROUP BY 1 HAVING count(*) > 2 "
                + "ORDER BY 2 DESC NULLS FIRST, a.x LIMIT 3 OFFSET 4";
        Ast.SelectStmt s = (Ast.SelectStmt) one(sql);
        assertTrue(s.distinct());
        assertEquals(3, s.targets().size());
        Ast.FuncCall star = (Ast.FuncCall) s.targets().get(1).expr();
        assertTrue(star.star());
        assertTrue(((Ast.FuncCall) s.targets().get(2).expr()).distinct());
        assertEquals(2, s.from().size());
        Ast.JoinExpr left = (Ast.JoinExpr) s.from().get(0);
        assertEquals(Ast.JoinKind.LEFT, left.kind());
        Ast.JoinExpr inner = (Ast.JoinExpr) left.left();
        assertEquals(Ast.JoinKind.INNER, inner.kind());
        assertEquals(new Ast.RangeVar("w", "b", sql.indexOf("w AS b")), inner.right());
        assertEquals(1, s.groupBy().size());
        assertNotNull(s.having());
        assertEquals(2, s.orderBy().size());
        assertTrue(s.orderBy().get(0).desc());
        assertEquals(Boolean.TRUE, s.orderBy().get(0).nullsFirst());
        assertNull(s.orderBy().get(1).nullsFirst());
    }

    @Test
    void starsAndSubqueries() {
        Ast.SelectStmt s = (Ast.SelectStmt) one("SELECT *, s.*, (SELECT 1), EXISTS (SELECT 1 FROM v) FROM v s");
        assertEquals(List.of("*"), ((Ast.ColumnRef) s.targets().get(0).expr()).names());
        assertEquals(List.of("s", "*"), ((Ast.ColumnRef) s.targets().get(1).expr()).names());
        assertEquals(Ast.SubLinkKind.EXPR, ((Ast.SubLink) s.targets().get(2).expr()).kind());
        assertEquals(Ast.SubLinkKind.EXISTS, ((Ast.SubLink) s.targets().get(3).expr()).kind());
    }

    @Test
    void roleStatements() {
        Ast.CreateRoleStmt c = (Ast.CreateRoleStmt) one("CREATE USER u WITH LOGIN PASSWORD 'p' IN ROLE a, b "
                + "CONNECTION LIMIT -1 VALID UNTIL 'infinity'");
        assertEquals(Ast.RoleStmtKind.USER, c.kind());
        assertEquals(List.of("canlogin", "password", "addroleto", "connectionlimit", "validUntil"),
                c.options().stream().map(Ast.RoleOption::name).toList());
        assertEquals(-1, c.options().get(3).value());
        Ast.GrantRoleStmt r = (Ast.GrantRoleStmt) one("REVOKE ADMIN OPTION FOR a FROM b CASCADE");
        assertFalse(r.grant());
        assertTrue(r.adminOption());
        assertInstanceOf(Ast.RenameRoleStmt.class, one("ALTER GROUP g RENAME TO h"));
        Ast.AlterRoleStmt g = (Ast.AlterRoleStmt) one("ALTER GROUP g DROP USER a, b");
        assertEquals(-1, g.action());
        assertTrue(((Ast.DropRoleStmt) one("DROP ROLE IF EXISTS a, b")).missingOk());
    }

    @Test
    void privilegeGrantsAndUserMappingsAreNotRoleStatements() {
        assertInstanceOf(Ast.UnsupportedStmt.class, one("GRANT SELECT ON t TO u"));
        assertInstanceOf(Ast.UnsupportedStmt.class, one("REVOKE ALL ON t FROM u"));
        assertInstanceOf(Ast.UnsupportedStmt.class, one("CREATE USER MAPPING FOR u SERVER s"));
        assertInstanceOf(Ast.GrantRoleStmt.class, one("GRANT a, b TO c WITH ADMIN OPTION GRANTED BY d"));
    }
}
