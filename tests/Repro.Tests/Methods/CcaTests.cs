using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Cca;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class CcaTests
{
    [Fact]
    public void OneDimensionalViewsHaveTheirPearsonCorrelation()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var x = randn([400, 1], generator: g, dtype: ScalarType.Float64);
        var y = 0.6 * x + 0.8 * randn([400, 1], generator: g, dtype: ScalarType.Float64);
        var xc = x - x.mean(); var yc = y - y.mean();
        double pearson = (xc * yc).sum().item<double>() / Math.Sqrt((xc * xc).sum().item<double>() * (yc * yc).sum().item<double>());
        var fit = LinearCca.Fit(x, y, 1, reg: 0);
        Assert.Equal(Math.Abs(pearson), fit.Correlations[0].item<double>(), 9);
    }

    [Fact]
    public void CorrelationsMatchTheEigenvaluesOfTheClosedFormAndTheProjectionsAreWhitened()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(6);
        var shared = randn([300, 2], generator: g, dtype: ScalarType.Float64);
        var x = cat([shared, randn([300, 2], generator: g, dtype: ScalarType.Float64)], 1).matmul(randn([4, 4], generator: g, dtype: ScalarType.Float64));
        var y = cat([shared * 0.5 + 0.5 * randn([300, 2], generator: g, dtype: ScalarType.Float64), randn([300, 1], generator: g, dtype: ScalarType.Float64)], 1);
        const double reg = 1e-4;
        var fit = LinearCca.Fit(x, y, 2, reg);
        // closed form: rho^2 are the eigenvalues of S11^-1 S12 S22^-1 S21
        var xc = x - x.mean([0]); var yc = y - y.mean([0]);
        double n1 = 299;
        var s11 = xc.t().matmul(xc) / n1 + eye(4, dtype: ScalarType.Float64) * reg;
        var s22 = yc.t().matmul(yc) / n1 + eye(3, dtype: ScalarType.Float64) * reg;
        var s12 = xc.t().matmul(yc) / n1;
        var m = linalg.inv(s11).matmul(s12).matmul(linalg.inv(s22)).matmul(s12.t());
        var eig = linalg.eigvals(m).real.sort(descending: true).Values.narrow(0, 0, 2).sqrt();
        MethodTestKit.AssertClose(eig, fit.Correlations, 1e-8, "canonical correlations");
        Assert.True(fit.Correlations[0].item<double>() > 0.5);
        // the canonical variates: w1'(S11 - rI)w1 = I - r w1'w1 (identity but for the ridge), paired covariance diag(rho)
        var u = xc.matmul(fit.W1); var v = yc.matmul(fit.W2);
        MethodTestKit.AssertClose(eye(2, dtype: ScalarType.Float64) - reg * fit.W1.t().matmul(fit.W1), u.t().matmul(u) / n1, 1e-8, "whitened x");
        MethodTestKit.AssertClose(diag(fit.Correlations), u.t().matmul(v) / n1, 1e-8, "paired correlations");
    }

    [Fact]
    public void TheSvmSolvesItsPrimalAndSeparatesSeparableClasses()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var labels = Enumerable.Range(0, 90).Select(i => (long)(i % 3)).ToArray();
        var centres = tensor(new double[] { 3, 0, 0, 3, -3, -3 }, [3, 2]);
        var x = centres.index_select(0, tensor(labels)) + 0.3 * randn([90, 2], generator: g, dtype: ScalarType.Float64);
        var w = LinearSvm.Fit(x, labels, 3, c: 1.0);
        Assert.Equal(labels, LinearSvm.Decision(x, w).argmax(1).data<long>().ToArray());
        // optimality of class 0's weights: no small move lowers the objective, and the gradient vanishes
        var xa = LinearSvm.Augment(x);
        var y0 = where(tensor(labels).eq(0), 1.0, -1.0).to_type(ScalarType.Float64);
        var w0 = w.select(1, 0);
        double f = LinearSvm.Objective(xa, y0, w0, 1.0);
        for (int t = 0; t < 20; t++)
            Assert.True(LinearSvm.Objective(xa, y0, w0 + 1e-3 * randn([3], generator: g, dtype: ScalarType.Float64), 1.0) >= f - 1e-12);
        var margin = (1 - y0 * xa.matmul(w0)).clamp_min(0);
        var grad = w0 - 2 * xa.t().matmul(y0 * margin);
        Assert.True(grad.norm().item<double>() < 1e-6, $"gradient norm {grad.norm().item<double>()}");
    }

    [Fact]
    public void CcaFitsInOneStageOfTheTrainerOnTheMaskedStandIn()
    {
        var (r, recounted) = MissingBaselineKit.SmokeRunRecounted("cca");
        var only = Assert.Single(r.History);
        Assert.Contains("corr_av", only.TrainLosses.Keys);
        Assert.Contains("svm_acc", only.TrainLosses.Keys);
        Assert.Equal(recounted, r.Test["acc"], 9);   // the fitted CCA + SVM is what the run scored
    }
}
