package io.selfsup;

import java.nio.file.Path;

/**
 * Training stopped on request (Ctrl-C, SIGTERM) after writing a checkpoint; the command line prints how to
 * resume and exits with 130, the shell's code for an interrupted command.
 */
public final class StoppedException extends SelfsupException {

    private static final long serialVersionUID = 1L;

    private final transient Path run;

    public StoppedException(String message, Path run) {
        super(message);
        this.run = run;
    }

    /** The run directory to pass to --resume. */
    public Path run() {
        return run;
    }
}
