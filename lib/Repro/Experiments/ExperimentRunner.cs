using System.Diagnostics;
using Repro.Data;
using Repro.Experiments.Datasets;
using Repro.Experiments.Executors;
using Repro.Methods;
using Repro.Native;
using Repro.Models;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.U2a;

namespace Repro.Experiments;

/// <summary>
/// Runs training runs and tables: opens the dataset (stand-in or user data), carves the seeded validation split,
/// builds the method's model with the official initialisation, trains with per-epoch checkpoints, and stores the result.
/// A finished run is reused unless <see cref="Force"/>; an interrupted one continues with <see cref="Resume"/>.
/// </summary>
public sealed class ExperimentRunner
{
    readonly Dictionary<string, OpenedDataset> _datasets = new();

    public ExperimentRunner(ResultsStore store) => Store = store;

    public ResultsStore Store { get; }
    public bool Force { get; init; }
    public bool Resume { get; init; }
    public ITrainingObserver Observer { get; init; } = SilentObserver.Instance;
    public IProgress<(int Done, int Total)>? DataProgress { get; init; }
    public Device Device { get; init; } = CPU;

    public OpenedDataset Dataset(string id, string? root, Profile profile)
    {
        var key = $"{id}|{root}|{profile.Name}";
        if (!_datasets.TryGetValue(key, out var ds))
        {
            ds = DatasetCatalog.Open(id, root, profile, Store.Root, DataProgress);
            if (ds.MissingFiles == MissingFilePolicy.Drop && ds.Coverage.Count > 0)
                Observer.Message($"{id}: missing files dropped: {SplitCoverage.Describe(ds.Coverage)}");
            else if (ds.Dropped.Count > 0) Observer.Message($"{id}: {ds.Dropped}");
            BadInputs.All($"{id} data", new[] { ds.Train, ds.Test }.OfType<IPrecomputable>().Select(split => (Action)(() => split.Precompute(DataProgress))));
            _datasets[key] = ds;
        }
        return ds;
    }

    /// <summary>
    /// The short form lessons use: one run of a method (name or alias, with options) on a dataset under a profile,
    /// on the stand-in unless <paramref name="dataRoot"/> is given; reused when already finished.
    /// </summary>
    public RunResult Train(string dataset, Profile profile, string method, ulong seed = 0, string? dataRoot = null,
        IReadOnlyDictionary<string, int>? probes = null, params (string Key, string Value)[] options) =>
        Run(TrainSpec(dataset, profile, method, seed, dataRoot, probes, options)).Result;

    /// <summary>
    /// The same with the method's options as a record made in code, e.g. <c>runner.Train("cremad", profile, new MlaOptions { Hgm = HgmMode.Off })</c>.
    /// </summary>
    public RunResult Train(string dataset, Profile profile, MethodOptions options, ulong seed = 0, string? dataRoot = null,
        IReadOnlyDictionary<string, int>? probes = null) =>
        Run(TrainSpec(dataset, profile, MethodRegistry.Spec(options), seed, dataRoot, probes)).Result;

    /// <summary>The run <see cref="Train(string, Profile, string, ulong, string?, IReadOnlyDictionary{string, int}?, (string Key, string Value)[])"/> trains or reuses.</summary>
    public static RunSpec TrainSpec(string dataset, Profile profile, string method, ulong seed = 0, string? dataRoot = null,
        IReadOnlyDictionary<string, int>? probes = null, params (string Key, string Value)[] options) =>
        TrainSpec(dataset, profile, MethodRegistry.Resolve(method, options), seed, dataRoot, probes);

    static RunSpec TrainSpec(string dataset, Profile profile, MethodSpec method, ulong seed, string? dataRoot, IReadOnlyDictionary<string, int>? probes)
    {
        DatasetRegistry.Check(dataset);   // a typo in a setting is refused before a run is looked up under it
        return new()
        {
            Dataset = dataset, DataRoot = dataRoot, Profile = profile, Method = method, Seed = seed,
            Probes = probes ?? new Dictionary<string, int>(),
        };
    }

    /// <summary>
    /// The spec with its full identity: under missing-files=drop, the digest of the present sample ids, read from the
    /// opened data (<see cref="RunSpec.PresentSamples"/>); any other spec as it is.
    /// </summary>
    public RunSpec Identify(RunSpec spec) => spec.PresentSamples is null && spec.DropsMissingFiles
        ? spec with { PresentSamples = Dataset(spec.Dataset, spec.DataRoot, spec.Profile).PresentSamples
                                       ?? throw new InvalidOperationException($"{spec.Dataset}: the dataset reports no present samples to digest.") }
        : spec;

    /// <summary>The method of <paramref name="spec"/> with the weights its run starts from (the same seed, the same initialisation).</summary>
    public Method Fresh(RunSpec spec) => Fresh(Identify(spec), Dataset(spec.Dataset, spec.DataRoot, spec.Profile));

