using System.Text;

namespace Repro;

/// <summary>Writes files atomically (a temporary file in the same folder, then a rename) and never replaces one silently.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, Encoding? encoding = null, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw new IOException($"{full} already exists; refusing to replace it.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, text, encoding ?? new UTF8Encoding(false));
        File.Move(tmp, full, overwrite);
    }

    /// <summary>Runs <paramref name="write"/> on a temporary path, then renames it into place.</summary>
    public static void Write(string path, Action<string> write, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw new IOException($"{full} already exists; refusing to replace it.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.tmp";
        write(tmp);
        File.Move(tmp, full, overwrite);
    }
}
