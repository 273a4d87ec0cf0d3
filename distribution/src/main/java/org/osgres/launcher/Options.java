package org.osgres.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A getopt-style reader for the commands' options: "-D DIR", "-DDIR", "--pgdata=DIR" and
 * "--pgdata DIR" all work, as in PostgreSQL's programs.
 */
final class Options {
    private final String program;
    private final List<String> args;
    private int i;
    private String option;
    private String inlineValue;

    Options(String program, List<String> args) {
        this.program = program;
        this.args = args;
    }

    /** Moves to the next argument; false at the end. */
    boolean next() {
        if (i >= args.size()) {
            return false;
        }
        String a = args.get(i++);
        inlineValue = null;
        if (a.startsWith("--")) {
            int eq = a.indexOf('=');
            option = eq < 0 ? a : a.substring(0, eq);
            inlineValue = eq < 0 ? null : a.substring(eq + 1);
        } else if (a.startsWith("-") && a.length() > 2) {
            option = a.substring(0, 2);
            inlineValue = a.substring(2);
        } else {
            option = a;
        }
        return true;
    }

    String option() {
        return option;
    }

    boolean is(String... names) {
        for (String n : names) {
            if (n.equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** The option's value: inline, or the next argument. */
    String value() {
        if (inlineValue != null) {
            return inlineValue;
        }
        if (i >= args.size()) {
            throw new UsageException(program, "option requires an argument -- '" + option.replaceFirst("^-+", "") + "'");
        }
        return args.get(i++);
    }

    /** Whether an option carried an inline value it does not take ("-w" has none). */
    boolean hasInlineValue() {
        return inlineValue != null && !inlineValue.isEmpty();
    }

    UsageException invalid() {
        return new UsageException(program, "invalid option -- '" + option.replaceFirst("^-+", "") + "'");
    }

    /** Splits an option string the way a shell would: spaces separate, quotes group, backslash escapes. */
    static List<String> splitWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && k + 1 < s.length()) {
                    w.append(s.charAt(++k));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && k + 1 < s.length()) {
                w.append(s.charAt(++k));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
