// Playwright's driver is JavaScript (.playwright/package, beside Microsoft.Playwright.dll) run by
// Node.js. The module ships that JavaScript once, for every platform, and runs it on a Node.js of
// version 20 or newer: $env:PLAYWRIGHT_NODEJS_PATH when set, else a node bundled in Playwright's
// own layout (.playwright/node/<platform>/node, as a build from source has it), else the machine's
// node (PATH's absolute folders only, then the usual install folders). None found is AlexaNodeNotFound, saying what to install.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AlexaPrivacy.Browser
{
    internal static class DriverFiles
    {
        /// <summary>Microsoft.Playwright runs its driver with this node when the variable is set.</summary>
        public const string NodePathVariable = "PLAYWRIGHT_NODEJS_PATH";

        /// <summary>Playwright 1.64's driver declares "engines": {"node": ">=20"}.</summary>
        public const int MinimumNodeMajor = 20;

        private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(20);

        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);

        public static string DriverDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(Microsoft.Playwright.IPlaywright).Assembly.Location) ?? ".", ".playwright");

        private static bool IsWindows => Security.PrivateFiles.IsWindows;

        private static string NodeFileName => IsWindows ? "node.exe" : "node";

        /// <summary>Playwright's platform folder names (Microsoft.Playwright's Driver.GetPath).</summary>
        public static string PlatformId
        {
            get
            {
                bool arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
                if (IsWindows) return arm ? "win32_arm64" : "win32_x64";
                if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return arm ? "darwin-arm64" : "darwin-x64";
                return arm ? "linux-arm64" : "linux-x64";
            }
        }

        /// <summary>Where Playwright looks for a node that ships with it.</summary>
        public static string BundledNodePath => Path.Combine(DriverDirectory, "node", PlatformId, NodeFileName);

        /// <summary>
        /// The node that will run the driver: a full path to pass as PLAYWRIGHT_NODEJS_PATH, or null
        /// when Playwright's bundled node is present and is used as Playwright finds it.
        /// </summary>
        public static string FindNode()
        {
            string fromVariable = Environment.GetEnvironmentVariable(NodePathVariable);
            if (!string.IsNullOrEmpty(fromVariable))
            {
                string full;
                try
                {
                    full = Path.GetFullPath(fromVariable);
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
                {
                    full = null;
                }
                if (full == null || !File.Exists(full))
                {
                    throw NotFound(ErrorCategory.ObjectNotFound,
                        $"$env:{NodePathVariable} names a Node.js that does not exist: '{fromVariable}'.");
                }
                Version version = NodeVersion(full);
                if (!IsRecentEnough(version))
                {
                    throw NotFound(ErrorCategory.NotInstalled,
                        $"$env:{NodePathVariable} names '{full}', {Describe(version)}; Playwright's driver needs Node.js {MinimumNodeMajor} or newer.");
                }
                NodeChoice = $"'{full}' (version {version.ToString(3)}, from ${NodePathVariable})";
                return full;
            }

            if (File.Exists(BundledNodePath))
            {
                EnsureExecutable();
                NodeChoice = $"'{BundledNodePath}' (Playwright's own)";
                return null;
            }

            var rejected = new List<string>();
            foreach (string candidate in SystemCandidates())
            {
                Version version = NodeVersion(candidate);
                if (IsRecentEnough(version))
                {
                    NodeChoice = $"'{candidate}' (version {version.ToString(3)}, the first of version {MinimumNodeMajor} or newer on PATH's absolute folders and the usual install folders)";
                    return candidate;
                }
                rejected.Add($"'{candidate}' ({Describe(version)})");
            }
            string searched = string.Join(", ", new[] { "PATH" }.Concat(WellKnownLocations()));
            string found = rejected.Count == 0
                ? $"No Node.js was found (searched {searched})."
                : $"Only older or unusable Node.js was found: {string.Join(", ", rejected)}.";
            throw NotFound(ErrorCategory.NotInstalled,
                $"Playwright's browser driver needs Node.js {MinimumNodeMajor} or newer. {found}");
        }

        /// <summary>What to install on this platform; also in about_AlexaPrivacy.</summary>
        public static string InstallAdvice
        {
            get
            {
                string how;
                if (IsWindows) how = "winget install OpenJS.NodeJS.LTS (or the installer from https://nodejs.org)";
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) how = "brew install node (or the installer from https://nodejs.org)";
                else how = "apt-get install nodejs where it is 20 or newer (Debian 13, Ubuntu 24.04), dnf install nodejs, or Node.js from https://nodejs.org";
                return $"Install Node.js {MinimumNodeMajor} or newer: {how}. Or set $env:{NodePathVariable} to a node of version {MinimumNodeMajor} or newer.";
            }
        }

        private static AlexaException NotFound(ErrorCategory category, string message) =>
            new AlexaException(AlexaErrorId.NodeNotFound, category, message) { RecommendedAction = InstallAdvice };

        private static bool IsRecentEnough(Version version) => version != null && version.Major >= MinimumNodeMajor;

        private static string Describe(Version version) =>
            version == null ? "did not report a version" : "version " + version.ToString(3);

        private static IEnumerable<string> WellKnownLocations()
        {
            if (IsWindows)
            {
                foreach (string folder in new[] { Environment.GetEnvironmentVariable("ProgramFiles"), Environment.GetEnvironmentVariable("ProgramFiles(x86)") })
                {
                    if (!string.IsNullOrEmpty(folder)) yield return Path.Combine(folder, "nodejs", "node.exe");
                }
                yield break;
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                // Scheduled jobs (launchd) run with a PATH that lacks Homebrew's folder.
                yield return "/opt/homebrew/bin/node";
                yield return "/usr/local/bin/node";
                yield return "/opt/local/bin/node";
                yield break;
            }
            // Linux: cron and systemd give /usr/bin (and usually /usr/local/bin) on PATH; PATH is the whole search.
        }

        private static IEnumerable<string> SystemCandidates()
        {
            var seen = new HashSet<string>(IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            foreach (string folder in path.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate;
                try
                {
                    // A relative entry ("bin", ".", or an empty one) means whatever folder the process runs in:
                    // anyone who can write there would run the driver and see every page it drives.
                    string entry = folder.Trim().Trim('"');
                    if (!IsFullyQualified(entry)) continue;
                    candidate = Path.GetFullPath(Path.Combine(entry, NodeFileName));
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
                {
                    continue;
                }
                if (File.Exists(candidate) && seen.Add(candidate)) yield return candidate;
            }
            foreach (string candidate in WellKnownLocations())
            {
                if (File.Exists(candidate) && seen.Add(candidate)) yield return candidate;
            }
        }

        /// <summary>An absolute folder: "/usr/bin" on Unix, "C:\Program Files\nodejs" or "\\server\share" on Windows; never relative to the current folder or drive.</summary>
        internal static bool IsFullyQualified(string folder)
        {
            if (string.IsNullOrEmpty(folder)) return false;
            if (!IsWindows) return folder[0] == '/';
            if (folder.Length >= 2 && (folder[0] == '\\' || folder[0] == '/') && (folder[1] == '\\' || folder[1] == '/')) return true;
            return folder.Length >= 3 && char.IsLetter(folder[0]) && folder[1] == ':' && (folder[2] == '\\' || folder[2] == '/');
        }

        /// <summary>Which node runs the driver and why, for -Verbose (set by <see cref="FindNode"/>).</summary>
        public static string NodeChoice { get; private set; }

        /// <summary>The version `node --version` reports, or null when it does not run or answer in time.</summary>
        internal static Version NodeVersion(string node)
        {
            try
            {
                var start = new ProcessStartInfo(node, "--version")
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    RedirectStandardInput = true,
                };
                // An option set for the driver's node must not change what --version prints.
                start.EnvironmentVariables.Remove("NODE_OPTIONS");
                using (var process = Process.Start(start))
                {
                    if (process == null) return null;
                    process.StandardInput.Close();
                    var output = process.StandardOutput.ReadToEndAsync();
                    process.StandardError.ReadToEndAsync();
                    if (!process.WaitForExit((int)VersionTimeout.TotalMilliseconds) || !output.Wait(VersionTimeout))
                    {
                        try { process.Kill(); } catch (Exception) { }
                        return null;
                    }
                    if (process.ExitCode != 0) return null;
                    Match match = Regex.Match(output.Result, @"^\s*v?(\d+)\.(\d+)\.(\d+)");
                    return match.Success
                        ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value))
                        : null;
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException || e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static void EnsureExecutable()
        {
            if (IsWindows) return;
            string nodeDir = Path.Combine(DriverDirectory, "node");
            if (!Directory.Exists(nodeDir)) return;
            foreach (string node in Directory.GetFiles(nodeDir, "node", SearchOption.AllDirectories))
            {
                try
                {
                    Chmod(node, Convert.ToInt32("755", 8));
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    return;
                }
            }
        }
    }
}
