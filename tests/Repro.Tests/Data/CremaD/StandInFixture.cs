using Repro.Data.CremaD;
using Repro.Data.Manifests;
using Repro.Experiments.Datasets;

namespace Repro.Tests.Data.CremaD;

/// <summary>One small CREMA-D stand-in per test class (6 train / 3 test clips per class), written through the kit's generator.</summary>
public sealed class StandInFixture
{
    public StandInFixture()
    {
        Root = TestPaths.TempDir("standin");
        Manifest = StandInFixture.Write(Root, Recipe);
    }

    public static readonly CremaDStandInRecipe Recipe = new() { TrainPerClass = 6, TestPerClass = 3, Seed = 5 };

    /// <summary>The CREMA-D (OGM-GE) stand-in of a recipe's size and seed, written as `repro synth` writes it.</summary>
    public static DatasetManifest Write(string dir, CremaDStandInRecipe r) =>
        Repro.Experiments.Datasets.StandIns.Write("cremad", "ogm-ge", dir, new(r.TrainPerClass, r.TestPerClass), r.Seed);
    public string Root { get; }
    public Repro.Data.Manifests.DatasetManifest Manifest { get; }

    public CremaDDataset Open(string split, int imageSize = 32) =>
        new(Root, split, CremaDProtocol.OgmGe, new CremaDOptions { ImageSize = imageSize, SpectrogramSize = (64, 47), CacheFrames = true });
}
