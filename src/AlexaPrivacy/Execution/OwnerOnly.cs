// Files and folders that only their owner may read (600 and 700 on Unix): saved sessions and
// voice-history transcripts are private. On Windows the user's profile ACLs apply.
using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AlexaPrivacy.Execution
{
    internal static class OwnerOnly
    {
        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Creates <paramref name="directory"/> and each missing parent as 700; folders that exist are left as they are.</summary>
        public static void CreateDirectory(string directory)
        {
            if (string.IsNullOrEmpty(directory) || Directory.Exists(directory)) return;
            CreateDirectory(Path.GetDirectoryName(directory));
            Directory.CreateDirectory(directory);
            if (!IsWindows) SetMode(directory, Convert.ToInt32("700", 8));
        }

        /// <summary>Opens <paramref name="path"/> for writing with <paramref name="mode"/>, made 600 before any byte is written.</summary>
        public static FileStream Open(string path, FileMode mode)
        {
            // A new file is created 0600 from the start (no window in which others could open it).
            if (!IsWindows && !File.Exists(path) && (mode == FileMode.Create || mode == FileMode.CreateNew || mode == FileMode.OpenOrCreate))
                return Security.PrivateFiles.CreateNew(path);
            var stream = new FileStream(path, mode, FileAccess.Write, FileShare.Read);
            try
            {
                if (!IsWindows) SetMode(path, Convert.ToInt32("600", 8));
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            return stream;
        }

        /// <summary>Writes the file owner-only and atomically (a temporary file beside it, renamed over it).</summary>
        public static void WriteAllText(string path, string text) =>
            Security.PrivateFiles.WriteAtomically(path, new System.Text.UTF8Encoding(false).GetBytes(text));

        private static void SetMode(string path, int mode)
        {
            // File.SetUnixFileMode exists on .NET 7 and later, which is where PowerShell 7 runs.
            foreach (var m in typeof(File).GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                if (m.Name != "SetUnixFileMode") continue;
                var parameters = m.GetParameters();
                if (parameters.Length == 2 && parameters[0].ParameterType == typeof(string))
                {
                    m.Invoke(null, new object[] { path, Enum.ToObject(parameters[1].ParameterType, mode) });
                    return;
                }
            }
            if (Chmod(path, mode) != 0) throw new IOException($"Cannot make '{path}' owner-only.");
        }

        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);
    }
}
