using System.CommandLine;
using System.Globalization;
using Repro.Methods.U2a;

namespace Repro.Cli.Commands;

/// <summary>`repro u2a params --config NAME`: U2A's trainable and total parameters at full size, beside the paper's.</summary>
static class U2aCommand
{
    public static Command Create()
    {
        var cmd = new Command("u2a", "U2A tools");
        var config = new Option<string>("--config") { Description = $"configuration: {string.Join(", ", U2aPaperConfigurations.All.Select(c => c.Name))}, or all", DefaultValueFactory = _ => "all" };
        var parameters = new Command("params", "Trainable and total parameters of the paper's configurations, built at full size without weights") { config };
        parameters.SetAction(r => CliErrors.Guard(r, () =>
        {
            var name = r.GetValue(config)!;
            var chosen = name == "all" ? U2aPaperConfigurations.All : [U2aPaperConfigurations.Named(name)];
            var ci = CultureInfo.InvariantCulture;
            foreach (var c in chosen)
            {
                var (trainable, total) = U2aPaperConfigurations.Count(c);
                double totalM = total / 1e6, diff = Math.Round(100 * (totalM - c.PaperTotalMillions) / c.PaperTotalMillions, 2);
                Console.WriteLine(string.Create(ci, $"{c.Name} ({c.Dataset}; {string.Join(" + ", c.Modalities)}; {c.Classes} classes)"));
                Console.WriteLine(string.Create(ci, $"  trainable {trainable:N0} ({trainable / 1e6:F2} M; paper {c.Source}: {c.PaperTrainable})"));
                Console.WriteLine(string.Create(ci, $"  total     {total:N0} ({totalM:F2} M; paper {c.Source}: {c.PaperTotalMillions:F2} M, {diff:+0.00;-0.00;0.00}%)"));
                if (c.Modalities.Any(m => m.Name == Data.Modalities.Text))
                    Console.WriteLine("  note: the paper prints one trainable count, 0.27 M, for both image-text datasets; LoRA (rank 1 on q, k, v, o of 12 blocks x 2 encoders), " +
                                      "the two mask tokens and the classifier give the count above, and the paper does not say what else it trains.");
            }
            return 0;
        }));
        cmd.Subcommands.Add(parameters);
        return cmd;
    }
}
