using System.Diagnostics;
using System.Text.Json;
using Repro.Data;
using Repro.Evaluation;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// The one training loop of the kit. Per epoch: set the learning rate, reseed torch's generator from (seed, epoch),
/// run the method's epoch hooks and one step per batch, each step inside its own dispose scope with the next batch
/// prepared meanwhile on the data thread (<see cref="BatchPrefetcher"/>), then evaluate the
/// validation and test splits, record the epoch, and checkpoint. Selection picks the reported epoch afterwards.
/// A resumed run restores model, optimizer and method state and the history, and continues with the same seeds,
/// so it ends where an uninterrupted run ends.
/// </summary>
public sealed class Trainer
{
    public required TrainConfig Config { get; init; }
    public Checkpoints? Checkpoints { get; init; }
    public bool Resume { get; init; }
    public ITrainingObserver Observer { get; init; } = SilentObserver.Instance;
    public Device Device { get; init; } = CPU;
    /// <summary>The metric that selects epochs ("acc" for single-label data).</summary>
    public string SelectionMetric { get; init; } = "acc";
    /// <summary>Measurements taken on sampled steps (off unless given).</summary>
    public IReadOnlyList<Evaluation.Probes.IStepProbe> Probes { get; init; } = [];
    /// <summary>Called after each epoch's record is complete, with the method (parity replays compare weights here).</summary>
    public Action<EpochRecord, ITrainable>? AfterEpoch { get; init; }
    /// <summary>Stop after this many epochs of this call (tests of resume); null runs to the end.</summary>
    public int? StopAfterEpochs { get; init; }

