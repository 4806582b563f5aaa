package org.convrelu.tensor.memory;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One ND4J workspace per kind of step (a training step, an evaluation batch): every array a step
 * creates comes from one block that the next step reuses, instead of a fresh off-heap allocation
 * that lives until the garbage collector finds it. The block learns its size on the first step and
 * grows if a later step needs more.
 *
 * <p>Inside a step only temporaries may be created: whatever must outlive it (parameters,
 * gradients, momentum, running statistics, a layer's constants) is allocated before, or out of
 * the workspace ({@link #persistent}), and updated in place. Off with
 * {@code -Dconvrelu.workspaces=false}, where every array is an ordinary allocation again.
 */
public final class StepWorkspace {
    static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.1)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** The workspace a backward pass opens inside a step for one layer's temporaries ({@link GradientHandOff}). */
    static final String NESTED = "convrelu-nested";

    private StepWorkspace() {}

    /** Whether steps run in workspaces ({@code -Dconvrelu.workspaces}, default true). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("convrelu.workspaces", "true").strip());
    }

    /**
     * A scope in which arrays are ordinary allocations even inside a step: for state a layer creates
     * on its first call and keeps (close it before the step goes on).
     */
    public static MemoryWorkspace persistent() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }

    /**
     * Opens the workspace {@code id} on this thread for one step; close it (try-with-resources)
     * when the step is done. With workspaces off, a scope that allocates as usual.
     */
    public static MemoryWorkspace open(String id) {
        return enabled() ? Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id)
                : Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }
}
