package org.convrelu.datasets;

import java.nio.file.Path;

/**
 * A data file is missing, damaged or not in the expected format. The message names the file, the
 * record (or line) where that applies, what was expected and what was found.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public DataFormatException(Path file, String record, String expected, String found) {
        super(file + (record == null ? "" : ", " + record) + ": expected " + expected + ", found " + found);
        this.file = file;
    }

    public DataFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public DataFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
