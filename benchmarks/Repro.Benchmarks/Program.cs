// The kit's benchmarks (benchmarks/README.md). Not tests: they assert nothing and print measurements.
//   epochs [EPOCHS [RESULTS_DIR [TORCH_THREADS]]]   per-epoch wall time, data wait and peak RSS of Concat, MLA, DGL (embedded)
//   step [STEPS [ROUNDS [BATCH]]]                    the paper-size Concat step: kit, bare TorchSharp, PyTorch
//   costs [EPOCHS [RESULTS_DIR]]                     the cost table of MLA Table 1's and DGL Table 1's methods
//   mla-table2 [PROFILE [RESULTS_DIR]]               the cost of every cell of MLA Table 2
//   u2a [STEPS [BATCH [cpu|cuda]]]                   U2A's step at full size against full fine-tuning
//   routes [PROFILE [ROUNDS [BATCH]]]                the exposed convolutions of a profile on each of the guard's routes
//   scalars [STEPS [DATASETS [METHODS]]]             every method's step with a thread collecting garbage: temporary-Scalar races
using Repro.Native;

TorchRuntime.EnsureReady();
var command = args.FirstOrDefault() is { } first && !char.IsDigit(first[0]) ? first : "epochs";
var rest = command == args.FirstOrDefault() ? args[1..] : args;
switch (command)
{
    case "epochs": EpochBenchmark.Run(rest); break;
    case "step": StepBenchmark.Run(rest); break;
    case "costs": CostsBenchmark.Run(rest); break;
    case "mla-table2": MissingGridBenchmark.Run(rest); break;
    case "u2a": U2aThroughputBenchmark.Run(rest); break;
    case "routes": ConvolutionRoutesBenchmark.Run(rest); break;
    case "scalars": ScalarRaceBenchmark.Run(rest); break;
    default: Console.Error.WriteLine($"Unknown benchmark '{command}': epochs, step, costs, mla-table2, u2a, routes or scalars (benchmarks/README.md)."); Environment.Exit(2); break;
}
