package org.convrelu.tensor;

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

/**
 * The packages of {@code tensor} depend one way: the root (dtypes, random streams, geometry) on none
 * of them, {@code memory} on the root, each implementation on the op interfaces and what it builds
 * on, and only {@code ops} (where {@code Backends} chooses) on every implementation.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/convrelu/tensor");
    private static final Pattern REFERENCE = Pattern.compile("org\\.convrelu\\.tensor\\.((?:[a-z0-9]+\\.)*)[A-Z]");
    private static final String ROOT = "";
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            ROOT, Set.of(),
            "memory", Set.of(ROOT),
            "ops", Set.of(ROOT, "memory", "ops.reference", "ops.patches", "ops.nd4j", "ops.cpu"),
            "ops.reference", Set.of(ROOT, "ops"),
            "ops.patches", Set.of(ROOT, "memory", "ops", "ops.reference"),
            "ops.nd4j", Set.of(ROOT, "memory", "ops", "ops.patches"),
            "ops.cpu", Set.of(ROOT, "memory", "ops", "ops.reference"));

    @Test
    void everyPackageDependsOnlyOnWhatItBuildsOn() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            // a package-info is the map of the packages: it may name any of them
            for (Path f : paths.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).toList()) {
                Path parent = SOURCES.relativize(f).getParent();
                String pkg = parent == null ? ROOT : parent.toString().replace('/', '.');
                assertThat(ALLOWED).as("package '%s' of %s is not in the layout", pkg, f).containsKey(pkg);
                files++;
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1).isEmpty() ? ROOT : m.group(1).substring(0, m.group(1).length() - 1);
                    if (!used.equals(pkg) && !ALLOWED.get(pkg).contains(used)) {
                        violations.add(SOURCES.relativize(f) + " uses " + (used.isEmpty() ? "the root" : used));
                    }
                }
            }
        }
        assertThat(files).as("the sources were found").isGreaterThan(40);
        assertThat(violations).isEmpty();
    }
}
