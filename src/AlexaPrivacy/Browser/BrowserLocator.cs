// Finds a Chromium to drive: an explicit path, then a Playwright-installed Chromium, then the
// system's browsers. Nothing is downloaded.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace AlexaPrivacy.Browser
{
    internal sealed class BrowserChoice
    {
        public string ExecutablePath { get; set; }
        public string Channel { get; set; }
        public string Description => ExecutablePath ?? ("channel " + Channel);
    }

    internal static class BrowserLocator
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_BROWSER_PATH";

        public static BrowserChoice Find(string explicitPath, bool headed)
        {
            if (!string.IsNullOrEmpty(explicitPath)) return FromPath(explicitPath, "-BrowserPath");
            string fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnvironment)) return FromPath(fromEnvironment, "$env:" + EnvironmentVariable);

            foreach (string candidate in Candidates(headed))
            {
                if (File.Exists(candidate)) return new BrowserChoice { ExecutablePath = candidate };
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                // Playwright finds installed Chrome or Edge through its channels.
                foreach (string channel in new[] { "chrome", "msedge" })
                {
                    if (ChannelInstalled(channel)) return new BrowserChoice { Channel = channel };
                }
            }
            throw new AlexaException(AlexaErrorId.BrowserNotFound, ErrorCategory.ResourceUnavailable,
                "No Chromium-based browser was found.")
            {
                RecommendedAction = "Install Chromium (on Debian: apt-get install chromium chromium-headless-shell), or name a browser with -BrowserPath or $env:" + EnvironmentVariable + ".",
            };
        }

        private static BrowserChoice FromPath(string path, string from)
        {
            if (!File.Exists(path))
            {
                throw new AlexaException(AlexaErrorId.BrowserNotFound, ErrorCategory.ObjectNotFound,
                    $"The browser named by {from} does not exist: '{path}'.");
            }
            return new BrowserChoice { ExecutablePath = Path.GetFullPath(path) };
        }

        private static IEnumerable<string> Candidates(bool headed)
        {
            foreach (string installed in PlaywrightInstalled(headed)) yield return installed;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                yield break;
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                yield return "/Applications/Chromium.app/Contents/MacOS/Chromium";
                yield break;
            }
            // The headless shell costs well under half the CPU of the full browser per account.
            if (!headed) yield return "/usr/bin/chromium-headless-shell";
            yield return "/usr/bin/chromium";
            yield return "/usr/bin/chromium-browser";
            yield return "/snap/bin/chromium";
            yield return "/usr/bin/google-chrome";
            yield return "/usr/bin/microsoft-edge";
        }

        private static IEnumerable<string> PlaywrightInstalled(bool headed)
        {
            string root = Environment.GetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH");
            if (string.IsNullOrEmpty(root) || root == "0")
            {
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ms-playwright");
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                    root = Path.Combine(home, "Library", "Caches", "ms-playwright");
                else
                    root = Path.Combine(home, ".cache", "ms-playwright");
            }
            if (!Directory.Exists(root)) yield break;
            var prefixes = headed ? new[] { "chromium-" } : new[] { "chromium_headless_shell-", "chromium-" };
            foreach (string prefix in prefixes)
            {
                var dirs = Directory.GetDirectories(root, prefix + "*").OrderByDescending(d => d, StringComparer.Ordinal);
                foreach (string dir in dirs)
                {
                    foreach (string relative in new[]
                    {
                        "chrome-headless-shell-linux64/chrome-headless-shell", "chrome-linux/headless_shell", "chrome-linux64/chrome",
                        "chrome-linux/chrome", "chrome-win/chrome.exe", "chrome-win64/chrome.exe",
                        "chrome-headless-shell-win64/chrome-headless-shell.exe",
                    })
                    {
                        yield return Path.Combine(dir, relative);
                    }
                }
            }
        }

        private static bool ChannelInstalled(string channel)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                string programFiles = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFilesX86);
                string programFiles64 = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles);
                string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                string relative = channel == "chrome" ? @"Google\Chrome\Application\chrome.exe" : @"Microsoft\Edge\Application\msedge.exe";
                return new[] { programFiles, programFiles64, local }.Any(root => File.Exists(Path.Combine(root, relative)));
            }
            return channel == "chrome"
                ? File.Exists("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
                : File.Exists("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge");
        }
    }
}
