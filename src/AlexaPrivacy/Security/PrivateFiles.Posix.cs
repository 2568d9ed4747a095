// Owner-only files on Linux and macOS: lstat(2)/fstat(2) read with the layout of this platform, and
// the libc calls (open, chmod, rename, mkdir, flock) that create and check a file without following a link.
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
        /// <summary>
        /// True when the current user owns <paramref name="path"/>: read with lstat(2) where its
        /// layout is known; elsewhere only the owner (or root) may chmod, which the caller then checks.
        /// </summary>
        public static bool OwnedByMe(string path)
        {
            if (IsWindows) return true;
            if (!TryLinkStat(path, out _, out uint owner, out _)) return true; // unknown: the chmod check still applies
            return owner == GetEffectiveUserId();
        }

        // Where st_mode and st_uid sit in struct stat: Linux x64 and arm64 (glibc, musl), macOS (64-bit inodes).
        private static bool StatLayout(out int modeOffset, out bool shortMode, out int uidOffset)
        {
            shortMode = false;
            modeOffset = uidOffset = -1;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                switch (RuntimeInformation.ProcessArchitecture)
                {
                    case Architecture.X64: modeOffset = 24; uidOffset = 28; return true;
                    case Architecture.Arm64: modeOffset = 16; uidOffset = 24; return true;
                }
                return false;
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                modeOffset = 4; shortMode = true; uidOffset = 16;
                return true;
            }
            return false;
        }

        private static bool TryLinkStat(string path, out int mode, out uint owner, out bool missing)
        {
            bool found = TryStat(buffer => RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? LinkStatInode64(path, buffer) : LinkStat(path, buffer),
                // A C library older than glibc 2.33 exports only __lxstat (version 1 on x64, 0 on arm64).
                (version, buffer) => OldLinkStat(version, path, buffer), out mode, out owner, out int error);
            missing = !found && error == NoSuchFile;
            return found;
        }

        private static bool TryFileStat(int fd, out int mode, out uint owner) =>
            TryStat(buffer => RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? FileStatInode64(fd, buffer) : FileStat(fd, buffer),
                (version, buffer) => OldFileStat(version, fd, buffer), out mode, out owner, out _);

        /// <summary>
        /// One stat call (of a path or of an open file): the mode and owner read at this platform's offsets;
        /// false when the call failed (<paramref name="error"/> is errno then) or the layout is unknown.
        /// </summary>
        private static bool TryStat(Func<IntPtr, int> stat, Func<int, IntPtr, int> oldStat, out int mode, out uint owner, out int error)
        {
            mode = 0; owner = 0; error = 0;
            if (!StatLayout(out int modeOffset, out bool shortMode, out int uidOffset)) return false;
            var buffer = Marshal.AllocHGlobal(512);
            try
            {
                int result;
                try
                {
                    result = stat(buffer);
                }
                catch (EntryPointNotFoundException)
                {
                    if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return false;
                    result = oldStat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, buffer);
                }
                if (result != 0)
                {
                    error = Marshal.GetLastWin32Error();
                    return false;
                }
                mode = shortMode ? (ushort)Marshal.ReadInt16(buffer, modeOffset) : Marshal.ReadInt32(buffer, modeOffset);
                owner = unchecked((uint)Marshal.ReadInt32(buffer, uidOffset));
                return true;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        [DllImport("libc", SetLastError = true, EntryPoint = "lstat")]
        private static extern int LinkStat(string path, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "lstat$INODE64")]
        private static extern int LinkStatInode64(string path, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "__lxstat")]
        private static extern int OldLinkStat(int version, string path, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "fstat")]
        private static extern int FileStat(int fd, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "fstat$INODE64")]
        private static extern int FileStatInode64(int fd, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "__fxstat")]
        private static extern int OldFileStat(int version, int fd, IntPtr buffer);

        [DllImport("libc", SetLastError = true, EntryPoint = "fchmod")]
        private static extern int FileChmod(int fd, int mode);

        [DllImport("libc", SetLastError = true, EntryPoint = "flock")]
        private static extern int FileLock(int fd, int operation);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();

        private static int AppendFlags()
        {
            // O_NOFOLLOW refuses a link (ELOOP); O_NONBLOCK keeps a FIFO from hanging the open.
            const int WriteOnly = 1;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return WriteOnly | 0x8 /* O_APPEND */ | 0x4 /* O_NONBLOCK */ | 0x100 /* O_NOFOLLOW */ | 0x1000000 /* O_CLOEXEC */;
            }
            return WriteOnly | 0x400 /* O_APPEND */ | 0x800 /* O_NONBLOCK */ | NoFollowLinux | 0x80000 /* O_CLOEXEC */;
        }

        private static int NoFollowLinux => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm
            ? 0x8000 : 0x20000;

        private static int OpenFlags()
        {
            // O_CREAT|O_EXCL never opens an existing name and never follows a link, dangling or not;
            // O_NOFOLLOW says so once more.
            const int WriteOnly = 1;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return WriteOnly | 0x200 /* O_CREAT */ | 0x800 /* O_EXCL */ | 0x100 /* O_NOFOLLOW */ | 0x1000000 /* O_CLOEXEC */;
            }
            return WriteOnly | 0x40 /* O_CREAT */ | 0x80 /* O_EXCL */ | NoFollowLinux | 0x80000 /* O_CLOEXEC */;
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
