namespace Repro.Models.Lora;

/// <summary>LoRA's settings (PEFT LoraConfig): rank r, alpha (scaling alpha / r), dropout on the adapter's input.</summary>
public sealed record LoraConfig
{
    public int Rank { get; init; } = 1;
    public double Alpha { get; init; } = 1;
    public double Dropout { get; init; } = 0.1;

    public double Scaling => Alpha / Rank;

    /// <summary>U2A's setting: rank 1, alpha 1, dropout 0.1.</summary>
    public static LoraConfig U2a { get; } = new();
}
