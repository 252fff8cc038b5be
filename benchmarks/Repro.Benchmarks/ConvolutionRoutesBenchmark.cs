// Every convolution the kit's encoders run under a profile (Repro.Experiments.EncoderConvolutions), forward and backward,
// on each of the guard's routes (Repro.Native.ConvolutionRoute), in interleaved rounds: the seconds each route takes
// over the shapes oneDNN exposes (channel counts that are not whole 16-lane blocks), and the non-finite results it gave;
// then CREMA-D's two ResNet-18s under the profile, forward and backward, with every exposed convolution on each route.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- routes [PROFILE [ROUNDS [BATCH]]]
// Not a test: it asserts nothing.
using System.Diagnostics;
using System.Globalization;
using Repro.Experiments;
using Repro.Models.Encoders;
using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

static class ConvolutionRoutesBenchmark
{
    static readonly ConvolutionRoute[] Routes =
        [ConvolutionRoute.OneDnn, ConvolutionRoute.SingleThreadedBackward, ConvolutionRoute.Im2col, ConvolutionRoute.ForwardKernels];

    public static void Run(string[] args)
    {
        var profile = Profile.Named(args.Length > 0 ? args[0] : "embedded");
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        int? batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : null;
        var shapes = EncoderConvolutions.For(profile, batch).Where(s => ConvolutionGuard.Exposed(s.InChannels, s.OutChannels, s.Groups)).ToList();
        Console.WriteLine($"{shapes.Count} exposed convolutions of the {profile.Name} profile, forward + backward, {rounds} interleaved rounds; " +
                          $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads, {TorchRuntime.Describe()}");
        Console.WriteLine("(OneDnn here is unguarded: all threads, oneDNN's backward kernels; the race it can show is the reason for the others)");
        var seconds = Routes.ToDictionary(r => r, _ => shapes.Select(_ => new List<double>()).ToList());
        var nonFinite = Routes.ToDictionary(r => r, _ => 0);
        for (int round = 0; round < rounds; round++)
            foreach (var route in Routes)
                for (int i = 0; i < shapes.Count; i++)
                {
                    var (s, bad) = Time(shapes[i], route);
                    if (round > 0) seconds[route][i].Add(s);   // the first round warms up
                    nonFinite[route] += bad.Length;
                    foreach (var which in bad) Console.WriteLine($"non-finite {which} gradient: {route}, {shapes[i]}");
                }
        Console.WriteLine($"{"shape",-64} " + string.Join(" ", Routes.Select(r => $"{r,14}")) + "   (median ms)");
        for (int i = 0; i < shapes.Count; i++)
            Console.WriteLine($"{shapes[i],-64} " + string.Join(" ", Routes.Select(r => $"{1000 * Median(seconds[r][i]),14:F1}")));
        Console.WriteLine($"{"sum",-64} " + string.Join(" ", Routes.Select(r => $"{1000 * seconds[r].Sum(Median),14:F1}")));
        Console.WriteLine($"{"non-finite results (all rounds)",-64} " + string.Join(" ", Routes.Select(r => $"{nonFinite[r],14}")));
        Encoders(profile, rounds, batch ?? profile.Train.BatchSize);
    }

    /// <summary>CREMA-D's audio and visual ResNet-18s, forward + backward, every exposed convolution on one route.</summary>
    static void Encoders(Profile profile, int rounds, int batch)
    {
        var (freq, time) = profile.SpectrogramSize ?? (257, 188);
        using var audio = new ResNet18(1, frames: false, profile.EncoderWidth);
        using var visual = new ResNet18(3, frames: true, profile.EncoderWidth);
        var inputs = new (string Name, ResNet18 Encoder, long[] Shape)[]
            { ("audio", audio, [batch, 1, freq, time]), ("visual", visual, [batch, 3, 1, profile.ImageSize, profile.ImageSize]) };
        var seconds = Routes.ToDictionary(r => r, _ => new List<double>());
        for (int round = 0; round <= rounds; round++)
            foreach (var route in Routes)
            {
                using var forcing = ConvolutionGuard.Forcing(route);
                using var scope = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                foreach (var (_, encoder, shape) in inputs)
                    encoder.call(randn(shape)).sum().backward();
                if (round > 0) seconds[route].Add(watch.Elapsed.TotalSeconds);
            }
        Console.WriteLine($"CREMA-D's two ResNet-18s (width {profile.EncoderWidth}, batch {batch}), forward + backward, median (minimum) of {rounds}: " +
                          string.Join(", ", Routes.Select(r => $"{r} {1000 * Median(seconds[r]):F0} ({1000 * seconds[r].Min():F0}) ms")));
    }

    static (double Seconds, string[] NonFinite) Time(ConvolutionShape s, ConvolutionRoute route)
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(s.InChannels, s.OutChannels, (s.Weight[2], s.Weight[3]), stride: (s.Stride[0], s.Stride[1]),
            padding: (s.Padding[0], s.Padding[1]), dilation: (s.Dilation[0], s.Dilation[1]), groups: s.Groups, bias: s.Bias);
        var x = randn(s.Input).requires_grad_(s.InputRequiresGrad);
        var watch = Stopwatch.StartNew();
        var y = ConvolutionGuard.Conv2d(conv, x, route);
        var grads = autograd.grad([y.sum()], s.InputRequiresGrad ? [conv.weight!, x] : [conv.weight!]);
        watch.Stop();
        return (watch.Elapsed.TotalSeconds, grads.Zip(["weight", "input"]).Where(p => !p.First.isfinite().all().item<bool>()).Select(p => p.Second).ToArray());
    }

    static double Median(List<double> v)
    {
        var sorted = v.OrderBy(x => x).ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
