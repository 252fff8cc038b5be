using System.CommandLine;
using Repro.Parity;

namespace Repro.Cli.Commands;

/// <summary>`repro parity DIR|FILE.json...`: replays fixtures of the official code and compares, epoch by epoch.</summary>
static class ParityCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Fixture folders or recipe files", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("parity", "Replay parity fixtures of the official code; exit 0 only if every one is within tolerance") { paths };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            int failed = 0, total = 0;
            foreach (var file in p.GetValue(paths)!.SelectMany(ParityFixture.Find))
            {
                var report = ParityReplay.Run(file);
                Console.WriteLine(report.Summary());
                total++;
                if (!report.Passed) failed++;
            }
            Console.WriteLine($"{total - failed}/{total} fixtures within tolerance");
            return failed == 0 && total > 0 ? 0 : 1;
        }));
        return cmd;
    }
}
