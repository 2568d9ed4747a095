// One Playwright driver and one browser per process, started lazily and shared by every
// runspace; each session gets an isolated context. Torn down on module removal and process exit.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Browser
{
    internal static class BrowserHost
    {
        private static readonly SemaphoreSlim Lock = new SemaphoreSlim(1, 1);
        private static IPlaywright _playwright;
        private static readonly Dictionary<string, IBrowser> Browsers = new Dictionary<string, IBrowser>(StringComparer.Ordinal);

        // Chromium's background services only make failed connections on locked-down machines.
        private static readonly string[] QuietArguments =
        {
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-gpu", "--disable-quic", "--disable-dev-shm-usage",
        };

        /// <summary>
        /// Opt-in: the visible browser of -Interactive also listens for the DevTools protocol on this
        /// loopback port, so that a test (or a support session) can drive the very window a person sees.
        /// </summary>
        public const string DebuggingPortVariable = "ALEXAPRIVACY_INTERACTIVE_DEBUGGING_PORT";

        private static IEnumerable<string> HeadedArguments()
        {
            var arguments = new List<string>(QuietArguments);
            string port = Environment.GetEnvironmentVariable(DebuggingPortVariable);
            if (!string.IsNullOrEmpty(port) && int.TryParse(port, out int number) && number > 0 && number < 65536)
            {
                arguments.Add("--remote-debugging-address=127.0.0.1");
                arguments.Add("--remote-debugging-port=" + number);
            }
            return arguments;
        }

        private static Dictionary<string, string> CurrentEnvironment()
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry pair in Environment.GetEnvironmentVariables())
            {
                environment[(string)pair.Key] = (string)pair.Value;
            }
            return environment;
        }

        public static async Task<IBrowser> GetBrowserAsync(string explicitPath, bool headed, CancellationToken cancel, Action<string> verbose = null)
        {
            var choice = BrowserLocator.Find(explicitPath, headed);
            string key = (headed ? "headed|" : "headless|") + choice.Description;
            await Lock.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                if (Browsers.TryGetValue(key, out var existing) && existing.IsConnected)
                {
                    if (headed) _openWindows++;
                    return existing;
                }
                if (_playwright == null)
                {
                    // The driver's node (AlexaNodeNotFound when there is none of version 20 or newer) is passed
                    // the way Microsoft.Playwright reads it, for this start only.
                    string node = DriverFiles.FindNode();
                    string before = Environment.GetEnvironmentVariable(DriverFiles.NodePathVariable);
                    try
                    {
                        if (node != null) Environment.SetEnvironmentVariable(DriverFiles.NodePathVariable, node);
                        var playwright = await Microsoft.Playwright.Playwright.CreateAsync().ConfigureAwait(false);
                        // Before any context: the secrets are typed through it (OriginSelector).
                        await OriginSelector.RegisterAsync(playwright).ConfigureAwait(false);
                        _playwright = playwright;
                        verbose?.Invoke($"Playwright's driver runs on Node.js {DriverFiles.NodeChoice}.");
                    }
                    finally
                    {
                        Environment.SetEnvironmentVariable(DriverFiles.NodePathVariable, before);
                    }
                }
                var options = new BrowserTypeLaunchOptions
                {
                    Headless = !headed,
                    ExecutablePath = choice.ExecutablePath,
                    Channel = choice.Channel,
                    Args = headed ? HeadedArguments() : QuietArguments,
                    Timeout = 60_000,
                };
                if (headed)
                {
                    // The driver keeps the environment it started with; a window needs today's DISPLAY
                    // (a person may have set it, or started a virtual display, after the module first ran).
                    options.Env = CurrentEnvironment();
                }
                IBrowser browser;
                try
                {
                    browser = await LaunchAsync(options, verbose).ConfigureAwait(false);
                }
                catch (PlaywrightException e)
                {
                    throw new AlexaException(AlexaErrorId.BrowserNotFound, System.Management.Automation.ErrorCategory.ResourceUnavailable,
                        $"The browser '{choice.Description}' could not be started: {Security.SecretFreeText.FirstLine(e.Message)}", e);
                }
                Browsers[key] = browser;
                if (headed) _openWindows++;
                return browser;
            }
            finally
            {
                Lock.Release();
            }
        }

        // Known once Chromium refused to start in its sandbox in this process (as root, or where user namespaces are off).
        // As root on Linux Chromium never starts in its sandbox, so that is known without a launch that fails.
        private static string _sandboxRefused = RunsAsLinuxRoot() ? RootReason : null;

        private const string RootReason = "Chromium does not start its sandbox as root";

        private const string InProcessGpu = "--in-process-gpu";

        private static bool RunsAsLinuxRoot()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return false;
            try
            {
                return geteuid() == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false; // unknown: the launch in the sandbox tells
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
        private static extern uint geteuid();

        /// <summary>
        /// Starts Chromium in its sandbox (Playwright's default is --no-sandbox): the one browser holds
        /// every account's session, so a page that breaks out of its renderer must meet the sandbox.
        /// Where the sandbox cannot start, Chromium starts without it, and -Verbose says so and why.
        /// </summary>
        private static async Task<IBrowser> LaunchAsync(BrowserTypeLaunchOptions options, Action<string> verbose)
        {
            if (_sandboxRefused == null)
            {
                options.ChromiumSandbox = true;
                try
                {
                    var sandboxed = await _playwright.Chromium.LaunchAsync(options).ConfigureAwait(false);
                    verbose?.Invoke("Chromium runs in its sandbox.");
                    return sandboxed;
                }
                catch (PlaywrightException e)
                {
                    _sandboxRefused = SandboxReason(e.Message);
                }
            }
            options.ChromiumSandbox = false;
            if (options.Headless != false)
            {
                // Without the sandbox the GPU process (which, headless and with --disable-gpu, only composites
                // pages in software) is as unconfined as the browser process: it runs as a thread of it, one
                // process and its messages fewer (about 0.02 core-s per account in the bench). In the sandbox
                // it stays a process of its own, behind its own confinement.
                options.Args = (options.Args ?? Enumerable.Empty<string>()).Concat(new[] { InProcessGpu }).ToArray();
            }
            var browser = await _playwright.Chromium.LaunchAsync(options).ConfigureAwait(false);
            verbose?.Invoke($"Chromium runs WITHOUT its sandbox: {_sandboxRefused}. Run PowerShell as an ordinary user (not root) on a system with user namespaces for the sandbox.");
            return browser;
        }

        private static string SandboxReason(string message)
        {
            if (message != null && message.IndexOf("as root", StringComparison.OrdinalIgnoreCase) >= 0)
                return RootReason;
            return "Chromium could not start in its sandbox (" + Security.SecretFreeText.FirstLine(message) + ")";
        }

        public static async Task<IBrowserContext> NewContextAsync(string explicitPath, bool headed, string storageState, string locale, CancellationToken cancel, Action<string> verbose = null)
        {
            var browser = await GetBrowserAsync(explicitPath, headed, cancel, verbose).ConfigureAwait(false);
            var options = new BrowserNewContextOptions
            {
                StorageState = storageState,
                Locale = locale,
                ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
                ServiceWorkers = ServiceWorkerPolicy.Block,
            };
            try
            {
                return await browser.NewContextAsync(options).ConfigureAwait(false);
            }
            catch (Exception e) when (storageState != null && (e is PlaywrightException || e is TimeoutException || e is System.Text.Json.JsonException))
            {
                // The words of a failure with a saved state may quote it: none of its values stays in them,
                // and nothing of the failure but its kind and those words is kept.
                string message = Security.SecretFreeText.WithoutStateValues(e.Message, storageState);
                if (e is TimeoutException) throw new TimeoutException(message);
                throw new PlaywrightException(message);
            }
            catch when (headed)
            {
                // No window came of it: it does not keep the visible browser open.
                await Lock.WaitAsync().ConfigureAwait(false);
                try { if (_openWindows > 0) _openWindows--; } finally { Lock.Release(); }
                throw;
            }
        }

        /// <summary>How long a close may take before the module closes what holds it instead.</summary>
        public static readonly TimeSpan CloseBudget = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Closes a page, bounded; a page that does not close takes its context with it, and a context
        /// that does not close takes its browser (the next session starts a new one).
        /// </summary>
        public static async Task ClosePageAsync(IPage page)
        {
            if (page == null || page.IsClosed) return;
            if (await Bounded.WithinAsync(() => page.CloseAsync(), CloseBudget).ConfigureAwait(false)) return;
            await CloseContextAsync(page.Context).ConfigureAwait(false);
        }

        // Visible sign-in windows in use: the visible browser (and its debugging port) lives only while one is.
        private static int _openWindows;

        /// <summary>
        /// Closes a visible sign-in window, and the visible browser with it once no other window uses it,
        /// so that its DevTools port (ALEXAPRIVACY_INTERACTIVE_DEBUGGING_PORT) does not stay open for
        /// the rest of the process. Bounded, never throws.
        /// </summary>
        public static async Task CloseWindowAsync(IBrowserContext visible)
        {
            if (visible == null) return;
            IBrowser browser = null;
            try { browser = visible.Browser; } catch (PlaywrightException) { }
            await CloseContextAsync(visible).ConfigureAwait(false);
            bool last = false;
            await Lock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (_openWindows > 0) _openWindows--;
                if (_openWindows == 0 && browser != null)
                {
                    last = true;
                    foreach (var key in new List<string>(Browsers.Keys))
                    {
                        if (ReferenceEquals(Browsers[key], browser)) Browsers.Remove(key);
                    }
                }
            }
            finally
            {
                Lock.Release();
            }
            if (last) await Bounded.WithinAsync(() => browser.CloseAsync(), CloseBudget).ConfigureAwait(false);
        }

        /// <summary>Closes a context, bounded; a context that does not close takes its browser with it.</summary>
        public static async Task CloseContextAsync(IBrowserContext context)
        {
            if (context == null) return;
            if (await Bounded.WithinAsync(() => context.CloseAsync(), CloseBudget).ConfigureAwait(false)) return;
            IBrowser browser = null;
            try { browser = context.Browser; } catch (PlaywrightException) { }
            if (browser == null) return;
            Forget(browser);
            await Bounded.WithinAsync(() => browser.CloseAsync(), CloseBudget).ConfigureAwait(false);
        }

        // A browser that is being closed for being stuck is not handed to new sessions.
        private static void Forget(IBrowser browser)
        {
            if (!Lock.Wait(TimeSpan.FromSeconds(5))) return;
            try
            {
                foreach (var key in new List<string>(Browsers.Keys))
                {
                    if (ReferenceEquals(Browsers[key], browser)) Browsers.Remove(key);
                }
            }
            finally
            {
                Lock.Release();
            }
        }

        /// <summary>Closes every browser and the driver; called on module removal and process exit.</summary>
        public static void Shutdown()
        {
            if (!Lock.Wait(TimeSpan.FromSeconds(5))) return;
            try
            {
                foreach (var browser in Browsers.Values)
                {
                    try { browser.CloseAsync().Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { }
                }
                Browsers.Clear();
                // Bounded like every close: at process exit a driver connection that does not let go
                // must not keep pwsh alive. The driver ends by itself when its stdin (this process) closes.
                var playwright = _playwright;
                _playwright = null;
                if (playwright != null)
                {
                    try { Task.Run(() => playwright.Dispose()).Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { }
                }
            }
            finally
            {
                Lock.Release();
            }
        }

        /// <summary>How many contexts the shared browsers hold (for leak checks).</summary>
        public static int ContextCount
        {
            get
            {
                int count = 0;
                foreach (var browser in Browsers.Values) count += browser.Contexts.Count;
                return count;
            }
        }

    }
}
