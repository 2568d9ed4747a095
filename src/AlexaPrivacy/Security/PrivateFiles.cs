// The one writer of every file the module writes (sessions, exports, backups, the report, the
// audit log, diagnostics): owner-only from the first byte (open(2) with O_CREAT|O_EXCL|O_NOFOLLOW
// and mode 0600 on Unix, no chmod-after window), whole files replaced atomically (a temporary file
// beside the target, renamed over it only once complete), appends opened with O_NOFOLLOW and
// checked (a regular file of ours, 0600) on every open; never through a link, never into a FIFO,
// a device or a folder. On Windows the user's profile ACLs apply and links are refused by attribute.
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AlexaPrivacy.Security
{
    internal static partial class PrivateFiles
    {
        /// <summary>The one test for Windows in the module.</summary>
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static readonly int OwnerOnlyFile = Convert.ToInt32("600", 8);
        public static readonly int OwnerOnlyFolder = Convert.ToInt32("700", 8);
        private static readonly int GroupOrOthers = Convert.ToInt32("077", 8);

        /// <summary>Creates a new file (never opens an existing one or follows a link) that only its owner can read.</summary>
        public static FileStream CreateNew(string path)
        {
            // FileShare.Delete lets a Replacement rename the file while it is open.
            if (IsWindows) return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Delete);
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
            using (var replacement = Replacement.Open(path))
            {
                replacement.Stream.Write(bytes, 0, bytes.Length);
                replacement.Commit();
            }
        }

        /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM), owner-only and atomically.</summary>
        public static void WriteAllText(string path, string text) =>
            WriteAtomically(path, new System.Text.UTF8Encoding(false).GetBytes(text));

        /// <summary>
        /// Creates <paramref name="directory"/> and each missing parent as 700; folders that exist are
        /// left as they are (a folder the user chose, such as a shared one for -SessionPath, keeps its
        /// owner and mode: the files written into it are owner-only themselves).
        /// </summary>
        public static void CreateDirectory(string directory)
        {
            if (string.IsNullOrEmpty(directory) || Directory.Exists(directory)) return;
            CreateDirectory(Path.GetDirectoryName(directory));
            if (IsWindows)
            {
                Directory.CreateDirectory(directory);
                return;
            }
            if (MakeDirectory(directory, OwnerOnlyFolder) != 0 && !Directory.Exists(directory))
                throw new IOException($"Cannot create the folder '{directory}' (errno {Marshal.GetLastWin32Error()}).");
        }

        /// <summary>
        /// Throws <see cref="UnsafeFileException"/> when <paramref name="path"/> exists and is not a
        /// regular file (a link, a FIFO, a device, a folder): the module replaces only files.
        /// </summary>
        public static void CheckReplaceable(string path)
        {
            string kind = KindOf(path);
            if (kind != null && kind != "file")
                throw new UnsafeFileException($"'{path}' is {kind}, not a regular file; the module writes only regular files and never through a link. Remove it or choose another path.", path);
        }

        /// <summary>
        /// What is at <paramref name="path"/> without following a link: null when nothing is, else
        /// "file", "a link", "a FIFO", "a device", "a folder" or "a socket".
        /// </summary>
        public static string KindOf(string path)
        {
            if (IsWindows)
            {
                if (!File.Exists(path) && !Directory.Exists(path)) return null;
                var attributes = File.GetAttributes(path);
                if ((attributes & FileAttributes.ReparsePoint) != 0) return "a link";
                if ((attributes & FileAttributes.Directory) != 0) return "a folder";
                if ((attributes & FileAttributes.Device) != 0) return "a device";
                return "file";
            }
            if (TryLinkStat(path, out int mode, out _, out bool missing)) return KindName(mode);
            if (missing) return null;
            // No stat layout known for this platform: what .NET tells (links and folders).
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                try { return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 ? "a link" : null; }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return null; }
            }
            var found = File.GetAttributes(path);
            if ((found & FileAttributes.ReparsePoint) != 0) return "a link";
            if ((found & FileAttributes.Directory) != 0) return "a folder";
            return "file";
        }

        private static string KindName(int mode)
        {
            switch (mode & 0xf000)
            {
                case 0x8000: return "file";
                case 0xa000: return "a link";
                case 0x1000: return "a FIFO";
                case 0x2000:
                case 0x6000: return "a device";
                case 0x4000: return "a folder";
                case 0xc000: return "a socket";
                default: return "not a regular file";
            }
        }

        /// <summary>
        /// A whole file being written beside its target: a new owner-only temporary file in the same
        /// folder that replaces the target (never what a link there points at) only on
        /// <see cref="Commit"/> or <see cref="Place"/>. Disposed before either, it is removed and
        /// the earlier file stays as it was: a stopped or failed run never leaves a part.
        /// </summary>
        internal sealed class Replacement : IDisposable
        {
            private readonly string _temporary;
            private bool _placed;

            private Replacement(string target, string temporary, FileStream stream)
            {
                Target = target;
                _temporary = temporary;
                Stream = stream;
            }

            /// <summary>The full path of the file this one replaces.</summary>
            public string Target { get; }

            /// <summary>Where to write (the temporary file until it is placed, the same file under the target's name after).</summary>
            public FileStream Stream { get; }

            public static Replacement Open(string path)
            {
                string full = Path.GetFullPath(path);
                CheckReplaceable(full);
                string temporary = Path.Combine(Path.GetDirectoryName(full), "." + Path.GetFileName(full) + "." + RandomName() + ".tmp");
                return new Replacement(full, temporary, CreateNew(temporary));
            }

            /// <summary>Flushes to the disk, closes, and renames the temporary file over the target.</summary>
            public void Commit()
            {
                if (_placed) return;
                Stream.Flush(true);
                Stream.Dispose();
                Rename();
            }

            /// <summary>
            /// Flushes and puts the file in place now, and keeps writing to it (a backup that must be
            /// on the disk under its name before anything is deleted).
            /// </summary>
            public void Place()
            {
                if (_placed) return;
                Stream.Flush(true);
                // The open file follows the rename (on Windows it was opened with FileShare.Delete,
                // which allows that; the earlier file goes first, as File.Move cannot overwrite there).
                if (IsWindows && File.Exists(Target)) File.Delete(Target);
                Rename();
            }

            /// <summary>True once the file is in place under its name.</summary>
            public bool Placed => _placed;

            private void Rename()
            {
                try
                {
                    CheckReplaceable(Target); // again: something may have been put there meanwhile
                    Replace(_temporary, Target);
                    _placed = true;
                }
                catch
                {
                    Discard();
                    throw;
                }
            }

            private void Discard()
            {
                try { Stream.Dispose(); } catch (Exception e) when (e is IOException || e is ObjectDisposedException) { }
                try { File.Delete(_temporary); } catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }

            public void Dispose()
            {
                if (_placed) Stream.Dispose();
                else Discard();
            }
        }

        /// <summary>
        /// Opens <paramref name="path"/> to append to it: never through a link (O_NOFOLLOW), only a
        /// regular file of the current user, made 0600 if it was looser (it is ours), created 0600
        /// when missing (a log deleted meanwhile comes back owner-only). Holds an exclusive lock
        /// (flock) while open; throws <see cref="FileBusyException"/> when another process holds it.
        /// </summary>
        public static FileStream OpenAppend(string path)
        {
            string full = Path.GetFullPath(path);
            if (IsWindows)
            {
                string kind = KindOf(full);
                if (kind != null && kind != "file")
                    throw new UnsafeFileException($"'{full}' is {kind}, not a regular file; the module appends only to a regular file and never through a link.", full);
                return new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read);
            }
            for (int attempt = 0; ; attempt++)
            {
                int fd = Open(full, AppendFlags(), 0);
                if (fd < 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == NoSuchFile && attempt < 3)
                    {
                        try
                        {
                            var created = CreateNew(full);
                            return Locked(created, full);
                        }
                        catch (IOException) when (File.Exists(full) || KindOf(full) != null)
                        {
                            continue; // another process created it first: open that one, with its checks
                        }
                    }
                    string kind = KindOf(full);
                    if (kind != null && kind != "file")
                        throw new UnsafeFileException($"'{full}' is {kind}, not a regular file; the module appends only to a regular file and never through a link.", full);
                    throw new IOException($"Cannot open '{full}' (errno {errno}).");
                }
                var stream = new FileStream(new SafeFileHandle((IntPtr)fd, true), FileAccess.Write);
                try
                {
                    if (TryFileStat(fd, out int mode, out uint owner))
                    {
                        if ((mode & 0xf000) != 0x8000)
                            throw new UnsafeFileException($"'{full}' is {KindName(mode)}, not a regular file; the module appends only to a regular file and never through a link.", full);
                        if (owner != GetEffectiveUserId())
                            throw new UnsafeFileException($"'{full}' belongs to another user; the module appends only to a file of its own.", full);
                        if ((mode & GroupOrOthers) != 0 && FileChmod(fd, OwnerOnlyFile) != 0)
                            throw new UnsafeFileException($"'{full}' can be read by others (mode {Convert.ToString(mode & 0x1ff, 8)}) and cannot be made owner-only (errno {Marshal.GetLastWin32Error()}).", full);
                    }
                    return Locked(stream, full);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }
        }

        private static FileStream Locked(FileStream stream, string path)
        {
            if (IsWindows) return stream;
            const int Exclusive = 2, NonBlocking = 4;
            if (FileLock(stream.SafeFileHandle.DangerousGetHandle().ToInt32(), Exclusive | NonBlocking) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                stream.Dispose();
                throw new FileBusyException($"'{path}' is in use by another process (errno {errno}).");
            }
            stream.Seek(0, SeekOrigin.End);
            return stream;
        }

        private static int NoSuchFile => 2; // ENOENT on Linux and macOS

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

    }

    /// <summary>A path the module will not write: a link, a FIFO, a device, a folder, or another user's file.</summary>
    internal sealed class UnsafeFileException : IOException
    {
        public UnsafeFileException(string message, string path) : base(message) { Path = path; }

        public string Path { get; }
    }

    /// <summary>Another process holds the file's lock for the moment.</summary>
    internal sealed class FileBusyException : IOException
    {
        public FileBusyException(string message) : base(message) { }
    }
}
