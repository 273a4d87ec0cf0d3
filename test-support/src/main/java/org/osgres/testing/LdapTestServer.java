package org.osgres.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;

/**
 * An in-memory LDAP server (UnboundID) on loopback with ldap:// and ldaps:// listeners and a
 * test certificate made by keytool; its CA file (PEM) is what LDAPTLS_CACERT names. The
 * directory is dc=example,dc=net with people as 001_ldap_auth.pl has them: test1 and test2
 * (password secret1 / secret2), and a search user for search+bind.
 */
public final class LdapTestServer implements AutoCloseable {
    public static final String BASE = "dc=example,dc=net";
    public final InMemoryDirectoryServer server;
    public final Path caFile;

    public LdapTestServer(Path dir) throws Exception {
        Path ks = dir.resolve("ldap-server.p12");
        keytool("-genkeypair", "-alias", "ldap", "-keyalg", "EC", "-dname", "CN=localhost", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass",
                "secret", "-validity", "2");
        caFile = dir.resolve("ldap-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ldap", "-keystore", ks.toString(), "-storepass", "secret", "-file",
                caFile.toString());
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(ks.toFile(), "secret".toCharArray(), "PKCS12", "ldap"),
                null);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", java.net.InetAddress.getLoopbackAddress(), 0,
                        serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps", java.net.InetAddress.getLoopbackAddress(), 0,
                        serverSsl.createSSLServerSocketFactory(), null));
        config.addAdditionalBindCredentials("cn=searcher," + BASE, "searchpw");
        config.setSchema(null);
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        server.add("dn: ou=People," + BASE, "objectClass: organizationalUnit", "ou: People");
        for (int i = 1; i <= 2; i++) {
            server.add("dn: uid=test" + i + ",ou=People," + BASE, "objectClass: inetOrgPerson", "uid: test" + i,
                    "cn: test" + i, "sn: person", "mail: test" + i + "@example.net", "userPassword: secret" + i);
        }
        // two entries with the same mail: "not unique"
        server.add("dn: uid=dup1,ou=People," + BASE, "objectClass: inetOrgPerson", "uid: dup1", "cn: d", "sn: d",
                "mail: dup@example.net", "userPassword: dup");
        server.add("dn: uid=dup2,ou=People," + BASE, "objectClass: inetOrgPerson", "uid: dup2", "cn: d", "sn: d",
                "mail: dup@example.net", "userPassword: dup");
        server.startListening();
    }

    public int ldapPort() {
        return server.getListenPort("ldap");
    }

    public int ldapsPort() {
        return server.getListenPort("ldaps");
    }

    private static void keytool(String... args) throws Exception {
        String[] argv = new String[args.length + 1];
        argv[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    private static boolean exists(Path p) {
        return Files.exists(p);
    }
}
