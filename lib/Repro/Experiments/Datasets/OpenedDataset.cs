using Repro.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Experiments.Datasets;

/// <summary>A dataset ready for training: its splits, where it came from, and the encoders its modalities use.</summary>
public sealed record OpenedDataset
{
    public required string Id { get; init; }
    public required string Protocol { get; init; }
    public required string Root { get; init; }
    public required bool IsStandIn { get; init; }
    public required IMultimodalDataset Train { get; init; }
    public required IMultimodalDataset Test { get; init; }
    public required Func<string, nn.Module<Tensor, Tensor>> BuildEncoder { get; init; }
    public DropReport Dropped { get; init; } = new();
    /// <summary>Per split (train, test): listed, present and dropped examples, in all and per class; empty for a dataset whose lists name no files.</summary>
    public IReadOnlyList<SplitCoverage> Coverage { get; init; } = [];
    /// <summary>The digest of the present sample ids (<see cref="MissingFiles.Digest"/>), part of a run's identity under missing-files=drop.</summary>
    public string? PresentSamples { get; init; }
    /// <summary>The id's missing-files setting (error unless it says drop).</summary>
    public MissingFilePolicy MissingFiles { get; init; } = MissingFilePolicy.Error;
    /// <summary>The validation metric that selects epochs: "acc", or "f1_macro" for multi-label data (MM-IMDb, as MAP).</summary>
    public string SelectionMetric { get; init; } = "acc";
    public DatasetInfo Info => Train.Info;
}
