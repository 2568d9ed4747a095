// Files only their owner may read: created owner-only from the first byte (open(2) with
// O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 on Unix, no chmod-after window), replaced atomically
// (a temporary file in the same folder, flushed, renamed over), in folders that are the user's own.
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AlexaPrivacy.Security
{
    internal static class PrivateFiles
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static readonly int OwnerOnlyFile = Convert.ToInt32("600", 8);
        public static readonly int OwnerOnlyFolder = Convert.ToInt32("700", 8);
        private static readonly int GroupOrOthers = Convert.ToInt32("077", 8);

        /// <summary>Creates a new file (never opens an existing one or follows a link) that only its owner can read.</summary>
        public static FileStream CreateNew(string path)
        {
            if (IsWindows) return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            int flags = OpenFlags();
            int fd = Open(path, flags, OwnerOnlyFile);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw new IOException($"Cannot create '{path}' (errno {errno}).");
            }
            return new FileStream(new SafeFileHandle((IntPtr)fd, true), FileAccess.Write);
        }

        /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> owner-only and atomically: readers see the old file or the new one, never a part.</summary>
        public static void WriteAtomically(string path, byte[] bytes)
        {
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full);
            string temporary = Path.Combine(folder, "." + Path.GetFileName(full) + "." + RandomName() + ".tmp");
            try
            {
                using (var stream = CreateNew(temporary))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                Replace(temporary, full);
            }
            catch
            {
                try { File.Delete(temporary); } catch (Exception) { }
                throw;
            }
        }

        /// <summary>Writes a new file owner-only (failing if the name exists).</summary>
        public static void WriteNew(string path, byte[] bytes)
        {
            using (var stream = CreateNew(path))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }
        }

        /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one step.</summary>
        public static void Replace(string source, string destination)
        {
            if (!IsWindows)
            {
                if (Rename(source, destination) != 0) throw new IOException($"Cannot rename '{source}' to '{destination}' (errno {Marshal.GetLastWin32Error()}).");
                return;
            }
            if (File.Exists(destination)) File.Replace(source, destination, null, true);
            else File.Move(source, destination);
        }

        /// <summary>A name no one can guess (for files in a folder others may list).</summary>
        public static string RandomName()
        {
            var bytes = new byte[9];
            using (var random = System.Security.Cryptography.RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        }

        /// <summary>
        /// Makes sure <paramref name="path"/> is a folder of the current user that is not a link:
        /// created 0700 when missing; with <paramref name="tighten"/> an existing one is made 0700.
        /// Throws AlexaSessionFileUnsafe when it is a link or another user's.
        /// </summary>
        public static string EnsurePrivateFolder(string path, bool tighten)
        {
            string full = Path.GetFullPath(path);
            if (!Directory.Exists(full) && !File.Exists(full))
            {
                string parent = Path.GetDirectoryName(full);
                if (!string.IsNullOrEmpty(parent)) Directory.CreateDirectory(parent);
                if (IsWindows) Directory.CreateDirectory(full);
                else if (MakeDirectory(full, OwnerOnlyFolder) != 0 && !Directory.Exists(full))
                    throw new IOException($"Cannot create the folder '{full}' (errno {Marshal.GetLastWin32Error()}).");
                tighten = true; // ours: nothing else may have loosened it meanwhile
            }
            if (IsWindows) return full;
            var attributes = File.GetAttributes(full);
            if ((attributes & FileAttributes.ReparsePoint) != 0 || (attributes & FileAttributes.Directory) == 0)
                throw Unsafe($"'{full}' is a link or not a folder; the module writes only into a folder of its own.", full);
            int mode = UnixMode(full);
            // Only the owner (or root) may change a mode: setting it is the owner check.
            int wanted = tighten ? OwnerOnlyFolder : (mode < 0 ? OwnerOnlyFolder : mode & 0xfff);
            if (!TrySetMode(full, wanted))
                throw Unsafe($"The folder '{full}' belongs to another user; the module does not write there.", full);
            return full;
        }

        /// <summary>Refuses a file that is a link to nowhere of ours, belongs to another user, or can be read by others.</summary>
        public static void CheckPrivate(string path)
        {
            if (IsWindows) return;
            int mode = UnixMode(path);
            if (mode >= 0 && (mode & GroupOrOthers) != 0)
            {
                throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                    $"The session file '{path}' can be read by other users (mode {Convert.ToString(mode & 0x1ff, 8)}); it was not loaded.")
                { RecommendedAction = $"Make it owner-only (chmod 600 '{path}') or delete it and sign in again." };
            }
            if (mode >= 0 && !TrySetMode(path, mode & 0xfff))
            {
                throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                    $"The session file '{path}' belongs to another user; it was not loaded.")
                { RecommendedAction = "Use a session file that you created (Connect-AlexaAccount -SessionPath), or delete this one." };
            }
        }

        private static AlexaException Unsafe(string message, string path) =>
            new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError, message)
            { RecommendedAction = $"Remove '{path}' or point the module at a folder you own." };

        public static int UnixMode(string path)
        {
            // File.GetUnixFileMode exists on .NET 7 and later, which is where PowerShell 7 runs.
            var method = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            if (method == null) return -1;
            try { return Convert.ToInt32(method.Invoke(null, new object[] { path })); }
            catch (TargetInvocationException e) when (e.InnerException is IOException || e.InnerException is UnauthorizedAccessException) { return -1; }
        }

        private static bool TrySetMode(string path, int mode) => OwnedByMe(path) && Chmod(path, mode) == 0;

        /// <summary>
        /// True when the current user owns <paramref name="path"/>: read with lstat(2) on Linux
        /// (x64, arm64); elsewhere only the owner (or root) may chmod, which the caller then checks.
        /// </summary>
        public static bool OwnedByMe(string path)
        {
            if (IsWindows || !RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
            int uidOffset;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: uidOffset = 28; break;
                case Architecture.Arm64: uidOffset = 24; break;
                default: return true;
            }
            var buffer = Marshal.AllocHGlobal(512);
            try
            {
                if (LinkStat(path, buffer) != 0) return true; // unknown: the chmod check still applies
                return unchecked((uint)Marshal.ReadInt32(buffer, uidOffset)) == GetEffectiveUserId();
            }
            catch (EntryPointNotFoundException)
            {
                return true; // a C library older than glibc 2.33 has no lstat symbol
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        [DllImport("libc", SetLastError = true, EntryPoint = "lstat")]
        private static extern int LinkStat(string path, IntPtr buffer);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();

        private static int OpenFlags()
        {
            // O_CREAT|O_EXCL never opens an existing name and never follows a link, dangling or not.
            const int WriteOnly = 1;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return WriteOnly | 0x200 /* O_CREAT */ | 0x800 /* O_EXCL */ | 0x1000000 /* O_CLOEXEC */;
            }
            return WriteOnly | 0x40 /* O_CREAT */ | 0x80 /* O_EXCL */ | 0x80000 /* O_CLOEXEC */;
        }

        [DllImport("libc", SetLastError = true, EntryPoint = "open")]
        private static extern int Open(string path, int flags, int mode);

        [DllImport("libc", SetLastError = true, EntryPoint = "rename")]
        private static extern int Rename(string source, string destination);

        [DllImport("libc", SetLastError = true, EntryPoint = "mkdir")]
        private static extern int MakeDirectory(string path, int mode);

        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);
    }
}
