/*
 * ConfigFileParser: reads postgresql.conf syntax (PostgreSQL: utils/misc/guc-file.l,
 * ParseConfigFile(), ParseConfigFp(), ParseConfigDirectory(), DeescapeQuotedString()).
 *
 * A line is "name [=] value" with an optional # comment. The name is an identifier or a
 * qualified one (myext.x); the value an identifier, a number with optional unit letters, an
 * unquoted string of letters, digits and -._:/, or a 'quoted string' with '' and backslash
 * escapes. include, include_if_exists and include_dir pull in other files, relative to the
 * including file's directory, up to 10 deep. The tokens are flex's: the longest match wins, ties
 * go to the earlier rule.
 *
 * Entry points: parse() -- the items of a file and its includes, in order, plus the errors in
 * PostgreSQL's words. Checking the names and values is ConfigProcessor's job.
 */
package org.osgres.config.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

public final class ConfigFileParser {
    /** CONF_FILE_MAX_DEPTH. */
    static final int MAX_DEPTH = 10;
    private static final int MAX_SYNTAX_ERRORS = 100;

    /** The parse of one top-level file: its items in order, the errors, and the notes (LOG lines). */
    public record Result(List<ConfigItem> items, List<String> errors, List<String> notes) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final List<ConfigItem> items = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private ConfigFileParser() {
    }

    /** Parses a configuration file and everything it includes. A missing file is an error. */
    public static Result parse(Path file) {
        ConfigFileParser p = new ConfigFileParser();
        p.parseFile(file.toAbsolutePath(), true, 0);
        return new Result(List.copyOf(p.items), List.copyOf(p.errors), List.copyOf(p.notes));
    }

    /** Parses configuration text as if it were the named file (for tests and -c lists). */
    public static Result parseText(String text, Path file) {
        ConfigFileParser p = new ConfigFileParser();
        p.parseFp(text, file.toAbsolutePath(), 0);
        return new Result(List.copyOf(p.items), List.copyOf(p.errors), List.copyOf(p.notes));
    }

