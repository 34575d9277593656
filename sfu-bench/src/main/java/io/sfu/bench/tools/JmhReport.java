package io.sfu.bench.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Command-line reader of JMH JSON results for {@code scripts/bench}: prints the result table, compares a run with
 * the baseline, checks per-operation allocation, and merges fresh results into the baseline.
 *
 * <pre>
 * JmhReport table FILE
 * JmhReport compare BASELINE CURRENT [--threshold-percent P]          exit 1 when any is more than P% slower
 * JmhReport alloc-check FILE [--max-bytes-per-op B] [--include REGEX] exit 1 when any allocates more than B
 * JmhReport merge BASELINE FRESH OUT                                  FRESH's entries replace BASELINE's
 * </pre>
 * Exit codes: 0 pass, 1 regression or allocation found, 2 bad usage or unreadable input.
 */
public final class JmhReport {
    /** A benchmark is a regression when it is more than this many percent slower than its baseline. */
    public static final double DEFAULT_THRESHOLD_PERCENT = 10.0;

    static final int PASS = 0;
    static final int FLAGGED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
        "usage: JmhReport table FILE",
        "       JmhReport compare BASELINE CURRENT [--threshold-percent P]",
        "       JmhReport alloc-check FILE [--max-bytes-per-op B] [--include REGEX]",
        "       JmhReport merge BASELINE FRESH OUT");

    private JmhReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        try {
            Options options = Options.parse(args);
            switch (options.command) {
                case "table":
                    options.expectFiles(1);
                    return table(JmhResults.read(options.file(0)), out);
                case "compare":
                    options.expectFiles(2);
                    return compare(JmhResults.read(options.file(0)), JmhResults.read(options.file(1)),
                        options.number("--threshold-percent", DEFAULT_THRESHOLD_PERCENT), out);
                case "alloc-check":
                    options.expectFiles(1);
                    return allocCheck(JmhResults.read(options.file(0)),
                        options.number("--max-bytes-per-op", AllocationCheck.DEFAULT_MAX_BYTES_PER_OP),
                        options.pattern("--include"), out);
                case "merge":
                    options.expectFiles(3);
                    return merge(options.file(0), options.file(1), options.file(2), out);
                default:
                    throw new IllegalArgumentException("unknown command: " + options.command);
            }
        } catch (IllegalArgumentException e) {
            err.println("JmhReport: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("JmhReport: cannot read or write: " + e.getMessage());
            return USAGE;
        }
    }

    static int table(List<JmhResult> results, PrintStream out) {
        TextTable table = new TextTable("benchmark", "params", "mode", "score", "error", "unit", "alloc B/op")
            .rightAlign(3, 4, 6);
        for (JmhResult result : results) {
            table.row(result.shortName(), result.paramsText(), result.mode(), number(result.score()),
                error(result), result.unit(),
                result.hasAllocation() ? number(result.allocBytesPerOp()) : "n/a");
        }
        table.print(out);
        return PASS;
    }

    static int compare(List<JmhResult> baseline, List<JmhResult> current, double thresholdPercent,
                       PrintStream out) {
        if (current.isEmpty()) {
            out.println("compare: the run has no results");
            return FLAGGED;
        }
        List<JmhComparison.Row> rows = JmhComparison.compare(baseline, current, thresholdPercent / 100.0);
        TextTable table = new TextTable("benchmark", "params", "mode", "baseline", "current", "error", "unit",
            "change", "alloc B/op", "verdict").rightAlign(3, 4, 5, 7, 8);
        Map<JmhComparison.Verdict, Integer> counts = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (JmhComparison.Row row : rows) {
            JmhResult result = row.current();
            table.row(result.shortName(), result.paramsText(), result.mode(),
                Double.isNaN(row.baselineScore()) ? "-" : number(row.baselineScore()), number(result.score()),
                error(result), result.unit(), Double.isNaN(row.change()) ? "-" : String.format(Locale.ROOT, "%+.1f%%",
                    100 * row.change()),
                result.hasAllocation() ? number(result.allocBytesPerOp()) : "n/a", row.verdict().name());
            counts.merge(row.verdict(), 1, Integer::sum);
            if (row.settingsDiffer()) {
                notes.add("note: " + result.key() + " ran with " + result.settings() + ", its baseline with "
                    + row.baseline().settings());
            }
        }
        table.print(out);
        for (String note : notes) {
            out.println(note);
        }
        out.printf(Locale.ROOT, "%d compared; threshold: more than %s%% slower than the baseline score%n",
            rows.size(), plain(thresholdPercent));
        for (Map.Entry<JmhComparison.Verdict, Integer> count : counts.entrySet()) {
            out.printf(Locale.ROOT, "  %-16s %d%n", count.getKey(), count.getValue());
        }
        if (JmhComparison.hasRegression(rows)) {
            for (JmhComparison.Row row : rows) {
                if (row.verdict() == JmhComparison.Verdict.REGRESSION) {
                    out.printf(Locale.ROOT, "REGRESSION %s: %s %s, baseline %s (%+.1f%%)%n", row.current().key(),
                        number(row.current().score()), row.current().unit(), number(row.baselineScore()),
                        100 * row.change());
                }
            }
            return FLAGGED;
        }
        out.println("no regression");
        return PASS;
    }

    static int allocCheck(List<JmhResult> results, double maxBytesPerOp, Pattern include, PrintStream out) {
        List<JmhResult> selected = new ArrayList<>();
        for (JmhResult result : results) {
            if (include == null || include.matcher(result.benchmark()).find()) {
                selected.add(result);
            }
        }
        List<AllocationCheck.Row> rows = AllocationCheck.check(selected, maxBytesPerOp);
        TextTable table = new TextTable("benchmark", "params", "alloc B/op", "verdict").rightAlign(2);
        for (AllocationCheck.Row row : rows) {
            JmhResult result = row.result();
            table.row(result.shortName(), result.paramsText(),
                result.hasAllocation() ? number(result.allocBytesPerOp()) : "n/a", row.verdict().name());
        }
        table.print(out);
        if (rows.isEmpty()) {
            out.println("alloc-check FAILED: no benchmark selected"
                + (include == null ? "" : " by " + include.pattern()) + ", nothing was checked");
            return FLAGGED;
        }
        if (AllocationCheck.passed(rows)) {
            out.printf(Locale.ROOT, "alloc-check passed: %d benchmarks at most %s B/op%n", rows.size(),
                plain(maxBytesPerOp));
            return PASS;
        }
        for (AllocationCheck.Row row : rows) {
            JmhResult result = row.result();
            if (row.verdict() == AllocationCheck.Verdict.ALLOCATES) {
                out.printf(Locale.ROOT, "ALLOCATES %s: %s B/op (limit %s B/op)%n", result.key(),
                    number(result.allocBytesPerOp()), plain(maxBytesPerOp));
            } else if (row.verdict() == AllocationCheck.Verdict.NOT_MEASURED) {
                out.printf(Locale.ROOT, "NOT MEASURED %s: no %s in the results (run with -prof gc)%n",
                    result.key(), JmhResults.ALLOC_NORM);
            }
        }
        out.println("alloc-check FAILED");
        return FLAGGED;
    }

    /** Writes BASELINE with every entry of FRESH in place of the entry of the same key, new ones appended. */
    static int merge(Path baselineFile, Path freshFile, Path outFile, PrintStream out) throws IOException {
        JsonNode fresh = JmhResults.readTree(freshFile);
        JmhResults.parse(fresh);
        JsonNode baseline = Files.exists(baselineFile)
            ? JmhResults.readTree(baselineFile) : JmhResults.mapper().createArrayNode();
        Map<String, JsonNode> freshByKey = new LinkedHashMap<>();
        for (int i = 0; i < fresh.size(); i++) {
            freshByKey.put(JmhResults.entry(fresh.get(i), i).key(), fresh.get(i));
        }
        ArrayNode merged = JmhResults.mapper().createArrayNode();
        int replaced = 0;
        for (int i = 0; i < baseline.size(); i++) {
            JsonNode replacement = freshByKey.remove(JmhResults.entry(baseline.get(i), i).key());
            if (replacement != null) {
                replaced++;
            }
            merged.add(replacement != null ? replacement : baseline.get(i));
        }
        int added = freshByKey.size();
        freshByKey.values().forEach(merged::add);
        JmhResults.mapper().writerWithDefaultPrettyPrinter().writeValue(outFile.toFile(), merged);
        out.printf(Locale.ROOT, "merged into %s: %d replaced, %d added, %d kept%n", outFile, replaced, added,
            merged.size() - replaced - added);
        return PASS;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** The error column: JMH's 99.9% confidence half-width, empty when it has none (fewer than 3 iterations). */
    private static String error(JmhResult result) {
        return Double.isNaN(result.scoreError()) ? "" : "± " + number(result.scoreError());
    }

    /** A setting as the user typed it: 10 rather than 10.000. */
    private static String plain(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Positional file arguments and {@code --name value} options after the command. */
    private static final class Options {
        final String command;
        final List<String> files = new ArrayList<>();
        final Map<String, String> named = new LinkedHashMap<>();

        private Options(String command) {
            this.command = command;
        }

        static Options parse(String[] args) {
            Options options = new Options(args[0]);
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    options.named.put(args[i], args[++i]);
                } else {
                    options.files.add(args[i]);
                }
            }
            return options;
        }

        void expectFiles(int count) {
            if (files.size() != count) {
                throw new IllegalArgumentException(command + " takes " + count + " file(s), got " + files.size());
            }
            for (String name : named.keySet()) {
                if (!allowed(name)) {
                    throw new IllegalArgumentException(command + " has no option " + name);
                }
            }
        }

        private boolean allowed(String name) {
            switch (command) {
                case "compare":
                    return name.equals("--threshold-percent");
                case "alloc-check":
                    return name.equals("--max-bytes-per-op") || name.equals("--include");
                default:
                    return false;
            }
        }

        Path file(int index) {
            return Path.of(files.get(index));
        }

        double number(String name, double fallback) {
            String value = named.get(name);
            if (value == null) {
                return fallback;
            }
            try {
                double number = Double.parseDouble(value);
                if (!(number >= 0) || Double.isInfinite(number)) {
                    throw new IllegalArgumentException(name + " must be a non-negative number: " + value);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number: " + value, e);
            }
        }

        Pattern pattern(String name) {
            String value = named.get(name);
            if (value == null || value.isEmpty()) {
                return null;
            }
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(name + " is not a regular expression: " + value, e);
            }
        }
    }
}
