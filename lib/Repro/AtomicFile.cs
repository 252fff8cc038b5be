using System.Text;

namespace Repro;

/// <summary>
/// Writes files atomically (a temporary file in the same folder, then a rename) and never replaces one silently. The
/// temporary name holds the machine, the process and a random part, so processes on several machines writing into one
/// shared folder never write into each other's temporary file.
/// </summary>
public static class AtomicFile
{
    /// <summary>A temporary name beside <paramref name="path"/> (a file or a folder) that no other writer uses.</summary>
    public static string TempName(string path) => $"{path}.{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.tmp";

    public static void WriteAllText(string path, string text, Encoding? encoding = null, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw new IOException($"{full} already exists; refusing to replace it.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = TempName(full);
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
        var tmp = TempName(full);
        write(tmp);
        File.Move(tmp, full, overwrite);
    }
}
