// An opt-in Playwright trace of each session ($env:ALEXAPRIVACY_TRACE_PATH names a folder), for
// support: tracing is cut around every step that types a secret, so no password or code is in it,
// and every part is rewritten before it is kept (TraceScrubber) so that no cookie or saved state is
// either. Parts are owner-only files (0600) in an owner-only folder (0700).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Security;
using Microsoft.Playwright;

namespace AlexaPrivacy.Diagnostics
{
    internal sealed class SessionTrace
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_TRACE_PATH";

        private readonly IBrowserContext _context;
        private readonly string _baseName;
        private int _part;
        private bool _recording;

        // The traces still recording, so that a PowerShell that exits without Disconnect-AlexaAccount keeps them too.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<SessionTrace, bool> Active =
            new System.Collections.Concurrent.ConcurrentDictionary<SessionTrace, bool>();
        private int _stopped;

        /// <summary>Saves every trace still recording, within <paramref name="budget"/> in all (the process is exiting).</summary>
        public static void StopAll(TimeSpan budget)
        {
            var stopping = Active.Keys.Select(t => Task.Run(() => t.StopAsync())).ToArray();
            if (stopping.Length == 0) return;
            try { Task.WaitAll(stopping, budget); } catch (AggregateException) { /* a trace that cannot be saved is lost, not the exit */ }
        }

        private SessionTrace(IBrowserContext context, string baseName)
        {
            _context = context;
            _baseName = baseName;
        }

        private TracingStartOptions Options => new TracingStartOptions { Screenshots = true, Snapshots = true, Sources = false, Title = _title };

        private string _title;

        /// <summary>Starts tracing <paramref name="context"/> when the environment asks for it; null otherwise.</summary>
        public static async Task<SessionTrace> StartIfRequestedAsync(IBrowserContext context, string account)
        {
            string folder = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(folder)) return null;
            folder = PrivateFiles.EnsurePrivateFolder(folder, false);
            var trace = new SessionTrace(context, DiagnosticsFolder.NewBaseName(folder, account, "trace")) { _title = account };
            // Bounded: a browser that does not answer leaves the session untraced rather than hung.
            if (!await Browser.BrowserHost.WithinAsync(() => context.Tracing.StartAsync(trace.Options), StepBudget).ConfigureAwait(false)) return null;
            trace._recording = true;
            Active[trace] = true;
            return trace;
        }

        /// <summary>
        /// Runs <paramref name="typeSecret"/> with tracing stopped: the chunk so far is saved, and a new
        /// one starts only after the page has moved on, so neither the typed value, the form's POST, nor
        /// a snapshot of the filled field is recorded.
        /// </summary>
        public static async Task WithoutTracingAsync(SessionTrace trace, Func<Task> typeSecret)
        {
            if (trace == null || !trace._recording)
            {
                await typeSecret().ConfigureAwait(false);
                return;
            }
            // Stopping the whole trace (not only a chunk) also drops the network entries Playwright has not
            // written yet, such as the form's POST being answered right now.
            trace._recording = false;
            await trace.SavePartAsync().ConfigureAwait(false);
            // The trace records a request when it finishes, which for a form POST answered by a redirect
            // can be after the next page loaded: resume only once every request sent meanwhile is done.
            var sent = new HashSet<IRequest>();
            var sync = new object();
            EventHandler<IRequest> onRequest = (_, r) => { lock (sync) sent.Add(r); };
            EventHandler<IRequest> onDone = (_, r) => { lock (sync) sent.Remove(r); };
            trace._context.Request += onRequest;
            trace._context.RequestFinished += onDone;
            trace._context.RequestFailed += onDone;
            try
            {
                await typeSecret().ConfigureAwait(false);
            }
            finally
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (DateTime.UtcNow < deadline)
                {
                    lock (sync) if (sent.Count == 0) break;
                    await Task.Delay(20).ConfigureAwait(false);
                }
                trace._context.Request -= onRequest;
                trace._context.RequestFinished -= onDone;
                trace._context.RequestFailed -= onDone;
                bool quiet;
                lock (sync) quiet = sent.Count == 0;
                try
                {
                    // A request still open after the wait may carry the secret: leave tracing off for good.
                    if (quiet) quiet = await Browser.BrowserHost.WithinAsync(() => trace._context.Tracing.StartAsync(trace.Options), StepBudget).ConfigureAwait(false);
                    trace._recording = quiet;
                }
                catch (PlaywrightException)
                {
                    // The context closed meanwhile: nothing more to trace.
                }
            }
        }

        private static readonly TimeSpan StepBudget = TimeSpan.FromSeconds(10);

        /// <summary>Saves the last part of the trace; called before the context closes. Bounded so a stuck browser cannot hang Disconnect.</summary>
        public async Task StopAsync()
        {
            // Once: at Disconnect-AlexaAccount, or when the process exits, whichever comes first.
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            Active.TryRemove(this, out _);
            if (!_recording) return;
            _recording = false;
            await SavePartAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// Stops tracing into a private staging folder, then keeps a scrubbed copy (no cookie, no
        /// saved state, none of the context's cookie values) as an owner-only part; the raw one is deleted.
        /// </summary>
        private async Task SavePartAsync()
        {
            string final = NextPartPath();
            string staging = Path.Combine(Path.GetDirectoryName(final), "." + PrivateFiles.RandomName());
            try
            {
                PrivateFiles.EnsurePrivateFolder(staging, true);
                string raw = Path.Combine(staging, "trace.zip");
                if (!await Browser.BrowserHost.WithinAsync(() => _context.Tracing.StopAsync(new TracingStopOptions { Path = raw }), StepBudget).ConfigureAwait(false)) return;
                if (!File.Exists(raw)) return;
                var cookieValues = new List<string>();
                var reading = _context.CookiesAsync();
                if (await Task.WhenAny(reading, Task.Delay(StepBudget)).ConfigureAwait(false) == reading && reading.Status == TaskStatus.RanToCompletion)
                {
                    cookieValues.AddRange(reading.Result.Select(c => c.Value));
                }
                else
                {
                    _ = reading.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                }
                PrivateFiles.WriteNew(final, TraceScrubber.Scrub(File.ReadAllBytes(raw), cookieValues));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is PlaywrightException || e is InvalidDataException || e is AlexaException)
            {
                // A part that cannot be scrubbed is not kept; the parts saved so far remain.
            }
            finally
            {
                try { if (Directory.Exists(staging)) Directory.Delete(staging, true); } catch (Exception) { }
            }
        }

        private string NextPartPath() => $"{_baseName}-{Interlocked.Increment(ref _part)}.zip";
    }
}
