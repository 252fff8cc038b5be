using Repro.Data.Audio;
using Repro.Data.CremaD;
using Repro.Data.Food101;
using Repro.Data.Formats;
using Repro.Data.KineticsSounds;
using Repro.Data.MmImdb;
using Repro.Data.Text;
using Repro.Data.VggSound;

namespace Repro.Data.Prepare;

/// <summary>
/// `repro data prepare`: from a dataset's raw download to the layout its loader reads. Resumable (every output is written
/// atomically and skipped when present), with progress, and never silent: every listed item is counted in
/// <see cref="PrepareReport.FileName"/> beside the data (prepared, already present, absent, failed with the reason). A real
/// download lacks some listed items (YouTube videos disappear): those are absent, left out, and the run succeeds; an item
/// whose input is there but cannot be converted fails the run at the end. What each dataset needs:
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
    /// <summary>The dataset id, for the report.</summary>
    public string Dataset { get; init; } = "";
    public string? Protocol { get; init; }
    public string? Vocab { get; init; }
    /// <summary>Token ids per text for the food101/mmimdb report; null: the loaders' default (40 Food-101, 256 MM-IMDb, as U2A).</summary>
    public int? TextLength { get; init; }
    public IProgress<(int Done, int Total)>? Progress { get; init; }
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Every item and what became of it (written to <see cref="ReportPath"/>).</summary>
    public PrepareReport Report { get; } = new();
    /// <summary>Items whose input is there but could not be converted, with the reason; the command exits non-zero when any did.</summary>
    public DropReport Failed { get; } = new();
    /// <summary>Listed items the raw folder lacks, with the reason; left out, the command still succeeds.</summary>
    public DropReport Absent { get; } = new();
    public int Done => Report.Count(PrepareOutcome.Prepared);
    public int Skipped => Report.Count(PrepareOutcome.AlreadyPresent);
    public string ReportPath => Path.Combine(Out, PrepareReport.FileName);
    /// <summary>How many failed items the error names (the report lists every one).</summary>
    public const int Listed = 10;
    /// <summary>food101, mmimdb: per split, how many texts lose words to [UNK] and to truncation.</summary>
    public List<(string Split, TextCoverage Coverage)> TextReports { get; } = new();

    /// <summary>
    /// Runs one dataset's conversion (its descriptor's <c>Prepare</c>) and writes the report; then fails naming the first
    /// <see cref="Listed"/> items whose input could not be converted, if any. Absent items alone do not fail it.
    /// </summary>
    public void Run(Action<DataPreparer> convert)
    {
        if (!Directory.Exists(Raw)) throw new DirectoryNotFoundException($"{Raw}: raw download folder not found (--raw).");
        Directory.CreateDirectory(Out);
        convert(this);
        Log($"prepared {Done}, already present {Skipped}, absent {Absent.Count}, failed {Failed.Count}");
        Report.Save(ReportPath, Dataset, Protocol, Raw, Out);
        if (Failed.Count > 0)
            throw new BadInputsException($"{Out}: {Failed.Count} item(s) present in the raw folder could not be prepared (all of them, and any absent, in {ReportPath})",
                Failed.Dropped.Select(d => (Exception)new InvalidDataException($"{d.Id}: {d.Reason}")).ToArray(), Listed);
    }

    /// <summary>A listed item whose input the raw folder lacks.</summary>
    sealed class AbsentInput(string message) : IOException(message);

    void Step(string split, string id, Func<bool> work)
    {
        try { Report.Add(split, id, work() ? PrepareOutcome.Prepared : PrepareOutcome.AlreadyPresent); }
        catch (AbsentInput e) { Skip(split, id, e.Message); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException) { Fail(split, id, e.Message); }
    }

    void Skip(string split, string id, string reason)
    {
        Absent.Add(id, reason);
        Report.Add(split, id, PrepareOutcome.Absent, reason);
    }

    void Fail(string split, string id, string reason)
    {
        Failed.Add(id, reason);
        Report.Add(split, id, PrepareOutcome.Failed, reason);
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
                Step(split, name, () =>
                {
                    bool did = false;
                    var wav = Path.Combine(Raw, "AudioWAV", name + ".wav");
                    if (!File.Exists(wav)) throw new AbsentInput($"{wav}: audio not found.");
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
                        if (!File.Exists(video)) throw new AbsentInput($"{video}: video not found.");
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
        var videos = Videos();
        if (dgl)
        {
            int done = 0;
            foreach (var v in videos)
            {
                var rel = Path.GetRelativePath(Raw, v).Split(Path.DirectorySeparatorChar);
                if (rel.Length != 3 || rel[0] is not ("train" or "val"))
                {
                    Fail("?", Path.GetRelativePath(Raw, v), $"{v}: expected raw/{{train,val}}/<class>/<clip>.mp4 (DGL layout)");
                    continue;
                }
                var (split, cls, id) = (rel[0], rel[1], Path.GetFileNameWithoutExtension(rel[2]));
                Step(split, id, () => VideoClip(ffmpeg, v,
                    Path.Combine(Out, "audio", split, cls, id + ".wav"), null,
                    Path.Combine(Out, "visual", $"{split}_img", KsDataset.FrameFolder, cls, id)));
                Progress?.Report((++done, videos.Count));
            }
            return;
        }
        var byId = videos.GroupBy(Path.GetFileNameWithoutExtension).ToDictionary(g => g.Key!, g => g.First());
        var wanted = new List<(string Split, string Id)>();
        foreach (var (split, list) in new[] { ("train", "my_train.txt"), ("test", "my_test.txt") })
        {
            var src = Path.Combine(Raw, list);
            if (!File.Exists(src)) throw new FileNotFoundException($"{src}: OGM-GE list not found in the raw folder (data/KineticSound/{list} of the OGM-GE repository).", src);
            LinkOrCopy(src, Path.Combine(Out, list));
            wanted.AddRange(KsDataset.ReadOgmGeList(src).Select(x => (split, x.Id)));
        }
        int n = 0;
        foreach (var (split, id) in wanted)
        {
            Step(split, id, () =>
            {
                if (!byId.TryGetValue(id, out var v)) throw new AbsentInput($"{Raw}: no video {id}.mp4 (listed in my_{split}.txt) under the raw folder.");
                return VideoClip(ffmpeg, v, null, Path.Combine(Out, KsDataset.FbankFolder, id + ".npy"), Path.Combine(Out, KsDataset.FrameFolder, id));
            });
            Progress?.Report((++n, wanted.Count));
        }
    }

    /// <summary>VGGSound in DGL's layout: RAW holds vggsound.csv and the clips as &lt;YouTube id&gt;_&lt;start, 6 digits&gt;.mp4 (.mkv, .webm) anywhere below it.</summary>
    public void VggSound()
    {
        var ffmpeg = Ffmpeg.Ensure(Log);
        var csv = Path.Combine(Raw, VggSoundCsv.FileName);
        var rows = VggSoundCsv.Read(csv);
        LinkOrCopy(csv, Path.Combine(Out, VggSoundCsv.FileName));
        var byId = Videos().GroupBy(Path.GetFileNameWithoutExtension).ToDictionary(g => g.Key!, g => g.First());
        int n = 0;
        foreach (var row in rows)
        {
            Step(row.Split, row.ClipId, () =>
            {
                if (!byId.TryGetValue(row.ClipId, out var v)) throw new AbsentInput($"{Raw}: no video {row.ClipId}.mp4 ({csv}, line {row.Line}) under the raw folder.");
                return VideoClip(ffmpeg, v, VggSoundDataset.AudioPath(Out, row.Split, row.ClipId), null, VggSoundDataset.FramePath(Out, row.Split, row.ClipId));
            });
            Progress?.Report((++n, rows.Count));
        }
    }

    /// <summary>The video files under the raw folder (.mp4, .mkv, .webm), in ordinal order.</summary>
    List<string> Videos() => Directory.EnumerateFiles(Raw, "*.*", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".mkv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".webm", StringComparison.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal).ToList();

    static bool VideoClip(string ffmpeg, string video, string? wavOut, string? fbankOut, string frames)
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
            Step("files", Path.GetRelativePath(Raw, f), () => { if (File.Exists(to)) return false; LinkOrCopy(f, to); return true; });
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
        // listed images or metadata the download lacks are absent (counted per split); a genre-less movie fails
        var o = new ImageTextOptions { ImageSize = 32, MissingFiles = MissingFilePolicy.Drop };
        List<string> Texts(string split)
        {
            List<string> Listed(IListsFiles ds, Func<int, string> text, int count)
            {
                foreach (var (id, reason, fileMissing) in ds.Coverage.DroppedItems)
                    if (fileMissing) Skip(split, id, reason); else Fail(split, id, reason);
                return Enumerable.Range(0, count).Select(text).ToList();
            }
            if (dataset == "mmimdb")
            {
                var plots = new MmImdbDataset(Out, split, o);
                return Listed(plots, plots.TextOf, plots.Count);
            }
            var titles = new Food101Dataset(Out, split, Protocol ?? "upmc", o);
            return Listed(titles, titles.TextOf, titles.Count);
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
