package org.convrelu.nn;

/** Whether a forward pass is part of training (batch statistics, dropout) or evaluation. */
public enum Mode {
    TRAIN,
    EVAL
}
