using System.Text.Json.Nodes;
using Repro.Data;
using Repro.Data.KineticsSounds;
using Repro.Experiments;
using Repro.Experiments.Datasets;
using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Tests.Experiments;

/// <summary>
/// A real download lacks some listed files (issue 22): a Kinetics-Sounds stand-in given with --data, some of its listed
/// clips deleted. The default stops counting the missing clips per split and names the setting; missing-files=drop
/// trains on what is present, records the counts in run.json, and gives copies with different holes different run keys.
/// </summary>
public class MissingFilesTests
{
    /// <summary>A stand-in of 4 train and 2 test clips per class (6 classes) in OGM-GE's layout, written once and copied.</summary>
    static readonly Lazy<string> Original = new(() =>
    {
        var dir = Path.Combine(TestPaths.TempDir("ks-missing"), "standin");
        StandIns.Write("ks", "ogm-ge", dir, new StandInSize(4, 2), 0);
        return dir;
    });

    static string Copy()
    {
        var dir = Path.Combine(TestPaths.TempDir("ks-copy"), "data");
        foreach (var f in Directory.EnumerateFiles(Original.Value, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir, Path.GetRelativePath(Original.Value, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return dir;
    }

    static List<(string Id, int Label)> Listed(string root, string split) =>
        KsDataset.ReadOgmGeList(Path.Combine(root, split == "train" ? "my_train.txt" : "my_test.txt")).Select(x => (x.Id, x.Label)).ToList();

    /// <summary>Deletes the fbank file of some listed clips (as a clip gone from YouTube never gets one).</summary>
    static void Delete(string root, string split, params int[] lines)
    {
        foreach (var i in lines) File.Delete(Path.Combine(root, KsDataset.FbankFolder, Listed(root, split)[i].Id + ".npy"));
    }

    [Fact]
    public void TheDefaultStopsCountingTheMissingPerSplitAndNamesTheSetting()
    {
        var root = Copy();
        Delete(root, "train", 0, 5, 9);
        Delete(root, "test", 1);
        var e = Assert.Throws<MissingFilesException>(() => DatasetCatalog.Open("ks", root, Profile.Smoke, TestPaths.TempDir("results")));
        Assert.Contains("4 listed example(s) have missing files (train 3 of 24, test 1 of 12)", e.Message);
        Assert.Contains("missing-files=drop", e.Message);
        Assert.Contains("--dataset ks:missing-files=drop", e.Message);
        Assert.Contains(Listed(root, "train")[5].Id, e.Message);
        Assert.Equal([3, 1], e.Coverage.Select(c => c.Dropped));

        // the setting is declared for every dataset whose lists name files, and checked
        Assert.All(DatasetRegistry.All, d => Assert.Equal(d.ListsFiles, DatasetRegistry.Settings(d.Id).Any(s => s.Name == MissingFiles.Name)));
        Assert.Contains("expected error or drop", Assert.Throws<ArgumentException>(() => DatasetCatalog.Open("ks:missing-files=skip", root, Profile.Smoke, TestPaths.TempDir("results"))).Message);
    }

    [Theory]
    [InlineData("cremad", "AudioWAV")]
    [InlineData("food101", "images/train")]
    [InlineData("mmimdb", null)]
    [InlineData("iemocap", "features/wav2vec-large-c-UTT")]
    public void EveryDatasetWhoseListsNameFilesTakesTheSetting(string dataset, string? folder)
    {
        var root = Path.Combine(TestPaths.TempDir($"{dataset}-missing"), "data");
        StandIns.Write(dataset, null, root, new StandInSize(2, 1), 0);
        var victim = folder is not null
            ? Directory.GetFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First()
            : Path.Combine(root, "dataset", JsonNode.Parse(File.ReadAllText(Path.Combine(root, "split.json")))!["train"]![0]! + ".jpeg");
        File.Delete(victim);
        var results = TestPaths.TempDir("results");
        var e = Assert.Throws<MissingFilesException>(() => DatasetCatalog.Open(dataset, root, Profile.Smoke, results));
        Assert.Contains("1 listed example(s) have missing files", e.Message);
        Assert.Contains($"--dataset {dataset}:missing-files=drop", e.Message);
        var ds = DatasetCatalog.Open($"{dataset}:missing-files=drop", root, Profile.Smoke, results);
        Assert.Equal(1, ds.Coverage.Sum(c => c.Dropped));
        Assert.Equal(ds.Coverage.Sum(c => c.Listed) - 1, ds.Coverage.Sum(c => c.Present));
    }

    [Fact]
    public void EverySplitMissingEverythingIsStillCountedPerSplit()
    {
        var root = Copy();
        Delete(root, "test", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        var e = Assert.Throws<MissingFilesException>(() => DatasetCatalog.Open("ks", root, Profile.Smoke, TestPaths.TempDir("results")));
        Assert.Contains("(train 0 of 24, test 12 of 12)", e.Message);
        Assert.Contains(Listed(root, "test")[0].Id, e.Message);   // the examples of the split that has nothing left are named
    }

    [Fact]
    public void DropOpensWhatIsPresentAndCountsItPerSplitAndClass()
    {
        var root = Copy();
        Delete(root, "train", 0, 5, 9);
        Delete(root, "test", 1);
        var ds = DatasetCatalog.Open("ks:missing-files=drop", root, Profile.Smoke, TestPaths.TempDir("results"));
        Assert.Equal((21, 11), (ds.Train.Count, ds.Test.Count));
        var (train, test) = (ds.Coverage[0], ds.Coverage[1]);
        Assert.Equal(("train", 24, 21, 3), (train.Split, train.Listed, train.Present, train.Dropped));
        Assert.Equal(("test", 12, 11, 1), (test.Split, test.Listed, test.Present, test.Dropped));
        Assert.Equal(KsStandIn.Classes, train.Classes.Select(c => c.Class));
        Assert.Equal(24, train.Classes.Sum(c => c.Listed));
        var lost = Listed(root, "train")[5].Label;
        Assert.True(train.Classes[lost].Dropped >= 1);
        Assert.Equal(3, train.Classes.Sum(c => c.Dropped));
        Assert.Contains("train 21 of 24 present (87.5%, 3 dropped)", SplitCoverage.Describe(ds.Coverage));
    }

    [Fact]
    public void CopiesWithDifferentFilesPresentGetDifferentRunKeysAndOtherRunsKeepTheirs()
    {
        var (a, b) = (Copy(), Copy());
        Delete(a, "train", 0);
        Delete(b, "train", 1);
        string Key(string root, string dataset = "ks:missing-files=drop")
        {
            var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
            return runner.Identify(ExperimentRunner.TrainSpec(dataset, Profile.Smoke, "concat", dataRoot: root)).Key;
        }
        Assert.NotEqual(Key(a), Key(b));
        Assert.Equal(Key(a), Key(a));
        // filling the hole later trains anew
        var complete = Copy();
        var keyWithHole = Key(a);
        File.Copy(Path.Combine(complete, KsDataset.FbankFolder, Listed(a, "train")[0].Id + ".npy"), Path.Combine(a, KsDataset.FbankFolder, Listed(a, "train")[0].Id + ".npy"));
        Assert.NotEqual(keyWithHole, Key(a));
        // without missing-files=drop the identity holds no digest: every earlier key stays (RunKeyGoldenTests)
        var plain = ExperimentRunner.TrainSpec("ks", Profile.Smoke, "concat", dataRoot: complete);
        Assert.Equal(plain.Key, Key(complete, "ks"));
        Assert.Null(new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))).Identify(plain).PresentSamples);
        // a spec under drop refuses to name a run before the data says what is present
        Assert.Throws<InvalidOperationException>(() => ExperimentRunner.TrainSpec("ks:missing-files=drop", Profile.Smoke, "concat", dataRoot: a).Key);
    }

    [Fact]
    public void TrainingWithDropRecordsTheCountsInRunJsonAndTheTableCaption()
    {
        var root = Copy();
        Delete(root, "train", 0, 5, 9);
        Delete(root, "test", 1);
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        var result = runner.Train("ks:missing-files=drop", Profile.Smoke, "concat", dataRoot: root);
        Assert.NotNull(result.DataCoverage);
        Assert.Equal(11, (int)result.Test["n"]);
        var spec = runner.Identify(ExperimentRunner.TrainSpec("ks:missing-files=drop", Profile.Smoke, "concat", dataRoot: root));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(store.RunDirectory(spec), "run.json")))!;
        var splits = json["dataCoverage"]!.AsArray();
        Assert.Equal(["train", "test"], splits.Select(s => (string)s!["split"]!));
        Assert.Equal([24, 12], splits.Select(s => (int)s!["listed"]!));
        Assert.Equal([21, 11], splits.Select(s => (int)s!["present"]!));
        Assert.Equal([3, 1], splits.Select(s => (int)s!["dropped"]!));
        Assert.Equal(6, splits[0]!["classes"]!.AsArray().Count);
        Assert.Equal(spec.PresentSamples, (string?)json["spec"]!["presentSamples"]);
        Assert.True(runner.Run(spec).Reused);

        // a table on the same copy: every run carries the setting, and the caption says what was dropped
        var plan = TableRunner.Plan(MlaTable1.Spec, "ks:missing-files=drop", root, Profile.Smoke, onlyColumns: ["Concat"]);
        Assert.All(plan.Runs, r => Assert.EndsWith(":missing-files=drop", r.Spec.Dataset));
        var table = TableRunner.Run(runner, MlaTable1.Spec, "ks:missing-files=drop", root, Profile.Smoke, onlyColumns: ["Concat"]);
        Assert.Equal("ks", table.Dataset);
        Assert.Contains("missing files dropped: train 21 of 24 present (87.5%, 3 dropped); test 11 of 12 present (91.7%, 1 dropped)", TableReport.Caption(table));
        Assert.Contains("\"dataCoverage\"", TableReport.ToJson(table));
    }
}
