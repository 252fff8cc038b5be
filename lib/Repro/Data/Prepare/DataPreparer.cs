using Repro.Data.Audio;
using Repro.Data.CremaD;
using Repro.Data.Food101;
using Repro.Data.Formats;
using Repro.Data.KineticsSounds;
using Repro.Data.MmImdb;
using Repro.Data.Text;

namespace Repro.Data.Prepare;

/// <summary>
/// `repro data prepare`: from a dataset's raw download to the layout its loader reads. Resumable (every output is written
/// atomically and skipped when present), with progress, and never silent: a clip that cannot be converted is named
/// and counted, and the run fails at the end when any did. What each dataset needs:
/// cremad (ogm-ge): AudioWAV/*.wav copied, VideoFlash/*.flv -> Image-01-FPS/&lt;name&gt;/ (1 fps), train.csv/test.csv copied;
/// cremad (mla): additionally audio/{split}_fbank/&lt;name&gt;.npy (Kaldi fbank 1024 x 128) and frames under visual/{split}_imgs/;
/// ks (ogm-ge): &lt;clip&gt;.mp4 anywhere under raw -> audio-fbank/&lt;clip&gt;.npy and Image-01-FPS/&lt;clip&gt;/;
/// ks (dgl): {train,val}/&lt;class&gt;/&lt;clip&gt;.mp4 -> audio/{train,val}/&lt;class&gt;/&lt;clip&gt;.wav and visual/{train,val}_img/Image-01-FPS/&lt;class&gt;/&lt;clip&gt;/;
/// food101, mmimdb: the files are linked (or copied) as they are, the vocabulary put in place and every title or plot
/// tokenised once to report how many lose words to [UNK] and to truncation; iemocap: the GCNet feature files are linked as they are.
/// </summary>
public sealed class DataPreparer
{
    public required string Raw { get; init; }
    public required string Out { get; init; }
    public string? Protocol { get; init; }
    public string? Vocab { get; init; }
    /// <summary>Token ids per text for the food101/mmimdb report; null: the loaders' default (40 Food-101, 256 MM-IMDb, as U2A).</summary>
    public int? TextLength { get; init; }
    public IProgress<(int Done, int Total)>? Progress { get; init; }
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Items that failed, with the reason; the command exits non-zero when any did.</summary>
    public DropReport Failed { get; } = new();
    public int Done { get; private set; }
    public int Skipped { get; private set; }
    /// <summary>food101, mmimdb: per split, how many texts lose words to [UNK] and to truncation.</summary>
    public List<(string Split, TextCoverage Coverage)> TextReports { get; } = new();

    /// <summary>Runs one dataset's conversion (its descriptor's <c>Prepare</c>), then fails naming every item that could not be converted.</summary>
    public void Run(Action<DataPreparer> convert)
    {
        if (!Directory.Exists(Raw)) throw new DirectoryNotFoundException($"{Raw}: raw download folder not found (--raw).");
        Directory.CreateDirectory(Out);
        convert(this);
        Log($"prepared {Done}, already present {Skipped}, failed {Failed.Count}");
        var bad = new BadInputs();
        foreach (var (id, reason) in Failed.Dropped) bad.Add($"{id}: {reason}");
        bad.ThrowIfAny($"{Out}: items that could not be prepared");
    }

