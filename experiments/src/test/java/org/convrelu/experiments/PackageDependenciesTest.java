package org.convrelu.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages of {@code experiments} depend one way, as the package overview draws them: no cycle, no shortcut back. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/convrelu/experiments");
    private static final Pattern REFERENCE = Pattern.compile("org\\.convrelu\\.experiments\\.([a-z]+)\\.");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "recipe", Set.of(),
            "paper", Set.of("recipe"),
            "run", Set.of("recipe", "paper"),
            "report", Set.of("recipe", "paper", "run"),
            "cluster", Set.of("recipe", "paper", "run", "report"),
            "bench", Set.of("recipe", "paper", "run"),
            "cli", Set.of("recipe", "paper", "run", "report", "cluster", "bench"));

    @Test
    void everyPackageDependsOnlyOnThoseBeforeIt() throws IOException {
        List<String> violations = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(f);
                if (relative.getNameCount() == 1) {
                    continue; // the root's package-info
                }
                String pkg = relative.getName(0).toString();
                packages.add(pkg);
                assertThat(ALLOWED).as("package %s of %s is not in the layout", pkg, f).containsKey(pkg);
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && !ALLOWED.get(pkg).contains(used)) {
                        violations.add(relative + " uses " + used);
                    }
                }
            }
        }
        assertThat(packages).as("the sources were found").isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @Test
    void theRootHoldsNoClasses() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            assertThat(files.filter(p -> p.toString().endsWith(".java")).map(p -> p.getFileName().toString()))
                    .containsExactly("package-info.java");
        }
    }
}
