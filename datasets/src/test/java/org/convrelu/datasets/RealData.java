package org.convrelu.datasets;

import java.nio.file.Files;

/** The real datasets the tests read (../shared/data beside the repository, set by the build). */
public final class RealData {
    private RealData() {}

    public static DataDir dir() {
        DataDir dir = DataDir.resolve();
        if (!Files.isDirectory(dir.root())) {
            throw new IllegalStateException("the real datasets are expected under " + dir.root() + " (set -D"
                    + DataDir.PROPERTY + " or $" + DataDir.ENV + " to their folder)");
        }
        return dir;
    }
}
