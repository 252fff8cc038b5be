using Repro.Evaluation;
using static TorchSharp.torch;

namespace Repro.Tests.Evaluation;

public class ModalityGapTests
{
    static Tensor M(params double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void TheGapIsTheDistanceOfTheUnitLengthCentroids()
    {
        // first: (3, 0) and (0, 2) scale to (1, 0) and (0, 1), centroid (0.5, 0.5); second: (-1, 0) and (0, -5) scale to
        // (-1, 0) and (0, -1), centroid (-0.5, -0.5); gap = |(1, 1)| = sqrt(2). Unscaled, the centroids (1.5, 1) and
        // (-0.5, -2.5) are sqrt(2^2 + 3.5^2) = 4.03 apart.
        var first = M([3, 0], [0, 2]);
        var second = M([-1, 0], [0, -5]);
        Assert.Equal(Math.Sqrt(2), ModalityGap.Gap(first, second), 12);
    }

    [Fact]
    public void ScalingAnEmbeddingLeavesTheGapUnchanged()
    {
        // two clusters of directions in 2-D: around 0 and around 90 degrees; only directions count
        var first = M([1, 0.1], [1, -0.2], [0.9, 0]);
        var second = M([0.1, 1], [-0.1, 0.8], [0, 1.2]);
        var scaled = first * tensor(new double[] { 10, 0.5, 3 }).unsqueeze(1);
        Assert.Equal(ModalityGap.Gap(first, second), ModalityGap.Gap(scaled, second), 12);
        Assert.Equal(0, ModalityGap.Gap(first, scaled), 12);
    }

    [Fact]
    public void TheProjectionSeparatesTwoClustersAlongTheGap()
    {
        // pooled (1, 0), (1, 0), (0, 1), (0, 1), mean (0.5, 0.5): the centred rows are +-(0.5, -0.5), so the first principal
        // component is (1, -1)/sqrt(2) and the coordinates +-sqrt(2)/2 (the first modality's positive), the second 0.
        var p = ModalityGap.Project(M([2, 0], [1, 0]), M([0, 1], [0, 3]));
        Assert.Equal([4, 2], p.shape);
        var xy = p.data<double>().ToArray();
        double h = Math.Sqrt(2) / 2;
        double[] expected = [h, 0, h, 0, -h, 0, -h, 0];
        for (int i = 0; i < xy.Length; i++) Assert.Equal(expected[i], xy[i], 10);
    }

    [Fact]
    public void EmbeddingsOfDifferentWidthsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ModalityGap.Gap(zeros(2, 3), zeros(2, 4)));
        Assert.Throws<ArgumentException>(() => ModalityGap.Gap(zeros(0, 3), ones(2, 3)));
    }
}
