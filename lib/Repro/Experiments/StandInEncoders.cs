using Repro.Data;
using Repro.Experiments.Datasets;
using Repro.Methods;
using Repro.Models.Transformers;
using Repro.Native;
using Repro.Methods.U2a;

namespace Repro.Experiments;

/// <summary>
/// The embedded demo's pretrained encoders (issue: frozen random encoders would make U2A meaningless). For a stand-in
/// dataset, a modality and a tiny encoder size: a <c>u2a-pretrain</c> run on a separate draw of the same stand-in
/// (<c>standin-seed=1</c>: its own train and test splits, never seen by U2A), stored and reused like any run, whose
/// selected encoder is written once as <c>encoder.safetensors</c> in the run's folder under the published prefix
/// (vision_model., bert., audio_spectrogram_transformer.), the file U2A then loads with <see cref="WeightLoader"/>.
/// </summary>
public static class StandInEncoders
{
    public const int PretrainingDraw = 1;
    public const string FileName = "encoder.safetensors";

    /// <summary>
    /// Pretraining epochs: the profile's when it sets them (<see cref="Profile.PretrainingEpochs"/>: a stand-in too small for
    /// the default); multi-label data needs more epochs and a higher rate (<see cref="U2aPretrain.MultiLabelEpochs"/>).
    /// </summary>
    public static int EpochsFor(Profile profile, bool multiLabel = false) =>
        profile.PretrainingEpochs ?? (multiLabel ? U2aPretrain.MultiLabelEpochs : U2aPretrain.DefaultEpochs);

    /// <summary>The pretraining run's spec for a dataset (settings such as missing masks are dropped: pretraining is on complete data).</summary>
    public static RunSpec PretrainingRun(string dataset, Profile profile, string modality, U2aEncoderSize size, bool multiLabel = false)
    {
        var r = DatasetRef.Parse(dataset);
        var id = r.Protocol is null ? r.Id : $"{r.Id}:{r.Protocol}";
        return new RunSpec
        {
            Dataset = $"{id}:{DatasetSetting.StandInSeed}={PretrainingDraw}", Profile = profile,
            Method = MethodRegistry.Spec(U2aPretrain.OptionsFor(modality, size, EpochsFor(profile, multiLabel), multiLabel ? U2aPretrain.MultiLabelLr : null)), Seed = 0,
        };
    }

    /// <summary>
    /// The pretrained encoder's file, training it first when no finished run exists; one process at a time makes it
    /// (the lease <c>encoder.safetensors.lock</c>), so processes sharing the store train and export it once.
    /// </summary>
    public static string Ensure(ExperimentRunner runner, string dataset, Profile profile, string modality, U2aEncoderSize size)
    {
        var multiLabel = runner.Dataset(dataset, null, profile).Info.MultiLabel;   // the U2A run's dataset, already open
        var spec = PretrainingRun(dataset, profile, modality, size, multiLabel);
        var path = Path.Combine(runner.Store.RunDirectory(spec), FileName);
        if (File.Exists(path)) return path;
        using var exporting = FileLease.Acquire(path + ".lock", h => runner.Observer.Message($"{path}: {h} is making it; waiting"));
        if (File.Exists(path)) return path;
        var (result, _) = runner.Run(spec);
        var best = new Training.Checkpoints(runner.Store.CheckpointDirectory(spec)).BestModelPath;
        if (!File.Exists(best))
            throw new FileNotFoundException($"{best}: the pretraining run {result.Key} has no selected model to export; run it again with --force.", best);
        var info = runner.Dataset(spec.Dataset, null, profile).Info;
        using var shape = U2aModels.Backbone(info.Modality(modality), size, new TorchSharp.torch.Device("meta"));
        Export(best, Modalities.NetName(modality) + ".backbone.", PublishedCheckpoints.PrefixOf((ITokenEncoder)shape), path);
        return path;
    }

    /// <summary>
    /// Writes the tensors of a kit model file under <paramref name="from"/> renamed to <paramref name="to"/> (the published
    /// layout), atomically; an existing file is never replaced.
    /// </summary>
    public static void Export(string modelFile, string from, string to, string path)
    {
        if (File.Exists(path)) throw new IOException($"{path}: already exists; the kit does not replace a pretrained encoder (delete the file or rerun with --force).");
        var tensors = Safetensors.Load(modelFile, n => n.StartsWith(from, StringComparison.Ordinal));
        try
        {
            if (tensors.Count == 0) throw new InvalidDataException($"{modelFile}: no tensor name starts with '{from}'.");
            var tmp = AtomicFile.TempName(path);
            Safetensors.Save(tmp, tensors.ToDictionary(kv => to + kv.Key[from.Length..], kv => kv.Value),
                new Dictionary<string, string> { ["format"] = "pt", ["source"] = $"{Path.GetFileName(modelFile)} ({from}*)" });
            File.Move(tmp, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
