// Closes the shared browser and driver when the module is removed or the process exits,
// so no node or chromium process outlives its PowerShell.
using System;
using System.Management.Automation;
using AlexaPrivacy.Browser;

namespace AlexaPrivacy
{
    public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static bool _hooked;

        public void OnImport()
        {
            if (_hooked) return;
            _hooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, __) => BrowserHost.Shutdown();
        }

        public void OnRemove(PSModuleInfo module) => BrowserHost.Shutdown();
    }
}
