package io.sfu.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scripts/bench merge DIR1 DIR2 ... --out DIR}: one report from the reports of the shards of a run. */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = "Combines the report.json of every shard of one run (same --run-id) into OUT/report.json and "
        + "OUT/report.html: counts add up, latency histograms merge exactly, each step is judged again.")
public final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Report folders (or report.json files).")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged report goes.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<LoadReport> reports = new ArrayList<>();
        for (Path input : inputs) {
            Path file = Files.isDirectory(input) ? input.resolve("report.json") : input;
            if (!Files.isRegularFile(file)) {
                System.err.println("merge: no report at " + file);
                return 2;
            }
            reports.add(LoadReport.read(file));
        }
        LoadReport merged;
        try {
            merged = ReportMerger.merge(reports);
        } catch (IllegalArgumentException e) {
            System.err.println("merge: " + e.getMessage());
            return 2;
        }
        merged.write(out.resolve("report.json"));
        HtmlReport.write(merged, out.resolve("report.html"));
        ResultTable.print(merged, System.out);
        System.out.println("merge: wrote " + out.resolve("report.json") + " and " + out.resolve("report.html"));
        return 0;
    }
}
