// Makes TorchSharp 0.107's native library loadable on systems whose libstdc++ predates GCC 13.
// libLibTorchSharp.so asks for GLIBCXX_3.4.32 only for std::ios_base_library_init(), a link-time
// marker nothing calls. Marking that version requirement weak (VER_FLG_WEAK in .gnu.version_r)
// lets the dynamic loader accept an older libstdc++. See shared platform notes in environment.md.
//
// Written against netstandard2.0 APIs: RoslynCodeTaskFactory compiles it for MSBuild.
// This one file serves two callers: the build (compiled by MSBuild's RoslynCodeTaskFactory, which
// also compiles the task class at the bottom) and the library at run time (REPRO_LIB defined).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Repro.Native
{
    public static class GlibcxxCompat
    {
        public const string RequiredVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        static readonly string[] LibstdcxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };

        /// <summary>The system libstdc++ path, or null when none of the usual places has one.</summary>
        public static string? FindSystemLibstdcxx()
        {
            foreach (var p in LibstdcxxCandidates)
                if (File.Exists(p)) return p;
            return null;
        }

        /// <summary>True when the system libstdc++ defines <paramref name="version"/> (or no libstdc++ is found, so nothing can be fixed).</summary>
        public static bool SystemProvides(string version = RequiredVersion)
        {
            var lib = FindSystemLibstdcxx();
            if (lib == null) return true;
            return ContainsAscii(File.ReadAllBytes(lib), version + "\0");
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on every version-need entry named <paramref name="version"/>.
        /// Returns the number of entries changed (0 when already weak or absent).
        /// </summary>
        public static int MarkVersionNeedWeak(string path, string version = RequiredVersion)
        {
            var bytes = File.ReadAllBytes(path);
            var changed = MarkVersionNeedWeak(bytes, version, path);
            if (changed > 0)
            {
                var tmp = path + ".patching";
                File.WriteAllBytes(tmp, bytes);
                if (File.Exists(path)) File.Delete(path);
                File.Move(tmp, path);
            }
            return changed;
        }

        /// <summary>Reports whether the version-need entry <paramref name="version"/> of an ELF file is weak; null when the file has no such entry.</summary>
        public static bool? IsVersionNeedWeak(string path, string version = RequiredVersion)
        {
            bool? weak = null;
            foreach (var (offset, flags) in VersionNeeds(File.ReadAllBytes(path), version, path))
                weak = (weak ?? true) && (flags & VerFlgWeak) != 0;
            return weak;
        }

        public static int MarkVersionNeedWeak(byte[] elf, string version, string nameForErrors)
        {
            int changed = 0;
            foreach (var (offset, flags) in VersionNeeds(elf, version, nameForErrors))
            {
                if ((flags & VerFlgWeak) != 0) continue;
                WriteU16(elf, offset, (ushort)(flags | VerFlgWeak));
                changed++;
            }
            return changed;
        }

        // Yields (file offset of vna_flags, vna_flags) for each Vernaux entry whose name is `version`.
        static List<(int, ushort)> VersionNeeds(byte[] b, string version, string name)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new InvalidDataException($"{name}: not an ELF file (bad magic).");
            if (b[4] != 2 || b[5] != 1)
                throw new InvalidDataException($"{name}: expected a 64-bit little-endian ELF file (EI_CLASS={b[4]}, EI_DATA={b[5]}).");
            long shoff = (long)ReadU64(b, 0x28);
            int shentsize = ReadU16(b, 0x3A), shnum = ReadU16(b, 0x3C);
            var found = new List<(int, ushort)>();
            for (int i = 0; i < shnum; i++)
            {
                int sh = checked((int)(shoff + (long)i * shentsize));
                if (ReadU32(b, sh + 4) != ShtGnuVerneed) continue;
                int secOff = checked((int)ReadU64(b, sh + 0x18));
                uint link = ReadU32(b, sh + 0x28), count = ReadU32(b, sh + 0x2C);
                int strSh = checked((int)(shoff + (long)link * shentsize));
                int strOff = checked((int)ReadU64(b, strSh + 0x18));
                int vn = secOff;
                for (uint n = 0; n < count; n++)
                {
                    int cnt = ReadU16(b, vn + 2);
                    int aux = vn + (int)ReadU32(b, vn + 8);
                    for (int j = 0; j < cnt; j++)
                    {
                        ushort flags = ReadU16(b, aux + 4);
                        if (CStringEquals(b, strOff + (int)ReadU32(b, aux + 8), version))
                            found.Add((aux + 4, flags));
                        uint next = ReadU32(b, aux + 12);
                        if (next == 0) break;
                        aux += (int)next;
                    }
                    uint vnNext = ReadU32(b, vn + 12);
                    if (vnNext == 0) break;
                    vn += (int)vnNext;
                }
            }
            return found;
        }

        static bool CStringEquals(byte[] b, int at, string s)
        {
            if (at < 0 || at + s.Length >= b.Length) return false;
            for (int i = 0; i < s.Length; i++)
                if (b[at + i] != (byte)s[i]) return false;
            return b[at + s.Length] == 0;
        }

        static bool ContainsAscii(byte[] hay, string needle)
        {
            var n = Encoding.ASCII.GetBytes(needle);
            for (int i = 0; i + n.Length <= hay.Length; i++)
            {
                if (hay[i] != n[0]) continue;
                int k = 1;
                while (k < n.Length && hay[i + k] == n[k]) k++;
                if (k == n.Length) return true;
            }
            return false;
        }

        static ushort ReadU16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
        static uint ReadU32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        static ulong ReadU64(byte[] b, int o) => ReadU32(b, o) | (ulong)ReadU32(b, o + 4) << 32;
        static void WriteU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }
    }

#if !REPRO_LIB
    /// <summary>MSBuild task: patches every libLibTorchSharp.so under Directory when the system needs it.</summary>
    public class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string Directory { get; set; } = "";

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
            if (GlibcxxCompat.SystemProvides())
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"System libstdc++ provides {GlibcxxCompat.RequiredVersion}; no TorchSharp patch needed.");
                return true;
            }
            foreach (var so in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                int n = GlibcxxCompat.MarkVersionNeedWeak(so);
                if (n > 0)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"Repro: marked {GlibcxxCompat.RequiredVersion} weak in {so} (system libstdc++ lacks it).");
            }
            return true;
        }
    }
#endif
}
