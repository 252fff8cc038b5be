using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using Repro.Models.Encoders;
using static TorchSharp.torch;

namespace Repro.Tests.Methods;

/// <summary>Tiny three-modality feature data for the missing-modality baselines' unit tests.</summary>
public static class MissingBaselineKit
{
    public static readonly string[] Modalities = [Repro.Data.Modalities.Audio, Repro.Data.Modalities.Visual, Repro.Data.Modalities.Text];
    public static readonly Dictionary<string, int> Dims = new() { ["audio"] = 5, ["visual"] = 6, ["text"] = 7 };

    public static ModelParts Parts(int classes = 3, int feature = 8) =>
        new(Modalities, m => new FeatureMlp(Dims[m], feature, feature, dropout: 0), classes);

    /// <summary>
    /// A training batch of <paramref name="b"/> rows: complete features, availability <paramref name="available"/>[row][modality]
    /// (default: row i lacks modality i mod 3 for even i), inputs zeroed where missing, and the complete truth.
    /// </summary>
    public static Batch MaskedBatch(int b = 6, long seed = 3, bool[,]? available = null, int classes = 3, Dictionary<string, Tensor>? complete = null)
    {
        var g = new Generator((ulong)seed);
        complete ??= Modalities.ToDictionary(m => m, m => randn([b, Dims[m]], generator: g));
        if (available is null)
        {
            available = new bool[b, 3];
            for (int i = 0; i < b; i++) for (int v = 0; v < 3; v++) available[i, v] = !(i % 2 == 0 && v == i % 3);
        }
        var avail = new Dictionary<string, Tensor>();
        var inputs = new Dictionary<string, Tensor>();
        for (int v = 0; v < 3; v++)
        {
            var m = Modalities[v];
            var flags = Enumerable.Range(0, b).Select(i => available[i, v]).ToArray();
            avail[m] = tensor(flags);
            inputs[m] = complete[m] * avail[m].to_type(ScalarType.Float32).unsqueeze(1);
        }
        return new Batch
        {
            Inputs = inputs, Available = avail, Complete = complete,
            Labels = randint(0, classes, [b], generator: g, dtype: ScalarType.Int64),
            Index = arange(b, ScalarType.Int64), Ids = Enumerable.Range(0, b).Select(i => i.ToString()).ToArray(),
        };
    }

    /// <summary>One run of a method (name, or options) on the smoke IEMOCAP stand-in, fold 1 at missing rate 0.5, in a fresh results folder.</summary>
    public static RunResult SmokeRun(string method, params (string Key, string Value)[] options)
    {
        var (runner, spec) = Smoke(method, options);
        return runner.Run(spec).Result;
    }

    /// <summary><see cref="SmokeRun"/> and its selected model's test accuracy recounted (<see cref="Experiments.SelectedModelMetrics"/>).</summary>
    public static (RunResult Result, double RecountedAcc) SmokeRunRecounted(string method, params (string Key, string Value)[] options)
    {
        var (runner, spec) = Smoke(method, options);
        var result = runner.Run(spec).Result;
        return (result, Repro.Tests.Experiments.SelectedModelMetrics.Recount(runner, spec, "acc"));
    }

    static (ExperimentRunner Runner, RunSpec Spec) Smoke(string method, (string Key, string Value)[] options) =>
        (new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))),
         new RunSpec { Dataset = "iemocap:fold=1:missing-rate=0.5", Profile = Profile.Smoke, Method = MethodRegistry.Resolve(method, options), Seed = 0 });
}
