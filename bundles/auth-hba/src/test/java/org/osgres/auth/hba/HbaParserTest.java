package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HbaParserTest {
    private static final Path FILE = Path.of("/data/pg_hba.conf");

    private static HbaParser.Result parse(String text) {
        return HbaParser.parse(text, FILE, m -> m.equals("mymethod"));
    }

    @Test
    void allRecordTypesAndFields() {
        HbaParser.Result r = parse("""
                # comment line
                local   all             all                                     trust
                host    all             all             127.0.0.1/32            trust
                hostssl db1,"Db Two"    +admins,bob     ::1/128                 scram-sha-256
                hostnossl sameuser      all             10.0.0.0 255.0.0.0      md5   # trailing
                hostgssenc samerole     all             samehost                reject
                hostnogssenc replication all            samenet                 mymethod opt=1 "quoted=a b"
                host    all             all             all                     ldap ldapserver=example.net \\
                        ldapport=389 ldapbasedn="dc=example,dc=net"
                host    all             all             db.example.com          password
                """);
        assertTrue(r.ok(), r.errors().toString());
        List<HbaLine> l = r.lines();
        assertEquals(8, l.size());
        assertEquals(HbaLine.ConnType.LOCAL, l.get(0).connType());
        assertEquals(2, l.get(0).lineNumber());
        assertEquals(List.of(new HbaToken("db1", false), new HbaToken("Db Two", true)), l.get(2).databases());
        assertEquals(List.of(new HbaToken("+admins", false), new HbaToken("bob", false)), l.get(2).roles());
        assertEquals("0:0:0:0:0:0:0:1", l.get(2).address().getHostAddress());
        assertEquals("255.0.0.0", l.get(3).mask().getHostAddress());
        assertEquals(HbaLine.IpCompare.SAMEHOST, l.get(4).ipCmp());
        assertEquals(Map.of("opt", "1", "quoted", "a b"), l.get(5).options());
        assertEquals(8, l.get(6).lineNumber());
        assertEquals(Map.of("ldapserver", "example.net", "ldapport", "389", "ldapbasedn", "dc=example,dc=net",
                "ldapscope", "2"), l.get(6).options());
        assertEquals("db.example.com", l.get(7).hostname());
        assertEquals(10, l.get(7).lineNumber());
    }

    /** The file and messages of pg_hba_file_rules.error on PostgreSQL 15.18. */
    @Test
    void errorsAsPostgres() {
        HbaParser.Result r = parse("""
                local all all trust
                hots all all x trust
                host all all 999.1.1.1/24 trust
                host all all 10.0.0.0/33 trust
                host all all 10.0.0.0 trust
                host all all 10.0.0.0 255.0.0.0
                local all all bogus
                local all
                host all all 10.0.0.1 ::1 trust
                host all all 127.0.0.1/32 trust foo
                host all all 127.0.0.1/32 trust,reject
                host all all "127.0.0.1/32",10.0.0.1/32 trust
                host all all localhost/32 trust
                host all all 10.0.0.0 255.0.x.0 trust
                """);
        assertEquals(List.of(
                "2|invalid connection type \"hots\"",
                "3|specifying both host name and CIDR mask is invalid: \"999.1.1.1/24\"",
                "4|invalid CIDR mask in address \"10.0.0.0/33\"",
                "5|invalid IP mask \"trust\": Name or service not known",
                "6|end-of-line before authentication method",
                "7|invalid authentication method \"bogus\"",
                "8|end-of-line before role specification",
                "9|IP address and mask do not match",
                "10|authentication option not in name=value format: foo",
                "11|multiple values specified for authentication type",
                "12|multiple values specified for host address",
                "13|specifying both host name and CIDR mask is invalid: \"localhost/32\"",
                "14|invalid IP mask \"255.0.x.0\": Name or service not known"),
                r.errors().stream().map(e -> e.lineNumber() + "|" + e.message()).toList());
        assertEquals(List.of(), r.lines());
        HbaParser.HbaError e = r.errors().get(9);
        assertEquals("multiple values specified for authentication type\n"
                + "HINT:  Specify exactly one authentication type per line.\n"
                + "CONTEXT:  line 11 of configuration file \"/data/pg_hba.conf\"", e.toString());
    }

    @Test
    void quotedKeywordsAreNames() {
        HbaParser.Result r = parse("local \"all\" \"+x\",\"\"\"q\"\"\" trust\n");
        assertTrue(r.ok());
        assertEquals(List.of(new HbaToken("all", true)), r.lines().get(0).databases());
        assertEquals(List.of(new HbaToken("+x", true), new HbaToken("\"q\"", true)), r.lines().get(0).roles());
    }

    @Test
    void includedFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("users"), "alice, bob\n# comment\ncarol @more\n");
        Files.writeString(dir.resolve("more"), "dave\n");
        Path hba = dir.resolve("pg_hba.conf");
        HbaParser.Result r = HbaParser.parse("local all @users,erin trust\nlocal all @missing trust\n", hba, m -> false);
        assertEquals(1, r.errors().size());
        assertEquals("could not open secondary authentication file \"@missing\" as \"" + dir.resolve("missing")
                + "\": No such file or directory", r.errors().get(0).message());
        r = HbaParser.parse("local all @users,erin trust\n", hba, m -> false);
        assertEquals(List.of("alice", "bob", "carol", "dave", "erin"),
                r.lines().get(0).roles().stream().map(HbaToken::string).toList());
    }

    @Test
    void identOnLocalIsPeer() {
        assertEquals("peer", parse("local all all ident\n").lines().get(0).method());
        assertEquals("peer authentication is only supported on local sockets",
                parse("host all all all peer\n").errors().get(0).message());
    }
}
