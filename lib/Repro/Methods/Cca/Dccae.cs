namespace Repro.Methods.Cca;

/// <summary>
/// DCCAE, the deep canonically correlated autoencoder (Wang et al., ICML 2015) as GCNet runs it (baseline-cca/dccae.py:
/// 124-148, 294; docs/missing-modality.md#dccae): <see cref="Dcca"/> plus a decoder per view (the encoder's sizes
/// reversed, <see cref="DccaHead"/>), loss = -(corr12 + corr13 + corr23) + recon_weight * sum_v MSE(x_hat_v, x_v) on the
/// mean-imputed inputs, recon_weight 0.001 as the reference. Options as DCCA plus recon_weight; text_via_visual also
/// sends the text code through the visual decoder (dccae.py:141,145).
/// </summary>
[Method("dccae", "DCCAE (GCNet suite): DCCA with per-view decoders (reconstruction weight 0.001), then a linear SVM")]
public static class Dccae
{
    public static Method Create(DccaeOptions o, ModelParts parts) => Dcca.Build(o, parts);
}
