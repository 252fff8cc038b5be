using static TorchSharp.torch;

namespace Repro.Methods;

/// <summary>
/// Numbers a method records along the way when asked (its coefficients, prototypes, estimated weights), for parity
/// checks and lessons: a name and rows of numbers, in the order recorded. Methods record nothing unless a trace is set,
/// so ordinary runs pay nothing.
/// </summary>
public sealed class MethodTrace
{
    readonly Dictionary<string, List<double[]>> _rows = new();

    public void Add(string name, params double[] values)
    {
        if (!_rows.TryGetValue(name, out var list)) _rows[name] = list = new();
        list.Add(values);
    }

    public void Add(string name, Tensor values) => Add(name, values.detach().cpu().to_type(ScalarType.Float64).flatten().data<double>().ToArray());

    public IReadOnlyList<double[]> Rows(string name) => _rows.TryGetValue(name, out var list) ? list : [];

    public IEnumerable<string> Names => _rows.Keys;

    /// <summary>The rows of <paramref name="name"/> as a (rows, columns) float64 tensor.</summary>
    public Tensor ToTensor(string name)
    {
        var rows = Rows(name);
        if (rows.Count == 0) throw new InvalidOperationException($"The trace has no '{name}'.");
        int cols = rows[0].Length;
        if (rows.Any(r => r.Length != cols)) throw new InvalidOperationException($"The rows of '{name}' differ in length.");
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, cols]);
    }
}

/// <summary>A method that records a <see cref="MethodTrace"/> when one is set.</summary>
public interface ITracedMethod
{
    MethodTrace? Trace { get; set; }
}
