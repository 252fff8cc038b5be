using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Data.Mvsa;

/// <summary>
/// MVSA-Single (docs/datasets.md#mvsa): tweets, each an image <c>data/&lt;id&gt;.jpg</c> and a text, labelled negative,
/// neutral or positive (classes in sorted order, as MLA's loader sorts them). Only posts whose text and image labels
/// agree in <c>labelResultAll.txt</c> are used (2,592 of 4,869); every listed post is checked against that rule.
/// Protocol "mla" (MLA's release): MLA's lists <c>my_{train,test}_mvsa.txt</c> (1,555 / 519), the text of each post
/// taken from QMF's jsonl files, which MLA tokenised. Protocol "qmf": QMF's <c>{train,dev,test}.jsonl</c>
/// (1,555 / 518 / 519) with their texts. Inputs: image (3, S, S) and text (L) WordPiece ids. Bad lines of every file
/// and every missing image are reported together, each naming the file, line and field.
/// </summary>
public sealed class MvsaDataset : IMultimodalDataset, IListsFiles
{
    public static readonly string[] Classes = ["negative", "neutral", "positive"];

    readonly List<(string Id, int Label, string Image, string Text)> _items = new();
    readonly ImageTextSamples _samples;

    public MvsaDataset(string root, string split, string protocol = "mla", ImageTextOptions? options = null)
    {
        var o = options ?? new ImageTextOptions { TextLength = 256 };
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: MVSA-Single root folder not found.");
        Protocol = protocol;
        Split = split;
        var bad = new BadInputs();
        List<MvsaPost> posts;
        string list;
        bool textsRead = true;   // false when a file holding texts is missing (reported once, not per post)
        switch (protocol)
        {
            case "mla":
            {
                if (split is not ("train" or "test")) throw new ArgumentException($"MVSA protocol mla has splits train and test, not '{split}'.");
                list = Path.Combine(root, MvsaLists.MlaList(split));
                posts = Collect(bad, () => MvsaLists.ReadMlaList(list, bad)) ?? [];
                // MLA tokenised the jsonl texts; its test list also holds 32 posts of QMF's dev split
                var texts = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var s in MvsaLists.QmfSplits)
                {
                    var read = Collect(bad, () => MvsaLists.ReadJsonl(Path.Combine(root, MvsaLists.QmfList(s)), bad));
                    textsRead &= read is not null;
                    foreach (var p in read ?? []) texts.TryAdd(p.Id, p.Text!);
                }
                posts = posts.Select(p => texts.TryGetValue(p.Id, out var t) ? p with { Text = t } : p).ToList();
                break;
            }
            case "qmf":
            {
                if (Array.IndexOf(MvsaLists.QmfSplits, split) < 0) throw new ArgumentException($"MVSA protocol qmf has splits train, dev and test, not '{split}'.");
                list = Path.Combine(root, MvsaLists.QmfList(split));
                posts = Collect(bad, () => MvsaLists.ReadJsonl(list, bad)) ?? [];
                break;
            }
            default: throw new ArgumentException($"Unknown MVSA protocol '{protocol}'; known: mla, qmf.");
        }
        var labels = Collect(bad, () => MvsaLabelFile.Read(Path.Combine(root, MvsaLabelFile.FileName), bad));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in posts)
        {
            int label = Array.IndexOf(Classes, p.Label);
            if (label < 0) { bad.Add($"{p.Where}: field 'label' of post {p.Id} is '{p.Label}'; expected {string.Join(", ", Classes)}."); continue; }
            if (!seen.Add(p.Id)) { bad.Add($"{p.Where}: post {p.Id} is listed twice; expected each post once."); continue; }
            if (labels?.Check(p.Id, p.Label, p.Where) is { } wrong) { bad.Add(wrong); continue; }
            if (p.Text is null)
            {
                if (textsRead) bad.Add($"{p.Where}: post {p.Id} has no text in {string.Join(", ", MvsaLists.QmfSplits.Select(MvsaLists.QmfList))}; expected it in one of them (field 'text').");
                continue;
            }
            var image = Path.Combine(root, p.Image);
            if (!File.Exists(image))
            {
                if (o.MissingFiles == MissingFilePolicy.Error) bad.Add(new FileNotFoundException($"{p.Where}: image {image} of post {p.Id} not found.", image));
                else Coverage.Drop(p.Id, label, $"image {image} not found");
                continue;
            }
            _items.Add((p.Id, label, image, p.Text));
            Coverage.Keep(p.Id, label);
        }
        bad.ThrowIfAny($"{root} (MVSA-Single {split}, protocol {protocol})");
        if (_items.Count == 0)
            throw EmptySplitException.For($"{list}: MVSA split '{split}' ({protocol}) has no usable posts{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, Classes);
        _samples = new ImageTextSamples(root, o);
        Info = new DatasetInfo($"mvsa/{split}", [ImageTextSamples.ImageSpec(o), ImageTextSamples.TextSpec(o)], Classes);
    }

    /// <summary>Runs a read that throws when its file is missing: the error joins the others instead of stopping the rest.</summary>
    static T? Collect<T>(BadInputs bad, Func<T> read) where T : class
    {
        try { return read(); }
        catch (FileNotFoundException e) { bad.Add(e); return null; }
    }

    public string Protocol { get; }
    public string Split { get; }
    public DatasetInfo Info { get; }
    public int Count => _items.Count;
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public WordPiece Tokenizer => _samples.Tokenizer;
    public int LabelOf(int index) => _items[index].Label;
    public string NameOf(int index) => _items[index].Id;
    public string TextOf(int index) => _items[index].Text;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var it = _items[index];
        return new Sample
        {
            Index = index, Id = it.Id, Label = it.Label,
            Inputs = _samples.Inputs(index, it.Image, it.Text, mode, seed),
        };
    }
}
