package org.osgres.e2e;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * A golden file under src/test/resources/golden: hand-written steps above the separator line,
 * PostgreSQL 15's recorded answer below it (e2e/tools/record-golden.py writes that part).
 */
record Golden(String name, List<String> steps, List<String> expected) {
    static final String SEPARATOR = "--- recorded from PostgreSQL 15 ---";

    static Golden load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int sep = lines.indexOf(SEPARATOR);
        if (sep < 0) throw new IllegalStateException(file + " has no recording: run e2e/tools/record-golden.py");
        String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
        return new Golden(name,
                lines.subList(0, sep).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList(),
                lines.subList(sep + 1, lines.size()).stream().filter(l -> !l.startsWith("#")).toList());
    }

    static Golden load(String resource) throws IOException {
        return load(dir(resource));
    }

    /** Every golden file in a resource directory, sorted by name; fails if there are none. */
    static List<Golden> all(String resourceDir) throws IOException {
        try (Stream<Path> files = Files.list(dir(resourceDir))) {
            List<Golden> all = files.filter(f -> f.toString().endsWith(".txt")).sorted().map(f -> {
                try {
                    return load(f);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).toList();
            if (all.isEmpty()) throw new IllegalStateException("no golden files in " + resourceDir);
            return all;
        }
    }

    private static Path dir(String resource) {
        URL url = Golden.class.getResource("/golden/" + resource);
        if (url == null) throw new IllegalStateException("missing resource golden/" + resource);
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
