// Where screenshots and page HTML go: $env:ALEXAPRIVACY_DIAGNOSTICS_PATH, else a folder of the
// user's own (~/.cache/AlexaPrivacy/diagnostics, 0700; %LOCALAPPDATA% on Windows), never a shared
// temp folder; files are owner-only with names no one can guess.
using System;
using System.IO;
using AlexaPrivacy.Security;

namespace AlexaPrivacy.Diagnostics
{
    internal static class DiagnosticsFolder
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_DIAGNOSTICS_PATH";

        /// <summary>The user's own cache folder for the module (not created here).</summary>
        public static string UserCache
        {
            get
            {
                if (PrivateFiles.IsWindows)
                    return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "AlexaPrivacy");
                string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
                    cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                return Path.Combine(cache, "AlexaPrivacy");
            }
        }

        public static string Current
        {
            get
            {
                string configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
                return string.IsNullOrEmpty(configured) ? Path.Combine(UserCache, "diagnostics") : configured;
            }
        }

        /// <summary>
        /// The folder, created owner-only (0700) when missing; the default one is kept 0700. Throws
        /// AlexaSessionFileUnsafe when it is a link or another user's.
        /// </summary>
        public static string Ensure()
        {
            string configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(configured)) return PrivateFiles.EnsurePrivateFolder(configured, false);
            PrivateFiles.EnsurePrivateFolder(UserCache, true);
            return PrivateFiles.EnsurePrivateFolder(Path.Combine(UserCache, "diagnostics"), true);
        }

        /// <summary>A new file name (without extension) in the folder: time, account, what, and a random part.</summary>
        public static string NewBaseName(string folder, string account, string what)
        {
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff");
            return Path.Combine(folder, $"{stamp}-{Safe(account ?? "account")}-{Safe(what ?? "page")}-{PrivateFiles.RandomName()}");
        }

        public static string Safe(string text)
        {
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '.' && chars[i] != '-') chars[i] = '_';
            }
            return new string(chars);
        }
    }
}
