package io.selfsup.cli;

import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.UsageException;
import io.selfsup.console.Logging;
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
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        TrainCommand.addMethodSettings(cli.getSubcommands().get("train"));
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
            if (e instanceof StoppedException stopped) {
                err.println(stopped.getMessage());
                err.println("to continue: " + resumeCommand(stopped.run()));
                return StopOnSignal.EXIT_INTERRUPTED;
            }
            if (e instanceof UsageException) {
                err.println("error: " + e.getMessage());
                return EXIT_USAGE;
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

    /** The command line that resumes a run, as the user started selfsup (scripts/ssl-train sets SELFSUP_LAUNCHER). */
    static String resumeCommand(java.nio.file.Path run) {
        String launcher = System.getenv("SELFSUP_LAUNCHER");
        return (launcher == null || launcher.isBlank() ? "ssl-train" : launcher) + " --resume "
                + shellQuoted(run.toAbsolutePath().normalize().toString());
    }

    private static String shellQuoted(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** --version of every command: selfsup's, DJL's and the native engine's (libtorch) versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String engine;
            try {
                ai.djl.engine.Engine e = ai.djl.engine.Engine.getInstance();
                engine = "libtorch " + e.getVersion() + " (DJL engine " + e.getEngineName() + ")";
            } catch (RuntimeException | LinkageError e) {
                engine = "libtorch: not loadable (" + e.getMessage() + ")";
            }
            return new String[] {"selfsup " + io.selfsup.SelfsupVersion.VALUE,
                    "DJL " + ai.djl.engine.Engine.getDjlVersion(), engine,
                    "Java " + System.getProperty("java.version")};
        }
    }
}
