package org.convrelu.nn.models;

import java.util.Set;

/**
 * Which ReLU sites of a model get the chosen activation; the others stay ReLU. Sites belong to
 * groups (dense blocks, VGG stages, ResNet stages, char-CNN conv layers, transitions); the head's
 * ReLU before the classifier is never replaced (Table 6's PReLU (A) count of +119 leaves it out).
 */
public record Replacement(Kind kind, Set<String> names) {

    public enum Kind {
        /** The paper's partial replacement: images, the first dense block; text, the first two conv layers. */
        PARTIAL,
        /** R1: the first block. */
        FIRST_BLOCK,
        /** R2: the last block. */
        LAST_BLOCK,
        /** R3, "(A)": every site but the head's. */
        ALL,
        /** Exactly the named sites. */
        NAMED
    }

    public Replacement {
        names = names == null ? Set.of() : Set.copyOf(names);
    }

    public static Replacement partial() {
        return new Replacement(Kind.PARTIAL, null);
    }

    public static Replacement firstBlock() {
        return new Replacement(Kind.FIRST_BLOCK, null);
    }

    public static Replacement lastBlock() {
        return new Replacement(Kind.LAST_BLOCK, null);
    }

    public static Replacement all() {
        return new Replacement(Kind.ALL, null);
    }

    public static Replacement named(Set<String> sites) {
        return new Replacement(Kind.NAMED, sites);
    }

    /** Whether {@code site} is replaced, given the model's partial groups and its first and last block. */
    boolean replaces(Site site, Set<String> partialGroups, String firstBlock, String lastBlock) {
        if (site.group().equals(Site.HEAD)) {
            return kind == Kind.NAMED && names.contains(site.name());
        }
        return switch (kind) {
            case PARTIAL -> partialGroups.contains(site.group());
            case FIRST_BLOCK -> site.group().equals(firstBlock);
            case LAST_BLOCK -> site.group().equals(lastBlock);
            case ALL -> true;
            case NAMED -> names.contains(site.name());
        };
    }

    public String describe() {
        return kind == Kind.NAMED ? "NAMED" + names : kind.toString();
    }
}
