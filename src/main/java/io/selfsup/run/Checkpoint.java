package io.selfsup.run;

import java.nio.file.Path;

/** A checkpoint found intact on the disk: where training stands in it, and its files to load. */
public record Checkpoint(CheckpointState state, Path parameters, Path optimizer) {}
