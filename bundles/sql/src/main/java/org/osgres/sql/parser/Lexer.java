package org.osgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.types.TypeIO;

/*
 * Lexer: splits a query string into tokens (PostgreSQL: parser/scan.l).
 *
 * Follows scan.l's rules: identifiers are case-folded and truncated to NAMEDATALEN-1 bytes;
 * "quoted identifiers" keep their case; 'strings' double their quotes and continue across a
 * newline; E'' strings take backslash escapes; $$ and $tag$ quote without escapes; integers
 * that fit int4 are ICONST, other numbers FCONST; numbers run into letters are "trailing junk";
 * operators follow scan.l's trailing +/- rule and != becomes <>; -- and nested slash-star
 * comments are skipped. Errors are 42601 with the token's position.
 *
 * Entry points: tokenize().
 * See also: Parser -- the grammar over these tokens.
 */
public final class Lexer {
    private static final String OP_CHARS = "~!@#^&|`?+-*/%<>=";
    private static final String SELF_CHARS = ",()[].;:+-*/%^<>=";

    private final String src;
    private int pos;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String src) {
        this.src = src;
    }

    /** The tokens of the whole string, ending with an EOF token at the string's length. */
    public static List<Token> tokenize(String src) {
        Lexer l = new Lexer(src);
        l.run();
        return l.out;
    }

    /** A 1-based character position (what ErrorResponse reports) for a UTF-16 offset. */
    public static int position(String src, int offset) {
        return src.codePointCount(0, Math.min(offset, src.length())) + 1;
    }

    private PgException error(String msg, int at) {
        return new PgException(SqlState.SYNTAX_ERROR,
                msg + " at or near \"" + src.substring(at, Math.max(at, Math.min(pos, src.length()))) + "\"")
                .atPosition(position(src, at));
    }

    private void run() {
        int n = src.length();
        while (true) {
            skipSpaceAndComments();
            if (pos >= n) {
                out.add(new Token(Token.Kind.EOF, "", n, n, ""));
                return;
            }
            char c = src.charAt(pos);
            int start = pos;
            if ((c == 'e' || c == 'E') && pos + 1 < n && src.charAt(pos + 1) == '\'') {
                pos++;
                String s = quotedString(start, true);
                add(Token.Kind.SCONST, s, start);
            } else if (c == '\'') {
                add(Token.Kind.SCONST, quotedString(start, false), start);
            } else if (c == '"') {
                add(Token.Kind.QIDENT, quotedIdent(start), start);
            } else if (c == '$' && dollarTagEnd(pos) > 0) {
                add(Token.Kind.SCONST, dollarString(start), start);
            } else if (c == '$' && pos + 1 < n && isDigit(src.charAt(pos + 1))) {
                pos++;
                while (pos < n && isDigit(src.charAt(pos))) {
                    pos++;
                }
                if (pos < n && isIdentStart(src.charAt(pos))) {
                    consumeIdentChars();
                    throw error("trailing junk after parameter", start);
                }
                add(Token.Kind.PARAM, src.substring(start + 1, pos), start);
            } else if (isDigit(c) || (c == '.' && pos + 1 < n && isDigit(src.charAt(pos + 1)))) {
                number(start);
            } else if (isIdentStart(c)) {
                consumeIdentChars();
                String ident = src.substring(start, pos).toLowerCase(Locale.ROOT);
                add(Token.Kind.IDENT, TypeIO.truncateName(ident), start);
            } else if (c == ':' && pos + 1 < n && src.charAt(pos + 1) == ':') {
                pos += 2;
                add(Token.Kind.TYPECAST, "::", start);
            } else if (OP_CHARS.indexOf(c) >= 0) {
                operator(start);
            } else if (SELF_CHARS.indexOf(c) >= 0) {
                pos++;
                add(Token.Kind.PUNCT, String.valueOf(c), start);
            } else {
                pos++;
                throw error("syntax error", start);
            }
        }
    }

    private void add(Token.Kind kind, String text, int start) {
        out.add(new Token(kind, text, start, pos, src.substring(start, pos)));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private void consumeIdentChars() {
        while (pos < src.length() && isIdentCont(src.charAt(pos))) {
            pos++;
        }
    }

    private void skipSpaceAndComments() {
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '-' && pos + 1 < n && src.charAt(pos + 1) == '-') {
                while (pos < n && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < n && src.charAt(pos + 1) == '*') {
                int start = pos;
                int depth = 0;
                while (true) {
                    if (pos + 1 >= n) {
                        pos = n;
                        throw error("unterminated /* comment", start);
                    }
                    if (src.charAt(pos) == '/' && src.charAt(pos + 1) == '*') {
                        depth++;
                        pos += 2;
                    } else if (src.charAt(pos) == '*' && src.charAt(pos + 1) == '/') {
                        depth--;
                        pos += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        pos++;
                    }
                }
            } else {
                return;
            }
        }
    }

    /** 'string' or E'string' (pos at the opening quote); adjacent strings split by a newline join. */
    private String quotedString(int start, boolean escapes) {
        StringBuilder sb = new StringBuilder();
        int n = src.length();
        while (true) {
            pos++; // opening quote
            while (true) {
                if (pos >= n) {
                    pos = n;
                    throw error("unterminated quoted string", start);
                }
                char c = src.charAt(pos);
                if (c == '\'') {
                    if (pos + 1 < n && src.charAt(pos + 1) == '\'') {
                        sb.append('\'');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    break;
                }
                if (escapes && c == '\\' && pos + 1 < n) {
                    pos = escape(sb, pos + 1);
                    continue;
                }
                sb.append(c);
                pos++;
            }
            // continuation: whitespace including a newline, then another quote
            int p = pos;
            boolean newline = false;
            while (p < n && " \t\n\r\f".indexOf(src.charAt(p)) >= 0) {
                newline |= src.charAt(p) == '\n' || src.charAt(p) == '\r';
                p++;
            }
            if (newline && p < n && src.charAt(p) == '\'') {
                pos = p;
                continue;
            }
            return sb.toString();
        }
    }

    /** One backslash escape of an E'' string; p is just after the backslash. */
    private int escape(StringBuilder sb, int p) {
        char c = src.charAt(p);
        switch (c) {
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'x' -> {
                int q = p + 1;
                while (q < src.length() && q < p + 3 && Character.digit(src.charAt(q), 16) >= 0) {
                    q++;
                }
                if (q == p + 1) {
                    sb.append('x');
                    return p + 1;
                }
                sb.append((char) Integer.parseInt(src.substring(p + 1, q), 16));
                return q;
            }
            case 'u', 'U' -> {
                int len = c == 'u' ? 4 : 8;
                if (p + 1 + len > src.length()) {
                    throw error("invalid Unicode escape", p - 1);
                }
                String hex = src.substring(p + 1, p + 1 + len);
                try {
                    sb.appendCodePoint(Integer.parseInt(hex, 16));
                } catch (IllegalArgumentException e) {
                    throw error("invalid Unicode escape", p - 1);
                }
                return p + 1 + len;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int q = p;
                    while (q < src.length() && q < p + 3 && src.charAt(q) >= '0' && src.charAt(q) <= '7') {
                        q++;
                    }
                    sb.append((char) (Integer.parseInt(src.substring(p, q), 8) & 0xff));
                    return q;
                }
                sb.append(c);
            }
        }
        return p + 1;
    }

    private String quotedIdent(int start) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                pos = src.length();
                throw error("unterminated quoted identifier", start);
            }
            char c = src.charAt(pos);
            if (c == '"') {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '"') {
                    sb.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            sb.append(c);
            pos++;
        }
        if (sb.isEmpty()) {
            throw error("zero-length delimited identifier", start);
        }
        return TypeIO.truncateName(sb.toString());
    }

    /** If a $tag$ starts at p, the offset just past it, else -1. */
    private int dollarTagEnd(int p) {
        int q = p + 1;
        if (q < src.length() && src.charAt(q) == '$') {
            return q + 1;
        }
        if (q >= src.length() || !isIdentStart(src.charAt(q))) {
            return -1;
        }
        while (q < src.length() && (isIdentStart(src.charAt(q)) || isDigit(src.charAt(q)))) {
            q++;
        }
        return q < src.length() && src.charAt(q) == '$' ? q + 1 : -1;
    }

    private String dollarString(int start) {
        int tagEnd = dollarTagEnd(start);
        String tag = src.substring(start, tagEnd);
        int close = src.indexOf(tag, tagEnd);
        if (close < 0) {
            pos = src.length();
            throw error("unterminated dollar-quoted string", start);
        }
        pos = close + tag.length();
        return src.substring(tagEnd, close);
    }

    private void number(int start) {
        int n = src.length();
        boolean decimal = false;
        while (pos < n && isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < n && src.charAt(pos) == '.' && !(pos + 1 < n && src.charAt(pos + 1) == '.')) {
            decimal = true;
            pos++;
            while (pos < n && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        boolean real = false;
        if (pos < n && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < n && (src.charAt(p) == '+' || src.charAt(p) == '-')) {
                p++;
            }
            if (p < n && isDigit(src.charAt(p))) {
                pos = p;
                while (pos < n && isDigit(src.charAt(pos))) {
                    pos++;
                }
                real = true;
            }
        }
        if (pos < n && isIdentStart(src.charAt(pos))) {
            consumeIdentChars();
            throw error("trailing junk after numeric literal", start);
        }
        String text = src.substring(start, pos);
        if (!decimal && !real) {
            try {
                Integer.parseInt(text);
                add(Token.Kind.ICONST, text, start);
                return;
            } catch (NumberFormatException e) {
                // too big for int4: FCONST, as scan.l does
            }
        }
        add(Token.Kind.FCONST, text, start);
    }

    /** scan.l's operator rule: stop at -- or slash-star, trim a trailing + or - unless a rare char occurs. */
    private void operator(int start) {
        int n = src.length();
        int end = pos;
        while (end < n && OP_CHARS.indexOf(src.charAt(end)) >= 0) {
            if (end > start && ((src.charAt(end) == '-' && src.charAt(end - 1) == '-')
                    || (src.charAt(end) == '*' && src.charAt(end - 1) == '/'))) {
                end--;
                break;
            }
            end++;
        }
        int len = end - start;
        if (len > 1 && (src.charAt(end - 1) == '+' || src.charAt(end - 1) == '-')) {
            boolean rare = false;
            for (int i = start; i < end; i++) {
                if ("~!@#^&|`?%".indexOf(src.charAt(i)) >= 0) {
                    rare = true;
                    break;
                }
            }
            if (!rare) {
                while (len > 1 && (src.charAt(start + len - 1) == '+' || src.charAt(start + len - 1) == '-')) {
                    len--;
                }
            }
        }
        pos = start + len;
        String op = src.substring(start, pos);
        if (op.equals("!=")) {
            op = "<>";
        }
        if (len == 1 && SELF_CHARS.indexOf(op.charAt(0)) >= 0 && "+-*/%^<>=".indexOf(op.charAt(0)) < 0) {
            add(Token.Kind.PUNCT, op, start);
        } else {
            add(Token.Kind.OP, op, start);
        }
    }
}
