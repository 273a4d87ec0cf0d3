package org.osgres.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** Lexer and statement-splitting edge cases (scan.l and stmtmulti behaviour). */
class LexerParserTest {

    @Test
    void emptyAndCommentOnlyStringsGiveNoStatements() {
        assertTrue(Parser.parse("").isEmpty());
        assertTrue(Parser.parse("   \n\t").isEmpty());
        assertTrue(Parser.parse(";;").isEmpty());
        assertTrue(Parser.parse("-- only a comment").isEmpty());
        assertTrue(Parser.parse("/* a /* nested */ comment */ ;").isEmpty());
    }

    @Test
    void semicolonsSplitStatementsButNotInsideQuotes() {
        List<Parser.Parsed> p = Parser.parse("SELECT ';'; SELECT $$;$$ ; ; SHOW x;");
        assertEquals(3, p.size());
        assertEquals("SELECT ';'", "SELECT ';'; SELECT $$;$$ ; ; SHOW x;".substring(p.get(0).start(), p.get(0).end()));
    }

    @Test
    void identifiersFoldAndQuotedOnesKeepCase() {
        List<Token> t = Lexer.tokenize("SeLeCt \"MiXed\"\"q\" x");
        assertEquals("select", t.get(0).text());
        assertEquals(Token.Kind.QIDENT, t.get(1).kind());
        assertEquals("MiXed\"q", t.get(1).text());
    }

    @Test
    void stringsEscapesAndDollarQuotes() {
        assertEquals("it's", Lexer.tokenize("'it''s'").get(0).text());
        assertEquals("a\tb\\A", Lexer.tokenize("E'a\\tb\\\\\\x41'").get(0).text());
        assertEquals("ab", Lexer.tokenize("'a'\n'b'").get(0).text());
        assertEquals("x $$ y", Lexer.tokenize("$t$x $$ y$t$").get(0).text());
        assertEquals(Token.Kind.PARAM, Lexer.tokenize("$12").get(0).kind());
    }

    @Test
    void numbersAreClassifiedAsScanLDoes() {
        assertEquals(Token.Kind.ICONST, Lexer.tokenize("2147483647").get(0).kind());
        assertEquals(Token.Kind.FCONST, Lexer.tokenize("2147483648").get(0).kind());
        assertEquals(Token.Kind.FCONST, Lexer.tokenize("1e3").get(0).kind());
        assertEquals(Token.Kind.FCONST, Lexer.tokenize(".5").get(0).kind());
        PgException e = assertThrows(PgException.class, () -> Lexer.tokenize("SELECT 12abc"));
        assertEquals("trailing junk after numeric literal at or near \"12abc\"", e.getMessage());
        assertEquals(8, e.position());
    }

    @Test
    void operatorsFollowTheTrailingSignRule() {
        List<Token> t = Lexer.tokenize("1+-2");
        assertEquals("+", t.get(1).text());
        assertEquals("-", t.get(2).text());
        assertEquals("<>", Lexer.tokenize("a != b").get(1).text());
        assertEquals(Token.Kind.TYPECAST, Lexer.tokenize("1::int").get(1).kind());
    }

    @Test
    void syntaxErrorsCarryPostgresPositions() {
        PgException e = assertThrows(PgException.class, () -> Parser.parse("SELECT 1 +"));
        assertEquals(SqlState.SYNTAX_ERROR, e.sqlState());
        assertEquals("syntax error at end of input", e.getMessage());
        assertEquals(11, e.position());
        e = assertThrows(PgException.class, () -> Parser.parse("SELECT 1; SELEC 2"));
        assertEquals("syntax error at or near \"SELEC\"", e.getMessage());
        assertEquals(11, e.position());
        e = assertThrows(PgException.class, () -> Parser.parse("SELECT 'é' +"));
        assertEquals(13, e.position(), "positions count characters, not bytes");
    }

    @Test
    void unterminatedConstructs() {
        assertEquals("unterminated /* comment at or near \"/* x\"",
                assertThrows(PgException.class, () -> Parser.parse("SELECT /* x")).getMessage());
        assertEquals("unterminated quoted identifier at or near \"\"ab\"",
                assertThrows(PgException.class, () -> Parser.parse("SELECT \"ab")).getMessage());
    }
}
