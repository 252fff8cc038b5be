using Repro.Data;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Data;

public class BatchPrefetcherTests
{
    /// <summary>
    /// A dataset whose samples depend on their seed (a seeded crop offset and noise) and go through a reduction large
    /// enough for libtorch to split across threads (mean over 2 x 160 x 160 values), as spectrogram normalisation does.
    /// </summary>
    sealed class Augmented(int count, Func<int, bool>? fails = null) : IMultimodalDataset
    {
        public DatasetInfo Info { get; } = new("augmented", [new ModalitySpec("x", [2, 160, 160])], ["a", "b", "c"]);
        public int Count => count;
        public int LabelOf(int index) => index % 3;

        public Sample Get(int index, SampleMode mode, ulong seed)
        {
            if (fails?.Invoke(index) == true) throw new InvalidDataException($"sample {index}: unreadable");
            var rng = new Rng(seed);
            using var scope = NewDisposeScope();
            var x = arange(2 * 180 * 180, ScalarType.Float32).reshape(2, 180, 180).sin();
            int dy = rng.NextInt(20), dx = rng.NextInt(20);
            x = x[.., dy..(dy + 160), dx..(dx + 160)] * (float)rng.NextUniform(0.5, 1.5);
            x = (x - x.mean()) / x.std();
            return new Sample { Index = index, Id = $"s{index}", Label = LabelOf(index), Inputs = new Dictionary<string, Tensor?> { ["x"] = x.MoveToOuterDisposeScope() } };
        }
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void PrefetchedBatchesAreTheBatchesOfTheSequentialLoader()
    {
        var loader = new DataLoader(new Augmented(23), 5, shuffle: true, SampleMode.Train, seed: 4);
        Assert.True(IntraOpThreads.Current > 1 || Environment.ProcessorCount == 1, "the test needs the parallel reduction path");
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var plan = loader.Plan(epoch);
            using var prefetch = loader.Prefetch(plan, epoch);
            foreach (var indices in plan)
            {
                using var scope = NewDisposeScope();
                var expected = loader.Load(indices, epoch);
                var actual = prefetch.Next();
                Assert.Equal(expected.Ids, actual.Ids);
                Assert.True(Same(expected.Labels, actual.Labels));
                Assert.True(Same(expected.Inputs["x"], actual.Inputs["x"]), $"epoch {epoch}: batch {string.Join(",", indices)} differs");
            }
        }
    }

    [Fact]
    public void AnotherEpochGivesOtherAugmentation()
    {
        var loader = new DataLoader(new Augmented(5), 5, shuffle: false, SampleMode.Train, seed: 4);
        using var scope = NewDisposeScope();
        using var first = loader.Prefetch(loader.Plan(0), 0);
        using var second = loader.Prefetch(loader.Plan(1), 1);
        Assert.False(Same(first.Next().Inputs["x"], second.Next().Inputs["x"]));
    }

    [Fact]
    public void ABatchThatCannotBeLoadedFailsWithItsOwnError()
    {
        var loader = new DataLoader(new Augmented(10, i => i == 7), 5, shuffle: false, SampleMode.Eval, seed: 0);
        using var prefetch = loader.Prefetch(loader.Plan(0), 0);
        using var scope = NewDisposeScope();
        prefetch.Next();
        var e = Assert.Throws<InvalidDataException>(() => prefetch.Next());
        Assert.Equal("sample 7: unreadable", e.Message);
    }

    [Fact]
    public void WaitingIsMeasuredAndTheBatchesRunOut()
    {
        var loader = new DataLoader(new Augmented(4), 2, shuffle: false, SampleMode.Eval, seed: 0);
        using var prefetch = loader.Prefetch(loader.Plan(0), 0);
        using var scope = NewDisposeScope();
        prefetch.Next();
        prefetch.Next();
        Assert.True(prefetch.WaitSeconds > 0);
        Assert.Throws<InvalidOperationException>(() => prefetch.Next());
    }
}
