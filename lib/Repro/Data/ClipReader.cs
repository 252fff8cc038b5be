using System.Collections.Concurrent;
using Repro.Data.CremaD;
using Repro.Data.Images;
using static TorchSharp.torch;

namespace Repro.Data;

/// <summary>
/// Reads one audio-visual clip held as an audio feature and a sorted folder of 1-fps frames, as the Kinetics-Sounds and
/// VGGSound loaders store them: the audio first (it may draw from the sample's random stream), then the selected frames
/// through the train/test image pipelines, (3, T, S, S), from the same stream. Keeps the decoded frames (when
/// <c>cacheFrames</c>) and the finished audio features of the clips whose audio is the same every time (when
/// <c>cacheAudio</c>); the audio feature is resized to <c>audioSize</c> when one is set.
/// </summary>
public sealed class ClipReader(int frames, FrameSelection frameSelection, int imageSize, long[] audioShape,
    (int Rows, int Cols)? audioSize, bool cacheAudio, bool cacheFrames)
{
    readonly ConcurrentDictionary<int, float[]> _audioCache = new();
    readonly ConcurrentDictionary<string, RgbImage> _frameCache = new();

    /// <summary>Clip <paramref name="index"/>'s sample: <paramref name="audio"/> given the sample's random stream, then the frames.</summary>
    public Sample Read(int index, string id, int label, string[] sortedFrames, SampleMode mode, ulong seed, Func<Rng, Tensor> audio)
    {
        var rng = new Rng(seed);
        using var scope = NewDisposeScope();
        var a = audio(rng);
        var visual = Visual(sortedFrames, mode, rng);
        return new Sample
        {
            Index = index, Id = id, Label = label,
            Inputs = new Dictionary<string, Tensor?> { [Modalities.Audio] = a.MoveToOuterDisposeScope(), [Modalities.Visual] = visual.MoveToOuterDisposeScope() },
        };
    }

    /// <summary>The selected frames of a sorted frame list through the image pipeline of <paramref name="mode"/>: (3, T, S, S).</summary>
    public Tensor Visual(string[] sortedFrames, SampleMode mode, Rng rng) =>
        ImagePipelines.Clip(CremaDDataset.SelectFrames(sortedFrames, frames, frameSelection), mode, imageSize, rng,
            f => cacheFrames ? _frameCache.GetOrAdd(f, ImageFile.Decode) : ImageFile.Decode(f));

    /// <summary>
    /// Clip <paramref name="index"/>'s audio feature: <paramref name="read"/>'s 2-d feature resized to the audio size
    /// (bilinear, antialiased) when one is set; kept and reused when <paramref name="same"/> says it is the same on every read.
    /// </summary>
    public Tensor Audio(int index, bool same, Func<Tensor> read)
    {
        if (same && cacheAudio && _audioCache.TryGetValue(index, out var cached)) return tensor(cached, audioShape);
        using var scope = NewDisposeScope();
        var x = read();
        if (audioSize is { } size)
            x = nn.functional.interpolate(x.unsqueeze(0).unsqueeze(0), [size.Rows, size.Cols], mode: InterpolationMode.Bilinear,
                align_corners: false, antialias: true).squeeze(0).squeeze(0);
        x = x.contiguous();
        if (same && cacheAudio) _audioCache[index] = x.data<float>().ToArray();
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Reads every clip's audio into the cache (when caching is on), on all cores; <paramref name="what"/> names the split in errors and progress.</summary>
    public void PrecomputeAudio(int count, Func<int, Tensor> audio, string what, IProgress<(int Done, int Total)>? progress)
    {
        if (!cacheAudio) return;
        BadInputs.ForEach(count, i =>
        {
            using var scope = NewDisposeScope();
            audio(i);
        }, what, progress);
    }
}
