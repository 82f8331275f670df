package io.selfsup.cli;

import picocli.CommandLine.Option;

/** --verbose, shared by every command; Main reads it before parsing to set up logging and stack traces. */
final class VerboseOption {
    @Option(names = "--verbose", description = "Show DJL's log lines and stack traces of errors.")
    boolean verbose;
}
