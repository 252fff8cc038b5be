using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>
/// The kit's small text encoder for CPU profiles (not a paper's encoder; the papers use BERT): token embeddings
/// (padding id 0 embeds to zero), the mean over the non-padding tokens, then a two-layer MLP
/// (fc1 = Linear(embed, hidden) -> ReLU -> fc2 = Linear(hidden, d)). Input (B, L) int64 WordPiece ids; output (B, d).
/// A text whose ids are all padding (a missing text collated as zeros) gives the MLP's response to a zero mean.
/// </summary>
public sealed class TokenMeanPool : Module<Tensor, Tensor>, IEncoder
{
    readonly Embedding embedding;
    readonly Linear fc1;
    readonly Linear fc2;

    public int FeatureDim { get; }

    public TokenMeanPool(long vocabSize, long embedDim, long hidden, int featureDim) : base(nameof(TokenMeanPool))
    {
        embedding = Embedding(vocabSize, embedDim, padding_idx: 0);
        fc1 = Linear(embedDim, hidden);
        fc2 = Linear(hidden, featureDim);
        FeatureDim = featureDim;
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        if (ids.dim() != 2) throw new ArgumentException($"TokenMeanPool expects (B, L) token ids, got ({string.Join(", ", ids.shape)}).");
        var mask = ids.ne(0).unsqueeze(-1).to_type(ScalarType.Float32);
        var summed = (embedding.call(ids) * mask).sum(1);
        var mean = summed / mask.sum(1).clamp_min(1.0);
        return fc2.call(functional.relu(fc1.call(mean))).MoveToOuterDisposeScope();
    }
}
