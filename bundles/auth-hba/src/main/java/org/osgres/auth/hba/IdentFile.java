/*
 * IdentFile: pg_ident.conf, the user name maps that peer and cert lines name with map=
 * (PostgreSQL: load_ident(), parse_ident_line(), check_usermap() and check_ident_usermap() in
 * libpq/hba.c).
 *
 * Each line is MAPNAME SYSTEM-USERNAME PG-USERNAME. A system user name starting with a slash is
 * a regular expression; \1 in the PostgreSQL user name stands for its first capture group. The
 * file uses pg_hba.conf's tokenizer, so quoting and @file work the same. A file with errors
 * keeps the previous maps (at startup: no maps, as PostgreSQL, which starts anyway).
 *
 * Entry points: load(), checkUsermap(), lines().
 */
package org.osgres.auth.hba;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = IdentFile.class)
public final class IdentFile {
    private static final Logger LOG = LoggerFactory.getLogger(IdentFile.class);

    /** One map line (IdentLine); regex is set when the system user name is a regular expression. */
    public record IdentLine(int lineNumber, String mapName, String systemUser, Pattern regex, String pgRole) {
    }

    private final Path file;
    private volatile List<IdentLine> lines = List.of();

    @Activate
    public IdentFile(@Reference Settings settings) {
        this(identPath(settings));
        if (!load()) {
            LOG.info("LOG:  could not load pg_ident.conf");
        }
    }

    public IdentFile(Path file) {
        this.file = file;
    }

    private static Path identPath(Settings settings) {
        String configured = settings.get("ident_file");
        return configured == null || configured.isEmpty() ? settings.dataDirectory().resolve("pg_ident.conf")
                : Path.of(configured);
    }

    public List<IdentLine> lines() {
        return lines;
    }

    /** load_ident(): true when the file parsed and its maps are now in force. */
    public boolean load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.info("LOG:  could not open usermap file \"{}\": No such file or directory", file);
            return false;
        } catch (IOException e) {
            LOG.info("LOG:  could not open usermap file \"{}\": {}", file, e.getMessage());
            return false;
        }
        List<IdentLine> parsed = new ArrayList<>();
        boolean ok = true;
        for (HbaTokenizer.TokenizedLine t : HbaTokenizer.tokenize(text, file)) {
            String error = t.error();
            if (error == null) {
                try {
                    parsed.add(parseLine(t));
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
            }
            if (error != null) {
                LOG.info("LOG:  {}\nCONTEXT:  line {} of configuration file \"{}\"", error, t.lineNumber(), file);
                ok = false;
            }
        }
        if (ok) {
            lines = List.copyOf(parsed);
        }
        return ok;
    }

    /** parse_ident_line(). */
    static IdentLine parseLine(HbaTokenizer.TokenizedLine t) {
        List<List<HbaToken>> f = t.fields();
        if (f.get(0).size() > 1) {
            throw new IllegalArgumentException("multiple values in ident field");
        }
        if (f.size() < 2) {
            throw new IllegalArgumentException("missing entry at end of line");
        }
        if (f.get(1).size() > 1) {
            throw new IllegalArgumentException("multiple values in ident field");
        }
        if (f.size() < 3) {
            throw new IllegalArgumentException("missing entry at end of line");
        }
        if (f.get(2).size() > 1) {
            throw new IllegalArgumentException("multiple values in ident field");
        }
        String system = f.get(1).get(0).string();
        Pattern regex = null;
        if (system.startsWith("/")) {
            try {
                regex = Pattern.compile(system.substring(1));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression \"" + system.substring(1) + "\": "
                        + e.getDescription());
            }
        }
        return new IdentLine(t.lineNumber(), f.get(0).get(0).string(), system, regex, f.get(2).get(0).string());
    }

    /**
     * check_usermap(): may the operating-system (or certificate) user authUser log in as pgRole?
     * Without a map the names must be equal. Failures are logged as PostgreSQL logs them.
     */
    public boolean checkUsermap(String usermap, String pgRole, String authUser, boolean caseInsensitive) {
        if (usermap == null || usermap.isEmpty()) {
            if (caseInsensitive ? pgRole.equalsIgnoreCase(authUser) : pgRole.equals(authUser)) {
                return true;
            }
            LOG.info("LOG:  provided user name ({}) and authenticated user name ({}) do not match", pgRole, authUser);
            return false;
        }
        for (IdentLine line : lines) {
            if (!line.mapName().equals(usermap)) {
                continue;
            }
            Boolean r = checkIdentLine(line, pgRole, authUser, caseInsensitive);
            if (r == null) {
                return false;
            }
            if (r) {
                return true;
            }
        }
        LOG.info("LOG:  no match in usermap \"{}\" for user \"{}\" authenticated as \"{}\"", usermap, pgRole, authUser);
        return false;
    }

    /** check_ident_usermap(): true on a match, false on none, null on an error (logged). */
    static Boolean checkIdentLine(IdentLine line, String pgRole, String authUser, boolean caseInsensitive) {
        if (line.regex() != null) {
            Matcher m = line.regex().matcher(authUser);
            if (!m.find()) {
                return false;
            }
            String expected = line.pgRole();
            int ref = expected.indexOf("\\1");
            if (ref >= 0) {
                if (m.groupCount() < 1) {
                    LOG.info("LOG:  regular expression \"{}\" has no subexpressions as requested by backreference in"
                            + " \"{}\"", line.systemUser().substring(1), expected);
                    return null;
                }
                String group = m.group(1) == null ? "" : m.group(1);
                expected = expected.substring(0, ref) + group + expected.substring(ref + 2);
            }
            return caseInsensitive ? expected.equalsIgnoreCase(pgRole) : expected.equals(pgRole);
        }
        return caseInsensitive ? line.pgRole().equalsIgnoreCase(pgRole) && line.systemUser().equalsIgnoreCase(authUser)
                : line.pgRole().equals(pgRole) && line.systemUser().equals(authUser);
    }
}
