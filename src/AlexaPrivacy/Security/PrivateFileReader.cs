// Reads a file that holds an account's key (a saved session, or the side file of an older version)
// only when it is what it should be: a regular file, not a link, of the current user, that no one
// else can read. Opened without following a link and without blocking, so that a FIFO or a device
// planted at the name is refused at once instead of hanging the command.
using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AlexaPrivacy.Security
{
    internal static class PrivateFileReader
    {
        private const int FileTypeMask = 0xF000; // S_IFMT
        private const int RegularFile = 0x8000;   // S_IFREG
        private const int GroupOrOthers = 0x3F;   // 077

        /// <summary>
        /// The text of <paramref name="path"/>, or null when nothing is there. Throws
        /// AlexaSessionFileUnsafe (naming <paramref name="what"/>) for a link, a FIFO or any other
        /// non-regular file, a file of another user, or one that others can read.
        /// </summary>
        public static string ReadText(string path, string what)
        {
            if (PrivateFiles.IsWindows)
            {
                if (Directory.Exists(path)) throw Unsafe(what, path, "is a folder, not a file");
                if (!File.Exists(path)) return null;
                if ((File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0) throw Unsafe(what, path, "is a link; it is never followed");
                return File.ReadAllText(path);
            }
            int fd = Open(path, ReadFlags(), 0);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == 2 /* ENOENT */) return null;
                if (errno == NoFollowErrno()) throw Unsafe(what, path, "is a link; it is never followed");
                if (errno == 6 /* ENXIO: a socket */ || errno == 21 /* EISDIR */) throw Unsafe(what, path, "is not a regular file");
                throw Unsafe(what, path, $"cannot be opened (errno {errno})");
            }
            using (var handle = new SafeFileHandle((IntPtr)fd, true))
            {
                CheckOpened(handle, path, what);
                using (var stream = new FileStream(handle, FileAccess.Read))
                using (var reader = new StreamReader(stream, new UTF8Encoding(false), true))
                {
                    return reader.ReadToEnd();
                }
            }
        }

        /// <summary>The type, owner and mode of the file that was opened (not of whatever the name means by now).</summary>
        private static void CheckOpened(SafeFileHandle handle, string path, string what)
        {
            if (!TryStat(handle, out int mode, out uint owner))
            {
                // A platform whose stat layout is not known here: the name was opened without following a
                // link or blocking; the mode and owner checks of the path still apply.
                if (!File.Exists(path)) throw Unsafe(what, path, "is not a regular file");
                PrivateFiles.CheckPrivate(path);
                return;
            }
            if ((mode & FileTypeMask) != RegularFile) throw Unsafe(what, path, "is not a regular file (a FIFO, a device or a socket)");
            if (owner != GetEffectiveUserId()) throw Unsafe(what, path, "belongs to another user", "Use a session file that you created (Connect-AlexaAccount -SessionPath), or delete this one.");
            if ((mode & GroupOrOthers) != 0)
            {
                throw Unsafe(what, path, $"can be read by other users (mode {Convert.ToString(mode & 0x1ff, 8)})",
                    $"Make it owner-only (chmod 600 '{path}') or delete it and sign in again.");
            }
        }

        private static bool TryStat(SafeFileHandle handle, out int mode, out uint owner)
        {
            mode = 0;
            owner = 0;
            int modeOffset, uidOffset;
            bool shortMode = false;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                switch (RuntimeInformation.ProcessArchitecture)
                {
                    case Architecture.X64: modeOffset = 24; uidOffset = 28; break;
                    case Architecture.Arm64: modeOffset = 16; uidOffset = 24; break;
                    default: return false;
                }
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            {
                modeOffset = 4; uidOffset = 16; shortMode = true;
            }
            else
            {
                return false;
            }
            var buffer = Marshal.AllocHGlobal(512);
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (FileStat(handle.DangerousGetHandle().ToInt32(), buffer) != 0) return false;
                mode = shortMode ? (ushort)Marshal.ReadInt16(buffer, modeOffset) : Marshal.ReadInt32(buffer, modeOffset);
                owner = unchecked((uint)Marshal.ReadInt32(buffer, uidOffset));
                return true;
            }
            catch (EntryPointNotFoundException)
            {
                return false; // a C library older than glibc 2.33 has no fstat symbol
            }
            finally
            {
                if (added) handle.DangerousRelease();
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static int ReadFlags()
        {
            // O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC: a link is refused by the kernel, a FIFO opens at once.
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return 0x100 | 0x4 | 0x1000000;
            int noFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
            return noFollow | 0x800 | 0x80000;
        }

        private static int NoFollowErrno() => RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 62 : 40; // ELOOP

        private static AlexaException Unsafe(string what, string path, string problem, string action = null) =>
            new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError, $"{what} '{path}' {problem}; it was not read.")
            { RecommendedAction = action ?? $"Remove '{path}' and sign in again with -SessionPath; the module reads only a regular, owner-only file of its own." };

        [DllImport("libc", SetLastError = true, EntryPoint = "open")]
        private static extern int Open(string path, int flags, int mode);

        [DllImport("libc", SetLastError = true, EntryPoint = "fstat")]
        private static extern int FileStat(int fd, IntPtr buffer);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();
    }
}
