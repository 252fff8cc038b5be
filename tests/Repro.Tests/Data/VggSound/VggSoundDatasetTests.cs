using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.VggSound;
using Repro.Experiments;
using Repro.Experiments.Datasets;
using static TorchSharp.torch;

namespace Repro.Tests.Data.VggSound;

public sealed class VggSoundStandInFixture
{
    public VggSoundStandInFixture()
    {
        Root = Path.Combine(TestPaths.TempDir("vggsound"), "standin");
        Manifest = StandIns.Write("vggsound", null, Root, new StandInSize(3, 2), 1);
    }

    public string Root { get; }
    public DatasetManifest Manifest { get; }
    public static readonly VggSoundOptions Small = new() { ImageSize = 24 };

    /// <summary>A copy of the stand-in to damage.</summary>
    public string Copy()
    {
        var dir = Path.Combine(TestPaths.TempDir("vggsound-copy"), "data");
        foreach (var f in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir, Path.GetRelativePath(Root, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return dir;
    }
}

public class VggSoundDatasetTests(VggSoundStandInFixture standIn) : IClassFixture<VggSoundStandInFixture>
{
    static IReadOnlyList<VggSoundRow> Rows(string root, string split) =>
        VggSoundCsv.Read(Path.Combine(root, VggSoundCsv.FileName)).Where(r => r.Split == split).ToList();

    [Fact]
    public void CsvReadsQuotedLabelsAndNamesEveryBadLine()
    {
        var dir = TestPaths.TempDir("vggsound-csv");
        var path = Path.Combine(dir, VggSoundCsv.FileName);
        File.WriteAllText(path, "\uFEFF---g-f_I2yQ,1,people marching,test\nGteozUDpJRc,30,\"engine accelerating, revving, vroom\",train\n\nx\"y,7,\"say \"\"hi\"\"\",train\n");
        var rows = VggSoundCsv.Read(path);
        Assert.Equal(["---g-f_I2yQ_000001", "GteozUDpJRc_000030", "x\"y_000007"], rows.Select(r => r.ClipId));
        Assert.Equal(["people marching", "engine accelerating, revving, vroom", "say \"hi\""], rows.Select(r => r.Label));
        Assert.Equal(["test", "train", "train"], rows.Select(r => r.Split));
        Assert.Equal(4, rows[2].Line);
        // the writer quotes what the reader unquotes
        Assert.Equal(File.ReadAllText(path).TrimStart('\uFEFF').Replace("\n\n", "\n"), VggSoundCsv.Format(rows.Select(r => (r.YoutubeId, r.StartSeconds, r.Label, r.Split))));

        File.WriteAllText(path, "a,1,dog barking,train\nb,1,dog barking\nc,1.5,dog barking,train\nd,2,dog barking,val\na,1,cat purring,test\ne,3,\"dog, barking,train\n");
        var e = Assert.Throws<BadInputsException>(() => VggSoundCsv.Read(path));
        foreach (var expected in new[] { "line 2: expected 4", "line 3: the start second (field 2) is '1.5'", "line 4: the split (field 4) is 'val'", "line 5: clip a_000001 is listed twice (first on line 1)", "line 6: expected 4" })
            Assert.Contains($"{path}, {expected}", e.Message);
        Assert.Contains("e.g. ---g-f_I2yQ,1,people marching,test", Assert.Throws<FileNotFoundException>(() => VggSoundCsv.Read(Path.Combine(dir, "absent.csv"))).Message);
    }

    [Fact]
    public void LoaderReadsTheStandInWithSortedClassesAndDglsInputs()
    {
        var train = new VggSoundDataset(standIn.Root, "train", VggSoundStandInFixture.Small);
        var test = new VggSoundDataset(standIn.Root, "test", VggSoundStandInFixture.Small);
        Assert.Equal(3 * 6, train.Count);
        Assert.Equal(2 * 6, test.Count);
        var sorted = VggSoundStandIn.Classes.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(sorted, train.Info.ClassNames);
        Assert.Equal(standIn.Manifest.Classes, train.Info.ClassNames);
        // each clip carries its CSV row's label, numbered in sorted order
        var rows = Rows(standIn.Root, "test");
        Assert.Equal(rows.Select(r => r.ClipId), Enumerable.Range(0, test.Count).Select(test.NameOf));
        Assert.Equal(rows.Select(r => Array.IndexOf(sorted, r.Label)), Enumerable.Range(0, test.Count).Select(test.LabelOf));
        Assert.Equal([129L, 626L], test.Info.Modality("audio").Shape);
        using var scope = NewDisposeScope();
        var eval = test.Get(0, SampleMode.Eval, 0);
        Assert.Equal([129L, 626L], eval.Inputs["audio"]!.shape);
        Assert.Equal([3L, 3L, 24L, 24L], eval.Inputs["visual"]!.shape);
        // evaluation reads the first 5 s of the clip's WAV, whatever the seed; training draws its window
        var wav = VggSoundDataset.AudioPath(standIn.Root, "test", test.NameOf(0));
        Assert.True(eval.Inputs["audio"]!.allclose(Repro.Data.Audio.LogSpectrogram.Dgl(wav, null)));
        Assert.True(eval.Inputs["audio"]!.allclose(test.Get(0, SampleMode.Eval, 7).Inputs["audio"]!));
        Assert.False(train.Get(0, SampleMode.Train, 1).Inputs["audio"]!.allclose(train.Get(0, SampleMode.Train, 2).Inputs["audio"]!));
        var resized = new VggSoundDataset(standIn.Root, "test", VggSoundStandInFixture.Small with { AudioSize = (32, 64) });
        Assert.Equal([32L, 64L], resized.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
    }

    [Fact]
    public void OfficialClassOrderNumbersLabelsWhereTheirFirstUsableTrainingClipIsListed()
    {
        var official = new VggSoundDataset(standIn.Root, "test", VggSoundStandInFixture.Small with { ClassOrder = VggSoundClassOrder.Official });
        Assert.Equal(VggSoundStandIn.Classes, official.Info.ClassNames);   // the generator lists the classes in this order
        var root = standIn.Copy();
        var first = Rows(root, "train")[0];   // the first training row, of the first class
        File.Delete(VggSoundDataset.AudioPath(root, "train", first.ClipId));
        var dropped = new VggSoundDataset(root, "train", VggSoundStandInFixture.Small with { ClassOrder = VggSoundClassOrder.Official, MissingFiles = MissingFilePolicy.Drop });
        // the first class's next clip comes after one clip of every other class
        Assert.Equal([.. VggSoundStandIn.Classes[1..], VggSoundStandIn.Classes[0]], dropped.Info.ClassNames);
    }

    [Fact]
    public void AbsentClipsAreRefusedListingEachOrDroppedAndCountedWhenAsked()
    {
        var root = standIn.Copy();
        var rows = Rows(root, "train");
        var noWav = VggSoundDataset.AudioPath(root, "train", rows[1].ClipId);
        var noFrames = VggSoundDataset.FramePath(root, "train", rows[4].ClipId);
        var fewFrames = VggSoundDataset.FramePath(root, "train", rows[7].ClipId);
        File.Delete(noWav);
        Directory.Delete(noFrames, true);
        foreach (var f in Directory.GetFiles(fewFrames).Order().Skip(2)) File.Delete(f);
        var e = Assert.ThrowsAny<IOException>(() => new VggSoundDataset(root, "train", VggSoundStandInFixture.Small));
        var csv = Path.Combine(root, VggSoundCsv.FileName);
        Assert.Contains($"{csv}, line {rows[1].Line}: clip {rows[1].ClipId}: audio file {noWav} not found", e.Message);
        Assert.Contains($"{csv}, line {rows[4].Line}: clip {rows[4].ClipId}: frame folder {noFrames} not found", e.Message);
        Assert.Contains($"clip {rows[7].ClipId}: frame folder {fewFrames} has 2 .jpg file(s), fewer than the 3 frames a clip needs", e.Message);

        var kept = new VggSoundDataset(root, "train", VggSoundStandInFixture.Small with { MissingFiles = MissingFilePolicy.Drop });
        Assert.Equal(rows.Count - 3, kept.Count);
        Assert.Equal([rows[1].ClipId, rows[4].ClipId, rows[7].ClipId], kept.Coverage.DroppedItems.Select(d => d.Id));
        Assert.DoesNotContain(rows[4].ClipId, Enumerable.Range(0, kept.Count).Select(kept.NameOf));

        // through --dataset: the default counts them per split and names the setting; missing-files=drop opens what is present
        var results = TestPaths.TempDir("results");
        var m = Assert.Throws<MissingFilesException>(() => DatasetCatalog.Open("vggsound", root, Profile.Smoke, results));
        Assert.Contains("3 listed example(s) have missing files (train 3 of 18, test 0 of 12)", m.Message);
        Assert.Contains("--dataset vggsound:missing-files=drop", m.Message);
        var opened = DatasetCatalog.Open("vggsound:missing-files=drop", root, Profile.Smoke, results);
        Assert.Equal([15, 12], opened.Coverage!.Select(c => c.Present));
        Assert.Equal(6, opened.Train.Info.NumClasses);
    }

    [Fact]
    public void VerifyPassesOnTheStandInAndListsEveryProblemOfADamagedCopy()
    {
        var ok = ManifestVerifier.Verify(standIn.Manifest, standIn.Root, s => DatasetCatalog.OpenSplit(standIn.Manifest, standIn.Root, s), deep: true);
        Assert.True(ok.Ok, ok.ToText());

        var root = standIn.Copy();
        var train = Rows(root, "train");
        var test = Rows(root, "test");
        var wav = VggSoundDataset.AudioPath(root, "train", train[2].ClipId);
        var frames = VggSoundDataset.FramePath(root, "test", test[3].ClipId);
        var jpeg = Directory.GetFiles(VggSoundDataset.FramePath(root, "train", train[5].ClipId)).Order().First();
        File.Delete(wav);
        Directory.Delete(frames, true);
        File.WriteAllBytes(jpeg, [1, 2, 3]);
        var report = ManifestVerifier.Verify(standIn.Manifest, root, s => DatasetCatalog.OpenSplit(standIn.Manifest, root, s), deep: true);
        Assert.False(report.Ok);
        var text = report.ToText();
        Assert.Contains($"FAIL file: {wav}: listed in the manifest, not found", text);
        Assert.Contains($"FAIL checksum: {jpeg}", text);
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "split train" && c.Detail.Contains(train[2].ClipId));
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "split test" && c.Detail.Contains(frames));

        // a download that lacks clips: --allow-missing counts them per split and class; the damaged frame still fails
        var partial = ManifestVerifier.Verify(standIn.Manifest, root, s => DatasetCatalog.OpenSplit(standIn.Manifest, root, s, MissingFilePolicy.Drop), allowMissing: true);
        Assert.Contains(partial.Checks, c => c.What == "coverage train" && c.Detail.StartsWith("17 of 18 listed present"));
        Assert.Contains(partial.Checks, c => c.What == "coverage test" && c.Detail.StartsWith("11 of 12 listed present"));
        Assert.Contains(partial.Checks, c => !c.Ok && c.What == "checksum");
    }

    [Fact]
    public void TheRealManifestNamesThe309ClassesInTheLoadersOrder()
    {
        var m = DatasetManifest.Load(Path.Combine(TestPaths.RepoRoot, "data-manifests", "vggsound-dgl.json"));
        Assert.Equal(("vggsound", "dgl"), (m.Dataset, m.Protocol));
        Assert.Equal(309, m.Classes.Length);
        Assert.Equal(m.Classes.Order(StringComparer.Ordinal), m.Classes);
        Assert.Equal(15446, m.Splits["test"].Count);
        Assert.All(VggSoundStandIn.Classes, c => Assert.Contains(c, m.Classes));   // the stand-in's labels are real ones
        // a CSV whose labels differ from the manifest's is named by verify
        var e = Assert.Throws<InvalidDataException>(() => DatasetCatalog.OpenSplit(m, standIn.Root, "test"));
        Assert.Contains("6 distinct labels, the manifest names 309", e.Message);
        Assert.Contains("not in the CSV: 'air conditioning noise'", e.Message);
    }
}
