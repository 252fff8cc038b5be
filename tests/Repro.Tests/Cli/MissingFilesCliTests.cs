using System.Text.Json.Nodes;
using Repro.Data.KineticsSounds;
using Repro.Data.Prepare;
using Repro.Experiments.Datasets;
using Xunit.Abstractions;
using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>
/// Issue 22 as a user meets it: a raw Kinetics-Sounds folder holding the OGM-GE-format lists (the stand-in's: 24 train and
/// 12 test clips) and only a few of the videos. `prepare` succeeds with its report, the default `train` stops naming the
/// count and the setting, `train --dataset ks:missing-files=drop` trains and records the dropped counts, and `verify
/// --allow-missing` reports coverage per split and class.
/// </summary>
[Collection("Console")]
public class MissingFilesCliTests(ITestOutputHelper output)
{
    static void Video(string ffmpeg, string path, double hz)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Ffmpeg.Exec(ffmpeg, ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2.5", "-f", "lavfi", "-i", $"sine=frequency={hz}:sample_rate=16000:duration=2.5",
            "-shortest", "-c:v", "mpeg4", "-c:a", "aac", path], path);
    }

    static List<(string Id, int Label)> Listed(string root, string list) => KsDataset.ReadOgmGeList(Path.Combine(root, list)).Select(x => (x.Id, x.Label)).ToList();

    [SkippableFact]
    public void PrepareOnAPartialDownloadSucceedsWithItsReportAndTrainingDropsWhatIsAbsent()
    {
        var ffmpeg = Requires.Ffmpeg(output.WriteLine);
        var lists = Path.Combine(TestPaths.TempDir("ks-lists"), "standin");
        StandIns.Write("ks", "ogm-ge", lists, new StandInSize(4, 2), 0);
        var raw = TestPaths.TempDir("ks-raw-partial");
        foreach (var f in new[] { "my_train.txt", "my_test.txt", KsDataset.ClassesFile }) File.Copy(Path.Combine(lists, f), Path.Combine(raw, f));
        // two train clips of each of the first three classes, one test clip of each of the first two: 8 of 36 listed
        var train = Listed(raw, "my_train.txt");
        var test = Listed(raw, "my_test.txt");
        var present = Enumerable.Range(0, 3).SelectMany(c => train.Where(x => x.Label == c).Take(2))
            .Concat(Enumerable.Range(0, 2).Select(c => test.First(x => x.Label == c))).ToList();
        foreach (var (id, label) in present) Video(ffmpeg, Path.Combine(raw, "clips", id + ".mp4"), 200 + 150 * label);

        var outDir = Path.Combine(TestPaths.TempDir("ks-prepared"), "data");
        var (code, text, err) = Run("data", "prepare", "ks", "--raw", raw, "--out", outDir);
        output.WriteLine(text + err);
        Assert.True(code == 0, err);
        var reportPath = Path.Combine(outDir, PrepareReport.FileName);
        Assert.Contains($"warning: 28 of 36 listed item(s) are absent from the raw folder (train 18, test 10) and were left out; all of them are in {reportPath}", text);
        Assert.Equal(10, text.Split('\n').Count(l => l.StartsWith("  train ") || l.StartsWith("  test ")));   // at most 10 named
        Assert.Contains("and 18 more", text);
        Assert.Contains("--dataset ks:missing-files=drop", text);
        var report = JsonNode.Parse(File.ReadAllText(reportPath))!;
        Assert.Equal((36, 8, 0, 28, 0), ((int)report["listed"]!, (int)report["prepared"]!, (int)report["alreadyPresent"]!, (int)report["absent"]!, (int)report["failed"]!));
        Assert.Equal((24, 6, 18), ((int)report["splits"]!["train"]!["listed"]!, (int)report["splits"]!["train"]!["prepared"]!, (int)report["splits"]!["train"]!["absent"]!));
        Assert.Equal(28, report["absentItems"]!.AsArray().Count);
        Assert.Contains(report["absentItems"]!.AsArray(), i => (string)i!["reason"]! is var r && r.Contains("no video") && r.Contains("my_train.txt"));

        // again: everything present is already there, the absent ones still counted
        (code, text, err) = Run("data", "prepare", "ks", "--raw", raw, "--out", outDir);
        Assert.True(code == 0, err);
        report = JsonNode.Parse(File.ReadAllText(reportPath))!;
        Assert.Equal((0, 8, 28), ((int)report["prepared"]!, (int)report["alreadyPresent"]!, (int)report["absent"]!));

        var results = TestPaths.TempDir("results");
        (code, _, err) = Run("train", "--method", "concat", "--dataset", "ks", "--data", outDir, "--profile", "smoke", "--results", results);
        Assert.Equal(1, code);
        Assert.Contains("28 listed example(s) have missing files (train 18 of 24, test 10 of 12)", err);
        Assert.Contains("--dataset ks:missing-files=drop", err);
        Assert.False(HasStackTrace(err));

        (code, text, err) = Run("train", "--method", "concat", "--dataset", "ks:missing-files=drop", "--data", outDir, "--profile", "smoke", "--results", results);
        output.WriteLine(text + err);
        Assert.True(code == 0, err);
        Assert.Contains("missing files dropped: train 6 of 24 present (25.0%, 18 dropped); test 2 of 12 present (16.7%, 10 dropped)", text);
        var runJson = Directory.GetFiles(Path.Combine(results, "runs"), "run.json", SearchOption.AllDirectories).Single();
        var run = JsonNode.Parse(File.ReadAllText(runJson))!;
        Assert.Equal([18, 10], run["dataCoverage"]!.AsArray().Select(s => (int)s!["dropped"]!));
        Assert.Equal(28, (int)run["droppedExamples"]!);
        Assert.NotNull(run["spec"]!["presentSamples"]);
    }

    [SkippableFact]
    public void APresentClipThatFailsToConvertFailsPrepareNamingItAndTheReport()
    {
        Requires.Ffmpeg(output.WriteLine);
        var raw = TestPaths.TempDir("ks-raw-broken");
        Directory.CreateDirectory(Path.Combine(raw, "clips"));
        File.WriteAllText(Path.Combine(raw, "clips", "broken_000001_000011.mp4"), "not a video");
        File.WriteAllText(Path.Combine(raw, "my_train.txt"), "broken_000001_000011,10,0\nabsent_000001_000011,10,0\n");
        File.WriteAllText(Path.Combine(raw, "my_test.txt"), "");
        var outDir = TestPaths.TempDir("ks-out-broken");
        var (code, _, err) = Run("data", "prepare", "ks", "--raw", raw, "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains("broken_000001_000011.mp4", err);
        Assert.Contains(Path.Combine(outDir, PrepareReport.FileName), err);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, PrepareReport.FileName)))!;
        Assert.Equal((1, 1), ((int)report["absent"]!, (int)report["failed"]!));
    }

    [Fact]
    public void VerifyAllowMissingReportsCoveragePerSplitAndClass()
    {
        var dir = Path.Combine(TestPaths.TempDir("synth"), "ks");
        Assert.Equal(0, Run("synth", "ks", "--out", dir, "--train-per-class", "3", "--test-per-class", "2").Code);
        var train = Listed(dir, "my_train.txt");
        var lost = train.Where(x => x.Label == 2).ToList();   // all three train clips of one class, one of another
        foreach (var (id, _) in lost.Append(train.First(x => x.Label == 0))) File.Delete(Path.Combine(dir, KsDataset.FbankFolder, id + ".npy"));

        var (code, text, _) = Run("data", "verify", Path.Combine(dir, "manifest.json"), "--root", dir);
        Assert.Equal(1, code);
        Assert.Contains("FAIL", text);

        (code, text, var err) = Run("data", "verify", Path.Combine(dir, "manifest.json"), "--root", dir, "--allow-missing");
        output.WriteLine(text + err);
        Assert.True(code == 0, text + err);
        Assert.Contains("coverage train: 14 of 18 listed present (77.8%), 4 missing", text);
        Assert.Contains($"coverage train class {KsStandIn.Classes[2]}: 0 of 3 present (0.0%), lost 100.0%", text);
        Assert.Contains($"coverage train class {KsStandIn.Classes[0]}: 2 of 3 present (66.7%), lost 33.3%", text);
        Assert.Contains("coverage test: 12 of 12 listed present (100.0%), 0 missing", text);
        Assert.Contains("4 listed in the manifest are absent", text);
    }
}
