namespace Repro.Models.Fusion;

/// <summary>Where a <see cref="MixerBlock"/>'s LayerNorms sit (CubeMLP's --ln_first flag).</summary>
public enum MixerNorm
{
    /// <summary>Before each MLP, the residual sum left unnormalised (CubeMLP's README command for MOSI, --ln_first).</summary>
    First,
    /// <summary>After each residual sum (CubeMLP's code without the flag): bounded outputs, stable at the CPU profiles' SGD rate.</summary>
    Last,
}
