package org.convrelu.tensor.memory;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class NativeHeapTest {

    /** Where the JVM offers the command (JDK 17.0.9 and later) on Linux (glibc), a trim reports what the process held before and after. */
    @Test
    void trimReportsTheResidentSetWhereTheJvmCanTrim() throws Exception {
        boolean offered = Arrays.stream(ManagementFactory.getPlatformMBeanServer()
                        .getMBeanInfo(new ObjectName("com.sun.management:type=DiagnosticCommand")).getOperations())
                .anyMatch(op -> op.getName().equals("systemTrimNativeHeap"));
        if (offered && System.getProperty("os.name").equals("Linux")) {
            assertThat(NativeHeap.trim()).hasValueSatisfying(text -> assertThat(text).matches("Trim native heap: RSS\\+Swap: \\d+\\w->\\d+\\w .*"));
        } else {
            assertThat(NativeHeap.trim()).isEmpty();
        }
    }
}
