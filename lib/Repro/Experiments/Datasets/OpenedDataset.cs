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
    /// <summary>The validation metric that selects epochs: "acc", or "f1_macro" for multi-label data (MM-IMDb, as MAP).</summary>
    public string SelectionMetric { get; init; } = "acc";
    public DatasetInfo Info => Train.Info;
}
