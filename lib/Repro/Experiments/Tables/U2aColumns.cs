namespace Repro.Experiments.Tables;

/// <summary>
/// The U2A column every U2A table shares, with the settings the CPU profiles need (the paper profile keeps the paper's).
/// The paper's schedules (Table 5) go with tens of thousands of steps; a CPU profile takes a few hundred, so:
/// <list type="bullet">
/// <item>audio-video (Kinetics-Sounds, CREMA-D): lr 1e-3, the image-text rate, instead of 5e-5 (with 5e-5 and its 0.1x
///   warm-up the classifier stays at chance; measured on the CREMA-D stand-in).</item>
/// <item>MM-IMDb: lr 3e-3 for the profile's epochs, and the alignment target detached (<c>align_target=detached</c>).
///   Multi-label BCE first learns the base rates (23 genres, about 9% positives each); and with eq. 6 as written the
///   gradient reaches the CLS through LoRA, which on the tiny encoders (width 32) pulls the CLS outputs onto the mask
///   tokens until the classifier has nothing left: F1-macro 15.2 at epoch 1, 0.0 from epoch 10 on (loss at the base
///   rate) with lr 3e-3 and 25 epochs, against 51.6 with the target detached (embedded stand-in, seed 0). Food-101
///   learns with the shared target, so it keeps the paper's.</item>
/// </list>
/// </summary>
public static class U2aColumns
{
    public static (string Key, string Value)[] CpuSettings(string dataset, Profile profile) => profile.PaperSchedules ? [] : dataset switch
    {
        _ when U2aTable2.AudioVideoDatasets.ContainsKey(dataset) => [("lr", "0.001")],
        "mmimdb" => [("lr", "0.003"), ("epochs", profile.Train.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("align_target", "detached")],
        _ => [],
    };

    public static TableColumn U2a(string label, params (string, string)[] options) =>
        new(label, "u2a", options.Length == 0 ? null : options) { ExtraOptions = CpuSettings };
}
