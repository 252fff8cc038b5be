namespace Repro.Data;

/// <summary>A dataset with deterministic per-example work (decoding, features) it can do once, up front, on every core.</summary>
public interface IPrecomputable
{
    void Precompute(IProgress<(int Done, int Total)>? progress = null);
}
