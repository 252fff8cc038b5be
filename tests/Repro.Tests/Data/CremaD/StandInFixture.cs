using Repro.Data.CremaD;
using Repro.Experiments.Datasets;

namespace Repro.Tests.Data.CremaD;

/// <summary>One small CREMA-D stand-in per test class (6 train / 3 test clips per class), written through the kit's generator.</summary>
public sealed class StandInFixture
{
    public StandInFixture()
    {
        Root = TestPaths.TempDir("standin");
        Manifest = DatasetCatalog.WriteCremaDStandIn(Root, Recipe);
    }

    public static readonly CremaDStandInRecipe Recipe = new() { TrainPerClass = 6, TestPerClass = 3, Seed = 5 };
    public string Root { get; }
    public Repro.Data.Manifests.DatasetManifest Manifest { get; }

    public CremaDDataset Open(string split, int imageSize = 32) =>
        new(Root, split, CremaDProtocol.OgmGe, new CremaDOptions { ImageSize = imageSize, SpectrogramSize = (64, 47), CacheFrames = true });
}
