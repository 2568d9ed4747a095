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
            string folder;
            if (!string.IsNullOrEmpty(configured))
            {
                folder = PrivateFiles.EnsurePrivateFolder(configured, false);
            }
            else
            {
                PrivateFiles.EnsurePrivateFolder(UserCache, true);
                folder = PrivateFiles.EnsurePrivateFolder(Path.Combine(UserCache, "diagnostics"), true);
            }
            // Once per process: a nightly job that saves a screenshot now and then must not fill the disk.
            if (System.Threading.Interlocked.Exchange(ref _cleaned, 1) == 0) RemoveOld(folder, KeepDays, DateTime.UtcNow);
            return folder;
        }

        public const string KeepDaysVariable = "ALEXAPRIVACY_DIAGNOSTICS_DAYS";
        public const int DefaultKeepDays = 14;
        private static int _cleaned;

        /// <summary>How many days a screenshot or page is kept: $env:ALEXAPRIVACY_DIAGNOSTICS_DAYS (0 keeps all), else 14.</summary>
        public static int KeepDays =>
            int.TryParse(Environment.GetEnvironmentVariable(KeepDaysVariable), out int days) && days >= 0 ? days : DefaultKeepDays;

        /// <summary>
        /// Deletes this module's own files (named by <see cref="NewBaseName"/>: a time stamp first)
        /// older than <paramref name="keepDays"/> days; other files, folders and links are left alone.
        /// Returns how many were deleted; a file that cannot be deleted is skipped.
        /// </summary>
        public static int RemoveOld(string folder, int keepDays, DateTime nowUtc)
        {
            if (keepDays <= 0 || !Directory.Exists(folder)) return 0;
            int removed = 0;
            var cutoff = nowUtc.AddDays(-keepDays);
            foreach (string path in Directory.EnumerateFiles(folder))
            {
                try
                {
                    string name = Path.GetFileName(path);
                    if (name.Length < 20 || !DateTime.TryParseExact(name.Substring(0, 19), "yyyyMMdd-HHmmss-fff",
                        System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var stamp)) continue;
                    var info = new FileInfo(path);
                    if ((info.Attributes & FileAttributes.ReparsePoint) != 0) continue;
                    if (stamp >= cutoff || info.LastWriteTimeUtc >= cutoff) continue;
                    info.Delete();
                    removed++;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Diagnostics are a courtesy: a file that cannot go now goes another time.
                }
            }
            return removed;
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
