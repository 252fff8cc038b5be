using Repro.Data;
using Repro.Models.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>A configuration of the paper: its modalities with their input shapes, its classes, and the parameter counts it reports.</summary>
public sealed record U2aPaperConfiguration(string Name, string Dataset, IReadOnlyList<ModalitySpec> Modalities, int Classes,
    string PaperTrainable, double PaperTotalMillions, string Source);

/// <summary>
/// The paper's configurations at full size (ViT-B/16 at 224x224; BERT-base with max length 40 or 256; AST on 1024 x 128
/// fbank; video as 3 frames), and their parameter counts counted on the real module classes built on the meta device
/// (shapes without storage, so nothing is allocated or loaded).
/// </summary>
public static class U2aPaperConfigurations
{
    static readonly ModalitySpec Image = new(Data.Modalities.Image, [3, 224, 224]);
    static readonly ModalitySpec Video = new(Data.Modalities.Visual, [3, 3, 224, 224]);
    static readonly ModalitySpec Audio = new(Data.Modalities.Audio, [1024, 128]);
    static ModalitySpec Text(int length) => new(Data.Modalities.Text, [length], ScalarType.Int64);

    public static IReadOnlyList<U2aPaperConfiguration> All { get; } =
    [
        new("food101", "Food-101", [Image, Text(40)], 101, "0.27 M", 195.51, "Table 1"),
        new("mmimdb", "MM-IMDb", [Image, Text(256)], 23, "0.27 M", 195.51, "Table 1"),
        new("ks", "Kinetics-Sounds", [Audio, Video], 31, "0.17 M", 172.16, "Table 2"),
        new("cremad", "CREMA-D", [Audio, Video], 6, "0.17 M", 172.16, "Table 2"),
    ];

    public static U2aPaperConfiguration Named(string name) => All.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"Unknown U2A configuration '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}.");

    /// <summary>Trainable and total parameters of the configuration's U2A model at full size.</summary>
    public static (long Trainable, long Total) Count(U2aPaperConfiguration c)
    {
        var meta = new Device("meta");
        using var model = U2aModels.Build(c.Modalities, c.Classes, U2aEncoderSize.Paper, LoraConfig.U2a, device: meta);
        return U2aModels.CountParameters(model);
    }
}
