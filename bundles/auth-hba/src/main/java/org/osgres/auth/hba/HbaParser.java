/*
 * HbaParser: turns tokenized pg_hba.conf lines into HbaLine records (PostgreSQL: parse_hba_line()
 * and parse_hba_auth_opt() in libpq/hba.c), with PostgreSQL's error messages.
 *
 * Fields: connection type, database(s), user(s), then for host* lines an address (all,
 * samehost, samenet, ADDRESS/CIDR, ADDRESS plus a separate mask, or a host name), the method and
 * name=value options. Addresses are parsed as numeric only (AI_NUMERICHOST): anything else is a
 * host name, as PostgreSQL does. A method must be one PostgreSQL knows or one an installed
 * bundle provides.
 *
 * Entry points: parse() -- every line of a file, or the errors, each with its line.
 * See also: HbaTokenizer -- fields and tokens; HbaRules -- matching.
 */
package org.osgres.auth.hba;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

public final class HbaParser {
    /** The methods PostgreSQL 15 accepts in pg_hba.conf. */
    public static final Set<String> POSTGRES_METHODS = Set.of("trust", "reject", "md5", "password", "gss", "sspi",
            "ident", "peer", "pam", "bsd", "ldap", "cert", "radius", "scram-sha-256");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    private static final String NONAME = "Name or service not known";

    /**
     * An error on one line, as PostgreSQL logs it: the message, an optional HINT, and the
     * CONTEXT "line N of configuration file "F"".
     */
    public record HbaError(Path file, int lineNumber, String message, String hint) {
        public String context() {
            return "line " + lineNumber + " of configuration file \"" + file + "\"";
        }

        @Override
        public String toString() {
            return message + (hint == null ? "" : "\nHINT:  " + hint) + "\nCONTEXT:  " + context();
        }
    }

    /**
     * The parse of a file: the records if there were no errors, else the errors; and every line
     * with its record or its error, in file order (what pg_hba_file_rules shows).
     */
    public record Result(List<HbaLine> lines, List<HbaError> errors, List<Entry> entries) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** One non-empty line: its record, or its error; connType is the first field as written. */
    public record Entry(int lineNumber, HbaLine line, HbaError error, String connType) {
    }

    private static final class LineError extends Exception {
        private static final long serialVersionUID = 1L;
        private final String hint;

        LineError(String message) {
            this(message, null);
        }

        LineError(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }
    }

    private HbaParser() {
    }

    /**
     * Parses a pg_hba.conf text.
     *
     * @param extraMethods which other method names are provided (by AuthMethod services)
     */
    public static Result parse(String text, Path file, Predicate<String> extraMethods) {
        List<HbaLine> lines = new ArrayList<>();
        List<HbaError> errors = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (HbaTokenizer.TokenizedLine t : HbaTokenizer.tokenize(text, file)) {
            HbaError error = null;
            if (t.error() != null) {
                error = new HbaError(file, t.lineNumber(), t.error(), null);
            } else {
                try {
                    HbaLine line = parseLine(t, file, extraMethods);
                    lines.add(line);
                    entries.add(new Entry(t.lineNumber(), line, null, line.connType().keyword()));
                } catch (LineError e) {
                    error = new HbaError(file, t.lineNumber(), e.getMessage(), e.hint);
                }
            }
            if (error != null) {
                errors.add(error);
                String first = t.fields().isEmpty() || t.fields().get(0).isEmpty() ? null
                        : t.fields().get(0).get(0).string();
                entries.add(new Entry(t.lineNumber(), null, error, first));
            }
        }
        return new Result(errors.isEmpty() ? List.copyOf(lines) : List.of(), List.copyOf(errors),
                List.copyOf(entries));
    }

