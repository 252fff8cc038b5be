namespace Repro.Experiments.Tables;

/// <summary>
/// DGL (ICCV 2025) Table 2, left half: unimodal and multimodal test accuracy (%) on CREMA-D (one frame per clip) with
/// MMTM intermediate fusion (Joze et al., CVPR 2020) between the two ResNet-18s, for joint training (the multimodal
/// baseline), the balancing methods and DGL (<c>fusion=mmtm</c>: <see cref="Repro.Models.Fusion.MmtmFusion"/>). As DGL §4.3
/// states, G-Blending, OGM-GE and MMPareto take a modality's logits from the fusion module with the other modality's
/// representation (its layer2 map) set to 0, as DGL does; AGM keeps its own Shapley responses over zeroed inputs. The
/// Audio-only and Visual-only columns are the unimodal ResNet-18s, the runs of DGL Table 1's columns of those names.
/// The paper's claim to check: DGL beats the baseline and the other methods on all three rows, and its audio and visual
/// branches beat the unimodal models (60.30 vs 59.18, 69.50 vs 68.34).
/// The right half (MOSI, three modalities, MLP-Mixer fusion) is its own table, <see cref="DglTable2Mosi"/> (dgl-table2-mosi).
/// </summary>
[PaperTable]
public static class DglTable2
{
    static readonly string[] Labels = ["Audio-only", "Visual-only", "Baseline", "G-Blending", "OGM-GE", "AGM", "MMPareto", "DGL"];

    static Dictionary<string, double> Row(params double?[] values) =>
        Labels.Zip(values).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!.Value);

    static readonly (string, string)[] Mmtm = [("fusion", "mmtm")];

    public static readonly TableSpec Spec = new()
    {
        Id = "dgl-table2",
        Title = "DGL Table 2 (left): MMTM intermediate fusion on CREMA-D, unimodal and multimodal accuracy (%)",
        Source = "Wei, Luo and Luo, Boosting Multimodal Learning via Disentangled Gradient Learning, ICCV 2025, Table 2 (left)",
        Columns =
        [
            new("Audio-only", "unimodal", [("modality", "audio")]),
            new("Visual-only", "unimodal", [("modality", "visual")]),
            new("Baseline", "joint", Mmtm),
            new("G-Blending", "gblending", Mmtm),
            new("OGM-GE", "ogm-ge", Mmtm),
            new("AGM", "agm", Mmtm),
            new("MMPareto", "mmpareto", Mmtm),
            new("DGL", "dgl", Mmtm),
        ],
        Rows =
        [
            new("Audio", new Dictionary<string, string> { ["cremad"] = "acc_audio" }),
            new("Visual", new Dictionary<string, string> { ["cremad"] = "acc_visual" }),
            new("Multi", new Dictionary<string, string> { ["cremad"] = "acc" }),
        ],
        Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>
        {
            ["cremad"] = new()
            {
                ["Audio"] = Row(59.18, null, 56.11, 57.72, 55.61, 55.29, 56.79, 60.30),
                ["Visual"] = Row(null, 68.34, 23.43, 62.11, 40.61, 44.18, 63.21, 69.50),
                ["Multi"] = Row(null, null, 60.12, 69.99, 65.31, 66.65, 69.88, 75.00),
            },
        },
        Notes = "Paper: CREMA-D with 1 frame per clip, MMTM between the ResNet-18 streams; the paper gives no other setting for this table " +
                "(Table 1's: SGD, 100 epochs, batch 64; DGL's alpha 4 is the kit's default). " +
                "Kit: MMTM after layer2, layer3 and layer4 as in DGL's models/mmtm_net.py, the encoders being each stream's stem, layer1 and layer2 " +
                "and the fusion module the rest (layer3, layer4, three MMTMs, fc on the concatenated pooled features); the MMTM paper's " +
                "2 sigmoid gate (mmtm_gate=official: the code's sigmoid), the code's ratio 2, separate layer3/layer4 per stream " +
                "(mmtm_shared_stages=true: the code's shared ones); a unimodal pass normalises by its batch's statistics and leaves the running ones to the fused passes " +
                "(mmtm_unimodal_norm=official: the code's training-mode pass, which also moves them toward the zeroed stream's). Not run: the paper's PMR (54.71, 39.21, 64.89) and D&R (58.67, 66.32, 72.28) rows, " +
                "whose prototypes and clusters need pooled encoder features. The right half of the table (MOSI: audio, visual and text with " +
                "MLP-Mixer fusion) is the table dgl-table2-mosi.",
    };
}
