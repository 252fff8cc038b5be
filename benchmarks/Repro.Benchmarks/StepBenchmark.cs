// The paper-size Concat training step three ways, in one run: the kit's (its ResNet-18s with the convolution guard, its
// method, optimizer and dispose scopes), the same model in bare TorchSharp (TorchSharp modules, torch.optim.SGD, oneDNN
// with every thread and no guard: fast, and racy on AVX-512 CPUs), and the same model under PyTorch
// (benchmarks/pytorch/concat_step.py; Debian: apt-get install python3-torch). CREMA-D shapes: audio 257x188, one
// 224x224 frame, 6 classes, SGD. Rounds interleave the three so a busy machine slows all alike; the medians and the
// ratio kit / PyTorch are printed.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- step [STEPS [ROUNDS [BATCH]]]
// REPRO_PYTHON names the Python with PyTorch (default /usr/bin/python3). Not a test: it asserts nothing.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Repro.Data;
using Repro.Methods;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Native;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

static class StepBenchmark
{
    public static void Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var python = Environment.GetEnvironmentVariable("REPRO_PYTHON") ?? "/usr/bin/python3";
        Console.WriteLine($"Paper-size Concat step, batch {batch} (audio 257x188, one 224x224 frame, 6 classes, SGD), {steps} timed steps " +
                          $"after 2 warm-up steps, {rounds} interleaved rounds; {Environment.ProcessorCount} cores, {TorchRuntime.Describe()}");

        manual_seed(0);
        var audio = randn(batch, 257, 188);
        var visual = randn([batch, 3, 1, 224, 224]);
        var labels = randint(0, 6, [batch], dtype: ScalarType.Int64);
        var data = Batch.FromTensors(new Dictionary<string, Tensor> { [Modalities.Audio] = audio, [Modalities.Visual] = visual }, labels);
        var kit = KitStep(data);
        var bare = BareStep(audio, visual, labels);
        var results = new Dictionary<string, List<double>> { ["kit"] = [], ["bare TorchSharp"] = [], ["PyTorch"] = [] };
        string pytorch = "PyTorch";
        for (int r = 0; r < rounds; r++)
        {
            results["kit"].Add(batch * steps / Time(steps, kit));
            results["bare TorchSharp"].Add(batch * steps / Time(steps, bare));
            if (PyTorch(python, batch, steps) is { } py)
            {
                results["PyTorch"].Add(py.SamplesPerSecond);
                pytorch = $"PyTorch {py.Version}";
            }
            Console.WriteLine($"round {r + 1}: " + string.Join(", ", results.Where(kv => kv.Value.Count > r).Select(kv => $"{kv.Key} {F(kv.Value[r])}")) + " samples/s");
        }
        foreach (var (name, values) in results.Where(kv => kv.Value.Count > 0))
            Console.WriteLine($"{(name == "PyTorch" ? pytorch : name),-18} median {F(Median(values))} samples/s");
        if (results["PyTorch"].Count > 0)
            Console.WriteLine($"kit / PyTorch: {F(Median(results["kit"]) / Median(results["PyTorch"]))}x; bare TorchSharp / PyTorch: " +
                              $"{F(Median(results["bare TorchSharp"]) / Median(results["PyTorch"]))}x");
        else
            Console.WriteLine($"PyTorch: not measured ({python} has no torch; Debian: apt-get install python3-torch, or set REPRO_PYTHON)");
    }

    /// <summary>The kit's step: its Concat method over its ResNet-18s, its SGD, one dispose scope per step.</summary>
    static Action KitStep(Batch data)
    {
        var parts = new ModelParts([Modalities.Audio, Modalities.Visual],
            m => m == Modalities.Audio ? new ResNet18(1, frames: false) : new ResNet18(3, frames: true), 6);
        var method = MethodRegistry.Create(MethodRegistry.Resolve("concat"), parts);
        WeightInit.Apply(method.Model);
        method.Model.train();
        var optimizer = Optimizers.Create(new TrainConfig(), method.TrainableParameters());
        long step = 0;
        return () =>
        {
            using var scope = NewDisposeScope();
            method.TrainStep(data, new StepContext { Optimizer = optimizer, Model = method.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = step++ });
        };
    }

    /// <summary>The same model as a TorchSharp user writes it, without the kit.</summary>
    static Action BareStep(Tensor audio, Tensor visual, Tensor labels)
    {
        var a = BareResNet18(1);
        var v = BareResNet18(3);
        var fc = nn.Linear(1024, 6);
        var parameters = a.parameters().Concat(v.parameters()).Concat(fc.parameters()).ToArray();
        var sgd = optim.SGD(parameters, 1e-3, momentum: 0.9, weight_decay: 1e-4);
        var frames = visual.squeeze(2);
        var spectrograms = audio.unsqueeze(1);
        return () =>
        {
            using var scope = NewDisposeScope();
            sgd.zero_grad();
            var logits = fc.call(cat([a.call(spectrograms), v.call(frames)], 1));
            nn.functional.cross_entropy(logits, labels).backward();
            sgd.step();
        };
    }

    static Sequential BareResNet18(long channels)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(channels, 64, 7, stride: 2, padding: 3, bias: false), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, stride: 2, padding: 1),
        };
        long inPlanes = 64;
        foreach (var (planes, stride) in new[] { (64L, 1L), (128L, 2L), (256L, 2L), (512L, 2L) })
        {
            layers.Add(new Residual(inPlanes, planes, stride));
            layers.Add(new Residual(planes, planes, 1));
            inPlanes = planes;
        }
        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        return nn.Sequential(layers.ToArray());
    }

    sealed class Residual : nn.Module<Tensor, Tensor>
    {
        readonly Sequential body;
        readonly Sequential? skip;

        public Residual(long inPlanes, long planes, long stride) : base(nameof(Residual))
        {
            body = nn.Sequential(nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false), nn.BatchNorm2d(planes), nn.ReLU(),
                nn.Conv2d(planes, planes, 3, padding: 1, bias: false), nn.BatchNorm2d(planes));
            if (stride != 1 || inPlanes != planes) skip = nn.Sequential(nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false), nn.BatchNorm2d(planes));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => nn.functional.relu(body.call(x) + (skip is null ? x : skip.call(x)));
    }

    static (double SamplesPerSecond, string Version)? PyTorch(string python, int batch, int steps)
    {
        var script = Path.Combine(BenchmarkPaths.RepoRoot, "benchmarks", "pytorch", "concat_step.py");
        var start = new ProcessStartInfo(python, [script, "--batch", $"{batch}", "--steps", $"{steps}", "--warmup", "2", "--threads", $"{get_num_threads()}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return null;
            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            return (json.RootElement.GetProperty("samples_per_second").GetDouble(), json.RootElement.GetProperty("torch").GetString() ?? "?");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Seconds for <paramref name="steps"/> calls after two untimed warm-up calls.</summary>
    static double Time(int steps, Action work)
    {
        work();
        work();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) work();
        return watch.Elapsed.TotalSeconds;
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static string F(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
}
