using System.Diagnostics;

namespace Repro.Tests.Docs;

/// <summary>The repository's text files, as a user's clone holds them, with their lines.</summary>
public static class TrackedFiles
{
    /// <summary>Folders that never hold repository content (build outputs, results, editor state).</summary>
    static readonly HashSet<string> Untracked = [".git", "bin", "obj", "results", "TestResults", "artifacts", ".vs", ".vscode", "node_modules"];

    /// <summary>
    /// Repository-relative paths ('/'-separated) of the files git tracks; where git or the repository's .git is not
    /// available (a source archive), every file outside <see cref="Untracked"/> folders.
    /// </summary>
    public static IReadOnlyList<string> List(string root) => FromGit(root) ?? FromDisk(root);

    /// <summary>The file's lines, or null when it is binary (a NUL byte in its first 8 KB) or no longer on disk.</summary>
    public static string[]? TextLines(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).IndexOf((byte)0) >= 0) return null;
        return System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
    }

    static List<string>? FromGit(string root)
    {
        if (!Directory.Exists(Path.Combine(root, ".git")) && !File.Exists(Path.Combine(root, ".git"))) return null;
        try
        {
            var psi = new ProcessStartInfo("git", ["-c", "core.quotepath=off", "ls-files", "-z"])
            {
                WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }   // no git on PATH
    }

    static List<string> FromDisk(string root)
    {
        var files = new List<string>();
        void Walk(string dir)
        {
            foreach (var f in Directory.GetFiles(dir)) files.Add(Path.GetRelativePath(root, f).Replace('\\', '/'));
            foreach (var d in Directory.GetDirectories(dir))
                if (!Untracked.Contains(Path.GetFileName(d))) Walk(d);
        }
        Walk(root);
        return files;
    }
}
