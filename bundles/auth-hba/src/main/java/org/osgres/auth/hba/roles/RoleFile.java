package org.osgres.auth.hba.roles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleMembership;

/**
 * The roles file, global/pg_authid: osgres keeps pg_authid and pg_auth_members here until the
 * catalog lives in relations. One line per row, tab-separated, with backslash escapes:
 * <pre>
 * R oid name super inherit createrole createdb login replication bypassrls connlimit password validuntil
 * M roleoid memberoid grantoroid admin
 * </pre>
 * Writes go to a temporary file that is fsynced and renamed over the old one, so a crash leaves
 * either the old or the new catalog. No OSGi here: initdb (the launcher) writes the first file.
 */
public final class RoleFile {
    public static final String RELATIVE_PATH = "global/pg_authid";
    private static final String HEADER = "# osgres roles (pg_authid, pg_auth_members), format 1";
    private static final String NULL = "\\N";

    /** The file's contents. */
    public record Contents(List<Role> roles, List<RoleMembership> memberships) {
    }

    private RoleFile() {
    }

    /** The catalog initdb creates: the bootstrap superuser, OID 10, with an optional password verifier. */
    public static void bootstrap(Path dataDirectory, String superuser, String passwordVerifier) throws IOException {
        Role su = new Role(Role.BOOTSTRAP_SUPERUSER_OID, superuser, true, true, true, true, true, true, true, -1,
                passwordVerifier, null);
        write(dataDirectory.resolve(RELATIVE_PATH), new Contents(List.of(su), List.of()));
    }

    public static Contents read(Path file) throws IOException {
        List<Role> roles = new ArrayList<>();
        List<RoleMembership> members = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("R") && f.length == 13) {
                    roles.add(new Role(Integer.parseInt(f[1]), unescape(f[2]), bool(f[3]), bool(f[4]), bool(f[5]),
                            bool(f[6]), bool(f[7]), bool(f[8]), bool(f[9]), Integer.parseInt(f[10]),
                            f[11].equals(NULL) ? null : unescape(f[11]),
                            f[12].equals(NULL) ? null : OffsetDateTime.parse(f[12])));
                } else if (f[0].equals("M") && f.length == 5) {
                    members.add(new RoleMembership(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]), bool(f[4])));
                } else {
                    throw new IOException("invalid line " + lineNo + " in \"" + file + "\"");
                }
            } catch (RuntimeException e) {
                throw new IOException("invalid line " + lineNo + " in \"" + file + "\": " + e.getMessage(), e);
            }
        }
        return new Contents(roles, members);
    }

    public static void write(Path file, Contents contents) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Role r : contents.roles()) {
            b.append(String.join("\t", "R", Integer.toString(r.oid()), escape(r.name()), bool(r.superuser()),
                    bool(r.inherit()), bool(r.createRole()), bool(r.createDb()), bool(r.canLogin()),
                    bool(r.replication()), bool(r.bypassRls()), Integer.toString(r.connectionLimit()),
                    r.password() == null ? NULL : escape(r.password()),
                    r.validUntil() == null ? NULL : r.validUntil().toString())).append('\n');
        }
        for (RoleMembership m : contents.memberships()) {
            b.append(String.join("\t", "M", Integer.toString(m.roleOid()), Integer.toString(m.memberOid()),
                    Integer.toString(m.grantorOid()), bool(m.adminOption()))).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    private static boolean bool(String s) {
        return switch (s) {
            case "t" -> true;
            case "f" -> false;
            default -> throw new IllegalArgumentException("expected t or f: " + s);
        };
    }

    private static String bool(boolean b) {
        return b ? "t" : "f";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
