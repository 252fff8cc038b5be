namespace Repro.Data;

/// <summary>Modality names used across the kit. A model's encoder for modality m is registered as "{m}_net", as in the official code.</summary>
public static class Modalities
{
    public const string Audio = "audio";
    public const string Visual = "visual";
    public const string Text = "text";
    public const string Image = "image";

    /// <summary>Short tag used in loss names: audio -> a, visual -> v, text -> t, image -> i.</summary>
    public static string Tag(string modality) => modality switch
    {
        Audio => "a",
        Visual => "v",
        Text => "t",
        Image => "i",
        _ => modality,
    };

    public static string NetName(string modality) => modality + "_net";

    /// <summary>Every pair (i, j), i &lt; j, of <paramref name="n"/> modalities' positions, in order: (0,1), (0,2), (1,2), ...</summary>
    public static (int I, int J)[] Pairs(int n) =>
        Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(i + 1, n - i - 1).Select(j => (i, j))).ToArray();
}
