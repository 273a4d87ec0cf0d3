package org.osgres.config.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileParserTest {
    private static final Path FILE = Path.of("/data/postgresql.conf");

    private static List<String> pairs(ConfigFileParser.Result r) {
        return r.items().stream().map(i -> i.name() + "=" + i.value() + "@" + i.line()).toList();
    }

    @Test
    void namesValuesAndComments() {
        ConfigFileParser.Result r = ConfigFileParser.parseText("""
                # a comment
                port = 5433
                shared_buffers 128MB   # trailing comment
                listen_addresses='*'
                work_mem = 1.5
                   search_path = 'a, b'
                myext.x = on
                timezone = Europe/Berlin
                hex = 0x1F
                neg = -1
                """, FILE);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of("port=5433@2", "shared_buffers=128MB@3", "listen_addresses=*@4", "work_mem=1.5@5",
                "search_path=a, b@6", "myext.x=on@7", "timezone=Europe/Berlin@8", "hex=0x1F@9", "neg=-1@10"), pairs(r));
    }

    @Test
    void quotedStringEscapes() {
        ConfigFileParser.Result r = ConfigFileParser.parseText(
                "a = 'it''s'\nb = 'back\\\\slash\\n\\101\\x'\nc = ''\nd = 'x'", FILE);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of("a=it's@1", "b=back\\slash\nAx@2", "c=@3", "d=x@4"), pairs(r));
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        ConfigFileParser.Result r = ConfigFileParser.parseText("port = 5432\nwork_mem = 1.5MB\n= 3\nfoo =\n", FILE);
        assertEquals(List.of(
                "syntax error in file \"/data/postgresql.conf\" line 2, near token \"MB\"",
                "syntax error in file \"/data/postgresql.conf\" line 3, near token \"=\"",
                "syntax error in file \"/data/postgresql.conf\" line 4, near end of line"), r.errors());
        assertEquals(List.of("port=5432@1"), pairs(r));
    }

    @Test
    void unquotedPathIsASyntaxError() {
        ConfigFileParser.Result r = ConfigFileParser.parseText("unix_socket_directories = /tmp\n", FILE);
        assertEquals(List.of("syntax error in file \"/data/postgresql.conf\" line 1, near token \"/\""), r.errors());
    }

    @Test
    void includes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("postgresql.conf"), """
                port = 1
                include 'extra.conf'
                include_if_exists 'missing.conf'
                include_dir 'conf.d'
                port = 4
                """);
        Files.writeString(dir.resolve("extra.conf"), "port = 2\n");
        Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/b.conf"), "work_mem = '8MB'\n");
        Files.writeString(dir.resolve("conf.d/a.conf"), "port = 3\n");
        Files.writeString(dir.resolve("conf.d/.hidden.conf"), "port = 99\n");
        Files.writeString(dir.resolve("conf.d/c.txt"), "port = 98\n");
        ConfigFileParser.Result r = ConfigFileParser.parse(dir.resolve("postgresql.conf"));
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of("port=1@1", "port=2@1", "port=3@1", "work_mem=8MB@1", "port=4@5"), pairs(r));
        assertEquals(List.of("skipping missing configuration file \"" + dir.resolve("missing.conf") + "\""), r.notes());
    }

    @Test
    void missingIncludeAndRecursion(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("postgresql.conf"), "include 'nope.conf'\ninclude 'postgresql.conf'\n");
        ConfigFileParser.Result r = ConfigFileParser.parse(dir.resolve("postgresql.conf"));
        assertEquals("could not open configuration file \"" + dir.resolve("nope.conf")
                + "\": No such file or directory", r.errors().get(0));
        assertTrue(r.errors().get(r.errors().size() - 1).endsWith("maximum nesting depth exceeded"));
    }
}
