// A saved sign-in is the account's key: written owner-only on Unix (and refused when others can
// read it), protected with DPAPI for the current user on Windows.
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace AlexaPrivacy.Security
{
    internal static class SessionStore
    {
        private const string WindowsHeader = "ALEXAPRIVACY-DPAPI1:";

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The saved browser state, or null when there is no file yet.</summary>
        public static string TryLoad(string path)
        {
            if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
            // Refused when others can read it, or when another user owns it (and so could have planted it).
            PrivateFiles.CheckPrivate(path);
            string text = File.ReadAllText(path);
            if (IsWindows)
            {
                if (!text.StartsWith(WindowsHeader, StringComparison.Ordinal))
                {
                    throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                        $"The session file '{path}' is not protected with DPAPI; it was not loaded.")
                    { RecommendedAction = "Delete it and sign in again with -SessionPath." };
                }
                var bytes = Dpapi.Unprotect(Convert.FromBase64String(text.Substring(WindowsHeader.Length)));
                return Encoding.UTF8.GetString(bytes);
            }
            return text;
        }

        /// <summary>
        /// Saves the state owner-only from the first byte (a new 0600 file, never chmod-ed later) and
        /// atomically (written beside the old one, flushed, renamed over it): a crash leaves the old
        /// session or the new one, never none.
        /// </summary>
        public static void Save(string path, string state)
        {
            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            byte[] bytes = IsWindows
                ? Encoding.UTF8.GetBytes(WindowsHeader + Convert.ToBase64String(Dpapi.Protect(Encoding.UTF8.GetBytes(state))))
                : Encoding.UTF8.GetBytes(state);
            PrivateFiles.WriteAtomically(full, bytes);
        }

        private static class Dpapi
        {
            [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
            private struct DataBlob
            {
                public int Size;
                public IntPtr Data;
            }

            [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
            private static extern bool CryptProtectData(ref DataBlob input, string description, IntPtr entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob output);

            [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
            private static extern bool CryptUnprotectData(ref DataBlob input, IntPtr description, IntPtr entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob output);

            [DllImport("kernel32.dll")]
            private static extern IntPtr LocalFree(IntPtr handle);

            public static byte[] Protect(byte[] data) => Run(data, true);

            public static byte[] Unprotect(byte[] data) => Run(data, false);

            private static byte[] Run(byte[] data, bool protect)
            {
                var input = new DataBlob { Size = data.Length, Data = Marshal.AllocHGlobal(data.Length) };
                var output = new DataBlob();
                try
                {
                    Marshal.Copy(data, 0, input.Data, data.Length);
                    bool ok = protect
                        ? CryptProtectData(ref input, "AlexaPrivacy session", IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, 1, ref output)
                        : CryptUnprotectData(ref input, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, 1, ref output);
                    if (!ok)
                    {
                        throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                            "The session file could not be " + (protect ? "protected" : "opened") + " with DPAPI for the current user.");
                    }
                    var result = new byte[output.Size];
                    Marshal.Copy(output.Data, result, 0, output.Size);
                    return result;
                }
                finally
                {
                    Marshal.FreeHGlobal(input.Data);
                    if (output.Data != IntPtr.Zero) LocalFree(output.Data);
                }
            }
        }
    }
}
