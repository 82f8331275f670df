package io.selfsup.cli;

import io.selfsup.SelfsupException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code selfsup train|encode|eval ...}; the scripts/ssl-* launchers call one subcommand each. */
@Command(name = "selfsup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Learns visual features from unlabeled images and hands them to downstream work.",
        subcommands = {TrainCommand.class, EncodeCommand.class, EvalCommand.class, ExportCommand.class})
public final class Main implements Runnable {

    static final int EXIT_USER_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; prints errors as one line unless --verbose. */
    public static int run(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        Logging.configure(verbose);
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage() + " (see " + e.getCommandLine().getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (verbose) {
                e.printStackTrace(err);
            }
            if (e instanceof SelfsupException) {
                err.println("error: " + e.getMessage());
                return EXIT_USER_ERROR;
            }
            err.println("internal error: " + e + (verbose ? "" : " (rerun with --verbose for details)"));
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"selfsup " + io.selfsup.train.TrainingSession.VERSION};
        }
    }
}
