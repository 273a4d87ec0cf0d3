/*
 * HbaTokenizer: splits pg_hba.conf into lines of fields of tokens (PostgreSQL: tokenize_auth_file(),
 * next_field_expand(), next_token() and tokenize_inc_file() in libpq/hba.c).
 *
 * Tokens are separated by blanks or commas; a comma joins tokens into one field ("db1,db2").
 * "Double quotes" protect blanks, commas and keywords; "" inside quotes is a quote. # starts a
 * comment. A line ending in a backslash continues on the next. A token @file (unquoted) is
 * replaced by the tokens of that file, relative to the including file's directory.
 *
 * Entry points: tokenize().
 */
package org.osgres.auth.hba;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public final class HbaTokenizer {
    private static final int MAX_DEPTH = 10;

    /**
     * One non-empty line.
     *
     * @param lineNumber its first line number
     * @param rawLine    the text with continuations joined
     * @param fields     the fields, each a list of tokens
     * @param error      an error found while tokenizing (a bad @file), else null
     */
    public record TokenizedLine(int lineNumber, String rawLine, List<List<HbaToken>> fields, String error) {
    }

    private HbaTokenizer() {
    }

    /** Tokenizes the text of a file. */
    public static List<TokenizedLine> tokenize(String text, Path file) {
        return tokenize(text, file, 0);
    }

    private static List<TokenizedLine> tokenize(String text, Path file, int depth) {
        List<TokenizedLine> out = new ArrayList<>();
        String[] physical = text.split("\r?\n", -1);
        int lineNumber = 1;
        int i = 0;
        while (i < physical.length) {
            StringBuilder buf = new StringBuilder();
            int continuations = 0;
            while (i < physical.length) {
                String l = physical[i++];
                if (l.endsWith("\\")) {
                    buf.append(l, 0, l.length() - 1);
                    continuations++;
                    continue;
                }
                buf.append(l);
                break;
            }
            String raw = buf.toString();
            List<List<HbaToken>> fields = new ArrayList<>();
            String[] error = new String[1];
            int[] pos = {0};
            while (pos[0] < raw.length() && error[0] == null) {
                List<HbaToken> field = nextFieldExpand(raw, pos, file, depth, error);
                if (!field.isEmpty()) {
                    fields.add(field);
                }
            }
            if (!fields.isEmpty() || error[0] != null) {
                out.add(new TokenizedLine(lineNumber, raw, fields, error[0]));
            }
            lineNumber += continuations + 1;
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** next_field_expand(): the tokens of one field, @files expanded. */
    private static List<HbaToken> nextFieldExpand(String line, int[] pos, Path file, int depth, String[] error) {
        List<HbaToken> tokens = new ArrayList<>();
        boolean[] flags = new boolean[2]; // initial quote, terminating comma
        do {
            StringBuilder buf = new StringBuilder();
            if (!nextToken(line, pos, buf, flags)) {
                break;
            }
            String s = buf.toString();
            if (!flags[0] && s.startsWith("@") && s.length() > 1) {
                tokens.addAll(includeFile(s.substring(1), file, depth, error));
            } else {
                tokens.add(new HbaToken(s, flags[0]));
            }
        } while (flags[1] && error[0] == null);
        return tokens;
    }

    /** next_token(). */
    private static boolean nextToken(String line, int[] pos, StringBuilder buf, boolean[] flags) {
        boolean inQuote = false;
        boolean wasQuote = false;
        boolean sawQuote = false;
        flags[0] = false;
        flags[1] = false;
        int n = line.length();
        int p = pos[0];
        while (p < n && (isBlank(line.charAt(p)) || line.charAt(p) == ',')) {
            p++;
        }
        while (p < n && (!isBlank(line.charAt(p)) || inQuote)) {
            char c = line.charAt(p);
            if (c == '#' && !inQuote) {
                p = n;
                break;
            }
            if (c == ',' && !inQuote) {
                flags[1] = true;
                p++;
                break;
            }
            if (c != '"' || wasQuote) {
                buf.append(c);
            }
            if (inQuote && c == '"') {
                wasQuote = !wasQuote;
            } else {
                wasQuote = false;
            }
            if (c == '"') {
                inQuote = !inQuote;
                sawQuote = true;
                if (buf.length() == 0) {
                    flags[0] = true;
                }
            }
            p++;
        }
        pos[0] = p;
        return sawQuote || buf.length() > 0;
    }

    /** tokenize_inc_file(): every token of the file, as one list. */
    private static List<HbaToken> includeFile(String name, Path callingFile, int depth, String[] error) {
        Path target = Path.of(name);
        if (!target.isAbsolute() && callingFile.getParent() != null) {
            target = callingFile.getParent().resolve(target);
        }
        if (depth >= MAX_DEPTH) {
            error[0] = "could not open file \"" + target + "\": maximum nesting depth exceeded";
            return List.of();
        }
        String text;
        try {
            text = Files.readString(target, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            error[0] = "could not open secondary authentication file \"@" + name + "\" as \"" + target
                    + "\": No such file or directory";
            return List.of();
        } catch (IOException e) {
            error[0] = "could not open secondary authentication file \"@" + name + "\" as \"" + target
                    + "\": " + e.getMessage();
            return List.of();
        }
        List<HbaToken> all = new ArrayList<>();
        for (TokenizedLine l : tokenize(text, target, depth + 1)) {
            if (l.error() != null) {
                error[0] = l.error();
                return List.of();
            }
            l.fields().forEach(all::addAll);
        }
        return all;
    }
}
