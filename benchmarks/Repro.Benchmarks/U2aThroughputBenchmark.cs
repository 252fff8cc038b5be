// U2A's efficiency claim at full size (CLIP ViT-B/16 + BERT-base, Food-101's 101 classes, text length 40): images per
// second of the ViT-B/16 forward alone, of a U2A training step (frozen encoders, rank-1 LoRA, mask tokens, classifier;
// U2A eq. 1-7) and of the same step with every parameter trained (full fine-tuning), all in one process on random
// weights and inputs; the ratio of the two steps; and the peak resident memory of each phase (Linux: VmHWM, reset
// between phases). Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- u2a [STEPS [BATCH [cpu|cuda]]]
// Not a test: it asserts nothing and prints measurements (docs/decisions.md#measurements).
using System.Globalization;
using Repro.Data;
using Repro.Methods;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.U2a;

static class U2aThroughputBenchmark
{
    public static void Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var device = args.Length > 2 ? new Device(args[2]) : CPU;
        var config = U2aPaperConfigurations.Named("food101");
        var info = new DatasetInfo(config.Dataset, config.Modalities, Enumerable.Range(0, config.Classes).Select(c => $"c{c}").ToArray());
        Console.WriteLine($"U2A at full size ({string.Join(" + ", config.Modalities)}; {config.Classes} classes), batch {batch}, {steps} timed steps after one warm-up, " +
                          $"{device.type}, {Environment.ProcessorCount} cores, {get_num_threads()} torch threads");

        manual_seed(0);
        var g = new Generator(1);
        var images = randn([batch, 3, 224, 224], generator: g).to(device);
        var ids = randint(1000, 30000, [batch, 40], generator: g, dtype: ScalarType.Int64).to(device);
        var labels = randint(0, config.Classes, [batch], generator: g, dtype: ScalarType.Int64).to(device);
        var batchData = Batch.FromTensors(new Dictionary<string, Tensor> { [Modalities.Image] = images, [Modalities.Text] = ids }, labels).To(device);

        ResetPeak();
        using (var vit = U2aModels.Backbone(info.Modality(Modalities.Image), U2aEncoderSize.Paper, device))
        {
            vit.eval();
            double seconds = Time(steps, () => { using var _ = no_grad(); vit.call(images); });
            Report("ViT-B/16 forward (no grad)", batch * steps / seconds, seconds / steps);
        }

        double u2a = TrainSteps("U2A step (frozen encoders + LoRA r=1, mask tokens, classifier)", fullFineTune: false);
        double full = TrainSteps("same step, every parameter trained (full fine-tuning)", fullFineTune: true);
        Console.WriteLine($"U2A step / full fine-tuning step: {(u2a / full).ToString("F2", CultureInfo.InvariantCulture)}x the images per second");

        double TrainSteps(string label, bool fullFineTune)
        {
            ResetPeak();
            var parts = new ModelParts([Modalities.Image, Modalities.Text], _ => throw new InvalidOperationException("U2A builds its own encoders"), config.Classes) { Info = info };
            var method = (U2a)MethodRegistry.Create(MethodRegistry.Parse("u2a", ["encoders=paper", "modality_dropout=0"]), parts);
            method.Model.to(device);
            if (fullFineTune) foreach (var p in method.Model.parameters()) p.requires_grad = true;
            var trainable = method.TrainableParameters().ToArray();
            long count = trainable.Sum(p => p.numel());
            using var optimizer = Optimizers.Create(method.AdjustTraining(new TrainConfig { Epochs = 10 }), trainable);
            method.Model.train();
            long step = 0;
            double seconds = Time(steps, () =>
            {
                using var scope = NewDisposeScope();
                method.TrainStep(batchData, new StepContext { Optimizer = optimizer, Model = method.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = step++ });
            });
            Report($"{label}, {count:N0} trained", batch * steps / seconds, seconds / steps);
            method.Model.Dispose();
            return batch * steps / seconds;
        }
    }

    /// <summary>Seconds for <paramref name="steps"/> calls after one untimed warm-up call.</summary>
    static double Time(int steps, Action work)
    {
        work();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) work();
        return watch.Elapsed.TotalSeconds;
    }

    static void Report(string label, double imagesPerSecond, double secondsPerStep) =>
        Console.WriteLine($"{label}: {imagesPerSecond.ToString("F2", CultureInfo.InvariantCulture)} images/s " +
                          $"({secondsPerStep.ToString("F2", CultureInfo.InvariantCulture)} s per batch), peak RSS {PeakMegabytes()}");

    // Linux: writing 5 to clear_refs resets VmHWM, the peak resident set size, so each phase reports its own peak.
    static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string PeakMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return "n/a (no /proc)";
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? "n/a" : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024} MB";
    }
}
