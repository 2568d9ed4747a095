// Closes the shared browser and driver when the last runspace removes the module or the process
// exits, so no node or chromium process outlives its PowerShell.
using System;
using System.Management.Automation;
using System.Threading;
using AlexaPrivacy.Browser;

namespace AlexaPrivacy
{
    public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static int _hooked;

        // Runspaces (ForEach-Object -Parallel, runspace pools) share the one browser: one of them
        // removing the module must not close it under the others.
        private static int _imports;

        public void OnImport()
        {
            PlaywrightLoadContext.Hook();
            Interlocked.Increment(ref _imports);
            if (Interlocked.Exchange(ref _hooked, 1) == 1) return;
            AppDomain.CurrentDomain.ProcessExit += (_, __) =>
            {
                // Sessions still open when PowerShell exits keep their traces, as at Disconnect-AlexaAccount.
                Diagnostics.SessionTrace.StopAll(TimeSpan.FromSeconds(15));
                BrowserHost.Shutdown();
            };
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (Interlocked.Decrement(ref _imports) <= 0)
            {
                Interlocked.Exchange(ref _imports, 0);
                BrowserHost.Shutdown();
            }
        }
    }
}
