using Repro.Data.Missing;

namespace Repro.Tests.Data.Missing;

public class CpmMaskTests
{
    static double[] Composition(bool[,] m)
    {
        var mask = new ModalityMask(["audio", "visual", "text"], m);
        return mask.Composition();
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.6)]
    public void KeptFractionIsWithinToleranceAndEverySampleKeepsOne(double eta)
    {
        var m = CpmMask.Generate(3, 5531, eta, seed: 0);
        Assert.True(Math.Abs(CpmMask.MissingRate(m) - eta) < CpmMask.Tolerance, $"missing rate {CpmMask.MissingRate(m)} vs {eta}");
        Assert.Equal(0, Composition(m)[0]); // nobody keeps nothing
    }

    [Fact]
    public void AtOneOverVEverySampleKeepsExactlyOne()
    {
        var m = CpmMask.Generate(3, 5531, 0.7, seed: 1);
        var c = Composition(m);
        Assert.Equal(1.0, c[1]);
        Assert.Equal(2.0 / 3, CpmMask.MissingRate(m), 10);
        // the one kept modality is uniform over the three
        var perColumn = Enumerable.Range(0, 3).Select(v => Enumerable.Range(0, 5531).Count(i => m[i, v]) / 5531.0).ToArray();
        Assert.All(perColumn, p => Assert.InRange(p, 0.30, 0.37));
    }

    [Theory]
    // docs/missing-modality.md#cpm-net-mask: samples with 3 / 2 / 1 modalities (a Python re-run with seed 0); our draws differ, the shape must not
    [InlineData(0.1, 0.735, 0.244, 0.021)]
    [InlineData(0.3, 0.300, 0.497, 0.203)]
    [InlineData(0.2, 0.486, 0.417, 0.098)]
    [InlineData(0.4, 0.152, 0.485, 0.363)]
    [InlineData(0.5, 0.058, 0.377, 0.565)]
    [InlineData(0.6, 0.010, 0.178, 0.811)]
    public void CompositionMatchesTheReferenceRun(double eta, double three, double two, double one)
    {
        var c = Composition(CpmMask.Generate(3, 5531, eta, seed: 0));
        Assert.InRange(c[3], three - 0.03, three + 0.03);
        Assert.InRange(c[2], two - 0.03, two + 0.03);
        Assert.InRange(c[1], one - 0.03, one + 0.03);
    }

    [Fact]
    public void SameSeedSameMaskOtherSeedOtherMask()
    {
        var a = CpmMask.Generate(3, 500, 0.4, 7);
        var b = CpmMask.Generate(3, 500, 0.4, 7);
        var c = CpmMask.Generate(3, 500, 0.4, 8);
        Assert.Equal(a.Cast<bool>(), b.Cast<bool>());
        Assert.NotEqual(a.Cast<bool>(), c.Cast<bool>());
    }

    [Fact]
    public void RateZeroKeepsEverything() => Assert.All(CpmMask.Generate(3, 50, 0, 0).Cast<bool>(), Assert.True);
}
