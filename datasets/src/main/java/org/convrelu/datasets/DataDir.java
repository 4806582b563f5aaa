package org.convrelu.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where datasets live. The root is, in order: the system property {@value #PROPERTY}, the
 * environment variable {@value #ENV}, else {@code ../shared/data} relative to the working
 * directory. Below it each dataset sits under its distributed folder name (e.g.
 * {@code cifar-10-batches-bin/}) or under one of the alternatives {@link Dataset} lists.
 */
public final class DataDir {
    /** System property naming the data root. */
    public static final String PROPERTY = "convrelu.data";
    /** Environment variable naming the data root. */
    public static final String ENV = "CONVRELU_DATA";
    /** Used when neither is set: the repository's sibling {@code shared/data}. */
    public static final String DEFAULT = "../shared/data";

    private final Path root;

    public DataDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The data root from the property, the environment or the default. */
    public static DataDir resolve() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        return new DataDir(Path.of(p == null || p.isBlank() ? DEFAULT : p));
    }

    public Path root() {
        return root;
    }

    /**
     * The root as reports and messages name it: relative to the working directory where it is
     * near (at most one level up: {@code ../shared/data} beside a clone), so that reports written by different clones
     * and machines read the same; absolute otherwise.
     */
    public String describe() {
        Path here = Path.of("").toAbsolutePath().normalize();
        if (!here.getRoot().equals(root.getRoot())) {
            return root.toString();
        }
        Path relative = here.relativize(root);
        int up = 0;
        for (Path part : relative) {
            up += part.toString().equals("..") ? 1 : 0;
        }
        return up > 1 ? root.toString() : relative.toString().isEmpty() ? "." : relative.toString();
    }

    /** {@code path} inside the root, named relative to it ({@code cifar10/cifar-10-batches-bin}). */
    public String describe(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    /** The first of {@code candidates} (relative to the root) that exists. */
    public Optional<Path> find(String... candidates) {
        for (String c : candidates) {
            Path p = root.resolve(c);
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