    /** ParseConfigFile(). */
    private void parseFile(Path file, boolean strict, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add("could not open configuration file \"" + file + "\": maximum nesting depth exceeded");
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (strict) {
                errors.add("could not open configuration file \"" + file + "\": No such file or directory");
            } else {
                notes.add("skipping missing configuration file \"" + file + "\"");
            }
            return;
        } catch (IOException e) {
            errors.add("could not open configuration file \"" + file + "\": " + e.getMessage());
            return;
        }
        parseFp(text, file, depth);
    }

    /** ParseConfigDirectory(): the *.conf files of a directory, in name order. */
    private void parseDirectory(Path dir, int depth) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".conf") && !n.startsWith(".") && Files.isRegularFile(f);
            }).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (NoSuchFileException e) {
            errors.add("could not open configuration directory \"" + dir + "\": No such file or directory");
            return;
        } catch (IOException e) {
            errors.add("could not open configuration directory \"" + dir + "\": " + e.getMessage());
            return;
        }
        for (Path f : files) {
            parseFile(f, true, depth);
        }
    }

    /** ParseConfigFp(): the line loop of guc-file.l. */
    private void parseFp(String text, Path file, int depth) {
        Lexer lex = new Lexer(text);
        int syntaxErrors = 0;
        Token token;
        while ((token = lex.next()) != Token.EOF) {
            if (token == Token.EOL) {
                continue;
            }
            String name = null;
            String value = null;
            boolean error = false;
            if (token != Token.ID && token != Token.QUALIFIED_ID) {
                error = true;
            } else {
                name = lex.text;
                token = lex.next();
                if (token == Token.EQUALS) {
                    token = lex.next();
                }
                if (token != Token.ID && token != Token.STRING && token != Token.INTEGER && token != Token.REAL
                        && token != Token.UNQUOTED_STRING) {
                    error = true;
                } else {
                    value = token == Token.STRING ? deescape(lex.text) : lex.text;
                    token = lex.next();
                    if (token != Token.EOL) {
                        if (token != Token.EOF) {
                            error = true;
                        } else {
                            lex.lineno++;
                        }
                    }
                }
            }
            if (error) {
                if (token == Token.EOL || token == Token.EOF) {
                    errors.add("syntax error in file \"" + file + "\" line " + (lex.lineno - 1)
                            + ", near end of line");
                } else {
                    errors.add("syntax error in file \"" + file + "\" line " + lex.lineno
                            + ", near token \"" + lex.text + "\"");
                }
                if (++syntaxErrors >= MAX_SYNTAX_ERRORS) {
                    errors.add("too many syntax errors found, abandoning file \"" + file + "\"");
                    break;
                }
                while (token != Token.EOL && token != Token.EOF) {
                    token = lex.next();
                }
                if (token == Token.EOF) {
                    break;
                }
                continue;
            }
            int line = lex.lineno - 1;
            if (name.equalsIgnoreCase("include_dir")) {
                parseDirectory(absolute(value, file), depth + 1);
            } else if (name.equalsIgnoreCase("include_if_exists")) {
                parseFile(absolute(value, file), false, depth + 1);
            } else if (name.equalsIgnoreCase("include")) {
                parseFile(absolute(value, file), true, depth + 1);
            } else {
                items.add(new ConfigItem(name, value, file, line));
            }
            if (token == Token.EOF) {
                break;
            }
        }
    }

    /** AbsoluteConfigLocation(): relative to the directory of the including file. */
    static Path absolute(String location, Path callingFile) {
        Path p = Path.of(location);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = callingFile.getParent();
        return dir == null ? p.toAbsolutePath() : dir.resolve(p);
    }

    /** DeescapeQuotedString(): strips the quotes, undoubles '' and interprets backslash escapes. */
    static String deescape(String s) {
        StringBuilder sb = new StringBuilder();
        int len = s.length();
        for (int i = 1; i < len - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                char e = s.charAt(i);
                switch (e) {
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        int oct = 0;
                        int k = 0;
                        while (k < 3 && i + k < len - 1 && s.charAt(i + k) >= '0' && s.charAt(i + k) <= '7') {
                            oct = (oct << 3) + (s.charAt(i + k) - '0');
                            k++;
                        }
                        i += k - 1;
                        sb.append((char) (oct & 0xff));
                    }
                    default -> sb.append(e);
                }
            } else if (c == '\'' && i + 1 < len - 1 && s.charAt(i + 1) == '\'') {
                sb.append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    enum Token { EOF, EOL, ID, QUALIFIED_ID, STRING, UNQUOTED_STRING, INTEGER, REAL, EQUALS, ERROR }

    /** The scanner of guc-file.l. */
    static final class Lexer {
        private final String s;
        private int pos;
        int lineno = 1;
        String text = "";

        Lexer(String s) {
            this.s = s;
        }

        Token next() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    pos++;
                    lineno++;
                    text = "\n";
                    return Token.EOL;
                }
                if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else {
                    break;
                }
            }
            if (pos >= s.length()) {
                text = "";
                return Token.EOF;
            }
            // flex: longest match, ties to the earlier rule
            Token best = Token.ERROR;
            int bestLen = 0;
            int[] lens = {id(pos), qualifiedId(pos), string(pos), unquoted(pos), integer(pos), real(pos),
                s.charAt(pos) == '=' ? 1 : 0};
            Token[] kinds = {Token.ID, Token.QUALIFIED_ID, Token.STRING, Token.UNQUOTED_STRING, Token.INTEGER,
                Token.REAL, Token.EQUALS};
            for (int k = 0; k < lens.length; k++) {
                if (lens[k] > bestLen) {
                    bestLen = lens[k];
                    best = kinds[k];
                }
            }
            if (bestLen == 0) {
                bestLen = 1;
            }
            text = s.substring(pos, pos + bestLen);
            pos += bestLen;
            return best;
        }

        private char at(int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private static boolean letter(char c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c >= 0x80;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean letterOrDigit(char c) {
            return letter(c) || digit(c);
        }

        private int id(int p) {
            if (!letter(at(p))) {
                return 0;
            }
            int i = p + 1;
            while (i < s.length() && letterOrDigit(s.charAt(i))) {
                i++;
            }
            return i - p;
        }

        private int qualifiedId(int p) {
            int a = id(p);
            if (a == 0 || at(p + a) != '.') {
                return 0;
            }
            int b = id(p + a + 1);
            return b == 0 ? 0 : a + 1 + b;
        }

        private int unquoted(int p) {
            if (!letter(at(p))) {
                return 0;
            }
            int i = p + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (!letterOrDigit(c) && c != '-' && c != '.' && c != '_' && c != ':' && c != '/') {
                    break;
                }
                i++;
            }
            return i - p;
        }

        private int string(int p) {
            if (at(p) != '\'') {
                return 0;
            }
            int best = 0;
            int i = p + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\'') {
                    best = i + 1 - p;
                    if (at(i + 1) == '\'') {
                        i += 2;
                        continue;
                    }
                    break;
                } else if (c == '\\') {
                    if (i + 1 >= s.length() || s.charAt(i + 1) == '\n') {
                        break;
                    }
                    i += 2;
                } else if (c == '\n') {
                    break;
                } else {
                    i++;
                }
            }
            return best;
        }

        private int sign(int p) {
            return at(p) == '+' || at(p) == '-' ? 1 : 0;
        }

        private int integer(int p) {
            int i = p + sign(p);
            int best = 0;
            int d = i;
            while (digit(at(d))) {
                d++;
            }
            if (d > i) {
                int u = d;
                while (Character.isLetter(at(u)) && at(u) < 0x80) {
                    u++;
                }
                best = u - p;
            }
            if (at(i) == '0' && (at(i + 1) == 'x')) {
                int h = i + 2;
                while (Character.digit(at(h), 16) >= 0 && at(h) < 0x80) {
                    h++;
                }
                if (h > i + 2) {
                    while (Character.isLetter(at(h)) && at(h) < 0x80) {
                        h++;
                    }
                    best = Math.max(best, h - p);
                }
            }
            return best;
        }

        private int real(int p) {
            int i = p + sign(p);
            while (digit(at(i))) {
                i++;
            }
            if (at(i) != '.') {
                return 0;
            }
            i++;
            while (digit(at(i))) {
                i++;
            }
            if (at(i) == 'e' || at(i) == 'E') {
                int e = i + 1 + sign(i + 1);
                int d = e;
                while (digit(at(d))) {
                    d++;
                }
                if (d > e) {
                    i = d;
                }
            }
            return i - p;
        }
    }
}
