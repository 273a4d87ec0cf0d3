/*
 * HbaOptions: the name=value options after a pg_hba.conf method (PostgreSQL: parse_hba_auth_opt()
 * and the checks at the end of parse_hba_line() in libpq/hba.c; gethba_options() in
 * utils/adt/hbafuncs.c for their display order).
 *
 * Options of the methods PostgreSQL has are checked with PostgreSQL's messages: which method an
 * option belongs to, clientcert and clientname only on hostssl, ldapurl split into its parts,
 * the LDAP argument combinations. The result is in the order pg_hba_file_rules shows; cert gets
 * clientcert=verify-full and ldap gets ldapscope=2 (subtree) as in PostgreSQL. Options of a
 * method only a plug-in bundle knows pass through unchecked.
 *
 * Entry points: normalize().
 */
package org.osgres.auth.hba;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class HbaOptions {
    /** gethba_options() order. */
    private static final List<String> DISPLAY_ORDER = List.of("include_realm", "map", "clientcert", "krb_realm",
            "pamservice", "pam_use_hostname", "ldapserver", "ldapport", "ldapscheme", "ldaptls", "ldapprefix",
            "ldapsuffix", "ldapbasedn", "ldapbinddn", "ldapbindpasswd", "ldapsearchattribute", "ldapsearchfilter",
            "ldapscope", "radiusservers", "radiussecrets", "radiusidentifiers", "radiusports");
    private static final Set<String> LDAP = Set.of("ldapserver", "ldapport", "ldapscheme", "ldaptls", "ldapprefix",
            "ldapsuffix", "ldapbasedn", "ldapbinddn", "ldapbindpasswd", "ldapsearchattribute", "ldapsearchfilter",
            "ldapurl");
    private static final Set<String> GSS = Set.of("krb_realm", "include_realm", "compat_realm", "upn_username");
    private static final Set<String> RADIUS = Set.of("radiusserver", "radiusservers", "radiussecret", "radiussecrets",
            "radiusidentifier", "radiusidentifiers", "radiusport", "radiusports");

    private HbaOptions() {
    }

    /**
     * Checks the options of one line and returns them in display order.
     *
     * @throws IllegalArgumentException with PostgreSQL's message
     */
    public static Map<String, String> normalize(String method, HbaLine.ConnType connType, List<String[]> options) {
        if (!HbaParser.POSTGRES_METHODS.contains(method)) {
            Map<String, String> out = new LinkedHashMap<>();
            options.forEach(o -> out.put(o[0], o[1]));
            return out;
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String[] o : options) {
            String name = o[0];
            String value = o[1];
            switch (name) {
                case "map" -> {
                    requireMethod(name, method, "ident, peer, gssapi, sspi, and cert", "ident", "peer", "gss", "sspi",
                            "cert");
                    v.put(name, value);
                }
                case "clientcert" -> {
                    if (connType != HbaLine.ConnType.HOSTSSL) {
                        throw new IllegalArgumentException("clientcert can only be configured for \"hostssl\" rows");
                    }
                    if (value.equals("verify-ca") && method.equals("cert")) {
                        throw new IllegalArgumentException(
                                "clientcert can only be set to \"verify-full\" when using \"cert\" authentication");
                    }
                    if (!value.equals("verify-full") && !value.equals("verify-ca")) {
                        throw new IllegalArgumentException("invalid value for clientcert: \"" + value + "\"");
                    }
                    v.put(name, value);
                }
                case "clientname" -> {
                    if (connType != HbaLine.ConnType.HOSTSSL) {
                        throw new IllegalArgumentException("clientname can only be configured for \"hostssl\" rows");
                    }
                    if (!value.equals("CN") && !value.equals("DN")) {
                        throw new IllegalArgumentException("invalid value for clientname: \"" + value + "\"");
                    }
                    v.put(name, value);
                }
                case "pamservice", "pam_use_hostname" -> {
                    requireMethod(name, method, "pam", "pam");
                    v.put(name, value);
                }
                case "ldapurl" -> {
                    requireMethod(name, method, "ldap", "ldap");
                    ldapUrl(value, v);
                }
                case "ldaptls" -> {
                    requireMethod(name, method, "ldap", "ldap");
                    if (value.equals("1")) {
                        v.put(name, "true");
                    } else {
                        v.remove(name);
                    }
                }
                case "ldapscheme" -> {
                    requireMethod(name, method, "ldap", "ldap");
                    v.put(name, value); // PostgreSQL 15 does not check the value here either
                }
                case "ldapport" -> {
                    requireMethod(name, method, "ldap", "ldap");
                    int port;
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = 0;
                    }
                    if (port == 0) {
                        throw new IllegalArgumentException("invalid LDAP port number: \"" + value + "\"");
                    }
                    v.put(name, Integer.toString(port));
                }
                default -> {
                    if (LDAP.contains(name)) {
                        requireMethod(name, method, "ldap", "ldap");
                    } else if (GSS.contains(name)) {
                        requireMethod(name, method, "gssapi and sspi", "gss", "sspi");
                    } else if (RADIUS.contains(name)) {
                        requireMethod(name, method, "radius", "radius");
                    } else {
                        throw new IllegalArgumentException("unrecognized authentication option name: \"" + name + "\"");
                    }
                    v.put(name, value);
                }
            }
        }
        if (method.equals("cert")) {
            v.put("clientcert", "verify-full");
        }
        if (method.equals("ldap")) {
            if (v.containsKey("ldapprefix") || v.containsKey("ldapsuffix")) {
                for (String k : List.of("ldapbasedn", "ldapbinddn", "ldapbindpasswd", "ldapsearchattribute",
                        "ldapsearchfilter")) {
                    if (v.containsKey(k)) {
                        throw new IllegalArgumentException("cannot use ldapbasedn, ldapbinddn, ldapbindpasswd,"
                                + " ldapsearchattribute, ldapsearchfilter, or ldapurl together with ldapprefix");
                    }
                }
            } else if (!v.containsKey("ldapbasedn")) {
                throw new IllegalArgumentException("authentication method \"ldap\" requires argument \"ldapbasedn\","
                        + " \"ldapprefix\", or \"ldapsuffix\" to be set");
            }
            if (v.containsKey("ldapsearchattribute") && v.containsKey("ldapsearchfilter")) {
                throw new IllegalArgumentException("cannot use ldapsearchattribute together with ldapsearchfilter");
            }
            v.putIfAbsent("ldapscope", "2");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : DISPLAY_ORDER) {
            if (v.containsKey(k)) {
                out.put(k, v.get(k));
            }
        }
        v.forEach(out::putIfAbsent); // clientname: kept, not displayed by PostgreSQL 15 either way
        return out;
    }

    /** The options pg_hba_file_rules shows (PostgreSQL 15 does not show clientname). */
    public static boolean displayed(String name) {
        return !name.equals("clientname");
    }

    private static void requireMethod(String option, String method, String list, String... methods) {
        for (String m : methods) {
            if (m.equals(method)) {
                return;
            }
        }
        throw new IllegalArgumentException("authentication option \"" + option
                + "\" is only valid for authentication methods " + list);
    }

    /** ldapurl: ldap[s]://host[:port]/basedn[?attribute[?scope[?filter]]]. */
    private static void ldapUrl(String url, Map<String, String> v) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("could not parse LDAP URL \"" + url + "\": " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("ldap") || scheme.equals("ldaps"))) {
            throw new IllegalArgumentException("unsupported LDAP URL scheme: " + scheme);
        }
        v.put("ldapscheme", scheme);
        if (uri.getHost() != null) {
            v.put("ldapserver", uri.getHost());
        }
        if (uri.getPort() > 0) {
            v.put("ldapport", Integer.toString(uri.getPort()));
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            v.put("ldapbasedn", java.net.URLDecoder.decode(path.substring(1), java.nio.charset.StandardCharsets.UTF_8));
        }
        String query = uri.getRawQuery();
        if (query != null) {
            String[] parts = query.split("\\?", -1);
            if (parts.length > 0 && !parts[0].isEmpty()) {
                v.put("ldapsearchattribute", parts[0]);
            }
            if (parts.length > 1 && !parts[1].isEmpty()) {
                v.put("ldapscope", switch (parts[1]) {
                    case "base" -> "0";
                    case "one" -> "1";
                    default -> "2";
                });
            }
            if (parts.length > 2 && !parts[2].isEmpty()) {
                v.put("ldapsearchfilter", parts[2]);
            }
        }
    }
}
