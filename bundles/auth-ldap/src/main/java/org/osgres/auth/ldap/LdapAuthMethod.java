/*
 * LdapAuthMethod: the ldap authentication method (PostgreSQL: CheckLDAPAuth() and
 * InitializeLDAPConnection() in libpq/auth.c), with the UnboundID LDAP SDK.
 *
 * The client sends its password in clear (AuthenticationCleartextPassword). Simple bind mode
 * (ldapprefix/ldapsuffix) binds as prefix + user + suffix. Search+bind mode (ldapbasedn) binds
 * as ldapbinddn/ldapbindpasswd (or anonymously), searches ldapbasedn for (ldapsearchattribute=user)
 * or ldapsearchfilter with $username, and binds as the one entry found. ldapscheme=ldaps (or an
 * ldaps:// ldapurl) uses TLS from the start, ldaptls=1 StartTLS; server certificates are checked
 * against the PEM file named by LDAPTLS_CACERT (as OpenLDAP's libldap does) or the JVM's trust
 * store. Every failure is FATAL 28000 "LDAP authentication failed for user"; the reason goes to the
 * server log in PostgreSQL's words. The options arrive checked and split (ldapurl) by auth-hba.
 *
 * Entry points: authenticate().
 */
package org.osgres.auth.ldap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.FrontendMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;

@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=ldap")
public final class LdapAuthMethod implements AuthMethod {
    private static final Logger LOG = LoggerFactory.getLogger(LdapAuthMethod.class);
    /** PostgreSQL: AUTH_REQ_PASSWORD. */
    private static final int AUTH_REQ_PASSWORD = 3;
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Map<String, String> environment;

    public LdapAuthMethod() {
        this(System.getenv());
    }

    /** For tests: the environment LDAPTLS_CACERT is read from. */
    public LdapAuthMethod(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> o, AuthExchange exchange) throws IOException {
        String user = request.user();
        String server = o.get("ldapserver");
        if (server == null || server.isEmpty()) {
            LOG.info("LOG:  LDAP server not specified");
            throw failed(user);
        }
        boolean ldaps = "ldaps".equals(o.get("ldapscheme"));
        int port = o.containsKey("ldapport") ? Integer.parseInt(o.get("ldapport")) : ldaps ? 636 : 389;
        exchange.sendRequest(AUTH_REQ_PASSWORD, new byte[0]);
        String password = readPassword(exchange);

        try (LDAPConnection conn = connect(server, port, ldaps, "true".equals(o.get("ldaptls")), user)) {
            String fullUser;
            if (o.containsKey("ldapbasedn")) {
                for (char c : user.toCharArray()) {
                    if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '/') {
                        LOG.info("LOG:  invalid character in user name for LDAP authentication");
                        throw failed(user);
                    }
                }
                String bindDn = o.getOrDefault("ldapbinddn", "");
                try {
                    conn.bind(bindDn, o.getOrDefault("ldapbindpasswd", ""));
                } catch (LDAPException e) {
                    LOG.info("LOG:  could not perform initial LDAP bind for ldapbinddn \"{}\" on server \"{}\": {}",
                            bindDn, server, e.getResultCode().getName());
                    throw failed(user);
                }
                String filter = o.containsKey("ldapsearchfilter")
                        ? o.get("ldapsearchfilter").replace("$username", user)
                        : "(" + o.getOrDefault("ldapsearchattribute", "uid") + "=" + user + ")";
                SearchResult result;
                try {
                    result = conn.search(o.get("ldapbasedn"), scope(o.get("ldapscope")), Filter.create(filter), "1.1");
                } catch (LDAPException e) {
                    LOG.info("LOG:  could not search LDAP for filter \"{}\" on server \"{}\": {}", filter, server,
                            e.getResultCode().getName());
                    throw failed(user);
                }
                int count = result.getEntryCount();
                if (count != 1) {
                    if (count == 0) {
                        LOG.info("LOG:  LDAP user \"{}\" does not exist\nDETAIL:  LDAP search for filter \"{}\" on"
                                + " server \"{}\" returned no entries.", user, filter, server);
                    } else {
                        LOG.info("LOG:  LDAP user \"{}\" is not unique\nDETAIL:  LDAP search for filter \"{}\" on"
                                + " server \"{}\" returned {} entries.", user, filter, server, count);
                    }
                    throw failed(user);
                }
                fullUser = result.getSearchEntries().get(0).getDN();
            } else {
                fullUser = o.getOrDefault("ldapprefix", "") + user + o.getOrDefault("ldapsuffix", "");
            }
            try {
                conn.bind(fullUser, password);
            } catch (LDAPException e) {
                LOG.info("LOG:  LDAP login failed for user \"{}\" on server \"{}\": {}", fullUser, server,
                        e.getResultCode().getName());
                throw failed(user);
            }
        } catch (LDAPException e) {
            LOG.info("LOG:  could not initialize LDAP: {}", e.getResultCode().getName());
            throw failed(user);
        }
    }

    private LDAPConnection connect(String server, int port, boolean ldaps, boolean startTls, String user)
            throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(TIMEOUT_MILLIS);
        options.setResponseTimeoutMillis(TIMEOUT_MILLIS);
        if (ldaps) {
            return new LDAPConnection(socketFactory(), options, server, port);
        }
        LDAPConnection conn = new LDAPConnection(options, server, port);
        if (startTls) {
            try {
                conn.processExtendedOperation(new StartTLSExtendedRequest(new SSLUtil(trustManagers())
                        .createSSLContext()));
            } catch (LDAPException | GeneralSecurityException | IOException e) {
                conn.close();
                LOG.info("LOG:  could not start LDAP TLS session: {}", e.getMessage());
                throw failed(user);
            }
        }
        return conn;
    }

    private SSLSocketFactory socketFactory() throws LDAPException {
        try {
            return new SSLUtil(trustManagers()).createSSLSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.CONNECT_ERROR, e.getMessage(), e);
        }
    }

    /** The CA certificates of LDAPTLS_CACERT, else the JVM's defaults. */
    private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        String caFile = environment.get("LDAPTLS_CACERT");
        if (caFile == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
            }
            tmf.init(ks);
        }
        return tmf.getTrustManagers();
    }

    private static SearchScope scope(String s) {
        return switch (s == null ? "2" : s) {
            case "0" -> SearchScope.BASE;
            case "1" -> SearchScope.ONE;
            default -> SearchScope.SUB;
        };
    }

    /** recv_password_packet(). */
    private static String readPassword(AuthExchange exchange) throws IOException {
        FrontendMessage m = exchange.readResponse();
        if (m == null) {
            throw new EOFException("client closed the connection when asked for a password");
        }
        byte[] all = m.getBytes(m.remaining());
        if (all.length == 0 || all[all.length - 1] != 0 || indexOfNul(all) != all.length - 1) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid password packet size");
        }
        if (all.length == 1) {
            throw PgException.fatal(SqlState.INVALID_PASSWORD, "empty password returned by client");
        }
        return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    static PgException failed(String user) {
        return PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                "LDAP authentication failed for user \"" + user + "\"");
    }
}
