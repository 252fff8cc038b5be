using Repro.Methods;
using static TorchSharp.torch;

namespace Repro.Parity;

/// <summary>Comparisons of recorded method state (a <see cref="MethodTrace"/>) with a fixture's extra tensors.</summary>
public static class TraceChecks
{
    /// <summary>Largest |ours - official| and whether every element is within atol + rtol*|official| (shapes must agree in size).</summary>
    public static (double Error, bool Ok) Compare(Tensor ours, Tensor official, double atol, double rtol)
    {
        using var scope = NewDisposeScope();
        var o = official.to_type(ScalarType.Float64).flatten();
        var u = ours.to_type(ScalarType.Float64).flatten();
        if (o.shape[0] != u.shape[0]) return (double.PositiveInfinity, false);
        var diff = (u - o).abs();
        bool finite = u.isfinite().all().item<bool>();
        return (diff.max().item<double>(), finite && (diff <= atol + rtol * o.abs()).all().item<bool>());
    }

    /// <summary>Compares a traced quantity with the fixture tensor of the same size, with the fixture's weight tolerance.</summary>
    public static (double Error, bool Ok) Compare(ParityFixture f, MethodTrace trace, string traced, Tensor official) =>
        Compare(trace.ToTensor(traced), official, f.Atol, f.Rtol);

    /// <summary>Means of consecutive groups of <paramref name="perGroup"/> rows (per-epoch means of per-batch rows).</summary>
    public static Tensor GroupMeans(Tensor rows, long perGroup) =>
        rows.reshape(rows.shape[0] / perGroup, perGroup, -1).mean([1]);

    /// <summary>The method's trace, which the adapter's Prepare set.</summary>
    public static MethodTrace TraceOf(Method method) =>
        (method as ITracedMethod)?.Trace ?? throw new InvalidOperationException($"{method.GetType().Name} recorded no trace.");
}
