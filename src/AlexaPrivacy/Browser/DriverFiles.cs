// The Playwright driver ships as .playwright/ beside Microsoft.Playwright.dll; its node binary
// needs the execute bit on Unix, which archive copies and some installers drop.
using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AlexaPrivacy.Browser
{
    internal static class DriverFiles
    {
        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, int mode);

        public static string DriverDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(Microsoft.Playwright.IPlaywright).Assembly.Location) ?? ".", ".playwright");

        public static void EnsureExecutable()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
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
