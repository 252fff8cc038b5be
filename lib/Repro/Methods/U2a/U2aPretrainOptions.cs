namespace Repro.Methods.U2a;

/// <summary>
/// u2a-pretrain's options. The encoder size and the epochs are part of every run's identity: a pretraining run is always
/// asked for with the size of the U2A run it serves (<see cref="Repro.Experiments.StandInEncoders"/>).
/// </summary>
[AlwaysInIdentity("hidden", "layers", "heads", "image_patch", "audio_patch", "audio_stride", "vocab", "epochs")]
public sealed record U2aPretrainOptions : U2aEncoderOptions
{
    [Option("modality", "the modality whose encoder is trained", Default = "the dataset's first modality")]
    public string? Modality { get; init; }

    [Option("epochs", "training epochs, whatever the profile", Min = 1)]
    public int Epochs { get; init; } = U2aPretrain.DefaultEpochs;

    [Option("lr", "AdamW's constant learning rate (weight decay 0.01)", Min = 0)]
    public double Lr { get; init; } = 1e-3;
}