    public TrainResult Fit(ITrainable method, DataLoader train, DataLoader? validation, DataLoader? test)
    {
        if (Config.Selection == Selection.Validation && validation is null)
            throw new ArgumentException("Selection by validation needs a validation split; carve one or choose test-best or last.");
        if (Config.Selection == Selection.TestBest && (test is null || !Config.EvaluateTestEachEpoch))
            throw new ArgumentException("Test-best selection needs the test split evaluated every epoch.");

        method.Model.to(Device);
        var stages = method.Stages(Config.Epochs);
        TrainingStage.Check(stages, method.Describe());
        // global epoch -> (stage, epoch in stage)
        var plan = stages.SelectMany((st, i) => Enumerable.Range(0, st.Epochs).Select(e => (Stage: i, InStage: e))).ToArray();
        bool multiStage = stages.Count > 1;
        optim.Optimizer? optimizer = null;
        int current = -1;
        EpochContext Context(int epoch) => new()
        {
            Epoch = epoch, Epochs = plan.Length, Train = train, Validation = validation, Test = test, Optimizer = optimizer,
            Device = Device, Stage = stages[plan[epoch].Stage], EpochInStage = plan[epoch].InStage,
        };
        void Enter(int epoch)
        {
            current = plan[epoch].Stage;
            optimizer?.Dispose();
            optimizer = null;
            method.EnterStage(stages[current], Context(epoch));
            if (!stages[current].Fit) optimizer = Optimizers.Create(Config, method.TrainableParameters());
        }

        try
        {
            var configJson = JsonSerializer.Serialize(new { config = Config, method = method.Describe() }, Json.Options);
            var history = new List<EpochRecord>();
            int start = 0, best = -1;
            double bestScore = double.NegativeInfinity;

            if (Resume && Checkpoints?.Latest() is { } saved)
            {
                if (saved.ConfigJson != configJson)
                    throw new InvalidOperationException($"{Checkpoints.Directory}: the checkpoint was written by another configuration; " +
                                                        $"use another results folder or --force to start again.\nsaved: {saved.ConfigJson}\nnow:   {configJson}");
                if (saved.Epoch >= plan.Length)
                    throw new InvalidOperationException($"{Checkpoints.Directory}: the checkpoint is at epoch {saved.Epoch + 1} of a method with {plan.Length} epochs.");
                Enter(saved.Epoch);
                Checkpoints.Restore(method, optimizer, saved);
                history = saved.History;
                start = saved.Epoch + 1;
                best = saved.BestEpoch;
                bestScore = saved.BestScore;
                Observer.Message($"Resumed after epoch {saved.Epoch + 1} from {Checkpoints.Directory}");
            }

            long globalStep = Enumerable.Range(0, start).Sum(e => stages[plan[e].Stage].Fit ? 0L : train.BatchCount);
            int ran = 0;
            for (int epoch = start; epoch < plan.Length; epoch++)
            {
                if (StopAfterEpochs is { } stop && ran >= stop) break;
                if (plan[epoch].Stage != current) Enter(epoch);
                var stage = stages[current];
                var watch = Stopwatch.StartNew();
                double dataWait = 0;
                double lr = Config.Lr.At(plan[epoch].InStage);
                if (optimizer is not null) Optimizers.SetLearningRate(optimizer, lr);
                manual_seed((long)(Rng.Derive(Config.Seed, 100, epoch) >> 1));
                method.Model.train();
                var ectx = Context(epoch);
                var sums = new Dictionary<string, double>();
                var counts = new Dictionary<string, int>();
                void Log(StepResult step)
                {
                    foreach (var (k, v) in step.Losses)
                    {
                        sums[k] = sums.GetValueOrDefault(k) + v;
                        counts[k] = counts.GetValueOrDefault(k) + 1;
                    }
                }
                method.OnEpochStart(ectx);
                if (stage.Fit)
                {
                    Observer.EpochStarted(epoch, plan.Length, 0);
                    Log(method.FitStage(stage, ectx));
                }
                else
                {
                    var batches = train.Plan(epoch);
                    Observer.EpochStarted(epoch, plan.Length, batches.Count);
                    using var prefetch = train.Prefetch(batches, epoch);
                    for (int b = 0; b < batches.Count; b++)
                    {
                        StepResult step;
                        using (var scope = NewDisposeScope())
                        {
                            var batch = prefetch.Next().To(Device);
                            var sampled = Probes.Where(p => globalStep % p.Every == 0).ToArray();
                            var ctx = new StepContext
                            {
                                Optimizer = optimizer!, Model = method.Model, Epoch = epoch, BatchIndex = b,
                                BatchesPerEpoch = batches.Count, GlobalStep = globalStep++, GradReset = Config.GradReset,
                                BeforeOptimizerStep = sampled.Length == 0 ? null : c => { foreach (var p in sampled) p.ObserveGradients(method, c); },
                            };
                            foreach (var probe in sampled) probe.Observe(method, batch, ctx);
                            step = method.TrainStep(batch, ctx);
                        }
                        SingleThreadedBackward.Reset();
                        Log(step);
                        Observer.BatchDone(epoch, b, batches.Count, step.Losses);
                    }
                    dataWait += prefetch.WaitSeconds;
                }
                method.OnEpochEnd(ectx);
                Dictionary<string, double>? probes = null;
                foreach (var probe in Probes)
                    foreach (var (k, v) in probe.EndEpoch())
                        (probes ??= new())[$"{probe.Name}/{k}"] = v;

                var record = new EpochRecord
                {
                    Epoch = epoch,
                    Lr = lr,
                    TrainLosses = sums.ToDictionary(kv => kv.Key, kv => kv.Value / counts[kv.Key]),
                    Validation = validation is null ? null : Evaluator.Evaluate(method, validation, 0, Device, w => dataWait += w),
                    Test = test is not null && Config.EvaluateTestEachEpoch ? Evaluator.Evaluate(method, test, 0, Device, w => dataWait += w) : null,
                    Probes = probes,
                    Seconds = watch.Elapsed.TotalSeconds,
                    DataWaitSeconds = dataWait,
                    Stage = multiStage ? stage.Name : null,
                    Selectable = stage.Selectable,
                };
                history.Add(record);
                bool improved = false;
                if (stage.Selectable)
                {
                    double score = EpochSelection.Score(record, Config.Selection, SelectionMetric);
                    improved = score > bestScore;
                    if (improved) { bestScore = score; best = epoch; }
                }
                if (Checkpoints is not null)
                {
                    if (improved) Checkpoints.SaveBest(method);
                    Checkpoints.Save(method, optimizer, new Checkpoints.State(epoch, configJson, history, best, bestScore));
                }
                AfterEpoch?.Invoke(record, method);
                Observer.EpochDone(record);
                ran++;
            }
            return new TrainResult { History = history, SelectedEpoch = best, Selection = Config.Selection };
        }
        finally
        {
            optimizer?.Dispose();
        }
    }
}
