using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.Ogm;

/// <summary>
/// OGM fixtures (`ogm-*`, `ogmge-*`, `ogm-bb-*`): the GE noise comes from the recorded standard-normal draws
/// (`noise/<param>`, row k at the k-th modulated step, whose global batch index is `noise/step[k]`), scaled in float32 by
/// the sigma the kit computes, which equals the official normal_(0, sigma) bit for bit (tests/fixtures/parity/README.md). After
/// training, the sigmas the kit used are compared with `noise/sigma` and every recorded draw must have been used.
/// </summary>
public sealed class OgmParity : ParityAdapter
{
    public override string Method => "ogm";

    readonly Dictionary<string, RecordedNoise> _noise = new();

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        if (!tensors.TryGetValue("noise/step", out var steps) || method is not Ogm ogm) return;
        var draws = tensors.Where(kv => kv.Key.StartsWith("noise/") && kv.Key is not ("noise/step" or "noise/sigma"))
            .ToDictionary(kv => kv.Key["noise/".Length..], kv => kv.Value);
        var recorded = new RecordedNoise(draws, steps.data<long>().ToArray());
        _noise[fixture.Name] = recorded;
        ogm.Noise = recorded.Draw;
    }

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        var checks = new Dictionary<string, (double, bool)>();
        if (!_noise.Remove(fixture.Name, out var recorded)) return checks;
        int expected = recorded.Steps.Length;
        checks["noise/steps"] = (Math.Abs(recorded.Sigmas.Count - expected), recorded.Sigmas.Count == expected);
        if (tensors.TryGetValue("noise/sigma", out var sigma))
        {
            double worst = 0;
            bool ok = true;
            var official = sigma.to_type(ScalarType.Float64);
            for (int k = 0; k < Math.Min(expected, recorded.Sigmas.Count); k++)
                for (int j = 0; j < recorded.Sigmas[k].Count; j++)
                {
                    double o = official[k, j].item<double>(), e = Math.Abs(recorded.Sigmas[k][j] - o);
                    worst = Math.Max(worst, e);
                    ok &= e <= fixture.Atol + fixture.Rtol * Math.Abs(o);
                }
            checks["noise/sigma"] = (worst, ok);
        }
        return checks;
    }

    sealed class RecordedNoise(Dictionary<string, Tensor> draws, long[] steps)
    {
        public long[] Steps { get; } = steps;
        public List<List<float>> Sigmas { get; } = new();
        long _lastStep = -1;

        public Tensor Draw(string parameter, Tensor grad, double std, long globalStep)
        {
            if (globalStep != _lastStep)
            {
                _lastStep = globalStep;
                Sigmas.Add(new List<float>());
                int k = Sigmas.Count - 1;
                if (k >= Steps.Length || Steps[k] != globalStep)
                    throw new InvalidOperationException($"OGM replay: modulated step {k} is global batch {globalStep}, the fixture recorded {(k < Steps.Length ? Steps[k].ToString() : "no further step")}.");
            }
            if (!draws.TryGetValue(parameter, out var z))
                throw new InvalidOperationException($"OGM replay: the fixture has no recorded noise for {parameter} (has {string.Join(", ", draws.Keys)}).");
            float sigma = (float)std;
            Sigmas[^1].Add(sigma);
            return z[Sigmas.Count - 1] * sigma;
        }
    }
}