    /** parse_hba_line(). */
    private static HbaLine parseLine(HbaTokenizer.TokenizedLine t, Path file, Predicate<String> extraMethods)
            throws LineError {
        List<List<HbaToken>> fields = t.fields();
        int f = 0;
        List<HbaToken> tokens = fields.get(f++);
        if (tokens.size() > 1) {
            throw new LineError("multiple values specified for connection type",
                    "Specify exactly one connection type per line.");
        }
        String type = tokens.get(0).string();
        HbaLine.ConnType connType = null;
        for (HbaLine.ConnType c : HbaLine.ConnType.values()) {
            if (c.keyword().equals(type)) {
                connType = c;
            }
        }
        if (connType == null) {
            throw new LineError("invalid connection type \"" + type + "\"");
        }
        if (f >= fields.size()) {
            throw new LineError("end-of-line before database specification");
        }
        List<HbaToken> databases = List.copyOf(fields.get(f++));
        if (f >= fields.size()) {
            throw new LineError("end-of-line before role specification");
        }
        List<HbaToken> roles = List.copyOf(fields.get(f++));

        HbaLine.IpCompare ipCmp = null;
        InetAddress address = null;
        InetAddress mask = null;
        String hostname = null;
        if (connType != HbaLine.ConnType.LOCAL) {
            if (f >= fields.size()) {
                throw new LineError("end-of-line before IP address specification");
            }
            tokens = fields.get(f++);
            if (tokens.size() > 1) {
                throw new LineError("multiple values specified for host address",
                        "Specify one address range per line.");
            }
            HbaToken token = tokens.get(0);
            if (token.isKeyword("all")) {
                ipCmp = HbaLine.IpCompare.ALL;
            } else if (token.isKeyword("samehost")) {
                ipCmp = HbaLine.IpCompare.SAMEHOST;
            } else if (token.isKeyword("samenet")) {
                ipCmp = HbaLine.IpCompare.SAMENET;
            } else {
                ipCmp = HbaLine.IpCompare.ADDRESS;
                String str = token.string();
                int slash = str.indexOf('/');
                String host = slash >= 0 ? str.substring(0, slash) : str;
                address = numericAddress(host);
                if (address == null) {
                    hostname = host;
                }
                if (slash >= 0) {
                    if (hostname != null) {
                        throw new LineError("specifying both host name and CIDR mask is invalid: \"" + str + "\"");
                    }
                    mask = cidrMask(str.substring(slash + 1), address);
                    if (mask == null) {
                        throw new LineError("invalid CIDR mask in address \"" + str + "\"");
                    }
                } else if (hostname == null) {
                    if (f >= fields.size()) {
                        throw new LineError("end-of-line before netmask specification",
                                "Specify an address range in CIDR notation, or provide a separate netmask.");
                    }
                    tokens = fields.get(f++);
                    if (tokens.size() > 1) {
                        throw new LineError("multiple values specified for netmask");
                    }
                    mask = numericAddress(tokens.get(0).string());
                    if (mask == null) {
                        throw new LineError("invalid IP mask \"" + tokens.get(0).string() + "\": " + NONAME);
                    }
                    if (mask.getClass() != address.getClass()) {
                        throw new LineError("IP address and mask do not match");
                    }
                }
            }
        }

        if (f >= fields.size()) {
            throw new LineError("end-of-line before authentication method");
        }
        tokens = fields.get(f++);
        if (tokens.size() > 1) {
            throw new LineError("multiple values specified for authentication type",
                    "Specify exactly one authentication type per line.");
        }
        String method = tokens.get(0).string();
        if (method.equals("ident") && connType == HbaLine.ConnType.LOCAL) {
            method = "peer";
        }
        if (!POSTGRES_METHODS.contains(method) && !extraMethods.test(method)) {
            throw new LineError("invalid authentication method \"" + method + "\"");
        }
        if (connType == HbaLine.ConnType.LOCAL && method.equals("gss")) {
            throw new LineError("gssapi authentication is not supported on local sockets");
        }
        if (connType != HbaLine.ConnType.LOCAL && method.equals("peer")) {
            throw new LineError("peer authentication is only supported on local sockets");
        }
        if (connType != HbaLine.ConnType.HOSTSSL && method.equals("cert")) {
            throw new LineError("cert authentication is only supported on hostssl connections");
        }

        List<String[]> raw = new ArrayList<>();
        for (; f < fields.size(); f++) {
            for (HbaToken tok : fields.get(f)) {
                int eq = tok.string().indexOf('=');
                if (eq < 0) {
                    throw new LineError("authentication option not in name=value format: " + tok.string());
                }
                raw.add(new String[] {tok.string().substring(0, eq), tok.string().substring(eq + 1)});
            }
        }
        Map<String, String> options;
        try {
            options = HbaOptions.normalize(method, connType, raw);
        } catch (IllegalArgumentException e) {
            throw new LineError(e.getMessage());
        }
        return new HbaLine(file, t.lineNumber(), t.rawLine(), connType, databases, roles, ipCmp, address, mask,
                hostname, method, Collections.unmodifiableMap(options));
    }

    /** A numeric IPv4 or IPv6 address (getaddrinfo with AI_NUMERICHOST), or null. Never asks DNS. */
    static InetAddress numericAddress(String s) {
        boolean v4 = IPV4.matcher(s).matches();
        if (!v4 && !IPV6.matcher(s).matches()) {
            return null;
        }
        if (v4) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return v4 == (a instanceof Inet4Address) ? a : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** pg_sockaddr_cidr_mask(): the netmask of /bits, or null when bits is not a valid length. */
    static InetAddress cidrMask(String bits, InetAddress address) {
        if (bits.isEmpty() || !bits.chars().allMatch(Character::isDigit) || bits.length() > 4) {
            return null;
        }
        int n = Integer.parseInt(bits);
        int len = address instanceof Inet6Address ? 16 : 4;
        if (n > len * 8) {
            return null;
        }
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.max(0, Math.min(8, n - i * 8));
            m[i] = (byte) (0xff << (8 - b));
        }
        try {
            return InetAddress.getByAddress(m);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
