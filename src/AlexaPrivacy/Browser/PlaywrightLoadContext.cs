// Loads Microsoft.Playwright from the module's dependencies/ folder into an AssemblyLoadContext of
// its own, so that another module that loaded another Playwright version into the process first
// (or later) does not break this one. Only Playwright is isolated: it is the library modules clash
// on, and everything else it needs (System.*, Microsoft.Bcl.*) comes from the shared default context.
using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AlexaPrivacy.Browser
{
    internal sealed class PlaywrightLoadContext : AssemblyLoadContext
    {
        public const string AssemblyName = "Microsoft.Playwright";

        private static readonly object Sync = new object();
        private static PlaywrightLoadContext _instance;
        private static bool _hooked;
        private static Assembly _loaded;

        /// <summary>The folder beside the module's assembly that holds Microsoft.Playwright.dll and its .playwright driver.</summary>
        public static string Directory =>
            Path.Combine(Path.GetDirectoryName(typeof(PlaywrightLoadContext).Assembly.Location) ?? ".", "dependencies");

        /// <summary>Answers the default context's requests for Microsoft.Playwright; called on import, before any Playwright type is used.</summary>
        public static void Hook()
        {
            lock (Sync)
            {
                if (_hooked) return;
                _hooked = true;
                Default.Resolving += OnResolving;
            }
        }

        private static Assembly OnResolving(AssemblyLoadContext context, AssemblyName name)
        {
            if (!string.Equals(name.Name, AssemblyName, StringComparison.Ordinal)) return null;
            string path = Path.Combine(Directory, AssemblyName + ".dll");
            if (!File.Exists(path)) return null;
            lock (Sync)
            {
                if (_instance == null) _instance = new PlaywrightLoadContext();
                return _loaded ?? (_loaded = _instance.LoadFromAssemblyPath(path));
            }
        }

        // Everything Playwright references resolves in the default context, as it would without isolation.
        protected override Assembly Load(AssemblyName name) => null;
    }
}
