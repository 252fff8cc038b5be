using Repro.Data;
using Repro.Data.KineticsSounds;
using Repro.Data.Prepare;
using Repro.Data.VggSound;
using Xunit.Abstractions;

namespace Repro.Tests.Data.Prepare;

/// <summary>
/// `prepare` from raw videos: a tiny video made with ffmpeg itself (reported as Skipped, with the reason, where ffmpeg
/// cannot be had; under CI=true that fails instead: the test project's build installs ffmpeg).
/// </summary>
public class DataPreparerTests(ITestOutputHelper output)
{

    static void Video(string ffmpeg, string path, double hz)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Ffmpeg.Exec(ffmpeg, ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=2.5", "-f", "lavfi", "-i", $"sine=frequency={hz}:sample_rate=16000:duration=2.5",
            "-shortest", "-c:v", "mpeg4", "-c:a", "aac", path], path);
    }

    [SkippableFact]
    public void VggSoundFromRawVideosCountsTheAbsentClips()
    {
        var ffmpeg = Requires.Ffmpeg(output.WriteLine);
        var raw = TestPaths.TempDir("vggsound-raw");
        Video(ffmpeg, Path.Combine(raw, "videos", "aaaaaaaaaaa_000030.mp4"), 440);
        Video(ffmpeg, Path.Combine(raw, "videos", "bbbbbbbbbbb_000002.mp4"), 880);
        // three listed clips; the third was never downloaded
        File.WriteAllText(Path.Combine(raw, VggSoundCsv.FileName), "aaaaaaaaaaa,30,\"tone, low\",train\nbbbbbbbbbbb,2,tone high,test\nccccccccccc,5,tone high,train\n");
        var outDir = TestPaths.TempDir("vggsound-out");
        var prep = new DataPreparer { Raw = raw, Out = outDir, Log = output.WriteLine };
        prep.Run(p => p.VggSound());
        Assert.Equal((2, 1), (prep.Done, prep.Absent.Count));
        Assert.Contains("ccccccccccc_000005", prep.Absent.Dropped.Single().Id);
        Assert.True(File.Exists(VggSoundDataset.AudioPath(outDir, "train", "aaaaaaaaaaa_000030")));
        Assert.Equal(3, Directory.GetFiles(VggSoundDataset.FramePath(outDir, "test", "bbbbbbbbbbb_000002"), "*.jpg").Length);
        Assert.Throws<FileNotFoundException>(() => new VggSoundDataset(outDir, "train"));
        var train = new VggSoundDataset(outDir, "train", new VggSoundOptions { ImageSize = 16, MissingFiles = MissingFilePolicy.Drop });
        Assert.Equal((1, 1), (train.Count, train.Coverage.MissingFiles));
        Assert.Equal(["tone high", "tone, low"], train.Info.ClassNames);
        using (TorchSharp.torch.NewDisposeScope())
            Assert.Equal([129L, 626L], train.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
        var again = new DataPreparer { Raw = raw, Out = outDir };
        again.Run(p => p.VggSound());
        Assert.Equal((0, 2, 1), (again.Done, again.Skipped, again.Absent.Count));
    }

    [SkippableFact]
    public void KineticsSoundsFromRawVideosBothLayoutsResumable()
    {
        var ffmpeg = Requires.Ffmpeg(output.WriteLine);
        var raw = TestPaths.TempDir("ks-raw");
        Video(ffmpeg, Path.Combine(raw, "clips", "aaaaaaaaaaa_000001_000011.mp4"), 440);
        Video(ffmpeg, Path.Combine(raw, "clips", "bbbbbbbbbbb_000002_000012.mp4"), 880);
        File.WriteAllText(Path.Combine(raw, "my_train.txt"), "aaaaaaaaaaa_000001_000011,10,0\n");
        File.WriteAllText(Path.Combine(raw, "my_test.txt"), "bbbbbbbbbbb_000002_000012,10,1\n");
        File.WriteAllText(Path.Combine(raw, "classes.txt"), "tone low\ntone high\n");
        var outDir = TestPaths.TempDir("ks-out");
        var prep = new DataPreparer { Raw = raw, Out = outDir, Protocol = "ogm-ge", Log = output.WriteLine };
        prep.Run(p => p.Ks());
        Assert.Equal(2, prep.Done);
        var frames = Directory.GetFiles(Path.Combine(outDir, KsDataset.FrameFolder, "aaaaaaaaaaa_000001_000011"), "*.jpg").Order().ToArray();
        Assert.Equal(["00000.jpg", "00001.jpg", "00002.jpg"], frames.Select(Path.GetFileName));
        var ds = new KsDataset(outDir, "train", KsProtocol.OgmGe, new KsOptions { ImageSize = 16 });
        Assert.Equal(["tone low", "tone high"], ds.Info.ClassNames);
        using (TorchSharp.torch.NewDisposeScope())
            Assert.Equal([1024L, 128L], ds.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
        var again = new DataPreparer { Raw = raw, Out = outDir, Protocol = "ogm-ge" };
        again.Run(p => p.Ks());
        Assert.Equal((0, 2), (again.Done, again.Skipped));

        // DGL: class folders
        var rawDgl = TestPaths.TempDir("ks-raw-dgl");
        Video(ffmpeg, Path.Combine(rawDgl, "train", "tone_low", "ccccccccccc_000003_000013.mp4"), 440);
        Video(ffmpeg, Path.Combine(rawDgl, "val", "tone_low", "ddddddddddd_000004_000014.mp4"), 440);
        var outDgl = TestPaths.TempDir("ks-out-dgl");
        new DataPreparer { Raw = rawDgl, Out = outDgl, Protocol = "dgl" }.Run(p => p.Ks());
        var test = new KsDataset(outDgl, "test", KsProtocol.Dgl, new KsOptions { ImageSize = 16 });
        Assert.Equal(1, test.Count);
        using (TorchSharp.torch.NewDisposeScope())
            Assert.Equal([129L, 626L], test.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
    }

    [SkippableFact]
    public void AClipThatCannotBeConvertedIsNamedAndFailsTheRun()
    {
        Requires.Ffmpeg(output.WriteLine);
        var raw = TestPaths.TempDir("ks-raw-bad");
        Directory.CreateDirectory(Path.Combine(raw, "clips"));
        File.WriteAllText(Path.Combine(raw, "clips", "broken_000001_000011.mp4"), "not a video");
        File.WriteAllText(Path.Combine(raw, "my_train.txt"), "broken_000001_000011,10,0\nabsent_000001_000011,10,0\n");
        File.WriteAllText(Path.Combine(raw, "my_test.txt"), "");
        var prep = new DataPreparer { Raw = raw, Out = TestPaths.TempDir("ks-out-bad"), Protocol = "ogm-ge" };
        var e = Assert.Throws<BadInputsException>(() => prep.Run(p => p.Ks()));
        Assert.Contains("1 bad inputs", e.Message);
        Assert.Contains("broken_000001_000011.mp4", e.Message);
        Assert.Contains(prep.ReportPath, e.Message);
        Assert.DoesNotContain("absent_000001_000011", e.Message);   // absent from the raw folder: counted, not a failure
        Assert.Contains(prep.Failed.Dropped, d => d.Reason.Contains("broken_000001_000011.mp4"));
        Assert.Contains(prep.Absent.Dropped, d => d.Id == "absent_000001_000011");
        Assert.True(File.Exists(prep.ReportPath));
    }
}
