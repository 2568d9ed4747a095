// A saved sign-in is the account's key: written owner-only on Unix (and refused when others can
// read it, or when it is a link, a FIFO or another user's), protected with DPAPI for the current
// user on Windows. The file also records whose it is (account, marketplace, site), so that it is
// used for that account only and never tells the module where to send credentials.
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlexaPrivacy.Security
{
    /// <summary>What a session file holds: the browser state, and whose it is.</summary>
    internal sealed class SavedSession
    {
        /// <summary>The browser's storage state (cookies, origins), as the browser takes it.</summary>
        public string State { get; set; }

        /// <summary>The account the sign-in belongs to; null in a file written by an older version, which kept it beside the file.</summary>
        public string Account { get; set; }

        public string Marketplace { get; set; }

        /// <summary>The site the sign-in was made on (absolute URI).</summary>
        public string BaseUri { get; set; }

        /// <summary>Why an older version's record could not be taken over (its side file was not safe to read), or null.</summary>
        public string MigrationProblem { get; set; }

        public bool Recorded => !string.IsNullOrWhiteSpace(Account) && !string.IsNullOrWhiteSpace(Marketplace) && !string.IsNullOrWhiteSpace(BaseUri);
    }

    internal static class SessionStore
    {
        private const string WindowsHeader = "ALEXAPRIVACY-DPAPI1:";

        /// <summary>The property of the saved JSON that records whose the session is (beside the browser's own "cookies" and "origins").</summary>
        public const string RecordProperty = "alexaPrivacy";

        /// <summary>The side file in which older versions kept the account of "&lt;file&gt;" ("&lt;file&gt;.account"); read once to migrate, then removed.</summary>
        public const string LegacySideSuffix = ".account";

        private static bool IsWindows => PrivateFiles.IsWindows;

        /// <summary>
        /// The saved session, or null when there is no file yet. Refused (AlexaSessionFileUnsafe) when
        /// others can read it, another user owns it (and so could have planted it), or it is a link, a
        /// FIFO or anything but a regular file.
        /// </summary>
        public static SavedSession TryLoad(string path)
        {
            if (string.IsNullOrEmpty(path)) return null;
            string text = PrivateFileReader.ReadText(path, "The session file");
            if (text == null) return null;
            if (IsWindows)
            {
                if (!text.StartsWith(WindowsHeader, StringComparison.Ordinal))
                {
                    throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.SecurityError,
                        $"The session file '{path}' is not protected with DPAPI; it was not loaded.")
                    { RecommendedAction = "Delete it and sign in again with -SessionPath." };
                }
                var bytes = Dpapi.Unprotect(Convert.FromBase64String(text.Substring(WindowsHeader.Length)));
                text = Encoding.UTF8.GetString(bytes);
            }
            return Parse(text, path);
        }

        /// <summary>Splits a saved file's JSON into the browser state and the record of whose it is.</summary>
        internal static SavedSession Parse(string text, string path)
        {
            try
            {
                if (!(JsonNode.Parse(text) is JsonObject root)) throw new JsonException("not a JSON object");
                var saved = new SavedSession();
                if (root[RecordProperty] is JsonObject record)
                {
                    saved.Account = Text(record, "account");
                    saved.Marketplace = Text(record, "marketplace");
                    saved.BaseUri = Text(record, "baseUri");
                    root.Remove(RecordProperty);
                }
                saved.State = root.ToJsonString();
                return saved;
            }
            catch (Exception e) when (e is JsonException || e is ArgumentException || e is InvalidOperationException || e is FormatException)
            {
                throw new AlexaException(AlexaErrorId.SessionFileUnsafe, ErrorCategory.InvalidData,
                    $"The session file '{path}' is not a saved session of this module; it was not loaded.", e)
                { RecommendedAction = "Delete it and sign in again with -SessionPath." };
            }
        }

        private static string Text(JsonObject node, string name) =>
            node[name] is JsonValue value && value.TryGetValue(out string text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

        /// <summary>
        /// Saves the state with the record of whose it is, owner-only from the first byte (a new 0600
        /// file, never chmod-ed later) and atomically (written beside the old one, flushed, renamed over
        /// it): a crash leaves the old session or the new one, never none. An older version's side file
        /// is removed (unlinked, never followed): the file itself now says whose it is.
        /// </summary>
        public static void Save(string path, string state, string account, string marketplace, Uri baseUri)
        {
            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            if (!(JsonNode.Parse(state) is JsonObject root))
                throw new InvalidOperationException("The browser's storage state is not a JSON object.");
            root.Remove(RecordProperty);
            root[RecordProperty] = new JsonObject
            {
                ["account"] = account,
                ["marketplace"] = marketplace,
                ["baseUri"] = baseUri?.AbsoluteUri,
            };
            string text = root.ToJsonString();
            byte[] bytes = IsWindows
                ? Encoding.UTF8.GetBytes(WindowsHeader + Convert.ToBase64String(Dpapi.Protect(Encoding.UTF8.GetBytes(text))))
                : Encoding.UTF8.GetBytes(text);
            PrivateFiles.WriteAtomically(full, bytes);
            RemoveLegacySideFile(full);
        }

        /// <summary>Unlinks "&lt;file&gt;.account" if anything is there (a link or a FIFO itself, never what it points at).</summary>
        public static void RemoveLegacySideFile(string fullPath)
        {
            if (string.IsNullOrEmpty(fullPath)) return;
            try { File.Delete(fullPath + LegacySideSuffix); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A folder of that name, or a file another user put there: it is never read, so it can stay.
            }
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
