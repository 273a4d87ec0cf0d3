package org.osgres.sql.parser;

/**
 * One lexical token (PostgreSQL: the values scan.l returns to gram.y).
 *
 * @param kind   what it is
 * @param text   identifiers case-folded, strings de-escaped, operators as written
 * @param start  offset of its first character in the query string (UTF-16 index)
 * @param end    offset just past it
 * @param raw    the source text of the token, for "at or near" messages
 */
public record Token(Kind kind, String text, int start, int end, String raw) {

    /** Token kinds; keywords arrive as IDENT with {@link #keyword()} deciding. */
    public enum Kind {
        /** identifier or keyword, unquoted, case-folded */
        IDENT,
        /** "quoted identifier" */
        QIDENT,
        /** 'string', E'string', $$string$$ */
        SCONST,
        /** integer constant that fits int4 */
        ICONST,
        /** any other numeric constant (decimal, exponent, or too large for int4) */
        FCONST,
        /** $n */
        PARAM,
        /** an operator, including one-character ones like + and = */
        OP,
        /** :: */
        TYPECAST,
        /** ( ) , ; [ ] . : */
        PUNCT,
        EOF
    }

    /** True for an unquoted identifier equal to the keyword (lower case). */
    public boolean isKeyword(String kw) {
        return kind == Kind.IDENT && text.equals(kw);
    }

    public boolean isPunct(char c) {
        return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }

    public boolean isOp(String op) {
        return kind == Kind.OP && text.equals(op);
    }
}
