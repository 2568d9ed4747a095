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
            if (!IsWindows)
            {
                int mode = UnixMode(path);
                if (mode >= 0 && (mode & Convert.ToInt32("077", 8)) != 0)
                {
                    throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                        $"The session file '{path}' can be read by other users (mode {Convert.ToString(mode & 0x1ff, 8)}); it was not loaded.")
                    { RecommendedAction = $"Make it owner-only (chmod 600 '{path}') or delete it and sign in again." };
                }
            }
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

        public static void Save(string path, string state)
        {
            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
            if (IsWindows)
            {
                var protectedBytes = Dpapi.Protect(Encoding.UTF8.GetBytes(state));
                File.WriteAllText(temporary, WindowsHeader + Convert.ToBase64String(protectedBytes));
            }
            else
            {
                // Create the file owner-only before any byte of the state is in it.
                using (File.Create(temporary)) { }
                SetUnixMode(temporary, Convert.ToInt32("600", 8));
                File.WriteAllText(temporary, state);
            }
            if (File.Exists(full)) File.Delete(full);
            File.Move(temporary, full);
        }

        private static int UnixMode(string path)
        {
            // File.GetUnixFileMode exists on .NET 7 and later, which is where PowerShell 7 runs.
            var method = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            if (method == null) return -1;
            return Convert.ToInt32(method.Invoke(null, new object[] { path }));
        }

        private static void SetUnixMode(string path, int mode)
        {
            var method = typeof(File).GetMethods(BindingFlags.Public | BindingFlags.Static);
            foreach (var m in method)
            {
                if (m.Name != "SetUnixFileMode") continue;
                var parameters = m.GetParameters();
                if (parameters.Length == 2 && parameters[0].ParameterType == typeof(string))
                {
                    m.Invoke(null, new object[] { path, Enum.ToObject(parameters[1].ParameterType, mode) });
                    return;
                }
            }
            Chmod(path, mode);
        }

        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);

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
