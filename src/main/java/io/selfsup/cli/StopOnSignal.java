package io.selfsup.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during training: the first asks the loop to stop after its batch and write a
 * checkpoint, the second stops at once. Before training has started there is nothing to save, so a signal
 * exits right away (shutdown hooks remove temporary files). sun.misc.Signal is the JDK's only way to handle a
 * signal without exiting (jdk.unsupported, present in every JDK since 9).
 */
final class StopOnSignal implements AutoCloseable {

    static final int EXIT_INTERRUPTED = 130;

    private final AtomicInteger signals = new AtomicInteger();
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final PrintStream err;
    private volatile boolean training;

    private StopOnSignal(PrintStream err) {
        this.err = err;
    }

    /** Handles SIGINT and SIGTERM until closed. */
    static StopOnSignal install(PrintStream err) {
        StopOnSignal stop = new StopOnSignal(err);
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                stop.previous.add(Signal.handle(signal, stop::handle));
                stop.installed.add(signal);
            } catch (IllegalArgumentException e) {
                // a signal this OS does not have (TERM on some Windows JVMs) keeps its default
            }
        }
        return stop;
    }

    boolean requested() {
        return signals.get() > 0;
    }

    void trainingStarted() {
        training = true;
    }

    private void handle(Signal signal) {
        int n = signals.incrementAndGet();
        if (!training) {
            err.println();
            err.println("stopped (SIG" + signal.getName() + ") before training started; nothing to save");
            System.exit(EXIT_INTERRUPTED);
        } else if (n == 1) {
            err.println();
            err.println("SIG" + signal.getName() + ": stopping after this batch to write a checkpoint "
                    + "(press Ctrl-C again to stop at once, losing the batches since the last checkpoint)");
        } else {
            err.println();
            err.println("stopped at once (second signal); --resume continues from the last checkpoint");
            stopAtOnce(signal);
        }
    }

    /**
     * Ends the process by the signal itself, with its default action, as if no handler were installed. Not
     * Runtime.halt: halting the JVM while libtorch's threads compute crashes it (SIGSEGV, exit 134, hs_err file).
     */
    private static void stopAtOnce(Signal signal) {
        try {
            Signal.handle(signal, SignalHandler.SIG_DFL);
            new ProcessBuilder("kill", "-" + signal.getName(), Long.toString(ProcessHandle.current().pid()))
                    .start().waitFor();
            Thread.sleep(2000);
        } catch (IOException | RuntimeException e) {
            // no kill command: halt below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(EXIT_INTERRUPTED);
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
