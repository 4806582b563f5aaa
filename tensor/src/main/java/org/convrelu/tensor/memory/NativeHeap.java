package org.convrelu.tensor.memory;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Returns the C heap's free memory to the operating system ({@code malloc_trim} through the JVM's
 * {@code System.trim_native_heap} diagnostic command, on glibc).
 *
 * <p>ND4J's native ops allocate their temporaries with malloc, and a workspace's first cycle
 * allocates every array there before the workspace holds them in its own block. glibc keeps what
 * they free in its arenas: after the first step of a reduced PReLU DenseNet-BC the process held
 * 358 MB it had freed, and five minutes into a reduced LeakyReLU (A) cell, 431 MB.
 */
public final class NativeHeap {
    private static final String COMMAND = "systemTrimNativeHeap"; // jcmd's System.trim_native_heap

    private NativeHeap() {}

    /**
     * Trims the C heap; returns the JVM's account ({@code "Trim native heap: RSS+Swap: 1178M->819M
     * (-358M)"}), or empty where the JVM has no such command (before JDK 17.0.9) or the C library
     * cannot trim.
     */
    public static Optional<String> trim() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    COMMAND, new Object[] {null}, new String[] {String[].class.getName()});
            String text = String.valueOf(out).strip();
            return text.startsWith("Trim native heap") ? Optional.of(text) : Optional.empty();
        } catch (JMException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