    Method Fresh(RunSpec spec, OpenedDataset data)
    {
        manual_seed((long)(Rng.Derive(spec.Seed, 12) >> 1));
        var method = MethodRegistry.Create(spec.Method, Parts(spec, data));
        if (method is not IInitialisesItself) WeightInit.Apply(method.Model);
        return method;
    }

    /// <summary>
    /// The stand-in's pretrained encoder for a modality (trained by a nested run the first time); the random state is then
    /// set from the run's seed and the modality, so the rest of the model is the same whether the encoder was trained now or reused.
    /// </summary>
    string PretrainedStandIn(RunSpec spec, string modality, U2aEncoderSize size)
    {
        var path = StandInEncoders.Ensure(this, spec.Dataset, spec.Profile, modality, size);
        manual_seed((long)(Rng.Derive(spec.Seed, [14, .. modality.Select(c => (long)c)]) >> 1));
        return path;
    }

    /// <summary>
    /// A finished run's selected model (trained first when needed) evaluated on the test split of <paramref name="testDataset"/>,
    /// the same dataset with test-only settings (e.g. <c>food101:test-missing=text/0.7</c>): U2A's Figure 2 and Table 4.
    /// The metrics are stored under the run's <c>evaluations/</c> folder and reused.
    /// </summary>
    public Dictionary<string, double> Evaluate(RunSpec spec, string testDataset)
    {
        spec = Identify(spec);
        var run = Run(spec).Result;
        var file = Path.Combine(Store.RunDirectory(spec), "evaluations", new string(testDataset.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray()) + ".json");
        if (File.Exists(file))
            return System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(file), Json.Options)
                   ?? throw new InvalidDataException($"{file}: empty evaluation; delete it to evaluate again.");
        var profile = spec.Profile;
        var data = Dataset(spec.Dataset, spec.DataRoot, profile);
        var test = Dataset(testDataset, spec.DataRoot, profile);
        if (!test.Info.ModalityNames.SequenceEqual(data.Info.ModalityNames) || test.Info.NumClasses != data.Info.NumClasses)
            throw new ArgumentException($"{testDataset}: its modalities or classes differ from {spec.Dataset}'s, which {run.Key} was trained on.");
        using var scope = NewDisposeScope();
        var method = Selected(spec);
        var config = method is IAdjustsTraining adjusts ? adjusts.AdjustTraining(profile.Train) : profile.Train;
        var metrics = Evaluation.Evaluator.Evaluate(method, new DataLoader(test.Test, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval), 0, Device);
        AtomicFile.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(metrics, Json.Options));
        return metrics;
    }

    /// <summary>
    /// A finished run's selected model (trained first when needed) measured by <paramref name="analysis"/> on the run's
    /// test split (MLA's Figure 3: the modality gap). Stored under the run's <c>analyses/</c> folder and reused.
    /// </summary>
    public RunAnalysisOutput Analyse(RunSpec spec, RunAnalysis analysis)
    {
        spec = Identify(spec);
        Run(spec);
        var file = Path.Combine(Store.RunDirectory(spec), "analyses", analysis.Name + ".json");
        if (File.Exists(file))
            return System.Text.Json.JsonSerializer.Deserialize<RunAnalysisOutput>(File.ReadAllText(file), Json.Options)
                   ?? throw new InvalidDataException($"{file}: empty analysis; delete it to analyse again.");
        using var scope = NewDisposeScope();
        var method = Selected(spec);
        var config = method is IAdjustsTraining adjusts ? adjusts.AdjustTraining(spec.Profile.Train) : spec.Profile.Train;
        var test = Dataset(spec.Dataset, spec.DataRoot, spec.Profile).Test;
        var output = analysis.Compute(method, new DataLoader(test, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval), Device);
        AtomicFile.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(output, Json.Options));
        return output;
    }

    /// <summary>A finished run's method (trained first when needed) with its selected epoch's model and state, on <see cref="Device"/>, in evaluation mode.</summary>
    public Method Selected(RunSpec spec)
    {
        spec = Identify(spec);
        Run(spec);
        manual_seed((long)(Rng.Derive(spec.Seed, 12) >> 1));
        var method = MethodRegistry.Create(spec.Method, Parts(spec, Dataset(spec.Dataset, spec.DataRoot, spec.Profile)));
        new Checkpoints(Store.CheckpointDirectory(spec)).RestoreBest(method);
        method.Model.to(Device);
        method.Model.eval();
        return method;
    }

    ModelParts Parts(RunSpec spec, OpenedDataset data) => new(data.Info.ModalityNames.ToArray(), data.BuildEncoder, data.Info.NumClasses, data.Info.MultiLabel)
    {
        Info = data.Info,
        PretrainedEncoder = data.IsStandIn ? (m, size) => PretrainedStandIn(spec, m, size) : null,
    };

    /// <summary>
    /// Trains one run, or returns the stored result of an identical finished run. The run is claimed first
    /// (<see cref="RunClaim"/>): while another process trains it, this one waits and then reuses its result.
    /// </summary>
    public (RunResult Result, bool Reused) Run(RunSpec spec)
    {
        spec = Identify(spec);
        if (!Force && Store.TryLoad(spec) is { } done) return (done, true);
        using var claim = RunClaim.Acquire(Store, spec, Observer.Message);
        if (!Force && Store.TryLoad(spec) is { } finished) return (finished, true);   // by the process this one waited for
        try { return (TrainThroughScalarRaces(spec, claim), false); }
        catch (Exception e)
        {
            claim.Fail(e.Message);
            throw;
        }
    }

    /// <summary>
    /// Trains, and where libtorch fails on a scalar TorchSharp's finalizer freed during the call (<see cref="ScalarRace"/>),
    /// continues from the run's last checkpoint in this process, as <c>--resume</c> would: the run ends with the numbers of an
    /// uninterrupted one. The same failure <see cref="ScalarRace.MaxRetries"/> times in a row is not a race: it is thrown.
    /// </summary>
    RunResult TrainThroughScalarRaces(RunSpec spec, RunClaim claim)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return Train(spec, claim, force: Force && attempt == 0, resume: Resume || attempt > 0); }
            catch (Exception e) when (attempt < ScalarRace.MaxRetries && ScalarRace.Matches(e))
            {
                Observer.Message($"{spec.Method.Describe()} on {spec.Dataset}: {ScalarRace.Describe(e)}; continuing from the last checkpoint " +
                                 $"(retry {attempt + 1} of {ScalarRace.MaxRetries})");
            }
        }
    }

    RunResult Train(RunSpec spec, RunClaim claim, bool force, bool resume)
    {
        var profile = spec.Profile;
        var data = Dataset(spec.Dataset, spec.DataRoot, profile);
        var ckptDir = Store.CheckpointDirectory(spec);
        var checkpoints = new Checkpoints(ckptDir);
        if (force) Store.Clear(spec);
        else if (!resume && checkpoints.Latest() is { } partial)
            throw new InvalidOperationException($"{ckptDir}: an unfinished run of {spec.Method.Describe()} stopped after epoch {partial.Epoch + 1}; " +
                                                "add --resume to continue it or --force to start again.");

        var (train, validation) = Subset.CarveValidation(data.Train, profile.ValidationFraction, Rng.Derive(spec.Seed, 11));
        var config = profile.Train with { Seed = spec.Seed, Selection = spec.Selection };
        var method = Fresh(spec, data);
        if (method is IAdjustsTraining adjusts) config = adjusts.AdjustTraining(config);

        var trainer = new Trainer
        {
            Config = config, Checkpoints = checkpoints, Resume = resume, Observer = claim.Guard(Observer), Device = Device,
            SelectionMetric = data.SelectionMetric,
            Probes = spec.Probes.Select(p => Evaluation.Probes.StepProbes.Create(p.Key, p.Value)).ToArray(),
        };
        var loaders = (
            Train: new DataLoader(train, config.BatchSize, config.ShuffleTrain, SampleMode.Train, Rng.Derive(spec.Seed, 13), config.DropLastTrain),
            Val: new DataLoader(validation, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval),
            Test: new DataLoader(data.Test, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval));
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        Observer.Message($"{spec.Method.Describe()} on {spec.Dataset} ({(data.IsStandIn ? "stand-in" : data.Root)}), profile {spec.Profile.Name}, seed {spec.Seed}");
        var fit = trainer.Fit(method, loaders.Train, loaders.Val, loaders.Test);
        var selected = fit.Selected;
        var result = new RunResult
        {
            Key = spec.Key,
            Method = spec.Method.Describe(),
            Spec = spec.ToJson(),
            SelectedEpoch = fit.SelectedEpoch,
            Selection = fit.Selection,
            SelectionMetric = data.SelectionMetric,
            Test = selected.Test ?? Evaluation.Evaluator.Evaluate(method, loaders.Test, 0, Device),
            Validation = selected.Validation,
            History = fit.History,
            WallSeconds = watch.Elapsed.TotalSeconds,
            DroppedExamples = data.Dropped.Count,
            DataCoverage = data.MissingFiles == MissingFilePolicy.Drop && data.Coverage.Count > 0 ? data.Coverage : null,
            Machine = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {Native.TorchRuntime.Describe()}",
            StartedUtc = started.ToString("O"),
        };
        Store.Save(spec, result, overwrite: Force);
        return result;
    }
}
