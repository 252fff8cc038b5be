namespace Repro.Experiments.Tables;

/// <summary>
/// DGL (ICCV 2025) Figure 3 on CREMA-D, per epoch, joint Concat ("vanilla") beside DGL: (a) the suppression factor s on
/// the audio encoder's gradient; (b) the L2 norm of the gradient the audio encoder is updated with (grad-step probe).
/// By eq. 4 the fused loss gives the audio features (m1) the gradient (p_y - 1) W_y^{m1} (the true class's term of
/// sum_k (p_k - [k = y]) W_k^{m1}), with
/// p_y = e^{W_y^{m1} z^{m1}} / sum_k e^{W_k^{m1} z^{m1}} s_k and s_k = exp((W_k^{m2} - W_y^{m2}) z^{m2}) from the video
/// branch (m2): s_k below 1 pushes p_y towards 1 and the gradient towards 0. The figure's s is s_k averaged over the
/// batch and over k != y (s_y = 1), the grad-suppression probe's audio/zeta. The paper's claims: under Concat s stays
/// below 1 and nears 0 after epoch 20 while the audio gradient collapses; DGL keeps a large audio gradient (alpha g^Uni,
/// eq. 15, which s does not enter).
/// </summary>
[PaperTable]
public static class DglFigure3
{
    public const string Concat = "Concat", Dgl = "DGL";

    static readonly IReadOnlyList<TableRow> AllRows =
    [
        .. EpochCurves.Curve("(a)", "s on the audio encoder's gradient", "cremad", "probe/grad-suppression/audio/zeta", Concat, Dgl),
        .. EpochCurves.Curve("(b)", "audio encoder's gradient norm", "cremad", "probe/grad-step/audio/grad_step", Concat, Dgl),
    ];

    public static readonly TableSpec Spec = new()
    {
        Id = "dgl-figure3",
        Title = "DGL Figure 3 (CREMA-D): suppression factor s and gradient norm of the audio encoder per epoch, Concat vs DGL",
        Source = "Wei, Luo and Luo, Boosting Multimodal Learning via Disentangled Gradient Learning, ICCV 2025, Figure 3",
        Columns = [new(Concat, "concat"), new(Dgl, "dgl")],
        Probes = DglFigure1.Probes,   // Figure 1's Concat run is this one
        Rows = AllRows,
        RowsFor = EpochCurves.RowsFor(AllRows),
        Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(),
        Notes = "The paper prints curves without values. Both quantities are means over every second training step of " +
                "each epoch (grad-suppression and grad-step probes). DGL's s is measured on its fused head, which DGL trains on " +
                "detached features; the gradient its audio encoder gets is alpha times the unimodal loss's, after DGL's clip " +
                "of the global norm. The factor on the video encoder's gradient (from the audio logits) is stored in the same " +
                "runs as probe/grad-suppression/visual/zeta.",
    };
}
