package io.sfu.bench.load;

import java.util.Arrays;

import picocli.CommandLine;

/**
 * Entry point of the load harness ({@code scripts/bench load ...}, {@code scripts/bench merge ...}): a first
 * argument {@code merge} selects {@link MergeCommand}, anything else is a {@link LoadCommand} run. Exit codes: 0
 * report written, 1 objective broken with {@code --fail-on-objective}, 2 bad arguments, 3 the SFU could not be
 * loaded (not reachable, or no step could start).
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("merge")) {
            return commandLine(new MergeCommand()).execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return commandLine(new LoadCommand()).execute(args);
    }

    private static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // an option given again (after an @file of a scenario, say) overrides the earlier value
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            System.err.println(commandLine.getCommandName() + ": " + e);
            e.printStackTrace(System.err);
            return 3;
        });
        return cl;
    }
}