    void Step(string id, Func<bool> work)
    {
        try { if (work()) Done++; else Skipped++; }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException) { Failed.Add(id, e.Message); }
    }

    static void LinkOrCopy(string from, string to)
    {
        if (File.Exists(to)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        var tmp = to + ".tmp";
        try { File.CreateSymbolicLink(tmp, Path.GetFullPath(from)); }
        catch (IOException) { File.Copy(from, tmp, true); }
        File.Move(tmp, to, true);
    }

    static void WriteFbank(string wav, string npy, int frames)
    {
        var a = WavFile.Read(wav);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var f = KaldiFbank.PadOrCrop(KaldiFbank.Compute(KaldiFbank.SubtractWaveformMean(a.Mono()), a.SampleRate, new FbankOptions()), frames);
        Directory.CreateDirectory(Path.GetDirectoryName(npy)!);
        NpyFile.WriteFloat32(npy, f.data<float>().ToArray(), [frames, 128]);
    }

    public void CremaD()
    {
        var protocol = CremaDProtocol.Named(Protocol ?? "ogm-ge");
        var ffmpeg = Ffmpeg.Ensure(Log);
        var lists = new Dictionary<string, List<string>>();
        foreach (var (split, list) in new[] { ("train", protocol.TrainList), ("test", protocol.TestList) })
        {
            var src = Path.Combine(Raw, list);
            if (!File.Exists(src)) throw new FileNotFoundException($"{src}: split list not found in the raw folder (download it from the protocol's repository; see data-manifests/cremad-{protocol.Name}.json).", src);
            LinkOrCopy(src, Path.Combine(Out, list));
            lists[split] = File.ReadAllLines(src).Select(l => l.Trim().TrimStart('\uFEFF')).Where(l => l.Length > 0)
                .Select(l => protocol.ListFormat == CremaDListFormat.MlaTxt ? l.Split(".flv ")[0] : l.Split(',')[0]).ToList();
        }
        int total = lists.Values.Sum(l => l.Count), done = 0;
        foreach (var (split, names) in lists)
            foreach (var name in names)
            {
                Step(name, () =>
                {
                    bool did = false;
                    var wav = Path.Combine(Raw, "AudioWAV", name + ".wav");
                    if (!File.Exists(wav)) throw new FileNotFoundException($"{wav}: audio not found.");
                    var audio = protocol.AudioPath(Out, split, name);
                    if (!File.Exists(audio))
                    {
                        if (protocol.AudioFormat == CremaDAudioFormat.Wav) LinkOrCopy(wav, audio);
                        else WriteFbank(wav, audio, 1024);
                        did = true;
                    }
                    var frames = protocol.FrameDirectory(Out, split, name);
                    if (!Directory.Exists(frames))
                    {
                        var video = Path.Combine(Raw, "VideoFlash", name + ".flv");
                        if (!File.Exists(video)) throw new FileNotFoundException($"{video}: video not found.");
                        Directory.CreateDirectory(Path.GetDirectoryName(frames)!);
                        Ffmpeg.ExtractFrames(ffmpeg, video, frames);
                        did = true;
                    }
                    return did;
                });
                Progress?.Report((++done, total));
            }
    }

    public void Ks()
    {
        bool dgl = (Protocol ?? "ogm-ge") == "dgl";
        var ffmpeg = Ffmpeg.Ensure(Log);
        var classes = Path.Combine(Raw, KsDataset.ClassesFile);
        if (File.Exists(classes)) LinkOrCopy(classes, Path.Combine(Out, KsDataset.ClassesFile));
        else Log($"{classes}: no class list; the class names are yours to supply (one per line, in label order): labels are numbered until then");
        var videos = Directory.EnumerateFiles(Raw, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".mkv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".webm", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        if (dgl)
        {
            int done = 0;
            foreach (var v in videos)
            {
                var rel = Path.GetRelativePath(Raw, v).Split(Path.DirectorySeparatorChar);
                if (rel.Length != 3 || rel[0] is not ("train" or "val"))
                {
                    Failed.Add(Path.GetRelativePath(Raw, v), $"{v}: expected raw/{{train,val}}/<class>/<clip>.mp4 (DGL layout)");
                    continue;
                }
                var (split, cls, id) = (rel[0], rel[1], Path.GetFileNameWithoutExtension(rel[2]));
                Step(id, () => KsClip(ffmpeg, v,
                    Path.Combine(Out, "audio", split, cls, id + ".wav"), null,
                    Path.Combine(Out, "visual", $"{split}_img", KsDataset.FrameFolder, cls, id)));
                Progress?.Report((++done, videos.Count));
            }
            return;
        }
        var byId = videos.GroupBy(Path.GetFileNameWithoutExtension).ToDictionary(g => g.Key!, g => g.First());
        var wanted = new List<string>();
        foreach (var list in new[] { "my_train.txt", "my_test.txt" })
        {
            var src = Path.Combine(Raw, list);
            if (!File.Exists(src)) throw new FileNotFoundException($"{src}: OGM-GE list not found in the raw folder (data/KineticSound/{list} of the OGM-GE repository).", src);
            LinkOrCopy(src, Path.Combine(Out, list));
            wanted.AddRange(KsDataset.ReadOgmGeList(src).Select(x => x.Id));
        }
        int n = 0;
        foreach (var id in wanted)
        {
            Step(id, () =>
            {
                if (!byId.TryGetValue(id, out var v)) throw new FileNotFoundException($"{Raw}: no video {id}.mp4 (listed in the OGM-GE lists) under the raw folder.");
                return KsClip(ffmpeg, v, null, Path.Combine(Out, KsDataset.FbankFolder, id + ".npy"), Path.Combine(Out, KsDataset.FrameFolder, id));
            });
            Progress?.Report((++n, wanted.Count));
        }
    }

    static bool KsClip(string ffmpeg, string video, string? wavOut, string? fbankOut, string frames)
    {
        bool did = false;
        if (wavOut is not null && !File.Exists(wavOut))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(wavOut)!);
            Ffmpeg.ExtractAudio(ffmpeg, video, wavOut);
            did = true;
        }
        if (fbankOut is not null && !File.Exists(fbankOut))
        {
            var tmpWav = fbankOut + ".wav";
            Directory.CreateDirectory(Path.GetDirectoryName(fbankOut)!);
            Ffmpeg.ExtractAudio(ffmpeg, video, tmpWav);
            try { WriteFbank(tmpWav, fbankOut, 1024); }
            finally { File.Delete(tmpWav); }
            did = true;
        }
        if (!Directory.Exists(frames))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(frames)!);
            Ffmpeg.ExtractFrames(ffmpeg, video, frames);
            did = true;
        }
        return did;
    }

    public void LinkTree()
    {
        var files = Directory.EnumerateFiles(Raw, "*", SearchOption.AllDirectories).ToList();
        int n = 0;
        foreach (var f in files)
        {
            var to = Path.Combine(Out, Path.GetRelativePath(Raw, f));
            Step(f, () => { if (File.Exists(to)) return false; LinkOrCopy(f, to); return true; });
            Progress?.Report((++n, files.Count));
        }
    }

    public void ImageText(string dataset)
    {
        var vocab = Vocab ?? Path.Combine(Raw, "vocab.txt");
        if (!File.Exists(vocab))
            throw new FileNotFoundException($"{vocab}: BERT vocabulary not found; download bert-base-uncased's vocab.txt and pass --vocab PATH (or put it in the raw folder).", vocab);
        LinkTree();
        var target = Path.Combine(Out, "vocab.txt");
        if (Vocab is not null && Path.GetFullPath(Vocab) != Path.GetFullPath(target))
            File.Delete(target); // --vocab wins over a vocab.txt linked from the raw folder or left by an earlier run
        LinkOrCopy(vocab, target);
        var o = new ImageTextOptions { ImageSize = 32 };
        List<string> Texts(string split)
        {
            if (dataset == "mmimdb")
            {
                var plots = new MmImdbDataset(Out, split, o);
                return Enumerable.Range(0, plots.Count).Select(plots.TextOf).ToList();
            }
            var titles = new Food101Dataset(Out, split, Protocol ?? "upmc", o);
            return Enumerable.Range(0, titles.Count).Select(titles.TextOf).ToList();
        }
        string[] splits = dataset == "mmimdb" ? ["train", "dev", "test"] : (Protocol ?? "upmc") == "map" ? ["train", "val", "test"] : ["train", "test"];
        var tokenizer = new WordPiece(vocab);
        foreach (var split in splits)
        {
            var coverage = new TextCoverage(tokenizer, TextLength ?? (dataset == "mmimdb" ? 256 : 40));
            foreach (var text in Texts(split)) coverage.Add(text);
            TextReports.Add((split, coverage));
            Log($"{dataset} {split}: {coverage.Texts} {(dataset == "mmimdb" ? "plots" : "titles")} tokenised with {tokenizer.VocabPath}: {coverage}");
        }
    }
}
