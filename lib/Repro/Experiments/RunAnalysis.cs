using Repro.Data;
using Repro.Evaluation;
using Repro.Methods;
using static TorchSharp.torch;

namespace Repro.Experiments;

/// <summary>
/// A measurement of a finished run's selected model on its test split that the evaluator does not make (e.g. the
/// modality gap of MLA Figure 3). <see cref="ExperimentRunner.Analyse"/> computes it once per run and stores it under
/// the run's <c>analyses/{Name}.json</c>; a table row names it (<see cref="Tables.TableRow.Analysis"/>) and reads one of its metrics.
/// </summary>
public sealed record RunAnalysis(string Name, Func<Method, DataLoader, Device, RunAnalysisOutput> Compute)
{
    /// <summary>The modality gap between the model's two modalities' encoder outputs, with their 2-D projection (<see cref="ModalityGap"/>).</summary>
    public static readonly RunAnalysis ModalityGap = new("modality-gap", (method, test, device) =>
    {
        var r = Evaluation.ModalityGap.Analyse(method, test, device);
        return new RunAnalysisOutput(r.Metrics, r.Points);
    });
}

/// <summary>What a <see cref="RunAnalysis"/> found: metrics by name, and points of a 2-D picture (none when it draws nothing).</summary>
public sealed record RunAnalysisOutput(Dictionary<string, double> Metrics, IReadOnlyList<ProjectedPoint> Points);
