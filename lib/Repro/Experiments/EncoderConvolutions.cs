using Repro.Models.Encoders;
using Repro.Models.Transformers;
using Repro.Methods.U2a;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Experiments;

/// <summary>
/// The convolutions the kit's encoders run under a profile, recorded from the encoders themselves (one sample of
/// zeros each, then scaled to the batch): the ResNet-18s of every CREMA-D, Kinetics-Sounds and Food-101 / MM-IMDb input the dataset
/// loaders produce under the profile (their spectrogram, fbank and frame sizes, as in <c>DatasetCatalog</c>), U2A's patch
/// embeddings (tiny encoders, and the published ViT-B/16 and AST where the profile may load them). The parity fixtures' TinyConv reads
/// 1 or 3 channels, so its backward is always single-threaded. The determinism test replays each one (environment.md,
/// "oneDNN convolutions").
/// </summary>
public static class EncoderConvolutions
{
    /// <summary>The distinct convolutions of <paramref name="profile"/> with its batch size, or <paramref name="batch"/> samples.</summary>
    public static IReadOnlyList<ConvolutionShape> For(Profile profile, int? batch = null)
    {
        long n = batch ?? profile.Train.BatchSize;
        var shapes = new List<ConvolutionShape>();
        foreach (var (input, build) in Encoders(profile))
            foreach (var one in Record(build, [1, .. input]))
                shapes.Add(one with { Input = [one.Input[0] * n, .. one.Input[1..]] });   // frames stay per sample
        return shapes.Distinct().ToList();
    }

    /// <summary>Each encoder with one sample's input shape.</summary>
    static IEnumerable<(long[] Input, Func<nn.Module<Tensor, Tensor>> Build)> Encoders(Profile p)
    {
        int w = p.EncoderWidth, s = p.ImageSize;
        var audio = new HashSet<(long, long)>
        {
            p.SpectrogramSize is { } sp ? (sp.Freq, sp.Time) : (257, 188),              // CREMA-D (OGM-GE), Kinetics-Sounds stft
            p.FbankSize is { } fb ? (fb.Frames, fb.Bins) : (1024, 128),                  // CREMA-D (MLA), Kinetics-Sounds fbank
            p.FbankSize is { } fd ? (fd.Bins, fd.Frames) : (129, 626),                   // Kinetics-Sounds (DGL)
        };
        foreach (var (f, t) in audio)
            yield return ([f, t], () => new ResNet18(1, frames: false, w));
        foreach (var frames in new long[] { 1, 3 })                                      // CREMA-D (OGM-GE) / (MLA), Kinetics-Sounds
            yield return ([3, frames, s, s], () => new ResNet18(3, frames: true, w));
        yield return ([3, s, s], () => new ResNet18(3, frames: false, w));               // Food-101, MM-IMDb, MVSA
        foreach (var size in p.PublishedEncoders ? new[] { new U2aEncoderSize(), U2aEncoderSize.Paper } : [new U2aEncoderSize()])
        {
            yield return ([3, s, s], () => new ClipVisionEmbeddings(U2aModels.VisionConfig(s, size)));
            foreach (var (f, t) in audio.Where(a => a.Item1 >= 16 && a.Item2 >= 16))   // the AST's patches are 16 x 16
                yield return ([f, t], () => new AstPatchEmbeddings(U2aModels.AudioConfig((int)f, (int)t, size)));
        }
    }

    static IReadOnlyList<ConvolutionShape> Record(Func<nn.Module<Tensor, Tensor>> build, long[] input)
    {
        using var encoder = build();
        encoder.eval();
        return ConvolutionGuard.Record(() =>
        {
            using var scope = NewDisposeScope();
            encoder.call(zeros(input));
        });
    }
}
