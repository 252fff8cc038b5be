namespace Repro.Experiments.Tables;

/// <summary>
/// DGL (ICCV 2025) Figure 1 on CREMA-D, per epoch: (a) test accuracy of the joint Concat model's audio and visual branches
/// (each with the other modality's features zeroed, as in Table 1) and of its fused prediction; (b) audio accuracy of
/// the audio-only model beside the Concat model's audio branch; (c) the L2 norm of the gradient the audio encoder is
/// updated with in each (the grad-step probe). The paper's claims: even the better branch, audio, stays
/// below its unimodal model, and the multimodal model passes its audio encoder a smaller gradient, the gap widening in
/// mid-training (eq. 4: the fused loss scales the encoder's gradient down by the other modality's factor s).
/// </summary>
[PaperTable]
public static class DglFigure1
{
    public const string Concat = "Concat", AudioOnly = "Audio-only";

    /// <summary>
    /// What the runs of both DGL figures record, every second step: the suppression factor (Fig. 3(a)) and the applied
    /// encoder gradient (Figs. 1(c), 3(b)). One set for both figures, so their Concat run is one run; Table 1's columns
    /// record no probe and are other runs (a probe is part of a run's identity).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> Probes = new Dictionary<string, int> { ["grad-suppression"] = 2, ["grad-step"] = 2 };

    static readonly IReadOnlyList<TableRow> AllRows =
    [
        .. EpochCurves.Curve("(a)", "audio branch", "cremad", "acc_audio", Concat),
        .. EpochCurves.Curve("(a)", "visual branch", "cremad", "acc_visual", Concat),
        .. EpochCurves.Curve("(a)", "fused", "cremad", "acc", Concat),
        .. EpochCurves.Curve("(b)", "audio accuracy", "cremad", "acc_audio", Concat, AudioOnly),
        .. EpochCurves.Curve("(c)", "audio encoder's gradient norm", "cremad", "probe/grad-step/audio/grad_step", Concat, AudioOnly),
    ];

    public static readonly TableSpec Spec = new()
    {
        Id = "dgl-figure1",
        Title = "DGL Figure 1 (CREMA-D): accuracy (%) per epoch of the Concat model's branches and the audio-only model, and the audio encoder's gradient norm",
        Source = "Wei, Luo and Luo, Boosting Multimodal Learning via Disentangled Gradient Learning, ICCV 2025, Figure 1",
        Columns = [new(Concat, "concat"), new(AudioOnly, "unimodal", [("modality", "audio")])],
        Probes = Probes,
        Rows = AllRows,
        RowsFor = EpochCurves.RowsFor(AllRows),
        Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(),
        Notes = "The paper prints curves without values. Accuracies are on the test split at every epoch (no selection); the " +
                "gradient norm is the mean, over every second training step of the epoch, of ||grad|| over all of the audio " +
                "encoder's parameters just before the optimizer step (Concat: the fused loss's gradient; audio-only: its own loss's). " +
                "The runs are Table 1's Concat and Audio-only columns recording two probes, so they are trained apart from Table 1's.",
    };
}
