namespace Repro.Parity;

/// <summary>The outcome of replaying one fixture: the largest errors per epoch, and whether all are within tolerance.</summary>
public sealed record ParityReport
{
    public required string Fixture { get; init; }
    public required string Method { get; init; }
    public bool Implemented { get; init; } = true;
    public string? Error { get; init; }
    /// <summary>Per epoch: the largest |ours - official| over all weights.</summary>
    public List<double> WeightError { get; init; } = [];
    /// <summary>Per epoch: the largest |ours - official| / (atol + rtol*|official|); within tolerance when <= 1.</summary>
    public List<double> WeightRatio { get; init; } = [];
    /// <summary>Per epoch: the largest |ours - official| over the logged loss columns.</summary>
    public List<double> LossError { get; init; } = [];
    /// <summary>Extra checks (method state, fused outputs): name -> (largest error, within tolerance).</summary>
    public Dictionary<string, (double Error, bool Ok)> Extra { get; init; } = new();
    public string? WorstTensor { get; init; }
    public double LossAtol { get; init; } = 1e-4;

    public bool Passed => Implemented && Error is null && WeightRatio.All(r => r <= 1) && LossError.All(e => e <= LossAtol) && Extra.Values.All(x => x.Ok);

    public string Summary()
    {
        if (!Implemented) return $"FAIL {Fixture}: method '{Method}' is not implemented by the kit";
        if (Error is not null) return $"FAIL {Fixture}: {Error}";
        var epochs = string.Join("  ", WeightError.Select((e, i) => $"e{i + 1} w {e:0.0e+0} loss {(i < LossError.Count ? LossError[i].ToString("0.0e+0") : "-")}"));
        var extra = Extra.Count == 0 ? "" : "  " + string.Join("  ", Extra.Select(kv => $"{kv.Key} {kv.Value.Error:0.0e+0}{(kv.Value.Ok ? "" : "!")}"));
        return $"{(Passed ? "ok  " : "FAIL")} {Fixture} [{Method}]  {epochs}{extra}{(Passed ? "" : $"  worst: {WorstTensor}")}";
    }
}
